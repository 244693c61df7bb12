from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.dates import utcnow
from registry.extensions import db
from registry.types import N_, LabelledEnum, enum_column


class MessageKind(LabelledEnum):
    """Why a message was written: the change it tells of, or the reminder it is (notifications/reminders.py)."""

    status = "status", N_("indstillingens status er ændret")
    call = "call", N_("opfordring til indstilling")
    round_reminder = "round_reminder", N_("påmindelse fra sekretariatet om overskredet frist")
    call_due = "call_due", N_("påmindelse: frist inden for 7 dage")
    call_overdue = "call_overdue", N_("påmindelse: frist overskredet")
    term_ending = "term_ending", N_("påmindelse: periode udløber")
    awaiting_authority = "awaiting_authority", N_("påmindelse: afventer udpegende myndighed i over 30 dage")
    weekly_digest = "weekly_digest", N_("ugens overblik")


class Message(db.Model):
    """An e-mail in the outbox. Written in the same transaction as the change it tells of;
    sent after the commit when SMTP is configured, else it waits here for the secretariat to read."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), info={"private": True})
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nominations.id"), index=True)
    # Why it was written, for the outbox; empty only on a message written without saying.
    kind: Mapped[MessageKind | None] = mapped_column(enum_column(MessageKind))
    sent_at: Mapped[datetime | None]
    # The last delivery failure, if any, for the secretariat to see.
    error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0)


class Reminder(db.Model):
    """A reminder that has gone out (påmindelse), so that it never goes out again.

    The key names what it is about and the day that makes it due, e.g. "call-due:12:2026-05-12" (call 12,
    deadline 12 May 2026) or "weekly-digest:2026-W19". It is unique in the database: of two runs of
    `flask notifications remind` at once, on two hosts, only one can write it, and the other writes
    nothing (notifications/reminders.py). Written with the reminder's messages, in one transaction.
    """

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind))
    sent_on: Mapped[date]

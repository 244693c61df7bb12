import re
from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.types import N_, LabelledEnum, enum_column

# Agenda items are numbered 1.1, 3.10, 4.1; the parts stay small enough to sort by (AgendaItem.position_of).
ITEM_NUMBER = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}")


def reference(council_name: str, day: date, item_number: str) -> str:
    """How exports, imports and pages cite a decision: 'KKR Hovedstaden 2024-04-19 pkt. 4.1'."""
    return f"{council_name} {day.isoformat()} pkt. {item_number}"


class Outcome(LabelledEnum):
    """What KKR decided on an item."""

    appointed = "appointed", N_("udpeget")
    recommended = "recommended", N_("indstillet")
    noted = "noted", N_("taget til efterretning")
    approved = "approved", N_("godkendt")
    not_supported = "not_supported", N_("ikke tiltrådt")


class Meeting(db.Model):
    """A KKR meeting (møde) with its agenda (dagsorden)."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.UniqueConstraint("council_name", "date", name="uq_meetings_council_date"),
        # The history of decisions, newest meeting first, reads meetings in date order and stops after a page.
        sa.Index("ix_meetings_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept per meeting so references stay right if the registry ever serves another KKR.
    council_name: Mapped[str] = mapped_column(sa.String(100))
    date: Mapped[date]
    starts_at: Mapped[time | None]
    ends_at: Mapped[time | None]
    location: Mapped[str | None] = mapped_column(sa.String(300))
    # Sagsnummer, e.g. SAG-2024-01064.
    case_number: Mapped[str | None] = mapped_column(sa.String(50))
    # The day the agenda was made public (offentliggjort): the items' saved texts, which name candidates KKR
    # has yet to decide on, are public from that day; none means not yet.
    published_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    items: Mapped[list["AgendaItem"]] = relationship(back_populates="meeting", order_by="AgendaItem.position")

    __mapper_args__ = {"version_id_col": version}

    def is_published(self, day: date) -> bool:
        return self.published_on is not None and self.published_on <= day

    def is_held(self, day: date) -> bool:
        """Whether the meeting has taken place by the day (a meeting on the day itself counts as held)."""
        return self.date <= day

    def __repr__(self) -> str:
        return f"<Meeting {self.council_name} {self.date}>"


class AgendaItem(db.Model):
    """Punkt on a meeting's agenda, numbered like 4.1 or 3.10."""

    __tablename__ = "agenda_items"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "number", name="uq_agenda_items_meeting_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"))
    number: Mapped[str] = mapped_column(sa.String(20))
    # Orders 3.9 before 3.10, which the text of the number cannot.
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(300))
    case_worker: Mapped[str | None] = mapped_column(sa.String(20))
    background: Mapped[str | None] = mapped_column(sa.Text)
    recommendation: Mapped[str | None] = mapped_column(sa.Text)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    decisions: Mapped[list["Decision"]] = relationship(back_populates="item", order_by="Decision.id")

    @staticmethod
    def position_of(number: str) -> int:
        """'3.10' → 3010, so items sort by their number."""
        major, _, minor = number.partition(".")
        return int(major) * 1000 + (int(minor) if minor.isdigit() else 0)


class Decision(db.Model):
    """Beslutning: what KKR decided on an item, as in the minutes (referat)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    text: Mapped[str | None] = mapped_column(sa.Text)

    item: Mapped[AgendaItem] = relationship(back_populates="decisions")

    @property
    def reference(self) -> str:
        return reference(self.item.meeting.council_name, self.item.meeting.date, self.item.number)

"""Reminders that go out by themselves: `flask --app wsgi notifications remind`, run from cron once a day.

What is reminded, to whom, and when (the day is today in Denmark):

- **A deadline within 7 days**: an open call for nominations (opfordring) that its party group has not
  answered, whose deadline is today or within the next 7 days, to the party group. Not for a call opened
  less than 7 days before its deadline: the call's own message told the deadline a few days ago.
- **A deadline passed**: an open, unanswered call whose deadline has passed, to the party group.
  A call is answered by a nomination of the party group for its seat and role (a member's nomination that
  names a personal suppleant answers the suppleant's call too), made for the call or after it was opened,
  and on its way (submitted, returned for a correction, on an agenda, waiting for an outside authority) or
  appointed: not a draft, a withdrawn one, or one decided against.
- **A term ending**: a seated holder of a seat KKR fills whose last day, entered or expected by the
  body's term rules (organisations/terms.py), falls within the body's warning days (as on the
  dashboard; a holder carried over after the term's end too), to the secretariat, and to the party group
  holding the seat in the election period of today, as on its page. Not when the successor is known: an
  appointment to the seat and role that starts after today.
- **Waiting for an outside authority**: a recommendation (status afventer udpegning) whose KKR meeting was
  more than 30 days ago, to the secretariat.
- **The weekly digest**: all of the above as it stands, and every recommendation waiting for an outside
  authority, to the secretariat, on the first run of each ISO week (Monday, with a daily cron); also when
  there is nothing to tell, so that its absence means the command did not run.

Each is sent once: once per call and deadline for each of the call's two reminders, once per appointment
and last day for each audience of a term ending, once per recommendation, once per ISO week for the digest
(a moved deadline or last day is a new reminder). Each reminder has a key naming what it is about
(`call-due:12:2026-05-12`), recorded in `reminders` in the same transaction as its messages. The key is
unique in the database, so a second run the same day sends nothing, and of two runs at once (two hosts'
crons) the later one's insert fails and it writes nothing; the command then tries once more, and finds
nothing left to send. An audience without an e-mail address (a party group without contacts) is not
reminded and nothing is recorded: it is reminded once it has one, if the reminder is still due.

One message per audience and kind of reminder, listing everything new of that kind: a party group with
ten calls due gets one message, not ten. Everything is read in a fixed number of queries however many
calls, holders and nominations (a test), and grouped in memory.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from registry.audit.services import insert_rows
from registry.dates import today
from registry.extensions import db
from registry.notifications import services
from registry.notifications.due import AWAITING_DAYS, DUE_DAYS, situation
from registry.notifications.models import Message, MessageKind, Reminder
from registry.notifications.reminder_texts import WRITERS


@dataclass
class Batch:
    """One kind of reminder to one audience (the secretariat, or a party group): one message per address."""

    kind: MessageKind
    audience: str
    keys: list[str]
    recipients: list[str]
    subject: str
    body: str


@dataclass
class Report:
    batches: list[Batch] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    # Audiences without an e-mail address, and the kind of reminder that waits for one: (audience, kind).
    unreachable: list[tuple[str, MessageKind]] = field(default_factory=list)


def remind(day: date | None = None, *, dry_run: bool = False) -> Report:
    """Write today's reminders to the outbox, with their keys (flushes; the caller commits, then delivers).

    dry_run: what would be sent, with nothing written. A run that meets a key another run has written in the
    meantime raises the database's IntegrityError, having written nothing that the rollback keeps."""
    day = day or today()
    _one_run_at_a_time()
    now = situation(day)
    wanted: list[tuple[MessageKind, int | None, str, object]] = []  # kind, party id (None: secretariat), key, item
    wanted += [(MessageKind.call_due, call.party_id, f"call-due:{call.id}:{call.deadline.isoformat()}", call)
               for call in now.due if (call.deadline - call.opened_on).days > DUE_DAYS]
    wanted += [(MessageKind.call_overdue, call.party_id, f"call-overdue:{call.id}:{call.deadline.isoformat()}",
                call) for call in now.overdue]
    for ending in now.ending:
        wanted.append((MessageKind.term_ending, None, f"{ending.key}:sekretariat", ending))
        if ending.party is not None:
            wanted.append((MessageKind.term_ending, ending.party.id, f"{ending.key}:parti-{ending.party.id}", ending))
    wanted += [(MessageKind.awaiting_authority, None, f"awaiting-authority:{awaiting.nomination.id}", awaiting)
               for awaiting in now.awaiting if now.waited(awaiting) > AWAITING_DAYS]
    year, week, _ = day.isocalendar()
    wanted.append((MessageKind.weekly_digest, None, f"weekly-digest:{year}-W{week:02d}", now))

    sent = already_sent([key for _, _, key, _ in wanted])
    groups: dict[tuple[MessageKind, int | None], list[tuple[str, object]]] = {}
    for kind, party_id, key, item in wanted:
        if key not in sent:
            groups.setdefault((kind, party_id), []).append((key, item))
    parties = services.contacts_of({party_id for _, party_id in groups if party_id is not None})
    secretariat = services.secretariat_contacts() if any(party_id is None for _, party_id in groups) else []

    report = Report()
    for (kind, party_id), found in groups.items():
        items = [item for _, item in found]
        audience = "sekretariatet" if party_id is None else items[0].party.name
        recipients = secretariat if party_id is None else parties.get(party_id, [])
        if not recipients:
            report.unreachable.append((audience, kind))
            continue
        subject, body = WRITERS[kind](items, party_id, now)
        report.batches.append(Batch(kind, audience, [key for key, _ in found], recipients, subject, body))
    if dry_run or not report.batches:
        return report
    # The keys first: a run that meets another's keys stops here, before a message is written.
    insert_rows(db.session, Reminder.__table__, [{"key": key, "kind": batch.kind.value, "sent_on": day}
                                                 for batch in report.batches for key in batch.keys])
    report.messages = services.queue([Message(recipient=address, subject=batch.subject, body=batch.body,
                                              kind=batch.kind)
                                      for batch in report.batches for address in batch.recipients])
    return report


def _one_run_at_a_time() -> None:
    """On SQLite, become the writer before reading: a second run waits for the first one's commit (the
    busy_timeout) and then reads what it sent, where a run that had read first would be refused the write
    outright. PostgreSQL needs no turn: the unique key refuses the later run's insert."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.update(Reminder).where(sa.false()).values(sent_on=Reminder.sent_on))


def already_sent(keys: list[str]) -> set[str]:
    """The keys of those reminders that have gone out."""
    return set(db.session.scalars(sa.select(Reminder.key).where(Reminder.key.in_(keys))))

"""The history of indstillinger: every KKR decision with its meeting, item, text and outcome.

Read per meeting, per organisation and per person. A decision names people
through the nomination it decided or, for decisions that came in with an
import, through the appointments that rest on it (OParl links a membership
to its meeting decision the same way). Decisions are public: what KKR
decided is in the minutes. Nominations KKR has not yet decided never appear here.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.nominations.models import Nomination
from registry.organisations.models import Organisation, Seat
from registry.paging import Page, numbered
from registry.people.models import Party, Person


@dataclass(frozen=True)
class Selection:
    """Which decisions: all, or those of one meeting, organisation or person."""

    meeting_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None


@dataclass
class Entry:
    """One decision and one person it concerns (a decision concerning no one is one entry with no person)."""

    decision: Decision
    organisation: Organisation | None = None
    seat: Seat | None = None
    role: Role | None = None
    person: Person | None = None
    party: Party | None = None
    # The first day in office, once seated.
    appointed_on: date | None = None

    @property
    def item(self) -> AgendaItem:
        return self.decision.item

    @property
    def meeting(self) -> Meeting:
        return self.decision.item.meeting


def decisions(selection: Selection) -> sa.Select:
    """The decisions selected, newest meeting first."""
    stmt = (sa.select(Decision).join(Decision.item).join(AgendaItem.meeting)
            .options(joinedload(Decision.item).joinedload(AgendaItem.meeting))
            .order_by(Meeting.date.desc(), AgendaItem.position, AgendaItem.number, Decision.id))
    if selection.meeting_id is not None:
        stmt = stmt.where(Meeting.id == selection.meeting_id)
    if selection.organisation_id is not None:
        nominated = (sa.select(Nomination.decision_id).join(Seat, Nomination.seat_id == Seat.id)
                     .where(Seat.organisation_id == selection.organisation_id))
        seated = (sa.select(Appointment.decision_id).join(Seat, Appointment.seat_id == Seat.id)
                  .where(Seat.organisation_id == selection.organisation_id))
        stmt = stmt.where(sa.or_(Decision.id.in_(nominated), Decision.id.in_(seated)))
    if selection.person_id is not None:
        nominated = sa.select(Nomination.decision_id).where(
            sa.or_(Nomination.person_id == selection.person_id, Nomination.substitute_id == selection.person_id))
        seated = sa.select(Appointment.decision_id).where(Appointment.person_id == selection.person_id)
        stmt = stmt.where(sa.or_(Decision.id.in_(nominated), Decision.id.in_(seated)))
    return stmt


def entries(found: list[Decision], selection: Selection) -> list[Entry]:
    """Expand decisions into entries: two more queries, however many decisions."""
    ids = [decision.id for decision in found]
    nominations = {n.decision_id: n for n in db.session.scalars(
        sa.select(Nomination).where(Nomination.decision_id.in_(ids))
        .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.party),
                 joinedload(Nomination.person), joinedload(Nomination.substitute)))}
    seated: dict[int, list[Appointment]] = {}
    for appointment in db.session.scalars(
            sa.select(Appointment).where(Appointment.decision_id.in_(ids))
            .options(joinedload(Appointment.seat).joinedload(Seat.organisation), joinedload(Appointment.party),
                     joinedload(Appointment.person))
            .order_by(Appointment.role, Appointment.id)):
        seated.setdefault(appointment.decision_id, []).append(appointment)
    result = []
    for decision in found:
        concerned = []
        if (nomination := nominations.get(decision.id)) is not None:
            for person, role in nomination.candidates:
                concerned.append(Entry(decision, nomination.seat.organisation, nomination.seat, role, person,
                                   nomination.party, nomination.appointed_on))
        else:
            for appointment in seated.get(decision.id, []):
                concerned.append(Entry(decision, appointment.seat.organisation, appointment.seat, appointment.role,
                                   appointment.person, appointment.party, appointment.start_date))
        if selection.person_id is not None:
            concerned = [entry for entry in concerned if entry.person and entry.person.id == selection.person_id]
        if selection.organisation_id is not None:
            concerned = [entry for entry in concerned
                     if entry.organisation and entry.organisation.id == selection.organisation_id]
        result.extend(concerned or [Entry(decision)])
    return result


def page(selection: Selection, number: int, per_page: int = 25) -> Page[Entry]:
    """A page of decisions as entries, newest meeting first."""
    found = numbered(decisions(selection), number, per_page)
    return Page(entries(found.items, selection), found.number, found.has_next)


def every(selection: Selection, chunk: int = 500) -> Iterator[Entry]:
    """All entries, for the CSV export: a chunk of decisions at a time."""
    offset = 0
    while True:
        found = list(db.session.scalars(decisions(selection).limit(chunk).offset(offset)))
        if not found:
            return
        yield from entries(found, selection)
        offset += chunk

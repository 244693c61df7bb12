"""The history of indstillinger: every KKR decision with its meeting, item, text and outcome.

Read per meeting, per organisation and per person. A decision names people
through the nomination it decided or, for decisions that came in with an
import, through the appointments that rest on it (OParl links a membership
to its meeting decision the same way). Decisions are public: what KKR
decided is in the minutes. Nominations KKR has not yet decided never appear here.

A national registry holds tens of thousands of decisions, and one imported decision may concern hundreds of
appointments. So the list goes by a stable key, not by page number: the meeting's day (newest first), the
item's place and number, the decision's id; a link names the decision to continue after (or before), and
the next page costs the same however deep. Inside a decision, a list shows the first few people and how
many more there are; the decision's own page goes through them all by the same kind of key (member before
suppleant, then the appointment's id).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from registry.appointments.models import Appointment, Role
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.nominations.models import Nomination
from registry.organisations.models import Organisation, Seat
from registry.paging import Page, numbered
from registry.people.models import Party, Person

T = TypeVar("T")

# How many people a list shows of one decision; the decision's own page shows them all, a page at a time.
SHOWN_PER_DECISION = 10


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
    # On the last entry a list shows of a decision: how many more people it concerns (see SHOWN_PER_DECISION).
    more: int = 0
    # The appointment the entry comes from (an imported decision's); None for a nomination's.
    appointment_id: int | None = None

    @property
    def item(self) -> AgendaItem:
        return self.decision.item

    @property
    def meeting(self) -> Meeting:
        return self.decision.item.meeting


@dataclass
class Concerned:
    """Whom a decision concerns within the selection: the entries read (the first few, or all), and how many
    there are in all."""

    entries: list[Entry] = field(default_factory=list)
    total: int = 0


@dataclass
class Window(Generic[T]):
    """Part of a long list, by a stable key: `after` is the key to continue after when more follow, `before`
    the key to go back before when some come first; None at either end."""

    items: list[T]
    after: int | None = None
    before: int | None = None


def decisions(selection: Selection) -> sa.Select:
    """The decisions selected, newest meeting first."""
    stmt = (sa.select(Decision).join(Decision.item).join(AgendaItem.meeting)
            .options(contains_eager(Decision.item).contains_eager(AgendaItem.meeting))
            .order_by(*ORDER))
    if selection.meeting_id is not None:
        stmt = stmt.where(Meeting.id == selection.meeting_id)
    if selection.organisation_id is not None:
        nominated = (sa.select(Nomination.decision_id).join(Seat, Nomination.seat_id == Seat.id)
                     .where(Seat.organisation_id == selection.organisation_id))
        seated = (sa.select(Appointment.decision_id).join(Seat, Appointment.seat_id == Seat.id)
                  .where(Seat.organisation_id == selection.organisation_id))
        stmt = stmt.where(Decision.id.in_(sa.union(nominated, seated)))
    if selection.person_id is not None:
        nominated = sa.select(Nomination.decision_id).where(
            sa.or_(Nomination.person_id == selection.person_id, Nomination.substitute_id == selection.person_id))
        seated = sa.select(Appointment.decision_id).where(Appointment.person_id == selection.person_id)
        # One IN over both: an OR of two INs makes PostgreSQL read every decision (issue 15, measured).
        stmt = stmt.where(Decision.id.in_(sa.union(nominated, seated)))
    return stmt


# The list's order, and so its key: newest meeting first, then the agenda's order.
ORDER = (Meeting.date.desc(), AgendaItem.position, AgendaItem.number, Decision.id)
_REVERSED = (Meeting.date, AgendaItem.position.desc(), AgendaItem.number.desc(), Decision.id.desc())
DecisionKey = tuple[date, int, str, int]


def _key(decision: Decision) -> DecisionKey:
    return decision.item.meeting.date, decision.item.position, decision.item.number, decision.id


def _later(key: DecisionKey) -> sa.ColumnElement[bool]:
    """After the key in the list's order. The plain `date <=` lets the database start its scan at the key."""
    day, *rest = key
    return sa.and_(Meeting.date <= day, sa.or_(
        Meeting.date < day, sa.tuple_(AgendaItem.position, AgendaItem.number, Decision.id) > sa.tuple_(*rest)))


def _earlier(key: DecisionKey) -> sa.ColumnElement[bool]:
    day, *rest = key
    return sa.and_(Meeting.date >= day, sa.or_(
        Meeting.date > day, sa.tuple_(AgendaItem.position, AgendaItem.number, Decision.id) < sa.tuple_(*rest)))


def _key_of(decision_id: int) -> DecisionKey | None:
    row = db.session.execute(
        sa.select(Meeting.date, AgendaItem.position, AgendaItem.number, Decision.id)
        .join(Decision.item).join(AgendaItem.meeting).where(Decision.id == decision_id)).first()
    return tuple(row) if row else None


def window(selection: Selection, *, after: int | None = None, before: int | None = None,
           size: int = 25) -> Window[Entry] | None:
    """A page of decisions as entries: the first, or those after (or before) the decision with that id, each
    with its first few people. None when that decision is unknown. Five queries however deep the page."""
    stmt = decisions(selection)
    if after is None and before is None:
        found = list(db.session.scalars(stmt.limit(size + 1)))
        more, earlier = len(found) > size, False
        found = found[:size]
    elif after is not None:
        if (key := _key_of(after)) is None:
            return None
        found = list(db.session.scalars(stmt.where(_later(key)).limit(size + 1)))
        more, earlier = len(found) > size, True
        found = found[:size]
    else:
        if (key := _key_of(before)) is None:
            return None
        found = list(db.session.scalars(stmt.where(_earlier(key)).order_by(None).order_by(*_REVERSED)
                                        .limit(size + 1)))
        more, earlier = True, len(found) > size
        found = found[:size][::-1]
    return Window(entries(found, selection, cap=SHOWN_PER_DECISION),
                  after=found[-1].id if found and more else None,
                  before=found[0].id if found and earlier else None)


def _concerning(stmt: sa.Select, selection: Selection) -> sa.Select:
    """Keeps to the appointments within the selection (a person's, or those on an organisation's posts)."""
    if selection.person_id is not None:
        stmt = stmt.where(Appointment.person_id == selection.person_id)
    if selection.organisation_id is not None:
        stmt = stmt.join(Seat, Appointment.seat_id == Seat.id).where(Seat.organisation_id == selection.organisation_id)
    return stmt


def _seated(ids: list[int], selection: Selection, cap: int | None) -> sa.Select:
    """The appointments resting on the decisions within the selection, member before suppleant; with a cap,
    the first `cap` of each decision, so that one decision of hundreds brings only its first few along.
    PostgreSQL reads each decision's first few from the index on (decision, role, id) (a lateral join);
    SQLite, whose registries are small, numbers them with a window function."""
    if cap is None:
        chosen = _concerning(sa.select(Appointment.id).where(Appointment.decision_id.in_(ids)), selection)
    elif db.session.get_bind().dialect.name == "postgresql":
        first = (_concerning(sa.select(Appointment.id).where(Appointment.decision_id == Decision.id), selection)
                 .order_by(Appointment.role, Appointment.id).limit(cap).lateral())
        chosen = sa.select(first.c.id).select_from(Decision).join(first, sa.true()).where(Decision.id.in_(ids))
    else:
        ranked = _concerning(sa.select(Appointment.id, sa.func.row_number().over(
            partition_by=Appointment.decision_id, order_by=(Appointment.role, Appointment.id)).label("rank"))
            .where(Appointment.decision_id.in_(ids)), selection).subquery()
        chosen = sa.select(ranked.c.id).where(ranked.c.rank <= cap)
    return (sa.select(Appointment).where(Appointment.id.in_(chosen))
            .options(joinedload(Appointment.seat).joinedload(Seat.organisation), joinedload(Appointment.party),
                     joinedload(Appointment.person))
            .order_by(Appointment.role, Appointment.id))


def _counted(ids: list[int], selection: Selection) -> dict[int, int]:
    """How many appointments rest on each decision within the selection: one count, from the index alone
    where no selection needs the rows."""
    stmt = _concerning(sa.select(Appointment.decision_id, sa.func.count())
                       .where(Appointment.decision_id.in_(ids)), selection).group_by(Appointment.decision_id)
    return dict(db.session.execute(stmt).tuples().all())


def _nominations(ids: list[int]) -> dict[int, Nomination]:
    return {n.decision_id: n for n in db.session.scalars(
        sa.select(Nomination).where(Nomination.decision_id.in_(ids))
        .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.party),
                 joinedload(Nomination.person), joinedload(Nomination.substitute)))}


def _nominated(decision: Decision, nomination: Nomination, selection: Selection) -> list[Entry]:
    """A nomination names a person and perhaps a suppleant: never more than two entries, so never capped."""
    found = [Entry(decision, nomination.seat.organisation, nomination.seat, role, person, nomination.party,
                   nomination.appointed_on) for person, role in nomination.candidates]
    if selection.person_id is not None:
        found = [entry for entry in found if entry.person.id == selection.person_id]
    if selection.organisation_id is not None:
        found = [entry for entry in found if entry.organisation.id == selection.organisation_id]
    return found


def _entry(decision: Decision, appointment: Appointment) -> Entry:
    return Entry(decision, appointment.seat.organisation, appointment.seat, appointment.role, appointment.person,
                 appointment.party, appointment.start_date, appointment_id=appointment.id)


def concerning(found: list[Decision], selection: Selection, cap: int | None = None) -> dict[int, Concerned]:
    """Whom each decision concerns within the selection, by decision id: two queries however many decisions,
    and with a cap a third (how many each has in all), however many people each concerns."""
    ids = [decision.id for decision in found]
    nominations = _nominations(ids)
    concerned = {decision.id: Concerned() for decision in found}
    by_id = {decision.id: decision for decision in found}
    for appointment in db.session.scalars(_seated(ids, selection, cap)).unique():
        if appointment.decision_id not in nominations:
            concerned[appointment.decision_id].entries.append(_entry(by_id[appointment.decision_id], appointment))
    totals = _counted(ids, selection) if cap is not None else {}
    for decision_id, these in concerned.items():
        these.total = totals.get(decision_id, len(these.entries))
    for decision_id, nomination in nominations.items():
        named = _nominated(by_id[decision_id], nomination, selection)
        concerned[decision_id] = Concerned(named, len(named))
    return concerned


def entries(found: list[Decision], selection: Selection, cap: int | None = None) -> list[Entry]:
    """The decisions as entries, in their order: two more queries, however many decisions. With a cap, each
    decision's last entry says how many more it concerns."""
    concerned = concerning(found, selection, cap)
    result = []
    for decision in found:
        these = concerned[decision.id]
        if these.entries:
            these.entries[-1].more = these.total - len(these.entries)
        result.extend(these.entries or [Entry(decision)])
    return result


def page(selection: Selection, number: int, per_page: int = 25) -> Page[Entry]:
    """A page of decisions as entries, newest meeting first, every person of each (the latest few on a
    person's or an organisation's page)."""
    found = numbered(decisions(selection), number, per_page)
    return Page(entries(found.items, selection), found.number, found.has_next)


def every(selection: Selection, chunk: int = 500) -> Iterator[Entry]:
    """All entries, for the CSV export: a chunk of decisions at a time, each after the last one read."""
    stmt = decisions(selection)
    found = list(db.session.scalars(stmt.limit(chunk)))
    while found:
        yield from entries(found, selection)
        found = list(db.session.scalars(stmt.where(_later(_key(found[-1]))).limit(chunk)))


# One decision's own page

def of_decision(decision: Decision, selection: Selection, *, after: int | None = None,
                before: int | None = None, size: int = 50) -> Window[Entry] | None:
    """The people a decision concerns within the selection, a page at a time, member before suppleant: the
    first, or those after (or before) the entry of the appointment with that id. None when that appointment
    is not one of the decision's. A nomination's two are one page."""
    nominations = _nominations([decision.id])
    cursor = after if after is not None else before
    if decision.id in nominations:
        return Window(_nominated(decision, nominations[decision.id], selection)) if cursor is None else None
    stmt = _seated([decision.id], selection, None)
    if cursor is not None:
        key = db.session.execute(sa.select(Appointment.role, Appointment.id).where(
            Appointment.id == cursor, Appointment.decision_id == decision.id)).first()
        if key is None:
            return None
        role, appointment_id = key
        if after is not None:
            stmt = stmt.where(sa.or_(Appointment.role > role,
                                     sa.and_(Appointment.role == role, Appointment.id > appointment_id)))
        else:
            stmt = stmt.where(sa.or_(Appointment.role < role,
                                     sa.and_(Appointment.role == role, Appointment.id < appointment_id)))
            stmt = stmt.order_by(None).order_by(Appointment.role.desc(), Appointment.id.desc())
    found = list(db.session.scalars(stmt.limit(size + 1)).unique())
    beyond = len(found) > size
    found = found[:size]
    if before is not None:
        found.reverse()
    shown = [_entry(decision, appointment) for appointment in found]
    more, earlier = (True, beyond) if before is not None else (beyond, after is not None)
    return Window(shown, after=found[-1].id if found and more else None,
                  before=found[0].id if found and earlier else None)

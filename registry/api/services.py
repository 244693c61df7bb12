"""What the JSON API reads: the public part of the registry, a page at a time.

Every list is ordered by id and cut after an id (keyset pagination), so a
page never repeats or skips a row when rows are added between two requests.
Each list takes one query whatever the page size: related rows come by join.
Only appointed memberships are public; recommendations that still wait for an
outside authority are left out everywhere, and so are people who have never
held a seat. Nominations are the exception: not public, read through the same
object-level check as the pages (nominations.services.visible_to).
A person's council mandates are public, as on the person's page; they come in
one more query per page, and a membership's carrying over (terms.open_end)
and election period in one more for the election periods.

Parties, areas and election periods are read by their keys in the API's ids
(serializers.py): a list letter, a kommunekode (or a name), a period's name;
their lists are ordered and cut by those keys.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload

from registry import paging
from registry.appointments.models import Appointment, Role, Status
from registry.appointments.services import active_on
from registry.dates import today
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.mandates.services import mandates_by_person, mandates_of
from registry.meetings import history
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.nominations.models import Nomination, NominationStatus
from registry.nominations.services import visible_to
from registry.organisations import terms
from registry.organisations.models import ElectionPeriod, Organisation, OrganisationKind, Seat, SeatAllocation
from registry.organisations.services import election_periods
from registry.paging import Page
from registry.people.models import Municipality, Party, Person
from registry.people.reference import REGIONS

# A municipality's or a region's key in its area id: the kommunekode or regionskode, or the name of a
# municipality without a code (serializers.area_key).
AreaKey = int | str


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    # The first people and seats it concerns (history entries), member before suppleant: at most
    # history.SHOWN_PER_DECISION; the rest through /decisions/{id}/entries.
    entries: list[history.Entry]
    # How many it concerns in all within the filter, and the filter (organization_id, person_id) for the link
    # to the rest.
    entry_count: int = 0
    filters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PersonRow:
    person: Person
    # The person's council mandates, the latest first: those held on the as_of day, or all of them.
    mandates: list[CouncilMandate]


@dataclass(frozen=True)
class MembershipRow:
    appointment: Appointment
    # For a personal suppleant: the member appointment on the same seat (see _substitute_for).
    substitute_for_id: int | None
    # The as_of day it was read for; None for the whole history and a single membership. It decides whether
    # an office is held (serializers.membership).
    as_of: date | None = None
    # Whether the holder carries on after the term's last day until a successor is seated ("fungerer, indtil
    # nye er udpeget"), on the as_of day or today; and the council mandate the person has on the as_of day
    # (without one: on the membership's last day if it has passed, else today). See _read_on.
    carried_over: bool = False
    council_mandate: CouncilMandate | None = None
    # The election period the membership's first day falls in, where its body follows the election period
    # (Popolo's legislative_period_id); None for a body with terms of its own.
    period: ElectionPeriod | None = None
    # The person's municipality, the membership's area: read with the row rather than through a Person object
    # per membership, which nothing else of the person's needs.
    municipality: Municipality | None = None


def _page(stmt: sa.Select, id_column, limit: int, after: int, *, rows: bool = False) -> Page:
    """The first `limit` results with an id above `after`."""
    return paging.after(stmt, id_column, after, limit, rows=rows)


def _open_on(model, day: date) -> sa.ColumnElement[bool]:
    return sa.and_(sa.or_(model.start_date.is_(None), model.start_date <= day),
                   sa.or_(model.end_date.is_(None), model.end_date >= day))


# Organisations

def organizations(*, limit: int, after: int = 0, as_of: date | None = None,
                  classification: str | None = None) -> Page[Organisation]:
    """The bodies (parties, the API's other organizations, are in parties())."""
    stmt = sa.select(Organisation)
    if as_of is not None:
        stmt = stmt.where(_open_on(Organisation, as_of))
    if classification is not None:
        stmt = stmt.where(Organisation.kind == OrganisationKind(classification))
    return _page(stmt, Organisation.id, limit, after)


def organization(organization_id: int) -> Organisation | None:
    return db.session.get(Organisation, organization_id)


# Seats (Popolo posts)

def _seats(as_of: date | None = None) -> sa.Select:
    """The seats (open on the as_of day), without their allocations: the bulk document (popolo.py) streams
    those beside them."""
    # The body comes along for the seat's effective appointing authority (Seat.authority, Seat.external).
    stmt = sa.select(Seat).join(Seat.organisation).options(contains_eager(Seat.organisation))
    if as_of is not None:
        # A seat is open only while its body is.
        stmt = stmt.where(_open_on(Seat, as_of), _open_on(Organisation, as_of))
    return stmt


def _posts(as_of: date | None = None) -> sa.Select:
    # Allocations are joined, not selectin-loaded: SQLAlchemy selects in chunks of 500, which would add a query
    # on a long page.
    return _seats(as_of).options(
        joinedload(Seat.allocations).options(joinedload(SeatAllocation.period), joinedload(SeatAllocation.party)),
    )


def posts(*, limit: int, after: int = 0, as_of: date | None = None,
          organization_id: int | None = None) -> Page[Seat]:
    stmt = _posts(as_of)
    if organization_id is not None:
        stmt = stmt.where(Seat.organisation_id == organization_id)
    return _page(stmt, Seat.id, limit, after)


def post(post_id: int) -> Seat | None:
    return db.session.scalars(_posts().where(Seat.id == post_id)).unique().first()


# People (Popolo persons)

def _persons(*, as_of: date | None = None, organization_id: int | None = None) -> sa.Select:
    """People who hold a seat on the day (as_of), or who have ever held one."""
    held = sa.select(Appointment.id).where(Appointment.person_id == Person.id, Appointment.status == Status.appointed)
    if as_of is not None:
        held = held.where(active_on(as_of))
    if organization_id is not None:
        held = held.join(Appointment.seat).where(Seat.organisation_id == organization_id)
    return sa.select(Person).where(held.exists()).options(joinedload(Person.municipality), joinedload(Person.party))


def _party_id(letter: str) -> sa.ScalarSelect:
    return sa.select(Party.id).where(Party.letter == letter).scalar_subquery()


def _is_municipality(key: AreaKey) -> sa.ColumnElement[bool]:
    if isinstance(key, int):
        return Municipality.code == key
    return sa.and_(Municipality.code.is_(None), Municipality.name == key)


def _in_area(key: AreaKey) -> sa.ColumnElement[bool]:
    """Whether a person lives in the area: the municipality, or for a region any of its municipalities."""
    if isinstance(key, int) and key in REGIONS:
        return Person.municipality_id.in_(sa.select(Municipality.id).where(Municipality.region_code == key))
    return Person.municipality_id == sa.select(Municipality.id).where(_is_municipality(key)).scalar_subquery()


def persons(*, limit: int, after: int = 0, as_of: date | None = None, organization_id: int | None = None,
            party_id: str | None = None, area_id: AreaKey | None = None) -> Page[PersonRow]:
    """People by id, each with the council mandates held on the as_of day (or all): two queries. party_id is
    a list letter, area_id an area's key."""
    stmt = _persons(as_of=as_of, organization_id=organization_id)
    if party_id is not None:
        stmt = stmt.where(Person.party_id == _party_id(party_id))
    if area_id is not None:
        stmt = stmt.where(_in_area(area_id))
    page = _page(stmt, Person.id, limit, after)
    mandates = mandates_by_person({person.id for person in page.items})
    return Page([_person_row(person, mandates[person.id], as_of) for person in page.items], has_next=page.has_next)


def _person_row(person: Person, mandates: list[CouncilMandate], as_of: date | None) -> PersonRow:
    """The person with the council mandates (the latest first) held on the as_of day, or all of them."""
    return PersonRow(person, [mandate for mandate in mandates if as_of is None or mandate.held_on(as_of)])


def person(person_id: int) -> PersonRow | None:
    found = db.session.scalars(_persons().where(Person.id == person_id)).first()
    return PersonRow(found, mandates_of(found)) if found else None


# Appointments (Popolo memberships)

# The aliases the memberships' query reads through, made once: making them anew took a third of the time
# spent building the query, on every request.
_MEMBER = aliased(Appointment)
# Aliases, so that the filters' subqueries on people and municipalities (_in_area) stay uncorrelated.
_HOLDER, _AREA = aliased(Person), aliased(Municipality)


def _substitute_for(as_of: date | None) -> sa.ColumnElement:
    """For a personal suppleant, the member appointment on the same seat on the
    as_of day, or without one on the suppleant's first day; null when the seat
    had no member that day, and for members."""
    member = _MEMBER
    day = as_of if as_of is not None else Appointment.start_date
    member_then = (
        sa.select(member.id)
        .where(member.seat_id == Appointment.seat_id, member.role == Role.member,
               member.status == Status.appointed, member.start_date <= day,
               sa.or_(member.end_date.is_(None), member.end_date >= day))
        # The one-holder rule leaves at most one; the order only makes that explicit.
        .order_by(member.start_date.desc())
        .limit(1)
        .correlate(Appointment)
        .scalar_subquery()
    )
    return sa.case((Appointment.role == Role.substitute, member_then), else_=sa.null())


def _memberships(as_of: date | None) -> sa.Select:
    """Rows of the appointment, the member it stands in for (_substitute_for) and the person's municipality."""
    # The body comes along for the term rules (terms.open_end). Of the decision, its item and meeting
    # only what the membership shows is read: an item's texts would come along once per membership.
    return (
        sa.select(Appointment, _substitute_for(as_of), _AREA)
        .join(Appointment.seat)
        .join(Seat.organisation)
        .join(_HOLDER, Appointment.person_id == _HOLDER.id)
        .outerjoin(_AREA, _HOLDER.municipality_id == _AREA.id)
        .where(Appointment.status == Status.appointed)
        .options(
            contains_eager(Appointment.seat).contains_eager(Seat.organisation),
            joinedload(Appointment.party),
            joinedload(Appointment.decision).load_only(Decision.outcome)
            .joinedload(Decision.item).load_only(AgendaItem.number)
            .joinedload(AgendaItem.meeting).load_only(Meeting.council_name, Meeting.date),
        )
    )


def memberships(*, limit: int, after: int = 0, as_of: date | None = None, organization_id: int | None = None,
                post_id: int | None = None, person_id: int | None = None, on_behalf_of_id: str | None = None,
                area_id: AreaKey | None = None, role: str | None = None) -> Page[MembershipRow]:
    """on_behalf_of_id is a list letter, area_id an area's key."""
    stmt = _memberships(as_of)
    if as_of is not None:
        stmt = stmt.where(active_on(as_of))
    if organization_id is not None:
        stmt = stmt.where(Seat.organisation_id == organization_id)
    if post_id is not None:
        stmt = stmt.where(Appointment.seat_id == post_id)
    if person_id is not None:
        stmt = stmt.where(Appointment.person_id == person_id)
    if on_behalf_of_id is not None:
        stmt = stmt.where(Appointment.party_id == _party_id(on_behalf_of_id))
    if area_id is not None:
        stmt = stmt.where(Appointment.person_id.in_(sa.select(Person.id).where(_in_area(area_id))))
    if role is not None:
        stmt = stmt.where(Appointment.role == Role(role))
    page = _page(stmt, Appointment.id, limit, after, rows=True)
    return Page(_read_on(page.items, as_of), has_next=page.has_next)


def membership(membership_id: int) -> MembershipRow | None:
    row = db.session.execute(_memberships(None).where(Appointment.id == membership_id)).first()
    return _read_on([row], None)[0] if row else None


def _read_on(rows: list, as_of: date | None, periods: list[ElectionPeriod] | None = None,
             mandates: dict[int, list[CouncilMandate]] | None = None) -> list[MembershipRow]:
    """The memberships with what the election-period round adds, on the as_of day (without one: today, and
    for the council mandate an ended membership's last day): whether the holder carries on past the term, as
    the rosters mark it, and the council mandate held (of two at once, the latest). Two queries whatever the
    number of rows: the election periods and the people's mandates, unless the caller brings them (the bulk
    document, popolo.py, reads each once for all its batches)."""
    now = today()
    periods = election_periods() if periods is None else periods
    if mandates is None:
        mandates = mandates_by_person({appointment.person_id for appointment, *_ in rows})
    read = []
    for appointment, substitute_for_id, municipality in rows:
        carried_over = _carried_over(appointment, as_of or now, periods)
        mandate_day = as_of or min(appointment.end_date or now, now)
        mandate = next((held for held in mandates[appointment.person_id] if held.held_on(mandate_day)), None)
        read.append(MembershipRow(appointment, substitute_for_id, as_of, carried_over, mandate,
                                  _period(appointment, periods), municipality))
    return read


def _carried_over(appointment: Appointment, day: date, periods: list[ElectionPeriod]) -> bool:
    """Whether the holder carries on on the day as the rosters mark it: held that day, with the term's last day
    (terms.open_end) before it. Not the end date: seating the successor enters one later, the day before the
    successor's first, and the holder still carried on until then."""
    seat = appointment.seat
    last = terms.open_end(seat.organisation, appointment.start_date, seat.end_date, periods)
    held = appointment.start_date <= day and (appointment.end_date is None or appointment.end_date >= day)
    return held and last is not None and last < day


def _period(appointment: Appointment, periods: list[ElectionPeriod]) -> ElectionPeriod | None:
    """The election period of the membership's first day, when its body's terms are the election period's."""
    if not appointment.seat.organisation.follows_election_period:
        return None
    return next((period for period in periods if period.start_date <= appointment.start_date <= period.end_date),
                None)


# Nominations (indstillinger): only those the user may see

def _nominations(user) -> sa.Select:
    return (
        sa.select(Nomination)
        .join(Nomination.seat)
        .where(visible_to(user))
        .options(
            contains_eager(Nomination.seat),
            joinedload(Nomination.party),
            joinedload(Nomination.item).joinedload(AgendaItem.meeting),
            joinedload(Nomination.decision),
        )
    )


def nominations(user, *, limit: int, after: int = 0, status: str | None = None, organization_id: int | None = None,
                post_id: int | None = None, person_id: int | None = None,
                on_behalf_of_id: str | None = None) -> Page[Nomination]:
    stmt = _nominations(user)
    if status is not None:
        stmt = stmt.where(Nomination.status == NominationStatus(status))
    if organization_id is not None:
        stmt = stmt.where(Seat.organisation_id == organization_id)
    if post_id is not None:
        stmt = stmt.where(Nomination.seat_id == post_id)
    if person_id is not None:
        stmt = stmt.where(sa.or_(Nomination.person_id == person_id, Nomination.substitute_id == person_id))
    if on_behalf_of_id is not None:
        stmt = stmt.where(Nomination.party_id == _party_id(on_behalf_of_id))
    return _page(stmt, Nomination.id, limit, after)


def nomination(user, nomination_id: int) -> Nomination | None:
    return db.session.scalars(_nominations(user).where(Nomination.id == nomination_id)).first()


# KKR's decisions (the history of indstillinger)

def decisions(*, limit: int, after: int = 0, organization_id: int | None = None,
              person_id: int | None = None) -> Page[DecisionRow]:
    """Decisions by id, each with the first few entries of the history and how many there are: four queries
    whatever the page size and however many people a decision concerns."""
    selection = history.Selection(organisation_id=organization_id, person_id=person_id)
    # The history's own filters, in id order instead of its newest-meeting-first.
    page = _page(history.decisions(selection).order_by(None), Decision.id, limit, after)
    concerned = history.concerning(page.items, selection, cap=history.SHOWN_PER_DECISION)
    filters = {name: value for name, value in (("organization_id", organization_id), ("person_id", person_id))
               if value is not None}
    return Page([DecisionRow(decision, concerned[decision.id].entries, concerned[decision.id].total, filters)
                 for decision in page.items], has_next=page.has_next)


def decision(decision_id: int) -> Decision | None:
    return db.session.scalars(history.decisions(history.Selection()).where(Decision.id == decision_id)).first()


def decision_entries(found: Decision, *, limit: int, after: int = 0, organization_id: int | None = None,
                     person_id: int | None = None) -> history.Window[history.Entry]:
    """All the people and seats a decision concerns, a page at a time in the order of its embedded entries.
    An `after` that is none of them gives an empty page, as an id past the end does in the other lists."""
    selection = history.Selection(organisation_id=organization_id, person_id=person_id)
    return history.of_decision(found, selection, after=after or None, size=limit) or history.Window([])


def decision_record(decision_id: int) -> DecisionRow | None:
    """One decision as the list gives it: with its first few entries and how many there are."""
    found = decision(decision_id)
    if found is None:
        return None
    concerned = history.concerning([found], history.Selection(), cap=history.SHOWN_PER_DECISION)[found.id]
    return DecisionRow(found, concerned.entries, concerned.total)


# Parties (Popolo organizations with classification "party"), areas and election periods (Popolo events):
# in the order of their keys, cut after a key.

def _keyed(stmt: sa.Select, key_column, limit: int, after: str | None) -> Page:
    if after is not None:
        stmt = stmt.where(key_column > after)
    found = list(db.session.scalars(stmt.order_by(key_column).limit(limit + 1)))
    return Page(found[:limit], has_next=len(found) > limit)


def parties(*, limit: int, after: str | None = None) -> Page[Party]:
    """By list letter; after: a letter."""
    return _keyed(sa.select(Party), Party.letter, limit, after)


def party(letter: str) -> Party | None:
    return db.session.scalar(sa.select(Party).where(Party.letter == letter))


def areas(*, limit: int, after: AreaKey | None = None) -> Page[Municipality | int]:
    """The municipalities, and the regions (reference.REGIONS) as their regionskode: those with a code in the
    order of their codes (the regionskoder come after the kommunekoder), then those without one by name."""
    stmt = sa.select(Municipality)
    if isinstance(after, int):
        stmt = stmt.where(sa.or_(Municipality.code > after, Municipality.code.is_(None)))
    elif after is not None:
        stmt = stmt.where(Municipality.code.is_(None), Municipality.name > after)
    stmt = stmt.order_by(Municipality.code.is_(None), Municipality.code, Municipality.name).limit(limit + 1)
    municipalities = list(db.session.scalars(stmt))
    coded = [(row.code, row) for row in municipalities if row.code is not None]
    regions = [(code, code) for code in REGIONS if after is None or isinstance(after, int) and code > after]
    found = [row for _, row in sorted(coded + regions, key=lambda pair: pair[0])]
    found += [row for row in municipalities if row.code is None]
    return Page(found[:limit], has_next=len(found) > limit)


def area(key: AreaKey) -> Municipality | int | None:
    """A municipality by its kommunekode (without one: its name), or a region by its regionskode."""
    if isinstance(key, int) and key in REGIONS:
        return key
    return db.session.scalar(sa.select(Municipality).where(_is_municipality(key)))


def events(*, limit: int, after: str | None = None, as_of: date | None = None) -> Page[ElectionPeriod]:
    """The election periods (that contain the as_of day) by name, which orders them in time ("2022-2025")."""
    stmt = sa.select(ElectionPeriod)
    if as_of is not None:
        stmt = stmt.where(ElectionPeriod.start_date <= as_of, ElectionPeriod.end_date >= as_of)
    return _keyed(stmt, ElectionPeriod.name, limit, after)


def event(name: str) -> ElectionPeriod | None:
    return db.session.scalar(sa.select(ElectionPeriod).where(ElectionPeriod.name == name))

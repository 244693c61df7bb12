"""The election-period round's nominations (DOMAIN.md, "The election-period round"): calls for every seat
allocated in a period at once, and the gender rule over everything one nominator proposes for a body.

A round's calls and nominations are those made from ROUND_LEAD before the period's first day (the municipal
election is in the November before it) to its last day, and those asking for the period earlier, with a
deadline in the round (call_in_round). A period's name is a label; its dates are the truth.

Services check, change and flush; the view or command commits once.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.orm import contains_eager, joinedload

from registry.appointments.models import Role
from registry.audit.services import record_rows
from registry.dates import local_date, today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.nominations.models import Call, CallReason, Nomination
from registry.notifications import services as notifications
from registry.organisations.models import (
    ElectionPeriod,
    GenderRule,
    Organisation,
    Seat,
    SeatAllocation,
    SeatFiller,
    SeatKind,
)
from registry.people.models import Gender, Party, Person

# The round starts after the election in November, before the period's first day (1 January).
ROUND_LEAD = timedelta(days=92)


def round_start(period: ElectionPeriod) -> date:
    """The first day a call or nomination counts as the period's round."""
    return period.start_date - ROUND_LEAD


def call_in_round(period: ElectionPeriod) -> sa.ColumnElement[bool]:
    """A call of the period's round: a new-period call whose deadline lies within the round (the secretariat
    may ask before the election), or another call opened within it."""
    start = round_start(period)
    # The next period's round starts ROUND_LEAD before its first day, the day after this one's last: a new-period
    # call due from then is its.
    next_round = period.end_date + timedelta(days=1) - ROUND_LEAD
    return sa.case((Call.reason == CallReason.new_period, sa.and_(Call.deadline >= start, Call.deadline < next_round)),
                   else_=Call.opened_on.between(start, period.end_date))


def period_asked_for(call: Call | None, periods: Sequence[ElectionPeriod]) -> ElectionPeriod | None:
    """The period a new-period call asks for: the one whose round its deadline falls in, before the next
    period's round starts (call_in_round, for one call in Python). None for any other call."""
    if call is None or call.reason is not CallReason.new_period:
        return None
    return next((period for period in periods
                 if round_start(period) <= call.deadline < period.end_date + timedelta(days=1) - ROUND_LEAD), None)

def nomination_in_round(period: ElectionPeriod) -> sa.ColumnElement[bool]:
    """A nomination of the period's round: one answering a call of the round, or without a call, made within
    the round."""
    return sa.or_(Nomination.call_id.in_(sa.select(Call.id).where(call_in_round(period))),
                  sa.and_(Nomination.call_id.is_(None),
                          Nomination.submitted_at >= datetime.combine(round_start(period), time()),
                          Nomination.submitted_at < datetime.combine(period.end_date + timedelta(days=1), time())))


def roles_of(seat: Seat) -> list[Role]:
    """The roles a round fills on a seat: a pooled suppleant's seat its suppleant; any other seat its member, and
    its personal suppleant where it has one."""
    if seat.kind is SeatKind.pooled_substitute:
        return [Role.substitute]
    return [Role.member, Role.substitute] if seat.has_substitute else [Role.member]


def period_seats(period: ElectionPeriod) -> sa.Select:
    """The ids of the seats allocated in the period, for IN (...) without a list of ids."""
    return sa.select(SeatAllocation.seat_id).where(SeatAllocation.period_id == period.id)


def allocations(period: ElectionPeriod, *, party: Party | None = None) -> list[SeatAllocation]:
    """The period's allocated seats that a party group nominates for and that are open in the period, by body
    and seat, with the seat, its body and the party group; only the party's, if given. One query."""
    stmt = sa.select(SeatAllocation)
    if party is not None:
        stmt = stmt.where(SeatAllocation.party_id == party.id)
    return list(db.session.scalars(
        stmt.join(SeatAllocation.seat).join(Seat.organisation)
        .where(SeatAllocation.period_id == period.id, Seat.filled_by == SeatFiller.kkr, Seat.nominated_by.is_(None),
               sa.or_(Seat.start_date.is_(None), Seat.start_date <= period.end_date),
               sa.or_(Seat.end_date.is_(None), Seat.end_date >= period.start_date),
               sa.or_(Organisation.end_date.is_(None), Organisation.end_date >= period.start_date))
        .options(contains_eager(SeatAllocation.seat).contains_eager(Seat.organisation),
                 joinedload(SeatAllocation.party))
        .order_by(Organisation.sort_name, Organisation.id, Seat.position, Seat.label, Seat.id)))


def _asked(period: ElectionPeriod) -> set[tuple[int, Role, int]]:
    """(seat, role, party) the party group has been asked about: an open call, or any call of the round (one the
    secretariat closed, or that was answered and decided, is not opened again)."""
    return set(db.session.execute(
        sa.select(Call.seat_id, Call.role, Call.party_id)
        .where(Call.seat_id.in_(period_seats(period)),
               sa.or_(Call.closed_on.is_(None), call_in_round(period)))).tuples())


def missing_calls(period: ElectionPeriod,
                  allocated: list[SeatAllocation] | None = None) -> list[tuple[SeatAllocation, Role]]:
    """The seats and roles of the period whose party group has not been asked yet. Two queries (one when the
    allocations are given)."""
    allocated = allocations(period) if allocated is None else allocated
    asked = _asked(period)
    return [(allocation, role) for allocation in allocated for role in roles_of(allocation.seat)
            if (allocation.seat_id, role, allocation.party_id) not in asked]


def open_period_calls(period: ElectionPeriod, deadline: date, *, note: str | None = None) -> list[Call]:
    """Ask every party group to nominate, by one deadline, for each seat allocated to it in the period (member,
    and personal suppleant where the seat has one; a pooled suppleant's seat its suppleant). Only the calls that
    are missing are opened, so running it again after the allocation has grown asks only for the new seats.

    Each party group gets one message listing its seats. A fixed number of queries however many seats; nothing
    is written before everything is checked, and the caller commits once: all or nothing.
    """
    if deadline < today():
        raise RuleViolation(_l("Fristen ligger før i dag."), field="deadline")
    if deadline > period.end_date:
        raise RuleViolation(_l("Fristen ligger efter valgperiodens sidste dag, %(day)s.",
                               day=local_date(period.end_date)), field="deadline")
    allocated = allocations(period)
    if not allocated:
        raise RuleViolation(_l("Ingen pladser er fordelt til partigrupperne i valgperioden %(period)s. Fordel "
                               "pladserne først.", period=period.name), field="period")
    missing = missing_calls(period, allocated)
    if not missing:
        return []
    calls = _insert_calls(period, missing, dict(reason=CallReason.new_period, deadline=deadline, note=note or None,
                                                opened_on=today(), closed_on=None, version=1))
    notifications.period_calls_opened(period.name, calls)
    return calls


def _insert_calls(period: ElectionPeriod, missing: list[tuple[SeatAllocation, Role]], values: dict) -> list[Call]:
    """One executemany for all the calls, read back in one query and audited in one more. The ORM's flush would
    insert them one by one on SQLite, to learn each new id."""
    db.session.execute(sa.insert(Call), [dict(values, seat_id=allocation.seat_id, role=role,
                                              party_id=allocation.party_id) for allocation, role in missing])
    # Each slot had no open call before (missing_calls), so its open call now is the new one.
    slots = {(allocation.seat_id, role, allocation.party_id) for allocation, role in missing}
    calls = [call for call in db.session.scalars(
        sa.select(Call).where(Call.seat_id.in_(period_seats(period)), Call.closed_on.is_(None))
        .options(joinedload(Call.seat).joinedload(Seat.organisation), joinedload(Call.party))
        .order_by(Call.id)) if (call.seat_id, call.role, call.party_id) in slots]
    record_rows(db.session, "create", Call.__tablename__, [(call.id, _audited(call)) for call in calls])
    return calls


def _audited(call: Call) -> dict:
    """What the flush listener would record for the new call."""
    values = dict(seat_id=call.seat_id, role=call.role.value, party_id=call.party_id, reason=call.reason.value,
                  deadline=call.deadline.isoformat(), note=call.note, opened_on=call.opened_on.isoformat())
    return {key: value for key, value in values.items() if value is not None}


# The gender rule over a whole proposal.

def proposal_gender_problem(organisation: Organisation, people: Sequence[Person],
                            reason: str | None = None) -> str | None:
    """Why what one nominator proposes for a body, taken together, breaks the Gender Equality Act; None if not.

    people: everyone the nominator proposes for the body in one round or one decision, members and suppleants.
    One seat: a woman and a man (member and suppleant). Several: as many women as men, and with an odd number,
    one more of one of them. Otherwise the særlige grunde must be stated (reason). A person whose gender is not
    recorded cannot be counted, so the rule cannot be checked until it is.

    A single vacancy is checked per nomination as before (services.gender_problem): member and suppleant.
    """
    if organisation.gender_rule is GenderRule.none or not people or (reason or "").strip():
        return None
    women = sum(person.gender is Gender.woman for person in people)
    men = sum(person.gender is Gender.man for person in people)
    unknown = [person for person in people if person.gender is None]
    most = (len(people) + 1) // 2
    # Could the unknown still balance it? A gender other than woman or man counts for neither.
    may_balance = (len(people) > 1 and women <= most and men <= most
                   and women + men + len(unknown) == len(people))
    if not may_balance:
        if len(people) <= 2:
            return _l("%(name)s er omfattet af %(rule)s: indstil både en kvinde og en mand, eller angiv de særlige "
                      "grunde til at lade være.", name=organisation.name, rule=organisation.gender_rule.label)
        return _l("%(name)s er omfattet af %(rule)s: indstil lige mange kvinder og mænd (ved et ulige antal én "
                  "mere af det ene køn), eller angiv de særlige grunde til at lade være. Der er indstillet "
                  "%(women)s og %(men)s blandt %(total)s.", name=organisation.name,
                  rule=organisation.gender_rule.label,
                  women=lazy_ngettext("%(num)d kvinde", "%(num)d kvinder", women),
                  men=lazy_ngettext("%(num)d mand", "%(num)d mænd", men),
                  total=lazy_ngettext("%(num)d person", "%(num)d personer", len(people)))
    if unknown:
        return _l("%(name)s er omfattet af %(rule)s, men kønnet er ikke oplyst for %(people)s, så reglen kan ikke "
                  "efterprøves.", name=organisation.name, rule=organisation.gender_rule.label,
                  people=", ".join(person.name for person in unknown))
    return None

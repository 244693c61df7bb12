"""A party group's proposal for an election period's round (issue 13, step 5): every seat the group holds in
the period on one page, by body, with the current holders and whether they may continue; member and suppleant
for every seat in one form, saved as drafts and submitted all at once; the gender rule checked per body over
everything the group proposes for it (DOMAIN.md, "Kønsfordeling"; nominations.period.proposal_gender_problem).

A draft is the group's own: the secretariat sees a nomination only once it is submitted (services.visible_to).
A nomination the secretariat has put on an agenda, or KKR has decided, is shown and no longer changed here.

Services check, change and flush; the view commits once, so a refusal saves nothing.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role
from registry.appointments.services import active_on
from registry.auth.models import User
from registry.dates import local_date, today, utcnow
from registry.errors import RuleViolation
from registry.extensions import db
from registry.mandates.services import lacking_mandate
from registry.nominations import services
from registry.nominations.models import Call, Nomination, NominationStatus
from registry.nominations.period import allocations, nomination_in_round, proposal_gender_problem, roles_of
from registry.notifications import services as notifications
from registry.organisations.models import ElectionPeriod, GenderRule, Organisation, Seat, SeatAllocation, SeatKind
from registry.people.models import Party, Person

# What the group may still change on its period page: its drafts, and what the secretariat sent back.
OPEN = (NominationStatus.draft, NominationStatus.returned)
# What no longer counts as the group's proposal.
GONE = (NominationStatus.withdrawn, NominationStatus.not_supported, NominationStatus.not_appointed)


@dataclass
class SeatProposal:
    """One seat the group holds in the period: who holds it now, and what the group proposes."""

    allocation: SeatAllocation
    member: Appointment | None
    substitute: Appointment | None
    nomination: Nomination | None
    # Why a holder may not simply continue (another party now, no council mandate on the period's first day).
    doubts: list[str] = field(default_factory=list)
    # Who the group proposes without a council mandate on the period's first day: a warning, never a refusal
    # (some seats need no mandate), as a single nomination gets (mandates.services.without_mandate).
    warnings: list[str] = field(default_factory=list)
    deadline: date | None = None

    @property
    def seat(self) -> Seat:
        return self.allocation.seat

    @property
    def role(self) -> Role:
        """The role a nomination for the seat names: its member (with a personal suppleant), or for a pooled
        suppleant's seat its suppleant."""
        return roles_of(self.seat)[0]

    @property
    def takes_substitute(self) -> bool:
        return self.role is Role.member and self.seat.has_substitute

    @property
    def editable(self) -> bool:
        return self.nomination is None or self.nomination.status in OPEN

    @property
    def holders(self) -> tuple[Person | None, Person | None]:
        """Who would be re-nominated: the current member and suppleant (a pooled seat: its suppleant)."""
        if self.seat.kind is SeatKind.pooled_substitute:
            return (self.substitute.person if self.substitute else None), None
        return ((self.member.person if self.member else None),
                (self.substitute.person if self.substitute and self.takes_substitute else None))

    @property
    def proposed(self) -> list[Person]:
        if self.nomination is None:
            return []
        return [person for person, _ in self.nomination.candidates]


@dataclass
class BodyProposal:
    organisation: Organisation
    seats: list[SeatProposal] = field(default_factory=list)

    @property
    def people(self) -> list[Person]:
        return [person for seat in self.seats for person in seat.proposed]

    @property
    def reason(self) -> str | None:
        """The særlige grunde the group gave for the body: kept on each of its nominations for the body."""
        return next((seat.nomination.gender_reason for seat in self.seats
                     if seat.nomination is not None and seat.nomination.gender_reason), None)

    @property
    def warnings(self) -> list[str]:
        return [warning for seat in self.seats for warning in seat.warnings]

    @property
    def gender_problem(self) -> str | None:
        if not self.people:
            return None
        return proposal_gender_problem(self.organisation, self.people, self.reason)

    @property
    def gender_rule_applies(self) -> bool:
        return self.organisation.gender_rule is not GenderRule.none


def proposal(party: Party, period: ElectionPeriod, day: date | None = None) -> list[BodyProposal]:
    """The group's seats in the period by body, with today's holders and the group's nominations of the round.
    A fixed number of queries however many seats: allocations, holders, nominations, calls, and two for the
    council mandates of the holders and of the people proposed."""
    day = day or today()
    held_on = min(day, period.end_date)
    allocated = allocations(period, party=party)
    seat_ids = [allocation.seat_id for allocation in allocated]
    holders: dict[tuple[int, Role], Appointment] = {
        (row.seat_id, row.role): row for row in db.session.scalars(
            sa.select(Appointment).where(Appointment.seat_id.in_(seat_ids), active_on(held_on))
            .options(joinedload(Appointment.person)))}
    nominations: dict[int, Nomination] = {}
    for nomination in db.session.scalars(
            sa.select(Nomination).where(Nomination.seat_id.in_(seat_ids), Nomination.party_id == party.id,
                                        Nomination.status.not_in(GONE),
                                        nomination_in_round(period))
            .options(joinedload(Nomination.person), joinedload(Nomination.substitute))
            .order_by(Nomination.id)):
        nominations[nomination.seat_id] = nomination  # the latest, if the group nominated twice
    deadlines: dict[int, date] = {}
    for seat_id, deadline in db.session.execute(
            sa.select(Call.seat_id, sa.func.min(Call.deadline)).where(
                Call.seat_id.in_(seat_ids), Call.party_id == party.id, Call.closed_on.is_(None))
            .group_by(Call.seat_id)):
        deadlines[seat_id] = deadline
    people = {person.id: person for nomination in nominations.values() for person, _role in nomination.candidates}
    people |= {a.person.id: a.person for a in holders.values()}
    without = {person.id for person in lacking_mandate(list(people.values()), period.start_date)}
    bodies: dict[int, BodyProposal] = {}
    for allocation in allocated:
        seat = allocation.seat
        proposed = SeatProposal(allocation, holders.get((seat.id, Role.member)),
                                holders.get((seat.id, Role.substitute)), nominations.get(seat.id),
                                deadline=deadlines.get(seat.id))
        proposed.doubts = _doubts(proposed, party, without, period)
        proposed.warnings = [_without_mandate(person, period) for person in proposed.proposed if person.id in without]
        bodies.setdefault(seat.organisation_id, BodyProposal(seat.organisation)).seats.append(proposed)
    return list(bodies.values())


def _doubts(proposed: SeatProposal, party: Party, without: set[int], period: ElectionPeriod) -> list[str]:
    doubts = []
    for person in filter(None, proposed.holders):
        if person.party_id != party.id:
            doubts.append(_l("%(name)s er ikke længere registreret i partiet.", name=person.name))
        if person.id in without:
            doubts.append(_without_mandate(person, period))
    return doubts


def _without_mandate(person: Person, period: ElectionPeriod) -> str:
    return _l("%(name)s har ikke mandat i kommunalbestyrelsen fra %(day)s.", name=person.name,
              day=local_date(period.start_date))


@dataclass
class Choice:
    """What the form says for one seat: the member (a pooled seat: the suppleant) and the personal suppleant."""

    person: Person | None
    substitute: Person | None = None


def save(party: Party, period: ElectionPeriod, chosen: dict[int, Choice], reasons: dict[int, str], *,
         submit: bool, by: User) -> list[Nomination]:
    """Keep the group's choices as drafts (a seat left empty drops its draft), and with submit, send every draft
    and returned nomination of the period to the secretariat, after the gender rule is checked per body over
    the group's whole proposal. Nothing changes unless everything passes; the submitted nominations."""
    bodies = proposal(party, period)
    calls = _open_calls(party, [seat.seat.id for body in bodies for seat in body.seats])
    for body in bodies:
        reason = (reasons.get(body.organisation.id) or "").strip() or None
        for proposed in body.seats:
            if not proposed.editable or proposed.seat.id not in chosen:
                continue
            _keep(proposed, chosen[proposed.seat.id], party, reason, calls, by)
    db.session.flush()
    if not submit:
        return []
    bodies = proposal(party, period)
    for body in bodies:
        if problem := body.gender_problem:
            raise RuleViolation(problem, field=f"reason_{body.organisation.id}")
    sent = [seat.nomination for body in bodies for seat in body.seats
            if seat.nomination is not None and seat.nomination.status in OPEN]
    if not sent:
        raise RuleViolation(_l("Der er ingen kladder at indsende. Vælg kandidater til pladserne først."))
    for nomination in sent:
        nomination.status = NominationStatus.submitted
        nomination.submitted_at = utcnow()
        nomination.submitted_by_id = by.id
    db.session.flush()
    notifications.nominations_changed(sent)
    return sent


def _keep(proposed: SeatProposal, choice: Choice, party: Party, reason: str | None,
          calls: dict[tuple[int, Role], Call], by: User) -> None:
    """Save one seat's choice as the group's draft (or its returned nomination, changed)."""
    seat, nomination = proposed.seat, proposed.nomination
    if choice.person is None:
        if choice.substitute is not None:
            raise RuleViolation(_l("Vælg et medlem til %(seat)s, før du vælger en suppleant.", seat=seat.label),
                                field=f"member_{seat.id}")
        if nomination is not None and nomination.status is NominationStatus.draft:
            nomination.status = NominationStatus.withdrawn
        return
    substitute = choice.substitute if proposed.takes_substitute else None
    # The gender rule is the whole proposal's, checked when it is submitted (save), not this pair's.
    services.check_candidates(seat, proposed.role, party, choice.person, substitute, by=by,
                              field=f"member_{seat.id}", per_proposal=True)
    if nomination is None:
        call = calls.get((seat.id, proposed.role))
        nomination = Nomination(seat_id=seat.id, role=proposed.role, party_id=party.id,
                                call_id=call.id if call else None, submitted_by_id=by.id,
                                status=NominationStatus.draft)
        db.session.add(nomination)
        proposed.nomination = nomination
    nomination.person = choice.person
    nomination.substitute = substitute
    nomination.gender_reason = reason


def _open_calls(party: Party, seat_ids: list[int]) -> dict[tuple[int, Role], Call]:
    return {(call.seat_id, call.role): call for call in db.session.scalars(
        sa.select(Call).where(Call.seat_id.in_(seat_ids), Call.party_id == party.id, Call.closed_on.is_(None)))}


def reappoint(proposed: SeatProposal) -> Choice:
    """Genindstil nuværende: the seat's current holders as the group's choice."""
    person, substitute = proposed.holders
    return Choice(person, substitute)


def people_to_choose(party: Party, bodies: list[BodyProposal]) -> list[Person]:
    """The party's own people, and whoever holds or is proposed for one of the group's seats."""
    named = {person.id for body in bodies for seat in body.seats
             for person in [*filter(None, seat.holders), *seat.proposed]}
    return list(db.session.scalars(
        sa.select(Person).where(sa.or_(Person.party_id == party.id, Person.id.in_(named)),
                                Person.anonymised_at.is_(None))
        .options(joinedload(Person.municipality), joinedload(Person.party))
        .order_by(Person.sort_name, Person.id)))

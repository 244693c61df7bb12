"""How far an election period's round has got: for each seat allocated in the period, whether its party group
has been called, has nominated, and whether the nomination is on an agenda, decided and seated; counted per body
and party group, with the gender rule over each group's proposal for a body. Five queries however many seats.

A seat is only as far as its least advanced role: a seat with a personal suppleant is nominated when both member
and suppleant are (a member's nomination that names the suppleant counts for both). Seated: an appointed holder
whose appointment starts within the period. Drafts are the party group's own and count for nothing here.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role, Status
from registry.csvfiles import neutralise, write
from registry.dates import today
from registry.extensions import db
from registry.nominations.models import DECIDED, Call, Nomination, NominationStatus
from registry.nominations.period import (
    allocations,
    call_in_round,
    nomination_in_round,
    period_seats,
    proposal_gender_problem,
    roles_of,
)
from registry.notifications import services as notifications
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people.models import Party
from registry.types import N_, LabelledEnum, sort_key


class Stage(LabelledEnum):
    """Where a seat is in the round, in order."""

    allocated = "allocated", N_("ikke opfordret")
    called = "called", N_("opfordret")
    nominated = "nominated", N_("indstilling modtaget")
    on_agenda = "on_agenda", N_("på dagsorden")
    decided = "decided", N_("besluttet")
    seated = "seated", N_("besat")


COUNTED = [Stage.called, Stage.nominated, Stage.on_agenda, Stage.decided, Stage.seated]
# The nominations that count, and the statuses that have reached each stage.
NOT_COUNTED = (NominationStatus.draft, NominationStatus.withdrawn)
REACHED = {
    Stage.nominated: tuple(status for status in NominationStatus if status not in NOT_COUNTED),
    Stage.on_agenda: (NominationStatus.on_agenda, *DECIDED),
    Stage.decided: DECIDED,
}
# Decided against: a later nomination for the role is the one that counts.
REFUSED = (NominationStatus.not_supported, NominationStatus.not_appointed)


@dataclass
class SeatProgress:
    allocation: SeatAllocation
    calls: dict[Role, list[Call]]
    nominations: dict[Role, Nomination]
    holders: dict[Role, Appointment]
    day: date

    @property
    def seat(self) -> Seat:
        return self.allocation.seat

    @property
    def party(self) -> Party:
        return self.allocation.party

    @property
    def roles(self) -> list[Role]:
        return roles_of(self.seat)

    def reached(self, stage: Stage) -> bool:
        if stage is Stage.allocated:
            return True
        if stage is Stage.called:
            return all(self.calls.get(role) for role in self.roles)
        if stage is Stage.seated:
            return all(role in self.holders for role in self.roles)
        return all((nomination := self.nominations.get(role)) is not None and nomination.status in REACHED[stage]
                   for role in self.roles)

    @property
    def stage(self) -> Stage:
        return next(stage for stage in reversed(list(Stage)) if self.reached(stage))

    @property
    def open_calls(self) -> list[Call]:
        return [call for role in self.roles for call in self.calls.get(role, []) if call.is_open]

    @property
    def deadline(self) -> date | None:
        return min((call.deadline for call in self.open_calls), default=None)

    @property
    def overdue(self) -> list[Call]:
        """The open calls past their deadline whose role has no nomination."""
        return [call for call in self.open_calls if call.deadline < self.day and call.role not in self.nominations]


@dataclass
class Tally:
    """The seats of one body and party group, of one party group, or of the whole round."""

    organisation: Organisation | None
    party: Party | None
    seats: list[SeatProgress] = field(default_factory=list)
    # The gender rule over the party group's proposal for the body, and the særlige grunde it has stated.
    gender_problem: str | None = None
    gender_reasons: list[str] = field(default_factory=list)

    def count(self, stage: Stage) -> int:
        return sum(seat.reached(stage) for seat in self.seats)

    @property
    def overdue(self) -> int:
        return sum(bool(seat.overdue) for seat in self.seats)


@dataclass
class RoundProgress:
    period: ElectionPeriod
    day: date
    seats: list[SeatProgress]
    groups: list[Tally]
    parties: list[Tally]
    total: Tally

    @property
    def late(self) -> dict[Party, list[Call]]:
        """The party groups with open calls past their deadline and no nomination, and those calls."""
        found: dict[Party, list[Call]] = {}
        for seat in self.seats:
            if overdue := seat.overdue:
                found.setdefault(seat.party, []).extend(overdue)
        return found


def _preferred(current: Nomination | None, candidate: Nomination) -> Nomination:
    """The nomination that says where a role is: the newest, unless it was decided against and another was not."""
    if current is None:
        return candidate
    return max(current, candidate, key=lambda n: (n.status not in REFUSED, n.id))


def _calls(period: ElectionPeriod) -> dict[tuple[int, int], dict[Role, list[Call]]]:
    found: dict[tuple[int, int], dict[Role, list[Call]]] = {}
    for call in db.session.scalars(sa.select(Call).where(Call.seat_id.in_(period_seats(period)),
                                                         call_in_round(period))
                                   .order_by(Call.deadline, Call.id)):
        found.setdefault((call.seat_id, call.party_id), {}).setdefault(call.role, []).append(call)
    return found


def _nominations(period: ElectionPeriod) -> dict[tuple[int, int], dict[Role, Nomination]]:
    found: dict[tuple[int, int], dict[Role, Nomination]] = {}
    for nomination in db.session.scalars(
            sa.select(Nomination)
            .where(Nomination.seat_id.in_(period_seats(period)), Nomination.party_id.is_not(None),
                   Nomination.status.not_in(NOT_COUNTED),
                   nomination_in_round(period))
            .options(joinedload(Nomination.person), joinedload(Nomination.substitute))):
        roles = found.setdefault((nomination.seat_id, nomination.party_id), {})
        covered = [nomination.role]
        if nomination.role is Role.member and nomination.substitute_id is not None:
            covered.append(Role.substitute)
        for role in covered:
            roles[role] = _preferred(roles.get(role), nomination)
    return found


def _holders(period: ElectionPeriod) -> dict[int, dict[Role, Appointment]]:
    found: dict[int, dict[Role, Appointment]] = {}
    for appointment in db.session.scalars(
            sa.select(Appointment)
            .where(Appointment.seat_id.in_(period_seats(period)), Appointment.status == Status.appointed,
                   Appointment.start_date.between(period.start_date, period.end_date))
            .order_by(Appointment.start_date, Appointment.id)):
        found.setdefault(appointment.seat_id, {})[appointment.role] = appointment
    return found


def _check_gender(tally: Tally) -> None:
    """The gender rule over what the party group proposes for the body in the round, as far as it stands. The
    problem is kept even where særlige grunde are stated, so the page can show both."""
    proposed = {nomination.id: nomination for seat in tally.seats for nomination in seat.nominations.values()
                if nomination.status not in REFUSED}
    people = [person for nomination in proposed.values() for person, _role in nomination.candidates]
    problem = proposal_gender_problem(tally.organisation, people)
    tally.gender_problem = str(problem) if problem else None
    tally.gender_reasons = list(dict.fromkeys(nomination.gender_reason for nomination in proposed.values()
                                              if nomination.gender_reason))


def progress(period: ElectionPeriod, day: date | None = None) -> RoundProgress:
    day = day or today()
    calls, nominations, holders = _calls(period), _nominations(period), _holders(period)
    seats = []
    for allocation in allocations(period):
        key = (allocation.seat_id, allocation.party_id)
        seats.append(SeatProgress(allocation, calls.get(key, {}), nominations.get(key, {}),
                                  holders.get(allocation.seat_id, {}), day))
    groups: dict[tuple[int, int], Tally] = {}
    parties: dict[int, Tally] = {}
    for seat in seats:
        groups.setdefault((seat.seat.organisation_id, seat.party.id),
                          Tally(seat.seat.organisation, seat.party)).seats.append(seat)
        parties.setdefault(seat.party.id, Tally(None, seat.party)).seats.append(seat)
    for tally in groups.values():
        _check_gender(tally)
    return RoundProgress(period, day, seats, _by_body_then_party(list(groups.values())),
                         sorted(parties.values(), key=lambda tally: (sort_key(tally.party.letter), tally.party.id)),
                         Tally(None, None, seats))


def _by_body_then_party(tallies: list[Tally]) -> list[Tally]:
    """The bodies in the seats' order (by name), and within a body the party groups by letter."""
    bodies: dict[int, int] = {}
    for tally in tallies:
        bodies.setdefault(tally.organisation.id, len(bodies))
    return sorted(tallies, key=lambda tally: (bodies[tally.organisation.id], sort_key(tally.party.letter),
                                                 tally.party.id))


def send_reminders(round_progress: RoundProgress) -> list[Party]:
    """Remind each party group that is late (open calls past deadline without a nomination), one message per
    group listing its seats, through the outbox. The party groups reminded."""
    late = round_progress.late
    notifications.round_reminder(round_progress.period.name, [call for calls in late.values() for call in calls])
    return list(late)


# The page as CSV (registry/csvfiles.py).

HEADER = ["Organisation", "Plads", "Partigruppe", "Roller", "Status", "Opfordret", "Indstillet", "På dagsorden",
          "Besluttet", "Besat", "Frist", "Frist overskredet", "Ligestilling"]


def _cells(seat: SeatProgress, problems: dict[tuple[int, int], str]) -> list[str]:
    yes = {True: "ja", False: "nej"}
    return [neutralise(seat.seat.organisation.name), neutralise(seat.seat.label),
            neutralise(f"{seat.party.letter} – {seat.party.name}"), " og ".join(role.danish for role in seat.roles),
            seat.stage.danish, *(yes[seat.reached(stage)] for stage in COUNTED),
            seat.deadline.isoformat() if seat.deadline else "", yes[bool(seat.overdue)],
            neutralise(problems.get((seat.seat.organisation_id, seat.party.id), ""))]


def _gender_cell(tally: Tally) -> str:
    if tally.gender_problem and tally.gender_reasons:
        return "Særlige grunde: " + "; ".join(tally.gender_reasons)
    return tally.gender_problem or ""


def rows(round_progress: RoundProgress) -> Iterator[list[str]]:
    """One line per seat: where it is, its deadline, and the gender rule's word on its party group's proposal.
    The CSV's lines, and the Excel file's (exchange/xlsx.py)."""
    problems = {(tally.organisation.id, tally.party.id): _gender_cell(tally) for tally in round_progress.groups}
    return (_cells(seat, problems) for seat in round_progress.seats)


def export(round_progress: RoundProgress, delimiter: str = ";") -> Iterator[str]:
    return write(HEADER, rows(round_progress), delimiter)

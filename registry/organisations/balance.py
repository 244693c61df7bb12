"""Balance per body on a day: women, men and others among the members, and the parties' seats against the
election period's allocation.

Aggregates only. A single person's gender is never public, so a count that would reveal one is withheld: a
body with fewer than three members, or one where every member has the same gender (then each member's is
known). Only voting members count: suppleants, observers and tilforordnede do not vote. Each body is
counted twice: KKR's own seats, and the whole body with the seats other appointers fill.

A management view, not a statutory form: since 2019 the law asks municipalities for no report on this, and
the ministry's equality reports were abolished by law no. 1470 of 10 December 2024.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa

from registry.appointments.models import Appointment, Role
from registry.appointments.services import active_on
from registry.extensions import db
from registry.organisations.models import VOTING_KINDS, ElectionPeriod, Organisation, Seat, SeatAllocation, SeatFiller
from registry.organisations.rosters import open_on, seat_open_on
from registry.people.models import Gender, Party, Person
from registry.types import sort_key

# Fewer members than this, and the counts are withheld.
SMALLEST_GROUP = 3


@dataclass
class GenderCount:
    women: int = 0
    men: int = 0
    other: int = 0
    unknown: int = 0  # gender not recorded

    @property
    def total(self) -> int:
        return self.women + self.men + self.other + self.unknown

    @property
    def withheld(self) -> bool:
        """Whether showing the counts would reveal a member's gender."""
        known = (self.women, self.men, self.other)
        return self.total < SMALLEST_GROUP or any(count == self.total for count in known)

    def add(self, gender: Gender | None, members: int = 1) -> None:
        if gender is Gender.woman:
            self.women += members
        elif gender is Gender.man:
            self.men += members
        elif gender is Gender.other:
            self.other += members
        else:
            self.unknown += members


@dataclass(slots=True)  # one per body and party: many at national scale
class PartyShare:
    party: Party
    held: int = 0       # members on the day representing the party
    allocated: int = 0  # seats the party holds in the election period


class Body(NamedTuple):
    """What a balance shows of its body: the name, and the id to link to."""
    id: int
    name: str


@dataclass
class Balance:
    organisation: Body
    genders: GenderCount = field(default_factory=GenderCount)  # KKR's own voting members
    whole: GenderCount = field(default_factory=GenderCount)    # every voting member, whoever appointed them
    parties: list[PartyShare] = field(default_factory=list)    # KKR's own: the allocation is KKR's

    @property
    def others_appoint(self) -> bool:
        """Whether the registry holds members other appointers chose, so the whole body differs from KKR's part."""
        return self.whole.total != self.genders.total


def balances_on(day: date, organisation: Organisation | None = None) -> list[Balance]:
    """Every body open on the day (or the one given), in name order. Five queries however many bodies.

    The database counts (by body, KKR's or not, gender; by body and party); the rules stay here, on rows
    bounded by bodies × genders and bodies × parties, not by appointments. Plain rows through the session's
    connection, not the ORM's result layer, which costs more than the queries at national scale.
    """
    bodies = sa.select(Organisation.id).where(open_on(day))
    if organisation is not None:
        bodies = bodies.where(Organisation.id == organisation.id)
    db.session.flush()  # as the session's own queries would: the connection's do not
    connection = db.session.connection()
    balances = {row.id: Balance(Body(row.id, row.name)) for row in connection.execute(
        sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(bodies))
        .order_by(Organisation.sort_name, Organisation.id))}
    if not balances:
        return []
    voting = (Seat.organisation_id.in_(bodies), Appointment.role == Role.member, Seat.kind.in_(VOTING_KINDS),
              active_on(day), seat_open_on(day))
    kkrs = (Seat.filled_by == SeatFiller.kkr).label("kkrs")
    for organisation_id, by_kkr, gender, members in connection.execute(
            sa.select(Seat.organisation_id, kkrs, Person.gender, sa.func.count()).select_from(Appointment)
            .join(Appointment.seat).join(Appointment.person).where(*voting)
            .group_by(Seat.organisation_id, kkrs, Person.gender)):
        balances[organisation_id].whole.add(gender, members)
        if by_kkr:
            balances[organisation_id].genders.add(gender, members)
    # Each party's members on KKR's seats, and its seats in the election period's allocation. Few parties: all
    # of them, so that each share is made once, as its row comes.
    parties = {party.id: party for party in db.session.scalars(sa.select(Party))}
    shares: dict[tuple[int, int], PartyShare] = {}
    for organisation_id, party_id, members in connection.execute(
            sa.select(Seat.organisation_id, Appointment.party_id, sa.func.count()).select_from(Appointment)
            .join(Appointment.seat).where(*voting, Seat.filled_by == SeatFiller.kkr, Appointment.party_id.is_not(None))
            .group_by(Seat.organisation_id, Appointment.party_id)):
        shares[organisation_id, party_id] = PartyShare(parties[party_id], held=members)
    for organisation_id, party_id, seats in connection.execute(
            sa.select(Seat.organisation_id, SeatAllocation.party_id, sa.func.count()).select_from(SeatAllocation)
            .join(SeatAllocation.seat).join(SeatAllocation.period)
            .where(Seat.organisation_id.in_(bodies), ElectionPeriod.start_date <= day,
                   ElectionPeriod.end_date >= day, seat_open_on(day))
            .group_by(Seat.organisation_id, SeatAllocation.party_id)):
        share = shares.get((organisation_id, party_id))
        if share is None:
            share = shares[organisation_id, party_id] = PartyShare(parties[party_id])
        share.allocated = seats
    for (organisation_id, _), share in shares.items():
        balances[organisation_id].parties.append(share)
    order = {party_id: sort_key(party.letter) for party_id, party in parties.items()}
    for balance in balances.values():
        balance.parties.sort(key=lambda share: order[share.party.id])
    return list(balances.values())


def balance_of(organisation: Organisation, day: date) -> Balance:
    found = balances_on(day, organisation)
    return found[0] if found else Balance(Body(organisation.id, organisation.name))

"""Balance per body on a day: women, men and others among the members, and the parties' seats against the
election period's allocation.

Aggregates only. A single person's gender is never public, so a count that would reveal one is withheld: a
body with fewer than three members, or one where every member has the same gender (then each member's is
known). Only voting members count: suppleants, observers and tilforordnede do not vote. Each body is
counted twice: KKR's own seats, and the whole body with the seats other appointers fill.

A management view, not a statutory form: since 2019 the law asks municipalities for no report on this, and
the ministry's equality reports were abolished by law no. 1470 of 10 December 2024.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

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

    def add(self, gender: Gender | None) -> None:
        if gender is Gender.woman:
            self.women += 1
        elif gender is Gender.man:
            self.men += 1
        elif gender is Gender.other:
            self.other += 1
        else:
            self.unknown += 1


@dataclass
class PartyShare:
    party: Party
    held: int = 0       # members on the day representing the party
    allocated: int = 0  # seats the party holds in the election period


@dataclass
class Balance:
    organisation: Organisation
    genders: GenderCount = field(default_factory=GenderCount)  # KKR's own voting members
    whole: GenderCount = field(default_factory=GenderCount)    # every voting member, whoever appointed them
    parties: list[PartyShare] = field(default_factory=list)    # KKR's own: the allocation is KKR's

    @property
    def others_appoint(self) -> bool:
        """Whether the registry holds members other appointers chose, so the whole body differs from KKR's part."""
        return self.whole.total != self.genders.total


def balances_on(day: date, organisation: Organisation | None = None) -> list[Balance]:
    """Every body open on the day (or the one given), in name order. Three queries however many bodies."""
    stmt = sa.select(Organisation).where(open_on(day)).order_by(Organisation.sort_name, Organisation.id)
    if organisation is not None:
        stmt = stmt.where(Organisation.id == organisation.id)
    balances = {row.id: Balance(row) for row in db.session.scalars(stmt)}
    if not balances:
        return []
    members = db.session.execute(
        sa.select(Seat.organisation_id, Seat.filled_by, Person.gender, Appointment.party_id).select_from(Appointment)
        .join(Appointment.seat).join(Appointment.person)
        .where(Seat.organisation_id.in_(balances), Appointment.role == Role.member, Seat.kind.in_(VOTING_KINDS),
               active_on(day), seat_open_on(day)))
    held: dict[int, Counter] = {}
    for organisation_id, filled_by, gender, party_id in members:
        balances[organisation_id].whole.add(gender)
        if filled_by is not SeatFiller.kkr:
            continue
        balances[organisation_id].genders.add(gender)
        if party_id is not None:
            held.setdefault(organisation_id, Counter())[party_id] += 1
    allocated: dict[int, Counter] = {}
    for organisation_id, party_id in db.session.execute(
            sa.select(Seat.organisation_id, SeatAllocation.party_id).select_from(SeatAllocation)
            .join(SeatAllocation.seat).join(SeatAllocation.period)
            .where(Seat.organisation_id.in_(balances), ElectionPeriod.start_date <= day,
                   ElectionPeriod.end_date >= day, seat_open_on(day))):
        allocated.setdefault(organisation_id, Counter())[party_id] += 1
    party_ids = {party_id for counter in (*held.values(), *allocated.values()) for party_id in counter}
    parties = {party.id: party for party in db.session.scalars(sa.select(Party).where(Party.id.in_(party_ids)))}
    for organisation_id, balance in balances.items():
        own, shares = held.get(organisation_id, Counter()), allocated.get(organisation_id, Counter())
        balance.parties = sorted((PartyShare(parties[party_id], own[party_id], shares[party_id])
                                  for party_id in set(own) | set(shares)),
                                 key=lambda share: sort_key(share.party.letter))
    return list(balances.values())


def balance_of(organisation: Organisation, day: date) -> Balance:
    found = balances_on(day, organisation)
    return found[0] if found else Balance(organisation)

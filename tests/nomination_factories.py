"""Builders for nominations, calls and party group users, on top of tests/factories.py.

Everything goes through the app's own services and flushes; the test commits
(db.session.commit()) before the test client reads it.

    f_seat = allocated_seat("F")                      # RAR-like body, seat with suppleant, held by F now
    sf = party_user("sf", "F")                        # party group user of F; login(client, "sf")
    sent = nomination(f_seat, candidate("Anna", "F"))  # F nominates Anna as member, status submitted
    di_seat = organisation_seat("Dansk Industri")     # Erhvervshus Hovedstaden's seat that DI nominates for
    di = organisation_nomination(di_seat, candidate("Jens", None))  # recorded by the secretariat, no party
"""

from datetime import date, timedelta

import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import User, UserRole
from registry.dates import today
from registry.extensions import db
from registry.mandates import services as mandates
from registry.nominations import services
from registry.nominations.models import Call, CallReason, Nomination
from registry.organisations.models import ElectionPeriod, GenderRule, Seat, SeatAllocation
from registry.people.models import Gender, Person
from tests import factories


def current_period() -> ElectionPeriod:
    """The municipal election period that contains today (2022-2025, 2026-2029, ...)."""
    start = 2022 + 4 * ((today().year - 2022) // 4)
    name = f"{start}-{start + 3}"
    period = db.session.scalar(sa.select(ElectionPeriod).where(ElectionPeriod.name == name))
    if period is None:
        period = ElectionPeriod(name=name, start_date=date(start, 1, 1), end_date=date(start + 3, 12, 31))
        db.session.add(period)
        db.session.flush()
    return period


def allocated_seat(party_letter: str = "F", organisation_name: str = "RAR Hovedstaden", *,
                   label: str | None = None, has_substitute: bool = True,
                   gender_rule: GenderRule = GenderRule.none, **organisation_values) -> Seat:
    """A new seat on the body (created if missing), allocated to the party in the current election period.

    The label defaults to the next free "Plads N" on the body.
    """
    organisation = factories.organisation(organisation_name)
    if organisation_values or gender_rule is not GenderRule.none:
        for key, value in dict(organisation_values, gender_rule=gender_rule).items():
            setattr(organisation, key, value)
        db.session.flush()
    if label is None:
        label = f"Plads {len(organisation.seats) + 1}"
    seat = factories.seat(organisation, label=label, has_substitute=has_substitute)
    db.session.add(SeatAllocation(seat_id=seat.id, period_id=current_period().id,
                                  party_id=factories.party(party_letter).id))
    db.session.flush()
    db.session.refresh(organisation)
    return seat


def candidate(name: str = "Anna Andersen", party_letter: str | None = "F", gender: Gender | None = Gender.woman,
              municipality_name: str = "Hvidovre") -> Person:
    """A person who can be nominated: with a party, a gender and a municipality."""
    return factories.person(name, municipality_name=municipality_name, party_letter=party_letter, gender=gender)


def party_user(username: str = "sf", letter: str = "F") -> User:
    """A party group user (role party) of the party with the letter; the password is factories.PASSWORD."""
    return factories.user(username, UserRole.party, letter)


def viewer(username: str = "laeser") -> User:
    return factories.user(username, UserRole.viewer)


def nomination(seat: Seat, person: Person | None = None, *, party_letter: str | None = None,
               role: Role = Role.member, substitute: Person | None = None, motivation: str | None = None,
               gender_reason: str | None = None, by: User | None = None) -> Nomination:
    """A submitted nomination through services.submit; the party defaults to the one holding the seat now."""
    if party_letter is None:
        allocation = services.allocation_on(seat, today())
        party = allocation.party if allocation else factories.party("F")
    else:
        party = factories.party(party_letter)
    person = person or candidate(f"Kandidat {seat.id}-{role.value}", party.letter)
    return services.submit(seat, role, party, person, substitute=substitute, motivation=motivation,
                           gender_reason=gender_reason, by=by)


def call(seat: Seat, *, role: Role = Role.member, reason: CallReason = CallReason.resignation,
         deadline: date | None = None, party_letter: str | None = None, note: str | None = None) -> Call:
    """An open call (opfordring) to the party holding the seat (or the party given), due in 30 days."""
    return services.open_call(seat, role, reason, deadline or today() + timedelta(days=30),
                              party=factories.party(party_letter) if party_letter else None, note=note)


def organisation_seat(nominator: str = "Dansk Industri", organisation_name: str = "Erhvervshus Hovedstaden", *,
                      label: str | None = None, has_substitute: bool = False, **organisation_values) -> Seat:
    """A new seat on the body (created if missing, KKR appointing) that the organisation nominates for; like
    every such seat, it is allocated to no party group."""
    organisation = factories.organisation(organisation_name)
    for key, value in organisation_values.items():
        setattr(organisation, key, value)
    seat = factories.seat(organisation, label=label or f"{nominator} {len(organisation.seats) + 1}",
                          has_substitute=has_substitute, nominated_by=nominator)
    db.session.refresh(organisation)
    return seat


def organisation_nomination(seat: Seat, person: Person | None = None, *, role: Role = Role.member,
                            substitute: Person | None = None, motivation: str | None = None,
                            gender_reason: str | None = None, by: User | None = None) -> Nomination:
    """The organisation's nomination for its seat, as the secretariat records it (services.submit, no party)."""
    person = person or candidate(f"Kandidat {seat.id}-{role.value}", None)
    return services.submit(seat, role, None, person, substitute=substitute, motivation=motivation,
                           gender_reason=gender_reason, by=by)


CARLA_EMAIL, CARLA_PHONE = "carla@example.dk", "12 34 56 78"


def carried_over_borgmester() -> dict:
    """Movia follows the election period. Carla, borgmester in Gentofte 2022-2025 and not re-elected, has held
    Plads 1 since 2022 with no end date entered: carried over into 2026-2029. Committed."""
    db.session.add(ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31)))
    current_period()  # 2026-2029
    seat = allocated_seat("C", "Movia", label="Plads 1", has_substitute=False)
    carla = factories.person("Carla Eksempel", "Gentofte", party_letter="C", gender=Gender.woman,
                             email=CARLA_EMAIL, phone=CARLA_PHONE)
    appointment = factories.appoint(seat, carla, date(2022, 1, 1))
    mandates.record(carla, factories.municipality("Gentofte"), date(2022, 1, 1), end=date(2025, 12, 31),
                    party=factories.party("C"), office="borgmester")
    db.session.commit()
    return {"seat": seat, "carla": carla, "appointment": appointment}

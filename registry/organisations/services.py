"""Reading organisations with their seats and holders."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from registry.appointments.models import Appointment, Role
from registry.appointments.services import active_on
from registry.extensions import db
from registry.organisations.models import Organisation, Seat


@dataclass
class SeatHolders:
    seat: Seat
    member: Appointment | None = None
    substitute: Appointment | None = None


@dataclass
class Roster:
    organisation: Organisation
    seats: list[SeatHolders] = field(default_factory=list)


def rosters_on(day: date) -> list[Roster]:
    """Every body open on the day, with its seats and who holds them.

    Three queries whatever the size of the registry: bodies, seats, holders.
    """
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(sa.or_(Organisation.start_date.is_(None), Organisation.start_date <= day),
               sa.or_(Organisation.end_date.is_(None), Organisation.end_date >= day))
        .options(selectinload(Organisation.seats))
        .order_by(Organisation.sort_name, Organisation.id)
    ).all()
    holders = db.session.scalars(
        sa.select(Appointment)
        .where(active_on(day))
        .options(joinedload(Appointment.person), joinedload(Appointment.party))
    ).all()
    by_seat: dict[int, dict[Role, Appointment]] = defaultdict(dict)
    for appointment in holders:
        by_seat[appointment.seat_id][appointment.role] = appointment
    rosters = []
    for organisation in organisations:
        roster = Roster(organisation)
        for seat in organisation.seats:
            if seat.is_open_on(day):
                held = by_seat.get(seat.id, {})
                roster.seats.append(SeatHolders(seat, held.get(Role.member), held.get(Role.substitute)))
        rosters.append(roster)
    return rosters

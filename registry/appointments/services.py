"""The rules for appointing and ending: one holder at a time, within the life of seat and body.

Services check, change and flush; the caller commits once.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import contains_eager, joinedload

from registry.appointments.models import (
    ONE_HOLDER_CONSTRAINT,
    Appointment,
    EndReason,
    Office,
    OfficeChooser,
    Role,
    Status,
)
from registry.dates import local_date, today
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.meetings.models import Decision
from registry.organisations.models import Organisation, Seat, SeatKind
from registry.paging import Page, numbered
from registry.people.models import Party, Person


def active_on(day: date) -> sa.ColumnElement[bool]:
    """Appointments in office on the day: start ≤ day ≤ end (inclusive), seated."""
    return sa.and_(
        Appointment.status == Status.appointed,
        Appointment.start_date <= day,
        sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= day),
    )


def overlapping(seat: Seat, role: Role, start: date, end: date | None,
                exclude: Appointment | None = None) -> Appointment | None:
    """The seated appointment of that role whose dates meet [start, end], if any."""
    stmt = sa.select(Appointment).where(
        Appointment.seat_id == seat.id,
        Appointment.role == role,
        Appointment.status == Status.appointed,
        sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= start),
    )
    if end is not None:
        stmt = stmt.where(Appointment.start_date <= end)
    if exclude is not None and exclude.id is not None:
        stmt = stmt.where(Appointment.id != exclude.id)
    return db.session.scalars(stmt.order_by(Appointment.start_date).limit(1)).first()


def one_holder_message(seat: Seat, role: Role, other: Appointment | None) -> str:
    where = f"{seat.organisation.name}, {seat.label}"
    if other is None:
        return _l("Pladsen (%(seat)s) har allerede en indehaver som %(role)s i den periode.", seat=where,
                  role=role.label)
    if other.end_date:
        return _l("Pladsen (%(seat)s) har allerede %(name)s som %(role)s fra %(start)s til %(end)s.", seat=where,
                  name=other.person.name, role=role.label, start=local_date(other.start_date),
                  end=local_date(other.end_date))
    return _l("Pladsen (%(seat)s) har allerede %(name)s som %(role)s fra %(start)s uden slutdato.", seat=where,
              name=other.person.name, role=role.label, start=local_date(other.start_date))


def _closing(organisation: Organisation, *, must_end: bool) -> str:
    """Why the body refuses the appointment: "Skoletjenesten nedlægges pr. 31.10.2024." ("er nedlagt" once the day
    has passed); must_end adds that the appointment has to end by then."""
    values = dict(name=organisation.name, day=local_date(organisation.end_date))
    if organisation.end_date < today():
        if must_end:
            return _l("%(name)s er nedlagt pr. %(day)s; udpegningen skal slutte senest den dag.", **values)
        return _l("%(name)s er nedlagt pr. %(day)s.", **values)
    if must_end:
        return _l("%(name)s nedlægges pr. %(day)s; udpegningen skal slutte senest den dag.", **values)
    return _l("%(name)s nedlægges pr. %(day)s.", **values)


def role_problem(seat: Seat, role: Role) -> str | None:
    """Why the seat takes no holder in the role: a pooled suppleant's seat holds only its suppleant,
    and only a seat with a personal suppleant takes one."""
    values = dict(organisation=seat.organisation.name, seat=seat.label)
    if seat.kind is SeatKind.pooled_substitute:
        if role is not Role.substitute:
            return _l("Pladsen (%(organisation)s, %(seat)s) er en fælles suppleantplads; den besættes med en "
                      "suppleant, ikke et medlem.", **values)
        return None
    if role is Role.substitute and not seat.has_substitute:
        return _l("Pladsen (%(organisation)s, %(seat)s) har ingen personlig suppleant.", **values)
    return None


def check(seat: Seat, role: Role, start: date, end: date | None, *,
          status: Status = Status.appointed, exclude: Appointment | None = None) -> None:
    """Refuse what would break a rule of the registry."""
    fits(seat, role, start, end)
    if status is Status.appointed:
        other = overlapping(seat, role, start, end, exclude=exclude)
        if other is not None:
            raise RuleViolation(one_holder_message(seat, role, other), field="start_date")


def fits(seat: Seat, role: Role, start: date, end: date | None) -> None:
    """Refuse dates and a role the seat and its body cannot take; the rules that need no other appointment."""
    if end is not None and end < start:
        raise RuleViolation(_l("Slutdatoen ligger før startdatoen."), field="end_date")
    if problem := role_problem(seat, role):
        raise RuleViolation(problem, field="role")
    organisation = seat.organisation
    if organisation.start_date and start < organisation.start_date:
        raise RuleViolation(_l("%(name)s er først oprettet %(day)s.", name=organisation.name,
                               day=local_date(organisation.start_date)), field="start_date")
    if organisation.end_date:
        if start > organisation.end_date:
            raise RuleViolation(_closing(organisation, must_end=False), field="start_date")
        if end is None or end > organisation.end_date:
            raise RuleViolation(_closing(organisation, must_end=True), field="end_date")
    if seat.start_date and start < seat.start_date:
        raise RuleViolation(_l("Pladsen findes først fra %(day)s.", day=local_date(seat.start_date)),
                            field="start_date")
    if seat.end_date and (start > seat.end_date or end is None or end > seat.end_date):
        raise RuleViolation(_l("Pladsen er nedlagt pr. %(day)s.", day=local_date(seat.end_date)),
                            field="start_date" if start > seat.end_date else "end_date")


def _flush(appointment: Appointment, seat: Seat) -> None:
    """Flush in a savepoint, so the database's one-holder constraint — the backstop
    for two users saving at once — becomes the same message instead of an error
    page, and the session stays usable: the savepoint's rollback takes the refused
    appointment (or change) out again."""
    try:
        with db.session.begin_nested():
            db.session.add(appointment)
            db.session.flush()
    except IntegrityError as error:
        if ONE_HOLDER_CONSTRAINT not in str(error.orig):
            raise
        raise RuleViolation(one_holder_message(seat, appointment.role, None), field="start_date") from None
    except OperationalError as error:
        if not lost_holder_race(error):
            raise
        raise RuleViolation(one_holder_message(seat, appointment.role, None), field="start_date") from None


# PostgreSQL's SQLSTATE for deadlock_detected.
DEADLOCK_DETECTED = "40P01"


def lost_holder_race(error: OperationalError) -> bool:
    """Whether the write lost a race for a seat that PostgreSQL settled by deadlock, not by the constraint.

    Two users writing overlapping holders at once each wait, in the one-holder constraint's check, for the
    other's uncommitted row; PostgreSQL breaks the circle by refusing one of them as a deadlock. For the one
    refused that is the same news as the constraint's: somebody else is taking the seat. Only the write of
    appointments is read this way; a deadlock anywhere else stays an error."""
    return getattr(error.orig, "sqlstate", None) == DEADLOCK_DETECTED


def closing_end(seat: Seat, start: date, end: date | None) -> date | None:
    """A body or seat with a closing date ends its appointments with it."""
    closing = min((day for day in (seat.organisation.end_date, seat.end_date) if day), default=None)
    if end is None and closing is not None and start <= closing:
        return closing
    return end


def appoint(seat: Seat, person: Person, role: Role, start: date, *, end: date | None = None,
            party: Party | None = None, decision: Decision | None = None,
            status: Status = Status.appointed, note: str | None = None,
            for_a_party: bool = True) -> Appointment:
    """Seat a person as member or personal suppleant from a date.

    The party represented defaults to the person's party today; for_a_party=False seats the person for no
    party (an organisation's nominee sits for the organisation, whatever party the person is in).
    """
    end = closing_end(seat, start, end)
    check(seat, role, start, end, status=status)
    if party is None and for_a_party:
        party = person.party
    db.session.flush()  # gives new seats, people and decisions their ids
    # Linked by id, not by relationship: assigning seat= would put the row in
    # seat.appointments before the savepoint that may have to take it out again.
    appointment = Appointment(seat_id=seat.id, person_id=person.id, role=role, start_date=start, end_date=end,
                              party_id=party.id if party else None, decision_id=decision.id if decision else None,
                              status=status, note=note)
    _flush(appointment, seat)
    return appointment


def end(appointment: Appointment, last_day: date, reason: EndReason, *, version: int | None = None) -> Appointment:
    """End an appointment: last_day is the last day in office."""
    check_version(appointment, version)
    if appointment.end_date is not None and appointment.end_date < last_day:
        raise RuleViolation(_l("Udpegningen er allerede afsluttet %(day)s.", day=local_date(appointment.end_date)),
                            field="end_date")
    if last_day < appointment.start_date:
        raise RuleViolation(_l("Slutdatoen ligger før startdatoen."), field="end_date")
    appointment.end_date = last_day
    appointment.end_reason = reason
    # Shortening cannot make two appointments overlap, so no savepoint is needed.
    db.session.flush()
    return appointment


def replace(current: Appointment, person: Person, start: date, *, party: Party | None = None,
            decision: Decision | None = None, version: int | None = None) -> Appointment:
    """The successor starts on start; the current holder's last day is the day before."""
    check_version(current, version)
    if start <= current.start_date:
        raise RuleViolation(_l("Efterfølgeren skal starte efter den nuværende indehavers startdato."),
                            field="start_date")
    end(current, start - timedelta(days=1), EndReason.replaced)
    return appoint(current.seat, person, current.role, start, party=party, decision=decision)


def set_office(appointment: Appointment, office: Office | None, *, chosen_by: OfficeChooser | None = None,
               title: str | None = None, start: date | None = None, end: date | None = None,
               version: int | None = None) -> Appointment:
    """Give a member an office on the body (formand, næstformand, another named one), or take it away (None).

    The office lies within the appointment. A body has one formand and one næstformand at a time.
    """
    check_version(appointment, version)
    if office is None:
        appointment.office = appointment.office_title = appointment.office_chosen_by = None
        appointment.office_start = appointment.office_end = None
        db.session.flush()
        return appointment
    if appointment.role is not Role.member or appointment.seat.kind is SeatKind.pooled_substitute:
        raise RuleViolation(_l("Kun et medlem kan have et hverv i organisationen."), field="office")
    if chosen_by is None:
        raise RuleViolation(_l("Vælg, hvem der har valgt hvervet."), field="chosen_by")
    title = (title or "").strip() or None
    if office is Office.other and title is None:
        raise RuleViolation(_l("Skriv hvervets navn."), field="title")
    if office is not Office.other:
        title = None
    first, last = start or appointment.start_date, end or appointment.end_date
    if first < appointment.start_date or (appointment.end_date and first > appointment.end_date):
        raise RuleViolation(_l("Hvervet skal begynde inden for udpegningen (fra %(day)s).",
                               day=local_date(appointment.start_date)), field="start")
    if end is not None and (end < first or (appointment.end_date and end > appointment.end_date)):
        raise RuleViolation(_l("Hvervet skal slutte inden for udpegningen og efter sin første dag."), field="end")
    if office is not Office.other and (other := _office_holder(appointment, office, first, last)) is not None:
        raise RuleViolation(_l("%(name)s er allerede %(office)s for %(organisation)s i den periode.",
                               name=other.person.name, office=office.label,
                               organisation=appointment.seat.organisation.name), field="office")
    appointment.office, appointment.office_title, appointment.office_chosen_by = office, title, chosen_by
    appointment.office_start, appointment.office_end = start, end
    db.session.flush()
    return appointment


def _office_holder(appointment: Appointment, office: Office, first: date, last: date | None) -> Appointment | None:
    """Another seated member of the body holding the office on a day of [first, last]."""
    office_first = sa.func.coalesce(Appointment.office_start, Appointment.start_date)
    office_last = sa.func.coalesce(Appointment.office_end, Appointment.end_date)
    stmt = (sa.select(Appointment).join(Appointment.seat)
            .where(Seat.organisation_id == appointment.seat.organisation_id, Appointment.office == office,
                   Appointment.status == Status.appointed, Appointment.id != appointment.id,
                   sa.or_(office_last.is_(None), office_last >= first)))
    if last is not None:
        stmt = stmt.where(office_first <= last)
    return db.session.scalars(stmt.limit(1)).first()


# Reading, for the pages.

def timeline(seat: Seat, page: int, *, public: bool, per_page: int = 25) -> Page[Appointment]:
    """The seat's whole history, member and suppleant, the latest first; one query a page."""
    stmt = (sa.select(Appointment).where(Appointment.seat_id == seat.id)
            .options(joinedload(Appointment.person), joinedload(Appointment.party))
            .order_by(Appointment.start_date.desc(), Appointment.role, Appointment.id))
    if public:
        stmt = stmt.where(Appointment.status == Status.appointed)
    return numbered(stmt, page, per_page)


def seats_to_choose() -> list[Seat]:
    """Every seat with its body, in the registry's order, for a <select> grouped by body."""
    return list(db.session.scalars(
        sa.select(Seat).join(Seat.organisation).options(contains_eager(Seat.organisation))
        .order_by(Organisation.sort_name, Organisation.id, Seat.position, Seat.label)))

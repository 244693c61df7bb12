"""Council mandates: recording them, the warning on nominations, and the seated people whose mandate has ended.

A person keeps every mandate they have had (kommunalbestyrelsesmandat). Two mandates of one person in one
municipality may not overlap; in two municipalities they may (the registry records, it does not judge).

Which mandate counts: the person's *latest* one, by first day. A member re-elected at the election of
November 2025 has the mandate of 2022-2025, ended on 31 December 2025, and a new one from 1 January 2026;
the new one is what counts. Services check, change and flush; the view or command commits once.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, EndReason, Status
from registry.dates import local_date
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.organisations.models import Seat
from registry.people.models import Municipality, Party, Person

# Why an appointment was ended from the list of ended mandates. The reason is "udtrådt" (EndReason.resigned);
# the note says why, in the words of the issue: a reason of its own would need a migration of the
# appointments table, whose SQLite triggers a batch recreate would drop.
LEFT_THE_COUNCIL = "Udtrådt af kommunalbestyrelsen."


def mandates_of(person: Person) -> list[CouncilMandate]:
    """The person's mandates, the latest first: public information."""
    return mandates_by_person({person.id})[person.id]


def mandates_by_person(person_ids: set[int]) -> dict[int, list[CouncilMandate]]:
    """Several people's mandates, each person's the latest first: one query (none for no one)."""
    by_person: dict[int, list[CouncilMandate]] = {person_id: [] for person_id in person_ids}
    if person_ids:
        for mandate in db.session.scalars(
                sa.select(CouncilMandate).where(CouncilMandate.person_id.in_(person_ids))
                .options(joinedload(CouncilMandate.municipality), joinedload(CouncilMandate.party))
                .order_by(CouncilMandate.start_date.desc(), CouncilMandate.id.desc())):
            by_person[mandate.person_id].append(mandate)
    return by_person


def latest_mandate(person: Person) -> CouncilMandate | None:
    return next(iter(mandates_of(person)), None)


def _overlap_message(name: str, municipality: str, start: date, end: date | None) -> str:
    """The refusal of a mandate that overlaps another of the same person in the same municipality."""
    if end is None:
        return _l("%(name)s har allerede et mandat i %(municipality)s fra %(start)s, som overlapper.",
                  name=name, municipality=municipality, start=local_date(start))
    return _l("%(name)s har allerede et mandat i %(municipality)s fra %(start)s til %(end)s, som overlapper.",
              name=name, municipality=municipality, start=local_date(start), end=local_date(end))


def overlaps(first: tuple[date, date | None], second: tuple[date, date | None]) -> bool:
    """Whether two periods (first day, last day or None: open) share a day."""
    return (second[1] is None or first[0] <= second[1]) and (first[1] is None or second[0] <= first[1])


def _check(person: Person, municipality: Municipality, start: date, end: date | None,
           mandate: CouncilMandate | None) -> None:
    if end is not None and end < start:
        raise RuleViolation(_l("Mandatets sidste dag ligger før den første."), field="end_date")
    stmt = sa.select(CouncilMandate).where(CouncilMandate.person_id == person.id,
                                           CouncilMandate.municipality_id == municipality.id)
    if mandate is not None and mandate.id is not None:
        stmt = stmt.where(CouncilMandate.id != mandate.id)
    for other in db.session.scalars(stmt):
        if overlaps((start, end), (other.start_date, other.end_date)):
            raise RuleViolation(_overlap_message(person.name, municipality.name, other.start_date, other.end_date),
                                field="start_date")


def record(person: Person, municipality: Municipality, start: date, *, end: date | None = None,
           party: Party | None = None, office: str | None = None) -> CouncilMandate:
    """A person's seat on a municipal council from start to end (the last day; None: still on it)."""
    _check(person, municipality, start, end, None)
    mandate = CouncilMandate(person=person, municipality=municipality, party=party, start_date=start,
                             end_date=end, office=(office or "").strip() or None)
    db.session.add(mandate)
    db.session.flush()
    return mandate


def update(mandate: CouncilMandate, municipality: Municipality, start: date, *, end: date | None = None,
           party: Party | None = None, office: str | None = None, version: int | None = None) -> CouncilMandate:
    """Change a mandate; ending one is giving it a last day."""
    check_version(mandate, version)
    _check(mandate.person, municipality, start, end, mandate)
    mandate.municipality, mandate.party, mandate.start_date, mandate.end_date = municipality, party, start, end
    mandate.office = (office or "").strip() or None
    db.session.flush()
    return mandate


# The warning on nominations.

def without_mandate(people: list[Person], day: date) -> list[str]:
    """A warning for each person without a mandate on a municipal council on the day (lacking_mandate).

    The day is the first day of the term the nomination is for (nominations.services.term_start): the election
    period's first day for a nomination of the round after an election, made in December or decided in January,
    else the day the vacancy is filled (the meeting's date on an agenda item, else today). Some seats need no
    mandate, so it is a warning, never a refusal.
    """
    return [_("%(name)s har ikke et mandat i en kommunalbestyrelse den %(day)s.", name=person.name,
              day=local_date(day)) for person in lacking_mandate(people, day)]


def lacking_mandate(people: list[Person], day: date) -> list[Person]:
    """The people without a mandate on a municipal council on the day. Two queries.

    Only where the registry knows the councils: a person counts only when the registry holds a mandate in
    the person's municipality (anyone's), or one of the person's own. Otherwise a registry that has not
    imported the councils would count everyone.
    """
    people = [person for person in people if person.id is not None]
    if not people:
        return []
    ids = [person.id for person in people]
    municipality_ids = {person.municipality_id for person in people if person.municipality_id is not None}
    known = set(db.session.scalars(sa.select(CouncilMandate.municipality_id.distinct()).where(
        CouncilMandate.municipality_id.in_(municipality_ids)))) if municipality_ids else set()
    has_any: set[int] = set()
    held: set[int] = set()
    for person_id, start, end in db.session.execute(
            sa.select(CouncilMandate.person_id, CouncilMandate.start_date, CouncilMandate.end_date)
            .where(CouncilMandate.person_id.in_(ids))):
        has_any.add(person_id)
        if start <= day and (end is None or day <= end):
            held.add(person_id)
    return [person for person in people
            if person.id not in held and (person.id in has_any or person.municipality_id in known)]


# Seated people whose mandate has ended.

@dataclass(frozen=True)
class Lapsed:
    """An appointment held (today or later) by a person whose latest mandate ends before the appointment."""

    appointment: Appointment
    mandate: CouncilMandate


def _latest_mandates() -> sa.Subquery:
    """Each person's latest mandate (rank 1): the latest first day; of two from the same day (two
    municipalities), the one that ends last, an open one last of all."""
    rank = sa.func.row_number().over(
        partition_by=CouncilMandate.person_id,
        order_by=(CouncilMandate.start_date.desc(), sa.nulls_first(CouncilMandate.end_date.desc()),
                  CouncilMandate.id.desc()))
    return sa.select(CouncilMandate.id, rank.label("rank")).subquery("latest")


def lapsed(day: date, appointment_ids: list[int] | None = None) -> list[Lapsed]:
    """Every appointed holder, on the day or later, whose latest mandate has ended or will end before the
    appointment does (one without an end date counts as later). In one query, whatever their number.

    An appointment that began after the mandate's last day is not on the list: it was made knowing there was no
    mandate (a seat that needs none), and could not end on that day anyway.

    appointment_ids: only these (the ones a page showed).
    """
    latest = _latest_mandates()
    stmt = (
        sa.select(Appointment, CouncilMandate)
        .join(CouncilMandate, CouncilMandate.person_id == Appointment.person_id)
        .join(latest, sa.and_(latest.c.id == CouncilMandate.id, latest.c.rank == 1))
        .where(Appointment.status == Status.appointed,
               sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= day),
               CouncilMandate.end_date.is_not(None),
               Appointment.start_date <= CouncilMandate.end_date,
               sa.or_(Appointment.end_date.is_(None), CouncilMandate.end_date < Appointment.end_date))
        .options(joinedload(Appointment.person), joinedload(Appointment.seat).joinedload(Seat.organisation),
                 joinedload(CouncilMandate.municipality))
        .order_by(CouncilMandate.end_date, Appointment.person_id, Appointment.start_date, Appointment.id)
    )
    if appointment_ids is not None:
        stmt = stmt.where(Appointment.id.in_(appointment_ids))
    return [Lapsed(appointment, mandate) for appointment, mandate in db.session.execute(stmt).unique()]


def end_for_lapsed(appointment: Appointment, day: date, *, version: int | None = None) -> Appointment:
    """End one appointment of the list: last day the mandate's last day, reason "udtrådt", noted why."""
    return end_all_lapsed([appointment.id], day, versions={appointment.id: version})[0]


def end_all_lapsed(appointment_ids: list[int], day: date, *,
                   versions: dict[int, int | None] | None = None) -> list[Appointment]:
    """End the listed appointments at once, all or nothing: a refusal of one leaves the others as they were
    once the caller rolls back (the view's commit does). versions: the appointments' as the page showed them."""
    versions = versions or {}
    listed = {entry.appointment.id: entry for entry in lapsed(day, appointment_ids)}
    ended = []
    for appointment_id in appointment_ids:
        entry = listed.get(appointment_id)
        if entry is None:
            raise RuleViolation(_l("En af udpegningerne er ikke længere på listen: mandatet eller udpegningen er "
                                   "ændret imens. Se listen igen."))
        appointment, mandate = entry.appointment, entry.mandate
        try:
            appointments.end(appointment, mandate.end_date, EndReason.resigned, version=versions.get(appointment_id))
        except RuleViolation as refused:
            raise RuleViolation(_l("%(name)s, %(organisation)s: %(reason)s", name=appointment.person.name,
                                   organisation=appointment.seat.organisation.name, reason=str(refused))) from None
        appointment.note = f"{appointment.note}\n{LEFT_THE_COUNCIL}" if appointment.note else LEFT_THE_COUNCIL
        ended.append(appointment)
    db.session.flush()
    return ended

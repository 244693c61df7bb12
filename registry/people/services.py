"""People: who holds what, and the secretariat's changes (create, edit, merge).

Services check, change and flush; the view that called them commits once.
Who holds which seat is public; a person who has never held a seat, and a
person's gender and contact details, are not (see Person).
"""

from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload

from registry.appointments.models import Appointment, Status
from registry.appointments.services import active_on
from registry.audit.services import record
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.nominations.models import Nomination
from registry.organisations.models import Organisation, Seat
from registry.paging import Page, numbered
from registry.people.models import Gender, Municipality, Party, Person
from registry.people.privacy import ANONYMISED_REFUSAL
from registry.people.reference import council_region
from registry.types import danish_order, sort_key

PER_PAGE = 25

# What a person has besides a name; on merge the kept record takes the other's where it has none.
DETAILS = ("municipality_id", "party_id", "office", "gender", "email", "phone")


def has_held_a_seat() -> sa.ColumnElement[bool]:
    """People who hold or have held a seat: the public ones."""
    return sa.exists().where(Appointment.person_id == Person.id, Appointment.status == Status.appointed)


def get_person(person_id: int, *, public: bool) -> Person | None:
    stmt = sa.select(Person).where(Person.id == person_id).options(
        joinedload(Person.municipality), joinedload(Person.party))
    if public:
        stmt = stmt.where(has_held_a_seat())
    return db.session.scalar(stmt)


def _with_place(stmt: sa.Select) -> sa.Select:
    """Appointments with their seat, body, person and party, in one query."""
    return (stmt.join(Appointment.seat).join(Seat.organisation).join(Appointment.person)
            .options(contains_eager(Appointment.seat).contains_eager(Seat.organisation),
                     contains_eager(Appointment.person).joinedload(Person.municipality),
                     joinedload(Appointment.party)))


def appointments_of(person: Person, page: int, *, public: bool) -> Page:
    """All the person's seats, past and present, the latest first."""
    stmt = _with_place(sa.select(Appointment)).where(Appointment.person_id == person.id)
    if public:
        stmt = stmt.where(Appointment.status == Status.appointed)
    stmt = stmt.order_by(Appointment.start_date.desc(), Organisation.sort_name, Seat.position, Appointment.id)
    return numbered(stmt, page, PER_PAGE)


def holders_on(day: date, page: int, *, party: Party | None = None,
               municipality: Municipality | None = None) -> Page:
    """Who holds a seat on the day, for a party (on whose behalf) or from a municipality."""
    stmt = _with_place(sa.select(Appointment)).where(active_on(day))
    if party is not None:
        stmt = stmt.where(Appointment.party_id == party.id)
    if municipality is not None:
        stmt = stmt.where(Person.municipality_id == municipality.id)
    stmt = stmt.order_by(Organisation.sort_name, Organisation.id, Seat.position, Seat.label, Appointment.role,
                         Appointment.id)
    return numbered(stmt, page, PER_PAGE)


def people(page: int, *, public: bool) -> Page:
    stmt = sa.select(Person).options(joinedload(Person.municipality), joinedload(Person.party))
    if public:
        stmt = stmt.where(has_held_a_seat())
    return numbered(stmt.order_by(Person.sort_name, Person.id), page, PER_PAGE)


def all_people() -> list[Person]:
    """Everyone, with party and municipality, for a <select>."""
    return list(db.session.scalars(sa.select(Person).options(joinedload(Person.municipality),
                                                             joinedload(Person.party))
                                   .order_by(Person.sort_name, Person.id)))


def find_party(key: str) -> Party | None:
    """By list letter (A, Ø, ...) or, when digits, by id."""
    if key.isascii() and key.isdigit():
        return db.session.get(Party, int(key)) if len(key) <= 9 else None
    return db.session.scalar(sa.select(Party).where(Party.letter == key.upper()))


def in_council_region(municipality: Municipality | None) -> bool:
    """Whether the municipality lies in the region of the KKR this registry serves (COUNCIL_NAME); for a
    council of the whole country (KL), whether it is a Danish municipality at all."""
    return municipality is not None and region_is_councils(municipality.region_code)


def region_is_councils(region_code: int | None) -> bool:
    if region_code is None:
        return False
    region = council_region(current_app.config["COUNCIL_NAME"])
    return region is None or region_code == region


def find_municipality(key: int) -> Municipality | None:
    """By kommunekode (101 København) or, for a municipality without one, by id."""
    found = db.session.scalar(sa.select(Municipality).where(Municipality.code == key))
    return found or db.session.get(Municipality, key)


def municipalities() -> list[Municipality]:
    return list(db.session.scalars(sa.select(Municipality).order_by(danish_order(Municipality.name))))


def parties() -> list[Party]:
    """By list letter, Æ, Ø and Å last."""
    return sorted(db.session.scalars(sa.select(Party)), key=lambda party: sort_key(party.letter))


def namesake(name: str, municipality_id: int | None, exclude: Person | None = None) -> Person | None:
    """The person of that name in that municipality (another than `exclude`), whom saving would duplicate."""
    return _namesake(" ".join(name.split()), municipality_id, exclude)


def _namesake(name: str, municipality_id: int | None, exclude: Person | None) -> Person | None:
    same_place = (Person.municipality_id.is_(None) if municipality_id is None
                  else Person.municipality_id == municipality_id)
    # Anonymised people all share one name; they are not namesakes of anyone.
    stmt = sa.select(Person).where(Person.name == name, same_place, Person.anonymised_at.is_(None))
    if exclude is not None and exclude.id is not None:
        stmt = stmt.where(Person.id != exclude.id)
    return db.session.scalars(stmt.limit(1)).first()


def save(person: Person | None, *, name: str, municipality_id: int | None = None, party_id: int | None = None,
         office: str | None = None, gender: Gender | None = None, email: str | None = None,
         phone: str | None = None, version: int | None = None) -> Person:
    """Create (person None) or change a person.

    Refused: a second person with the same name in the same municipality;
    that is one person registered twice, and merging is the way to join them.
    """
    if person is not None:
        check_version(person, version)
    if person is not None and person.anonymised_at is not None:
        raise RuleViolation(ANONYMISED_REFUSAL)
    name = " ".join(name.split())
    if _namesake(name, municipality_id, person) is not None:
        raise RuleViolation(_l("Der findes allerede en person ved navn %(name)s i den kommune. Er det den samme "
                               "person, så læg de to registreringer sammen.", name=name), field="name")
    if person is None:
        person = Person(name=name)
        db.session.add(person)
    elif person.name != name:
        person.name = name
    person.municipality_id = municipality_id
    person.party_id = party_id
    person.office = office or None
    person.gender = gender
    person.email = email or None
    person.phone = phone or None
    db.session.flush()
    return person


def merge_order(first: Person, second: Person, keep: Person | None = None) -> tuple[Person, Person]:
    """(kept, removed): the record the secretariat chose to keep, else the older (registered first)."""
    if first.id == second.id:
        raise RuleViolation(_l("En person kan ikke lægges sammen med sig selv."), field="other")
    if first.anonymised_at or second.anonymised_at:
        raise RuleViolation(ANONYMISED_REFUSAL, field="other")
    if keep is not None and keep.id not in (first.id, second.id):
        raise RuleViolation(_l("Vælg en af de to registreringer som den, der beholdes."), field="keep")
    if keep is None:
        keep = first if first.id < second.id else second
    return (first, second) if keep.id == first.id else (second, first)


def lost_on_merge(kept: Person, removed: Person) -> list[str]:
    """The removed record's details that differ from values the kept one has: they are not carried over."""
    return [key for key in DETAILS
            if getattr(kept, key) is not None and getattr(removed, key) not in (None, getattr(kept, key))]


def _move_nominations(kept: Person, removed: Person) -> None:
    """The removed record's nominations name the kept one; a nomination naming both, as member and suppleant,
    cannot (one person cannot be both), and is refused with the merge."""
    for nomination in db.session.scalars(sa.select(Nomination).where(
            sa.or_(Nomination.person_id == removed.id, Nomination.substitute_id == removed.id))):
        if {nomination.person_id, nomination.substitute_id} >= {kept.id, removed.id}:
            raise RuleViolation(_l("De to registreringer er indstillet som medlem og suppleant i samme indstilling "
                                   "(nr. %(number)d); de kan ikke lægges sammen, før den er ændret.",
                                   number=nomination.id), field="other")
        if nomination.person_id == removed.id:
            nomination.person_id = kept.id
        if nomination.substitute_id == removed.id:
            nomination.substitute_id = kept.id


def _mandates_of(person: Person) -> list[CouncilMandate]:
    return list(db.session.scalars(sa.select(CouncilMandate).where(CouncilMandate.person_id == person.id)))


def merge(first: Person, second: Person, *, keep: Person | None = None,
          versions: tuple[int | None, int | None] = (None, None)) -> Person:
    """Join two records of one person: the one chosen (keep; by default the older) is kept, gets the other's
    appointments, council mandates and nominations and the details it lacks, and the other is deleted. Every
    row change is audited, and one `merge` entry says which record went into which. versions: the two
    records' as the user saw them."""
    check_version(first, versions[0])
    check_version(second, versions[1])
    kept, removed = merge_order(first, second, keep)
    moved = list(removed.appointments)
    for appointment in moved:
        appointment.person = kept
    _move_nominations(kept, removed)
    # Council mandates go along; one the kept record has already (same council, same first day) is the same
    # mandate recorded twice, and the removed record's copy goes with it.
    held = {(m.municipality_id, m.start_date) for m in _mandates_of(kept)}
    mandates = _mandates_of(removed)
    for mandate in mandates:
        if (mandate.municipality_id, mandate.start_date) in held:
            db.session.delete(mandate)
        else:
            mandate.person_id = kept.id
    for key in DETAILS:
        if getattr(kept, key) is None and getattr(removed, key) is not None:
            setattr(kept, key, getattr(removed, key))
    record(db.session, "merge", "persons", kept.id,
           changes={"kept_id": kept.id, "removed_id": removed.id, "removed_name": removed.name,
                    "appointment_ids": sorted(a.id for a in moved),
                    "mandate_ids": sorted(m.id for m in mandates)})
    db.session.flush()  # the appointments point to the kept record before the other goes
    db.session.delete(removed)
    db.session.flush()
    return kept

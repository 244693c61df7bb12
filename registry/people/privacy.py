"""Personal data (GDPR): erasing people who left long ago, and telling a person everything held about them.

Anonymisation (anonymisering): a person who holds no seat and has nothing
pending may, once the retention period after their last day in office has
passed, have their name and private details erased. The row stays, named
"Tidligere medlem", so the seats' history (who held which seat when, for
which party, from which municipality) stays whole and readable. After that
the row is closed: no edit, merge, appointment or nomination may name it.

The access request (indsigt, GDPR art. 15) is in people/access.py.

Services check, change and flush; the view or command that called them commits once.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Session, joinedload

from registry.appointments.models import Appointment, Status
from registry.audit.models import AuditEntry
from registry.audit.services import record
from registry.dates import COPENHAGEN, local_date, today, utcnow
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.nominations.models import Nomination, NominationStatus
from registry.organisations.models import Seat
from registry.people.models import Person

ANONYMOUS_NAME = "Tidligere medlem"
# A nomination that is neither withdrawn nor finally decided may still seat the person.
CLOSED_NOMINATIONS = (NominationStatus.withdrawn, NominationStatus.appointed, NominationStatus.not_supported,
                      NominationStatus.not_appointed)
# What anonymisation erases; municipality and party stay, as the appointments carry them anyway.
ERASED = ("gender", "email", "phone", "office")

ANONYMISED_REFUSAL = _l("Personen er anonymiseret og kan ikke længere ændres, lægges sammen med en anden, "
                        "udpeges eller indstilles. Opret en ny person, hvis det er en, der vender tilbage.")


def retention_days() -> int:
    """ANONYMISE_AFTER_DAYS: five years after the last day in office unless configured (registry/config.py)."""
    return current_app.config["ANONYMISE_AFTER_DAYS"]


@dataclass(frozen=True)
class Assessment:
    """Whether the person may be anonymised on the day, and if not, why: text in the reader's language, made
    when asked (gettext, not lazy), since the page shows it as it is."""

    last_day: date | None
    eligible_from: date | None
    refusal: str | None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def _seat_name(appointment: Appointment) -> str:
    return f"{appointment.seat.organisation.name}, {appointment.seat.label}"


def _current_appointment(person: Person, day: date) -> Appointment | None:
    """An appointment (in force or waiting for an outside authority) that has not ended before the day."""
    return db.session.scalars(
        sa.select(Appointment).where(Appointment.person_id == person.id,
                                     sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= day))
        .options(joinedload(Appointment.seat).joinedload(Seat.organisation))
        .order_by(Appointment.start_date, Appointment.id).limit(1)).first()


def naming(person: Person) -> sa.ColumnElement[bool]:
    return sa.or_(Nomination.person_id == person.id, Nomination.substitute_id == person.id)


def _open_nomination(person: Person) -> Nomination | None:
    return db.session.scalars(
        sa.select(Nomination).where(naming(person), Nomination.status.not_in(CLOSED_NOMINATIONS))
        .options(joinedload(Nomination.seat).joinedload(Seat.organisation))
        .order_by(Nomination.id).limit(1)).first()


def last_day(person: Person) -> date | None:
    """The person's last day in the registry's history: the latest end of an appointment or date of a
    nomination (its meeting, if KKR decided it), or else the day the person was registered."""
    ended = db.session.scalar(sa.select(sa.func.max(Appointment.end_date))
                              .where(Appointment.person_id == person.id))
    meeting_day = db.session.scalar(
        sa.select(sa.func.max(Meeting.date)).select_from(Nomination)
        .join(Decision, Nomination.decision_id == Decision.id).join(AgendaItem).join(Meeting)
        .where(naming(person)))
    submitted = db.session.scalar(sa.select(sa.func.max(Nomination.submitted_at)).where(naming(person)))
    days = [day for day in (ended, meeting_day, _local_day(submitted)) if day is not None]
    if days:
        return max(days)
    registered = db.session.scalar(sa.select(sa.func.min(AuditEntry.at)).where(
        AuditEntry.entity == "persons", AuditEntry.entity_id == person.id, AuditEntry.action == "create"))
    return _local_day(registered)


def _local_day(moment: datetime | None) -> date | None:
    """The Danish calendar day of a stored UTC time."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc).astimezone(COPENHAGEN).date()


def assess(person: Person, day: date | None = None) -> Assessment:
    day = day or today()
    if person.anonymised_at is not None:
        return Assessment(None, None, _("Personen er allerede anonymiseret."))
    if (held := _current_appointment(person, day)) is not None:
        if held.status is Status.appointed:
            refusal = _("%(name)s har stadig en plads (%(seat)s) og kan først anonymiseres, når udpegningen er "
                        "afsluttet.", name=person.name, seat=_seat_name(held))
        else:
            refusal = _("%(name)s er indstillet til en plads (%(seat)s), som afventer udpegning, og kan ikke "
                        "anonymiseres, før det er afgjort.", name=person.name, seat=_seat_name(held))
        return Assessment(None, None, refusal)
    if (pending := _open_nomination(person)) is not None:
        return Assessment(None, None, _(
            "%(name)s er navngivet i en indstilling, der ikke er afgjort (%(seat)s, status: %(status)s), og kan "
            "ikke anonymiseres, før den er afgjort eller trukket tilbage.", name=person.name,
            seat=_seat_name(pending), status=pending.status.label))
    last = last_day(person)
    if last is None:
        return Assessment(None, None, None)
    days = retention_days()
    eligible_from = last + timedelta(days=days)
    if day < eligible_from:
        return Assessment(last, eligible_from, ngettext(
            "Opbevaringsperioden er ikke udløbet: oplysningerne om %(name)s gemmes i %(num)d dag efter den sidste "
            "dag på en plads eller i en indstilling (%(day)s). Personen kan anonymiseres fra %(eligible)s.",
            "Opbevaringsperioden er ikke udløbet: oplysningerne om %(name)s gemmes i %(num)d dage efter den sidste "
            "dag på en plads eller i en indstilling (%(day)s). Personen kan anonymiseres fra %(eligible)s.",
            days, name=person.name, day=local_date(last), eligible=local_date(eligible_from)))
    return Assessment(last, eligible_from, None)


def anonymise(person: Person, day: date | None = None, *, version: int | None = None) -> Person:
    """Erase the person's name and private details; refused (RuleViolation) when assess() says no.

    The row is written directly, not through people.services.save: several
    "Tidligere medlem" may live in one municipality, which save would refuse
    as namesakes. The flush listener audits the change (private fields
    masked); one "anonymise" entry says when and on what grounds.
    """
    check_version(person, version)
    assessment = assess(person, day)
    if not assessment.allowed:
        raise RuleViolation(assessment.refusal)
    # The name goes from every text the registry shows too: KKR's decisions, the agendas, the nominations.
    pattern = _naming_pattern(person.name)
    for row, column in texts_naming(person.name):
        setattr(row, column, pattern.sub(ANONYMOUS_NAME, getattr(row, column)))
    person.name = ANONYMOUS_NAME
    for key in ERASED:
        setattr(person, key, None)
    person.anonymised_at = utcnow()
    db.session.flush()  # the row's update is audited first, then the event that explains it
    record(db.session, "anonymise", "persons", person.id, changes={
        "last_day": assessment.last_day.isoformat() if assessment.last_day else None,
        "retention_days": retention_days()})
    db.session.flush()
    return person


# The free texts that may name a person: (model, columns).
TEXTS = ((Decision, ("text",)), (AgendaItem, ("title", "background", "recommendation")),
         (Nomination, ("motivation", "gender_reason", "comment")))


def _naming_pattern(name: str) -> re.Pattern:
    # The whole name, not a part of a longer one ("Anne Hansen" is not in "Anne Hansen-Berg").
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


def texts_naming(name: str) -> list[tuple[object, str]]:
    """(row, column) for every free text in the registry that names the person by their full name:
    KKR's decision texts, the agenda items' saved texts, and the nominations' motivation, særlige grunde
    and the secretariat's comments. Found with LIKE, then checked as a whole name."""
    pattern = _naming_pattern(name)
    found = []
    for model, columns in TEXTS:
        rows = db.session.scalars(sa.select(model).where(
            sa.or_(*(getattr(model, column).contains(name, autoescape=True) for column in columns)))
            .order_by(model.id))
        found += [(row, column) for row in rows for column in columns
                  if getattr(row, column) and pattern.search(getattr(row, column))]
    return found


def eligible(day: date | None = None) -> list[Person]:
    """Everyone who may be anonymised on the day, by id."""
    day = day or today()
    holds = sa.exists().where(Appointment.person_id == Person.id,
                              sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= day))
    named = sa.exists().where(sa.or_(Nomination.person_id == Person.id, Nomination.substitute_id == Person.id),
                              Nomination.status.not_in(CLOSED_NOMINATIONS))
    candidates = db.session.scalars(sa.select(Person).where(Person.anonymised_at.is_(None), ~holds, ~named)
                                    .order_by(Person.id))
    return [person for person in candidates if assess(person, day).allowed]


def anonymise_eligible(day: date | None = None, *, dry_run: bool = False) -> list[int]:
    """Anonymise everyone eligible (or, dry_run, only tell who); the ids, in order."""
    found = eligible(day)
    if not dry_run:
        for person in found:
            anonymise(person, day)
    return [person.id for person in found]


# --- A closed row stays closed ---------------------------------------------------------------------------


def _anonymised_before(person: Person) -> bool:
    """Whether the person was anonymised before this flush (not by it)."""
    history = sa.inspect(person).attrs.anonymised_at.history
    if history.added:
        return bool(history.deleted and history.deleted[0] is not None)
    return person.anonymised_at is not None


# Who an appointment or a nomination names: (relationship, its foreign key).
NAMING = {Appointment: (("person", "person_id"),),
          Nomination: (("person", "person_id"), ("substitute", "substitute_id"))}


def _newly_named(session: Session, obj) -> list[Person]:
    """The people a new or changed appointment or nomination now names, where that is new."""
    state = sa.inspect(obj)
    found = []
    for relation, column in NAMING[type(obj)]:
        if state.attrs[column].history.added:
            person_id = getattr(obj, column)
            found.append(session.get(Person, person_id) if person_id is not None else None)
        elif obj in session.new or state.attrs[relation].history.added:
            found.append(getattr(obj, relation))
    return [person for person in found if person is not None]


def _refuse_changes_to_anonymised(session: Session, flush_context, instances) -> None:
    """Refuse, with a Danish message, any change that would put a name, details or a seat back on an erased row."""
    with session.no_autoflush:
        for obj in list(session.dirty) + list(session.deleted):
            if isinstance(obj, Person) and _anonymised_before(obj) and (
                    obj in session.deleted or session.is_modified(obj, include_collections=False)):
                raise RuleViolation(ANONYMISED_REFUSAL)
        for obj in list(session.new) + list(session.dirty):
            if type(obj) in NAMING and any(person.anonymised_at is not None
                                           for person in _newly_named(session, obj)):
                raise RuleViolation(ANONYMISED_REFUSAL)


# --- Registration ----------------------------------------------------------------------------------------


def register(app: Flask) -> None:
    """The guard that keeps anonymised rows closed."""
    if not sa.event.contains(Session, "before_flush", _refuse_changes_to_anonymised):
        sa.event.listen(Session, "before_flush", _refuse_changes_to_anonymised)

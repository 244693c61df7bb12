"""Reading the audit trail: the secretariat's page and its CSV export (registry/audit/views.py), whose rows
the Excel file holds too (exchange/xlsx.py).

Each filter becomes a condition on one of the table's indexes: a person or an
organisation becomes (entity, entity_id IN ...) for the rows about them, found
first; a user becomes user_id; days become a range of `at`. Pages go by id
(keyset), so the hundredth page costs what the first does.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from registry.appointments.models import Appointment
from registry.audit.models import AuditEntry
from registry.audit.services import record
from registry.auth.models import User
from registry.csvfiles import neutralise
from registry.dates import COPENHAGEN
from registry.extensions import db
from registry.http import MAX_ID
from registry.nominations.models import Call, Nomination
from registry.organisations.models import Seat, SeatAllocation

# The actions the trail knows, as the page names them. Row changes come from the flush listener; the
# rest are events written with record(). An action missing here is still shown, by its code.
ACTIONS = {
    "create": _l("oprettet"), "update": _l("ændret"), "delete": _l("slettet"), "import": _l("import"),
    "merge": _l("personer lagt sammen"), "login": _l("logget ind"), "login_failed": _l("mislykket login"),
    "lockout": _l("konto spærret"), "logout": _l("logget ud"), "export_audit": _l("revisionsspor eksporteret"),
    "export_personal_data": _l("persondata udleveret"), "anonymise": _l("anonymiseret"),
    "backup": _l("sikkerhedskopi taget"), "restore": _l("sikkerhedskopi genskabt"),
}

# The trail stores table names; people read the names of things.
ENTITIES = {
    "organisations": _l("Organisation"), "seats": _l("Plads"), "seat_allocations": _l("Partifordeling"),
    "appointments": _l("Udpegning"), "persons": _l("Person"), "parties": _l("Parti"),
    "municipalities": _l("Kommune"), "election_periods": _l("Valgperiode"), "meetings": _l("Møde"),
    "agenda_items": _l("Dagsordenspunkt"), "decisions": _l("Beslutning"), "users": _l("Bruger"),
    "nominations": _l("Indstilling"), "calls": _l("Opfordring"), "messages": _l("Besked"),
    "login_failures": _l("Mislykket login"),
}

# A change to the data as a sentence: "haan ændrede Organisation 4".
CHANGES = {
    "create": _l("%(actor)s oprettede %(what)s"), "update": _l("%(actor)s ændrede %(what)s"),
    "delete": _l("%(actor)s slettede %(what)s"), "import": _l("%(actor)s importerede %(what)s"),
}



@dataclass(frozen=True)
class Filters:
    """Which entries: about one person or organisation, by one user, within days (Copenhagen, inclusive),
    of one action. None leaves a filter out."""

    person_id: int | None = None
    organisation_id: int | None = None
    user: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    action: str | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as the page's query parameters (and as the export's audit entry records them)."""
        values = {"person": self.person_id, "organisation": self.organisation_id, "bruger": self.user,
                  "fra": self.date_from, "til": self.date_to, "handling": self.action}
        return {name: value.isoformat() if isinstance(value, date) else str(value)
                for name, value in values.items() if value not in (None, "")}


def _ids(stmt: sa.Select) -> list[int]:
    return list(db.session.scalars(stmt))


def person_scope(person_id: int) -> dict[str, list[int]]:
    """The rows that are about a person: the person, the appointments and the nominations that name them."""
    return {
        "persons": [person_id],
        "appointments": _ids(sa.select(Appointment.id).where(Appointment.person_id == person_id)),
        "nominations": _ids(sa.select(Nomination.id).where(
            sa.or_(Nomination.person_id == person_id, Nomination.substitute_id == person_id))),
    }


def organisation_scope(organisation_id: int) -> dict[str, list[int]]:
    """The rows that are about an organisation: the body, its seats, and what is on those seats
    (appointments, nominations, calls for nominations, the party groups' allocations)."""
    seats = _ids(sa.select(Seat.id).where(Seat.organisation_id == organisation_id))
    scope = {"organisations": [organisation_id], "seats": seats}
    if seats:
        scope |= {model.__tablename__: _ids(sa.select(model.id).where(model.seat_id.in_(seats)))
                  for model in (Appointment, Nomination, Call, SeatAllocation)}
    return scope


def _about(scope: dict[str, list[int]]) -> sa.ColumnElement[bool]:
    # One (entity, entity_id IN ...) per table: each an index range on ix_audit_entries_entity.
    return sa.or_(*(sa.and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids))
                    for entity, ids in scope.items() if ids))


def _by(user: str) -> sa.ColumnElement[bool]:
    """A user id, a username, or the name of an actor who is no user (system, anonym, a command's actor)."""
    if user.isascii() and user.isdigit():
        return AuditEntry.user_id == int(user) if int(user) <= MAX_ID else sa.false()
    user_id = db.session.scalar(sa.select(User.id).where(User.username == user))
    if user_id is not None:
        return AuditEntry.user_id == user_id
    return sa.and_(AuditEntry.user_id.is_(None), AuditEntry.actor == user)


def start_of_day(day: date) -> datetime | None:
    """Midnight in Copenhagen as a stored (UTC naive) time; None for a day beyond what datetime holds."""
    try:
        return datetime.combine(day, time(), COPENHAGEN).astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        return None


def trail(filters: Filters) -> sa.Select:
    """The entries selected, unordered. Every filter is one of the table's indexes (entity, user, time)."""
    stmt = sa.select(AuditEntry)
    if filters.person_id is not None:
        stmt = stmt.where(_about(person_scope(filters.person_id)))
    if filters.organisation_id is not None:
        stmt = stmt.where(_about(organisation_scope(filters.organisation_id)))
    if filters.user:
        stmt = stmt.where(_by(filters.user))
    if filters.date_from is not None and (start := start_of_day(filters.date_from)) is not None:
        stmt = stmt.where(AuditEntry.at >= start)
    if filters.date_to is not None and filters.date_to < date.max:
        if (end := start_of_day(filters.date_to + timedelta(days=1))) is not None:
            stmt = stmt.where(AuditEntry.at < end)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    return stmt


@dataclass
class Line:
    """One entry as the page shows it."""

    entry: AuditEntry
    at: datetime
    action: str
    what: str
    # (field, before, after) for an update; (field, None, value) otherwise.
    changes: list[tuple[str, str | None, str]]

    @property
    def is_update(self) -> bool:
        return self.entry.action == "update"


@dataclass
class TrailPage:
    """Newest first, by keyset: the ids either side let the page link to older and newer entries."""

    lines: list[Line]
    older_than: int | None
    newer_than: int | None


def local_time(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc).astimezone(COPENHAGEN)


def shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nej"))
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def entity_name(entity: str | None) -> str:
    return str(ENTITIES.get(entity, entity)) if entity else ""


def line(entry: AuditEntry) -> Line:
    changes = entry.changes if isinstance(entry.changes, dict) else ({"": entry.changes} if entry.changes else {})
    if entry.action == "update":
        pairs = [(field, *(value if isinstance(value, list) and len(value) == 2 else [None, value]))
                 for field, value in changes.items()]
        fields = [(field, shown(before), shown(after)) for field, before, after in pairs]
    else:
        fields = [(field, None, shown(value)) for field, value in changes.items()]
    return Line(entry, local_time(entry.at), str(ACTIONS.get(entry.action, entry.action)),
                entity_name(entry.entity), fields)


def page(filters: Filters, *, before: int | None = None, after: int | None = None, size: int = 50) -> TrailPage:
    """A page of entries newest first: older than `before`, or the newest ones newer than `after`."""
    session = db.session
    stmt = trail(filters)
    if after is not None:
        found = list(session.scalars(stmt.where(AuditEntry.id > after).order_by(AuditEntry.id).limit(size + 1)))
        more_newer, found = len(found) > size, found[:size][::-1]
    else:
        if before is not None:
            stmt = stmt.where(AuditEntry.id < before)
        found = list(session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(size + 1)))
        more_older, found = len(found) > size, found[:size]
    if not found:
        return TrailPage([], None, None)
    newest, oldest = found[0].id, found[-1].id
    if after is None:
        more_newer = before is not None and _exists(trail(filters).where(AuditEntry.id > newest))
    else:
        more_older = _exists(trail(filters).where(AuditEntry.id < oldest))
    return TrailPage([line(entry) for entry in found], oldest if more_older else None,
                     newest if more_newer else None)


def _exists(stmt: sa.Select) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists(stmt.with_only_columns(AuditEntry.id)))))


CSV_HEADER = ["tidspunkt", "bruger", "bruger_id", "adresse", "handling", "hvad", "id", "ændringer"]
CSV_CHUNK_ROWS = 500


def csv_lines(filters: Filters) -> Iterator[list[str]]:
    """The export's rows, newest first, read in chunks; every cell guarded against formula injection."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # All rows will be read: plan for all of them, not the first tenth (see csv_export.rows).
        session.execute(sa.text("SET LOCAL cursor_tuple_fraction = 1.0"))
    columns = trail(filters).with_only_columns(
        AuditEntry.at, AuditEntry.actor, AuditEntry.user_id, AuditEntry.remote_addr, AuditEntry.action,
        AuditEntry.entity, AuditEntry.entity_id, AuditEntry.changes).order_by(AuditEntry.id.desc())
    # The file's header is Danish whatever the page's language, and so are the names in it.
    with force_locale("da"):
        names = {entity: str(name) for entity, name in ENTITIES.items()}
    result = session.execute(columns.execution_options(yield_per=CSV_CHUNK_ROWS))
    try:
        for at, actor, user_id, addr, action, entity, entity_id, changes in result:
            cells = [local_time(at).isoformat(timespec="seconds"), actor, "" if user_id is None else str(user_id),
                     addr or "", action, names.get(entity, entity or ""), "" if entity_id is None else str(entity_id),
                     "" if changes is None else json.dumps(changes, ensure_ascii=False, sort_keys=True)]
            yield [neutralise(cell) for cell in cells]
    finally:
        result.close()


def record_export(filters: Filters, file_format: str | None = None) -> None:
    """An export of the trail is itself an export of non-public data: it is audited, with its filters, and the
    file's format where it is not the CSV (entries without one are CSV files)."""
    changes: dict = {"filters": filters.as_args()}
    if file_format is not None:
        changes["format"] = file_format
    record(db.session, "export_audit", changes=changes)

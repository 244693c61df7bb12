"""Every change to the registry's data writes an audit entry in the same transaction.

This is done once, in a flush listener, rather than in each service: a
service cannot forget it, and a change made from the CLI, a view or a test is
audited alike. Who acted comes from the logged-in user in a request, or from
acting_as() in commands.
"""

import contextlib
import contextvars
import enum
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Session

from registry.audit.models import AuditEntry
from registry.errors import Conflict


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: int | None = None
    remote_addr: str | None = None


_cli_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)

SYSTEM = Actor("system")


@contextlib.contextmanager
def acting_as(actor: Actor):
    token = _cli_actor.set(actor)
    try:
        yield actor
    finally:
        _cli_actor.reset(token)


def current_actor() -> Actor:
    if actor := _cli_actor.get():
        return actor
    if has_request_context():
        addr = request.remote_addr
        if current_user and current_user.is_authenticated:
            return Actor(current_user.username, current_user.id, addr)
        return Actor("anonym", None, addr)
    return SYSTEM


def record(session: Session, action: str, entity: str | None = None, entity_id: int | None = None,
           changes: dict | None = None) -> None:
    """Write an event that is not a row change (login, export of private data, import)."""
    actor = current_actor()
    session.add(AuditEntry(actor=actor.name, user_id=actor.user_id, remote_addr=actor.remote_addr,
                           action=action, entity=entity, entity_id=entity_id, changes=changes))


def record_rows(session: Session, action: str, entity: str, rows: list[tuple[int, dict]]) -> None:
    """Audit entries for rows written in bulk with Core (which the flush listener does not see).

    rows: (id, changes) per row, changes as plain JSON values. One INSERT for all.
    """
    if not rows:
        return
    actor = current_actor()
    session.connection().execute(sa.insert(AuditEntry.__table__), [
        dict(user_id=actor.user_id, actor=actor.name, remote_addr=actor.remote_addr, action=action,
             entity=entity, entity_id=entity_id, changes=changes) for entity_id, changes in rows])


def insert_rows(session: Session, table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert the rows in one statement and audit them as created; their ids in the rows' order.

    The rows hold plain values (numbers, text, dates), all with the same keys. The ids come back with the
    rows' contents (RETURNING) and are matched by content: asking the database to keep the parameters' order
    would make SQLite send one INSERT per row. Rows alike in every column are interchangeable.
    """
    if not rows:
        return []
    keys = list(rows[0])
    returned: dict[tuple, list[int]] = {}
    for found in session.execute(sa.insert(table).returning(table.c.id, *(table.c[key] for key in keys)), rows):
        returned.setdefault(tuple(_plain(value) for value in found[1:]), []).append(found[0])
    ids = [returned[tuple(_plain(row[key]) for key in keys)].pop() for row in rows]
    record_rows(session, "create", table.name, [
        (row_id, {key: _plain(value) for key, value in row.items() if value is not None})
        for row_id, row in zip(ids, rows, strict=True)])
    return ids


def update_rows(session: Session, table: sa.Table, rows: list[tuple[int, int, dict]]) -> None:
    """Change the rows in one statement and audit them; refuse (Conflict) if any was changed by someone else
    since it was read, as the models' version_id_col does at the flush.

    rows: (id, version read, {column: [before, after]}), every row changing the same columns.
    """
    if not rows:
        return
    keys = list(rows[0][2])
    statement = (sa.update(table)
                 .where(table.c.id == sa.bindparam("row_id"), table.c.version == sa.bindparam("row_version"))
                 .values(version=table.c.version + 1, **{key: sa.bindparam(f"new_{key}") for key in keys}))
    result = session.execute(statement, [
        {"row_id": row_id, "row_version": version, **{f"new_{key}": changes[key][1] for key in keys}}
        for row_id, version, changes in rows])
    if result.rowcount != len(rows):
        raise Conflict()
    record_rows(session, "update", table.name, [
        (row_id, {key: [_plain(before), _plain(after)] for key, (before, after) in changes.items() if before != after})
        for row_id, _version, changes in rows])


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value


def _changes(session: Session, obj, action: str) -> dict:
    """Column values: created or deleted as they are, updated as [before, after].

    Private columns (info={"private": True}) are masked, so the trail never
    keeps contact details or gender that a person may later ask to have erased.
    """
    state = sa.inspect(obj)
    stored = None
    out = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key == "version":
            continue
        if action == "update":
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            if history.deleted:
                before = history.deleted[0]
            else:
                # The old value was never loaded (expired after a commit): read it from the row.
                stored = stored or _stored_row(session, obj)
                before = stored.get(attr.columns[0].name)
            value = [before, history.added[0] if history.added else None]
        else:
            value = getattr(obj, key)
            if value is None:
                continue
        if attr.columns[0].info.get("private"):
            value = [_mask(v) for v in value] if action == "update" else "***"
        out[key] = [_plain(v) for v in value] if action == "update" else _plain(value)
    return out


def _created(obj) -> dict:
    """A new row as inserted, column defaults included; the key is the entry's entity_id, not a change.

    Only what the INSERT put on the object is read (state.dict): a value the database filled in and
    SQLAlchemy did not fetch back would need a query in the middle of the flush.
    """
    state = sa.inspect(obj)
    keys = {column.key for column in state.mapper.primary_key}
    out = {}
    for attr in state.mapper.column_attrs:
        value = state.dict.get(attr.key)
        if attr.key == "version" or attr.key in keys or value is None:
            continue
        out[attr.key] = "***" if attr.columns[0].info.get("private") else _plain(value)
    return out


def _stored_row(session: Session, obj) -> dict:
    mapper = sa.inspect(obj).mapper
    table = mapper.local_table
    key = sa.inspect(obj).identity
    where = [column == value for column, value in zip(mapper.primary_key, key, strict=True)]
    row = session.connection().execute(sa.select(table).where(*where)).mappings().first()
    return dict(row) if row else {}


def _mask(value):
    return None if value is None else "***"


def _collect(session: Session, flush_context, instances) -> None:
    pending = session.info.setdefault("audit_pending", [])
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, AuditEntry):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            # A new row's values are read after the INSERT (_write), when its defaults are filled in.
            with session.no_autoflush:
                changes = None if action == "create" else _changes(session, obj, action)
                pending.append((action, obj, changes, sa.inspect(obj).identity))


def _write(session: Session, flush_context) -> None:
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    actor = current_actor()
    rows = []
    for action, obj, changes, identity in pending:
        entity_id = identity[0] if identity else sa.inspect(obj).mapper.primary_key_from_instance(obj)[0]
        if changes is None:
            changes = _created(obj)
        rows.append(dict(user_id=actor.user_id, actor=actor.name,
                         action=action, entity=obj.__tablename__, entity_id=entity_id,
                         changes=changes, remote_addr=actor.remote_addr))
    # Written on the flush's own connection, so it commits or rolls back with the change.
    session.connection().execute(sa.insert(AuditEntry.__table__), rows)


def _forget(session: Session, previous_transaction=None) -> None:
    session.info.pop("audit_pending", None)


def register() -> None:
    if not sa.event.contains(Session, "before_flush", _collect):
        sa.event.listen(Session, "before_flush", _collect)
        sa.event.listen(Session, "after_flush", _write)
        sa.event.listen(Session, "after_soft_rollback", _forget)

"""Writing a checked import's new rows on PostgreSQL with COPY, their audit entries too.

An executemany of 100,000 INSERTs spends most of its time in the driver, once
per row; COPY streams the rows in one statement. The ids are taken from the
table's sequence first, so each row's audit entry can name it without reading
the rows back. What is written is what csv_import_write would insert: the same
values, the same audit entries, in the same transaction; SQLite keeps the
executemany path.
"""

import json
from collections.abc import Iterable, Iterator

import psycopg
import sqlalchemy as sa

from registry.audit.models import AuditEntry
from registry.audit.services import current_actor
from registry.dates import utcnow
from registry.extensions import db

# Rows per batch of ids taken from a sequence: the ids' list stays small however large the file.
BATCH = 10_000


def used() -> bool:
    """Whether this session's database takes COPY (PostgreSQL)."""
    return db.session.get_bind().dialect.name == "postgresql"


def reserve_ids(table: sa.Table, count: int) -> list[int]:
    """count new ids from the table's own sequence, as its INSERTs would take them."""
    sequence = sa.func.pg_get_serial_sequence(table.name, "id")
    return list(db.session.scalars(sa.select(sa.func.nextval(sequence)).select_from(
        sa.func.generate_series(1, count))))


def insert(table: sa.Table, rows: list[dict]) -> list[int]:
    """COPY the rows (all with the same columns) into the table with ids of its sequence; their ids in order.
    A refusal by the database (a constraint) is raised as SQLAlchemy's IntegrityError, as an INSERT's is."""
    ids = [row_id for start in range(0, len(rows), BATCH)
           for row_id in reserve_ids(table, min(BATCH, len(rows) - start))]
    given = list(rows[0])
    defaults = [column for column in table.c if column.name not in given and column.name != "id"
                and column.default is not None]
    columns = ["id", *given, *(column.name for column in defaults)]
    # COPY takes an enum column's value, as SQLAlchemy's Enum type stores it; only those columns are converted.
    enums = [index for index, name in enumerate(columns) if isinstance(table.c[name].type, sa.Enum)]
    copy(table.name, columns, (_values([row_id, *row.values(), *(_default(column, row) for column in defaults)],
                                       enums)
                               for row_id, row in zip(ids, rows, strict=True)))
    return ids


def _values(row: list, enums: list[int]) -> list:
    for index in enums:
        if row[index] is not None:
            row[index] = row[index].value
    return row


class _Insert:
    """What a callable column default is given (search_key_default): the row's values."""

    def __init__(self, row: dict) -> None:
        self.row = row

    def get_current_parameters(self) -> dict:
        return self.row


def _default(column: sa.Column, row: dict):
    """The column's default as SQLAlchemy's INSERT fills it in (COPY knows only the database's own)."""
    default = column.default
    return default.arg(_Insert(row)) if default.is_callable else default.arg


def audit(action: str, entity: str, rows: Iterable[tuple[int, dict]]) -> None:
    """The audit entries record_rows would write, one per row: (id, changes as plain JSON values)."""
    actor = current_actor()
    at = utcnow()
    copy(AuditEntry.__tablename__, ["at", "user_id", "actor", "remote_addr", "action", "entity", "entity_id",
                                    "changes"],
         ([at, actor.user_id, actor.name, actor.remote_addr, action, entity, entity_id, json.dumps(changes)]
          for entity_id, changes in rows))


def copy(table: str, columns: list[str], rows: Iterator[list | tuple]) -> None:
    """COPY rows into the table on the session's own connection, so they commit or roll back with it. The
    values are plain: an enum as its value (insert does that)."""
    connection = db.session.connection().connection.driver_connection
    names = ", ".join(f'"{column}"' for column in columns)
    statement = f"COPY {table} ({names}) FROM STDIN"
    try:
        with connection.cursor() as cursor, cursor.copy(statement) as stream:
            for row in rows:
                stream.write_row(row)
    except psycopg.errors.IntegrityError as error:
        raise sa.exc.IntegrityError(statement, None, error) from error

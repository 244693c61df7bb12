"""The import's lines, kept in a temporary table of the database while the file is checked, not in memory.

A national file has a million lines; what the checks across lines need of
each (the seat and role, the dates, the person, the office) and what writing
a new appointment needs go into the table as the lines are read, a batch at a
time (COPY on PostgreSQL). The checks and the writing read them back sorted,
a batch at a time, so the import's memory does not grow with the file. Seats,
persons, offices and references are numbered by the plan (csv_import.Plan);
the table holds the numbers. It lives in the import's transaction and is
dropped when the import is done.
"""

from collections.abc import Iterator

import sqlalchemy as sa

from registry.exchange import csv_import_copy
from registry.extensions import db

# Lines per COPY (or executemany) into the table, and per batch read back.
BATCH = 10_000

LINES = sa.Table(
    "import_lines", sa.MetaData(),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("action", sa.Text, nullable=False),      # the line's outcome before the checks across lines
    sa.Column("hold", sa.Integer, nullable=False),     # seat and role (Plan.hold_keys)
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date),
    sa.Column("person", sa.Integer, nullable=False),   # Plan.person_keys
    sa.Column("held", sa.Integer),                     # the registry's appointment the line is, if any
    sa.Column("office_key", sa.Integer),               # body and formand's or næstformand's office (Plan.office_keys)
    sa.Column("office_from", sa.Date),                 # that office's first and last day
    sa.Column("office_to", sa.Date),
    # A new appointment's other values, as the line gives them (enums by value).
    sa.Column("reason", sa.Text),
    sa.Column("party", sa.Text),
    sa.Column("reference", sa.Integer),                # Plan.reference_keys
    sa.Column("office", sa.Text),
    sa.Column("office_title", sa.Text),
    sa.Column("office_chosen_by", sa.Text),
    sa.Column("office_start", sa.Date),
    sa.Column("office_end", sa.Date),
    prefixes=["TEMPORARY"], postgresql_on_commit="DROP",
)
COLUMNS = [column.name for column in LINES.c]
DATES = [index for index, column in enumerate(LINES.c) if isinstance(column.type, sa.Date)]


def _iso(values: tuple) -> list:
    row = list(values)
    for index in DATES:
        if row[index] is not None:
            row[index] = row[index].isoformat()
    return row


class Staging:
    """The temporary table of one import's lines: add() them in file order, then read them back sorted."""

    def __init__(self) -> None:
        self._buffer: list[tuple] = []
        self.drop()  # left over on this connection by an import that failed midway
        LINES.create(db.session.connection())

    def add(self, values: tuple) -> None:
        """A line's values, in the order of COLUMNS."""
        self._buffer.append(values)
        if len(self._buffer) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        if csv_import_copy.used():
            csv_import_copy.copy(LINES.name, COLUMNS, iter(self._buffer))
        else:
            # The driver's own executemany, with dates as SQLAlchemy stores them on SQLite (ISO text): through
            # SQLAlchemy's bind processing a line cost about 20 µs more.
            cursor = db.session.connection().connection.driver_connection.cursor()
            try:
                cursor.executemany(f"INSERT INTO temp.{LINES.name} VALUES ({', '.join('?' * len(COLUMNS))})",
                                   [_iso(values) for values in self._buffer])
            finally:
                cursor.close()
        self._buffer.clear()

    def rows(self, *columns: str, where=None, order_by: tuple[str, ...]) -> Iterator[sa.Row]:
        """The lines' columns, sorted, read a batch at a time."""
        self._flush()
        stmt = sa.select(*(LINES.c[column] for column in columns)).order_by(*(LINES.c[key] for key in order_by))
        if where is not None:
            stmt = stmt.where(where)
        yield from db.session.execute(stmt.execution_options(yield_per=BATCH))

    @staticmethod
    def drop() -> None:
        schema = "pg_temp" if csv_import_copy.used() else "temp"
        db.session.execute(sa.text(f"DROP TABLE IF EXISTS {schema}.{LINES.name}"))

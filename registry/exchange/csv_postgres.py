"""The registry's CSV files written by PostgreSQL itself: `COPY (SELECT …) TO STDOUT WITH (FORMAT csv)`, streamed.

Python's csv module (registry/csvfiles.py) and COPY's CSV agree cell by cell when every cell is text or
NULL: both quote a cell that holds the delimiter, a double quote, CR or LF, and double the quotes inside.
Two differences are closed here. COPY quotes an empty string, because it writes NULL as nothing: so an
empty cell is sent as NULL (cell()). And COPY ends a line with LF where the registry's files end with
CRLF: the server sends exactly one row per CopyData message (the protocol's "COPY Operations") and psycopg
reads one message at a time, so a row's last byte is its line end, and a line break inside a quoted cell
is left as it is. The cells are formatted in SQL as the Python exports format them; the export tests run on
both databases and compare the two paths.
"""

import enum
from collections.abc import Iterator

import sqlalchemy as sa

from registry.csvfiles import CHUNK_ROWS, FORMULA_STARTS, LEADING_SPACES, check_delimiter, neutralise, write
from registry.extensions import db

# csvfiles.neutralise as a regular expression: any apostrophes, then any leading spaces, then a formula's
# first character ('-' first, where a bracket expression reads it as itself).
_FORMULA = ("^['" + LEADING_SPACES + "]*[" + "".join(sorted(FORMULA_STARTS, key=lambda start: start != "-"))
            + "]")
# A cell that begins with a character from 'A' up to (not including) the no-break space cannot need an
# apostrophe, and most do: comparing bytes first (about a third of the regular expression's cost, measured)
# keeps the regular expression to the few others.
_LETTER, _NO_BREAK_SPACE = "A", "\u00a0"


def neutralised(text) -> sa.ColumnElement[str]:
    """csvfiles.neutralise in SQL: an apostrophe before a cell Excel would run as a formula, behind any
    apostrophes and leading spaces."""
    raw = sa.collate(text, "C")
    return sa.case((sa.and_(raw >= _LETTER, raw < _NO_BREAK_SPACE), text),
                   (text.regexp_match(_FORMULA), sa.literal("'").concat(text)), else_=text)


def cell(text) -> sa.ColumnElement[str]:
    """A text cell as the file writes it: neutralised, and empty as NULL, which COPY writes as nothing."""
    return sa.func.nullif(neutralised(text), sa.literal(""))


def day(value) -> sa.ColumnElement[str]:
    """A date as date.isoformat() writes it, whatever the session's DateStyle; NULL stays NULL."""
    return sa.func.to_char(value, sa.literal("YYYY-MM-DD"))


def word(column, enum_class: type[enum.Enum]) -> sa.ColumnElement[str]:
    """An enum column as its Danish word (LabelledEnum.danish), the word the CSV files write."""
    # Compared as the stored text: enum_column keeps an enum's value in a VARCHAR.
    return sa.case({member.value: neutralise(member.danish) for member in enum_class},
                   value=sa.type_coerce(column, sa.String))


def export(header: list[str], lines: sa.Select, delimiter: str) -> Iterator[str]:
    """The file as text chunks, as csvfiles.write gives them: BOM and header, then CHUNK_ROWS lines at a time.
    lines: one text (or NULL) column per cell, formatted and neutralised, in the file's order."""
    check_delimiter(delimiter)
    # JIT would compile the many short cell expressions for about a second at 300,000 lines and gain less
    # than that back (measured; tests/benchmarks/export.py). SET LOCAL ends with the transaction.
    db.session.execute(sa.text("SET LOCAL jit = off"))
    sql = str(lines.compile(db.session.get_bind(), compile_kwargs={"literal_binds": True}))
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER '{delimiter}', ENCODING 'UTF8')"
    # The session's own connection and transaction: the file sees what the rest of the request sees.
    cursor = db.session.connection().connection.driver_connection.cursor()
    try:
        with cursor.copy(copy_sql) as copy:
            # The header goes out with the first lines, once the query has started without an error.
            chunk, start = [], "".join(write(header, [], delimiter))
            for row in copy:
                chunk.append(bytes(row[:-1]))
                if len(chunk) == CHUNK_ROWS:
                    yield start + (b"\r\n".join(chunk) + b"\r\n").decode("utf-8")
                    chunk.clear()
                    start = ""
            yield start + (b"\r\n".join(chunk) + b"\r\n").decode("utf-8") if chunk else start
    finally:
        cursor.close()

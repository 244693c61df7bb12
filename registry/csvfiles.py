"""The registry's CSV format, shared by every export and by the import.

UTF-8 with BOM, ';' (or ',') between cells, CRLF line ends: what Danish Excel
opens correctly. Every cell that Excel would run as a formula is neutralised
on the way out, and exactly that is undone on the way in.
"""

import csv
import io
from collections.abc import Iterable, Iterator

DELIMITERS = (";", ",")
BOM = "\ufeff"
CHUNK_ROWS = 500

# Excel runs a cell that begins with one of these as a formula (OWASP "CSV
# injection"); a leading apostrophe makes it text. An importer undoes exactly that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# OWASP's list stops there, but Excel and LibreOffice trim leading spaces before they look for a formula in
# some settings, so " =1+1" is neutralised too.
LEADING_SPACES = " \u00a0"


def _needs_apostrophe(cell: str) -> bool:
    # A cell that already begins with apostrophes before a formula gets one more, so that the importer,
    # which takes exactly one off, gives back what was exported.
    rest = cell.lstrip("'")
    return rest.startswith(FORMULA_STARTS) or rest.lstrip(LEADING_SPACES).startswith(FORMULA_STARTS)


def neutralise(cell: str) -> str:
    return "'" + cell if _needs_apostrophe(cell) else cell


def undo_neutralise(cell: str) -> str:
    """Remove the apostrophe the export puts before a cell Excel would run as a formula, and nothing else."""
    if cell.startswith("'") and _needs_apostrophe(cell[1:]):
        return cell[1:]
    return cell


def check_delimiter(delimiter: str) -> None:
    if delimiter not in DELIMITERS:
        raise ValueError(f"Ukendt skilletegn '{delimiter}': brug ';' eller ','.")


def write(header: list[str], lines: Iterable[list[str]], delimiter: str) -> Iterator[str]:
    """A CSV file as text chunks in the registry's format (BOM, the header, CRLF), CHUNK_ROWS lines at a time.

    The cells are written as given: the caller neutralises them.
    """
    check_delimiter(delimiter)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write(BOM)
    writer.writerow(header)
    for count, cells in enumerate(lines, start=1):
        writer.writerow(cells)
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()

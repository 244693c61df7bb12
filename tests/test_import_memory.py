"""The import's memory at two sizes of file: issue 15 asks that it not grow with the file.

The two files name the same seats and persons; the larger has ten times the lines (more terms on each seat).
What the import keeps per seat and per person is bounded by the registry; what it keeps per line is not
allowed to be: the lines wait in a temporary table (csv_import_staging) and only the first ones' outcomes
are kept in full.
"""

import csv
import io
import tracemalloc
from datetime import date, timedelta

import pytest

from registry.exchange import csv_import_copy, csv_import_staging, csv_import_write
from registry.exchange.csv_export import BASE_HEADER
from registry.exchange.csv_import import import_csv
from registry.extensions import db

# Both databases: PostgreSQL stages and writes with COPY, SQLite with executemany.
pytestmark = pytest.mark.both_databases

SEATS = 20
PERSONS = 40


def terms_file(lines: int) -> bytes:
    """lines appointments on SEATS seats, a member and a suppleant at a time, in terms of a fortnight."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(BASE_HEADER)
    for number in range(lines):
        seat, role = divmod(number % (SEATS * 2), 2)
        start = date(2000, 1, 1) + timedelta(days=14 * (number // (SEATS * 2)))
        writer.writerow([f"Råd {seat % 4}", f"Plads {seat}", ("medlem", "suppleant")[role],
                         f"Person {(number * 7) % PERSONS:03}", "A", "Gentofte", start.isoformat(),
                         (start + timedelta(days=13)).isoformat(), "", "KKR Hovedstaden", ""])
    return buffer.getvalue().encode("utf-8-sig")


def _peak(lines: int) -> int:
    """Peak traced memory of importing a file of this many lines into the empty registry, nothing kept."""
    data = terms_file(lines)
    tracemalloc.start()
    try:
        result = import_csv(data, dry_run=False)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        db.session.rollback()
    assert result.ok, result.errors[:3]
    assert result.created["udpegninger"] == lines
    return peak


def test_import_memory_does_not_grow_with_the_file(app, monkeypatch):
    # The lines go to the database and are read back in batches (10,000 lines); small ones here, so that the
    # two files differ in batches, not only in lines. The lines of one seat are checked together (the
    # one-holder rule), so those do grow with the file here, a little: the larger file has more on each seat.
    monkeypatch.setattr(csv_import_staging, "BATCH", 30)
    monkeypatch.setattr(csv_import_write, "CHUNK", 30)
    monkeypatch.setattr(csv_import_copy, "BATCH", 30)
    _peak(100)  # warm caches (compiled statements, translations)
    small = _peak(300)
    large = _peak(3_000)
    # Ten times the lines; an import that kept every line (as it did, about 2 kB a line) would need about ten
    # times the memory.
    assert large < small * 2, (small, large)

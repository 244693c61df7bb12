"""A national file: the first lines told in full and the rest counted, the file read in chunks, the tables
analysed after a large import (issue 15)."""

import pytest

from registry.exchange import csv_import_read, csv_import_write
from registry.exchange.csv_import import import_csv
from registry.extensions import db
from registry.people.models import Person
from tests import factories as make
from tests.test_import import csv_file, line

# Both databases: the lines wait in a temporary table, filled with COPY on PostgreSQL.
pytestmark = pytest.mark.both_databases


def test_beyond_the_lines_told_the_outcomes_are_counted_and_refusals_still_found(app):
    data = csv_file([line(plads=f"Plads {n}", navn=f"Person {n}", startdato="2022-01-01") for n in range(1, 6)] + [
        # Line 7 gives Plads 1 a second member (told on line 7, beyond the lines told in full); line 8 one
        # that begins before line 4's (told on line 4, which is told in full).
        line(plads="Plads 1", navn="Bo", startdato="2023-01-01"),
        line(plads="Plads 3", navn="Eva", startdato="2021-01-01", slutdato="2022-06-30")])
    result = import_csv(data, dry_run=True, shown=3)
    assert [outcome.line for outcome in result.lines] == [2, 3, 4]
    assert result.line_count == 7
    assert result.actions == {"create": 5, "change": 0, "unchanged": 0, "refused": 2}
    assert result.error_count == 2
    assert result.errors == [
        "linje 4: Pladsen (RAR Hovedstaden, Plads 3) har allerede Eva som medlem fra 01.01.2021 til 30.06.2022 "
        "(linje 8).",
        "linje 7: Pladsen (RAR Hovedstaden, Plads 1) har allerede Person 1 som medlem fra 01.01.2022 uden slutdato "
        "(linje 2)."]
    assert (result.lines[2].action, result.lines[2].text) == ("refused", result.errors[0].removeprefix("linje 4: "))
    assert result.lines[0].action == "create"
    assert not result.applied


def test_a_line_refused_twice_is_one_refused_line(app):
    # Line 3 gives the seat a second member, and the body a second formand.
    formand = {"hverv": "formand", "hverv_valgt_af": "udpeget af KKR"}
    data = csv_file([line(**formand), line(navn="Bo", startdato="2023-01-01", **formand)])
    result = import_csv(data, dry_run=True, shown=1)
    assert [error.split(":")[0] for error in result.errors] == ["linje 3", "linje 3"]
    assert result.actions == {"create": 1, "change": 0, "unchanged": 0, "refused": 1}
    assert result.line_count == 2


def test_a_file_read_in_chunks_reads_as_a_whole(app, monkeypatch):
    # Characters of two bytes split between chunks are still UTF-8, not Windows-1252.
    monkeypatch.setattr(csv_import_read, "DECODE_CHUNK", 3)
    data = csv_file([line(navn="Søren Ærø", kommune="Frederiksberg"), line(plads="Plads 2", navn="Åse Øst")],
                    encoding="utf-8")
    result = import_csv(data, dry_run=False)
    assert result.ok, result.errors
    assert sorted(db.session.scalars(db.select(Person.name))) == ["Søren Ærø", "Åse Øst"]
    db.session.rollback()


def test_a_bad_byte_far_into_a_file_is_found_on_its_line(app, monkeypatch):
    monkeypatch.setattr(csv_import_read, "DECODE_CHUNK", 5)
    data = csv_file([line(plads=f"Plads {n}") for n in range(1, 5)]) + b"RAR\xff;\r\n"
    result = import_csv(data, dry_run=True)
    assert result.errors == ["linje 6: filen begynder som UTF-8, men har tegn, der ikke er UTF-8."]


def test_a_large_import_analyses_the_tables_it_wrote_on_postgresql(app, monkeypatch):
    monkeypatch.setattr(csv_import_write, "ANALYSE_AFTER", 2)
    data = csv_file([line(plads=f"Plads {n}", navn=f"Person {n}") for n in range(1, 4)])
    with make.queries() as statements:
        assert import_csv(data, dry_run=False).applied
    analysed = [statement for statement in statements if statement.startswith("ANALYZE")]
    if db.engine.dialect.name == "postgresql":
        assert analysed == ["ANALYZE appointments, audit_entries, persons, seats"]
    else:
        assert analysed == []
    db.session.rollback()

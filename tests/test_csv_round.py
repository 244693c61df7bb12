"""The appointments CSV after the election-period round (issue 13): the holders who carry on until a successor
is seated, and the council mandate each holder has, in columns after the earlier ones; the import reads past
them, so an exported file still reads back with nothing to change."""

import csv
import io
from datetime import date, timedelta

import pytest

from registry.appointments import services
from registry.appointments.models import EndReason
from registry.dates import today
from registry.exchange import csv_export
from registry.exchange.csv_import import import_csv
from registry.extensions import db
from registry.mandates import services as mandates
from registry.organisations.rosters import organisation_page
from registry.organisations.services import election_periods
from tests import factories as make
from tests import nomination_factories as nominate
from tests.test_carry_over import seat_through_kkr
from tests.test_export_postgres import exported, python_file
from tests.test_import import snapshot

# Both databases: as-of queries, the mandate picked in SQL, export and import.
pytestmark = pytest.mark.both_databases

DERIVED = ["fortsætter_indtil_ny_er_udpeget", "kommunalbestyrelse", "kommunalt_hverv"]
EMAIL, PHONE = nominate.CARLA_EMAIL, nominate.CARLA_PHONE


@pytest.fixture
def movia(app):
    movia = nominate.carried_over_borgmester()
    return movia["seat"], movia["carla"]


def export(query: str, client) -> bytes:
    response = client.get(f"/export/appointments.csv?{query}")
    assert response.status_code == 200, response.text
    return response.data


def lines(client, query: str) -> dict[str, list[str]]:
    """The data lines by the holder's name, as {name: [carries on, council, office]}."""
    rows = list(csv.reader(io.StringIO(export(query, client).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][-3:] == DERIVED
    return {row[3]: row[-3:] for row in rows[1:]}


def test_the_new_columns_come_after_all_the_earlier_ones(app):
    assert csv_export.HEADER == csv_export.BASE_HEADER + csv_export.BODY_HEADER + DERIVED
    assert csv_export.DERIVED_HEADER == DERIVED


def test_a_holder_whose_term_has_ended_carries_on_in_the_file_until_the_successor_is_seated(client, movia):
    seat, carla = movia
    assert lines(client, "as_of=2025-12-31")["Carla Eksempel"][0] == ""
    assert lines(client, "as_of=2026-02-01")["Carla Eksempel"][0] == "ja"
    assert lines(client, "all=1")["Carla Eksempel"][0] == "ja"  # today lies after 2025

    seat_through_kkr(seat, make.person("Dina Efterfølger", party_letter="C"), date(2026, 3, 1))
    # Seating the successor ends Carla's appointment the day before: until then she carried on, as the roster
    # says; from the successor's first day she is no longer listed.
    assert lines(client, "as_of=2026-02-01")["Carla Eksempel"][0] == "ja"
    assert lines(client, "as_of=2026-02-28")["Carla Eksempel"][0] == "ja"
    assert lines(client, "as_of=2026-03-01") == {"Dina Efterfølger": ["", "", ""]}
    # The whole history is read as of today, when Carla no longer holds the seat.
    history = lines(client, "all=1")
    assert history["Carla Eksempel"][0] == history["Dina Efterfølger"][0] == ""


def test_a_holder_carries_on_today_when_the_successor_is_appointed_from_a_later_day(client, movia):
    seat, carla = movia
    seat_through_kkr(seat, make.person("Dina Efterfølger", party_letter="C"), today() + timedelta(days=30))
    assert lines(client, "all=1") == {"Carla Eksempel": ["ja", "", ""], "Dina Efterfølger": ["", "", ""]}
    assert lines(client, f"as_of={today().isoformat()}") == {"Carla Eksempel": ["ja", "", ""]}


def test_the_file_marks_the_holders_the_roster_marks_and_postgresql_writes_the_same_bytes(client, movia):
    """On PostgreSQL the file is written by COPY (exchange/csv_postgres.py), here compared with the Python path
    over the days around a successor's seating, with and without one appointed from a later day."""
    seat, carla = movia
    (held,) = carla.appointments
    periods = election_periods()
    days = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 1), today()]

    def compared() -> None:
        for day in [*days, None]:
            selection = csv_export.Selection(as_of=day)
            assert exported(selection) == python_file(selection), day
        for day in days:
            carried = organisation_page(seat.organisation, day, periods).roster.carried_over
            marked = "ja" if held.id in carried else ""
            assert lines(client, f"as_of={day.isoformat()}").get("Carla Eksempel", [""])[0] == marked, day

    compared()
    seat_through_kkr(seat, make.person("Dina Efterfølger", party_letter="C"), today() + timedelta(days=30))
    compared()


def test_a_body_with_terms_of_its_own_carries_on_after_its_own_term(client, app):
    """KommuneKredit's periods run 1 June to 31 May."""
    seat = make.seat(make.organisation("KommuneKredit", follows_election_period=False, term_years=4,
                                       term_start=date(2022, 6, 1)), has_substitute=False)
    make.appoint(seat, make.person("Erik Eksempel"), date(2022, 6, 1))
    db.session.commit()
    assert lines(client, "as_of=2026-05-31")["Erik Eksempel"][0] == ""
    assert lines(client, "as_of=2026-06-01")["Erik Eksempel"][0] == "ja"


def test_the_council_mandate_is_named_on_the_day_and_not_after_it_ended(client, movia):
    seat, carla = movia
    assert lines(client, "as_of=2022-01-01")["Carla Eksempel"][1:] == ["Gentofte", "borgmester"]
    assert lines(client, "as_of=2025-12-31")["Carla Eksempel"][1:] == ["Gentofte", "borgmester"]
    assert lines(client, "as_of=2026-01-01")["Carla Eksempel"][1:] == ["", ""]
    # Re-elected after all, as a member: the new mandate is named from its first day.
    mandates.record(carla, make.municipality("Gentofte"), date(2026, 1, 15), party=make.party("C"))
    db.session.commit()
    assert lines(client, "as_of=2026-01-14")["Carla Eksempel"][1:] == ["", ""]
    assert lines(client, "as_of=2026-01-15")["Carla Eksempel"][1:] == ["Gentofte", ""]


def test_in_the_whole_history_an_ended_appointment_names_the_mandate_of_its_last_day(client, movia):
    seat, carla = movia
    other = make.seat(seat.organisation, "Plads 2", has_substitute=False)
    bo = make.person("Bo Viceborgmester", "Frederiksberg")
    services.end(make.appoint(other, bo, date(2022, 1, 1)), date(2024, 6, 30), EndReason.resigned)
    mandates.record(bo, make.municipality("Frederiksberg"), date(2022, 1, 1), end=date(2025, 12, 31),
                    office="viceborgmester")
    db.session.commit()
    history = lines(client, "all=1")
    assert history["Bo Viceborgmester"][1:] == ["Frederiksberg", "viceborgmester"]
    # Carla still holds her seat, and has no mandate today.
    assert history["Carla Eksempel"][1:] == ["", ""]


def test_of_two_mandates_at_once_the_latest_is_named(client, movia):
    seat, carla = movia
    mandates.record(carla, make.municipality("Hvidovre"), date(2024, 1, 1), end=date(2025, 12, 31))
    mandates.record(carla, make.municipality("Ishøj"), date(2023, 1, 1), end=date(2025, 12, 31), office="formand")
    db.session.commit()
    assert lines(client, "as_of=2023-06-01")["Carla Eksempel"][1:] == ["Ishøj", "formand"]
    assert lines(client, "as_of=2025-06-01")["Carla Eksempel"][1:] == ["Hvidovre", ""]


def test_gender_email_and_phone_never_reach_the_file(client, movia):
    for query in ("as_of=2025-12-31", "as_of=2026-02-01", "all=1"):
        data = export(query, client).decode("utf-8-sig")
        assert "Carla Eksempel" in data
        for private in (EMAIL, PHONE, "kvinde", "køn", "email"):
            assert private not in data, (query, private)


def test_an_exported_file_with_the_new_columns_imports_with_nothing_to_change(client, movia):
    seat, carla = movia
    mandates.record(carla, make.municipality("Gentofte"), date(2026, 1, 15), party=make.party("C"))
    db.session.commit()
    derived = {"all=1": ["ja", "Gentofte", ""], "as_of=2026-02-01": ["ja", "Gentofte", ""],
               "as_of=2025-12-31": ["", "Gentofte", "borgmester"]}
    for query, cells in derived.items():
        assert lines(client, query)["Carla Eksempel"] == cells
        data = export(query, client)
        before = snapshot()
        result = import_csv(data, dry_run=False)
        db.session.commit()
        assert result.ok, result.errors
        assert {outcome.action for outcome in result.lines} == {"unchanged"}, query
        after = snapshot()
        assert after.pop("audit_entries") == before.pop("audit_entries") + 1
        assert after == before
        assert export(query, client) == data


def test_the_import_reads_past_the_derived_columns_whatever_they_say(client, movia):
    data = export("all=1", client).decode("utf-8-sig")
    edited = data.replace(";ja;;\r\n", ";;Atlantis;kejser\r\n")
    assert edited != data
    before = snapshot()
    result = import_csv(edited.encode("utf-8-sig"), dry_run=True)
    assert result.ok, result.errors
    assert {outcome.action for outcome in result.lines} == {"unchanged"}
    db.session.rollback()
    assert snapshot() == before


def _holders(count: int) -> None:
    """count more bodies following the period, each with a holder carrying on and a council mandate."""
    for i in range(count):
        seat = make.seat(make.organisation(f"Udvalg {count}-{i}"), has_substitute=False)
        person = make.person(f"Holder {count}-{i}", "Gentofte")
        make.appoint(seat, person, date(2022, 1, 1))
        mandates.record(person, make.municipality("Gentofte"), date(2022, 1, 1), office="borgmester")
    db.session.commit()


def test_the_export_takes_as_many_queries_for_one_line_as_for_many(client, movia):
    def statements(query: str) -> tuple[int, int]:
        with make.queries() as run:
            data = export(query, client)
        return len(run), data.count(b";ja;Gentofte;borgmester\r\n")

    counts = {query: statements(query) for query in ("as_of=2026-02-01", "all=1")}
    assert {query: found for query, (_, found) in counts.items()} == {"as_of=2026-02-01": 0, "all=1": 0}
    _holders(1)
    one = {query: statements(query) for query in counts}
    _holders(20)
    many = {query: statements(query) for query in counts}
    assert [found for _, found in one.values()] == [1, 1]
    assert [found for _, found in many.values()] == [21, 21]
    assert [run for run, _ in one.values()] == [run for run, _ in many.values()] == [run for run, _ in
                                                                                    counts.values()]

"""The appointments CSV: the contract other tools rely on."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments import services
from registry.appointments.models import EndReason, Role
from registry.csvfiles import undo_neutralise
from registry.exchange import csv_export
from registry.extensions import db
from tests import factories as make

# Both databases: the export queries, as-of and order.
pytestmark = pytest.mark.both_databases

# The first export's header: tools read its columns by position, so it stays the beginning of every file.
FIRST_HEADER = ("organisation;plads;rolle;navn;parti;kommune;startdato;slutdato;ophørsårsag;udpegende_myndighed;"
                "indstilling")
HEADER = (FIRST_HEADER + ";hverv;hverv_valgt_af;hverv_start;hverv_slut;pladstype;embede;suppleant_nr;besættes_af;"
          "indstilles_af;fortsætter_indtil_ny_er_udpeget;kommunalbestyrelse;kommunalt_hverv")
# The later columns of a member without an office on an ordinary seat, carrying nothing over, without a
# council mandate.
ORDINARY = ["", "", "", "", "stemmeberettiget", "", "", "KKR", "", "", "", ""]


def export_bytes(client, query: str = "") -> bytes:
    response = client.get("/export/appointments.csv" + query)
    assert response.status_code == 200, response.data
    return response.data


def parse(data: bytes, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


@pytest.fixture
def rar(app):
    """RAR Hovedstaden as item 4.1 found it, plus a Skoletjenesten that has closed."""
    rar_seat = make.seat(make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren"))
    kofoed = make.appoint(rar_seat, make.person("Lotte Kofoed", "Frederiksberg"), date(2022, 1, 1),
                          decision=make.decision(date(2021, 12, 14), "4.1"))
    make.appoint(rar_seat, make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre"), date(2022, 1, 1),
                 role=Role.substitute)
    school = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    make.appoint(school, make.person("Esat Sentürk", "Høje-Taastrup", "B"), date(2022, 1, 1), date(2024, 10, 31))
    db.session.commit()
    return kofoed


def test_file_is_utf8_with_bom_semicolons_and_crlf(client, rar):
    data = export_bytes(client, "?as_of=2024-04-19")
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode("utf-8") + b"\r\n")
    assert data.count(b"\r\n") == 4
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert parse(data)[1:] == [
        ["RAR Hovedstaden", "Plads 1", "medlem", "Lotte Kofoed", "F", "Frederiksberg", "2022-01-01", "", "",
         "Beskæftigelsesministeren", "KKR Hovedstaden 2021-12-14 pkt. 4.1", *ORDINARY],
        ["RAR Hovedstaden", "Plads 1", "suppleant", "Marie-Louise Peschardt Jørgensen", "F", "Hvidovre",
         "2022-01-01", "", "", "Beskæftigelsesministeren", "", *ORDINARY],
        ["Skoletjenesten", "Plads 1", "medlem", "Esat Sentürk", "B", "Høje-Taastrup", "2022-01-01", "2024-10-31",
         "", "KKR Hovedstaden", "", *ORDINARY],
    ]


def test_the_first_exports_columns_stay_first_in_their_order(client, rar):
    """A tool that reads the first eleven columns by position reads the same cells as before."""
    assert HEADER.startswith(FIRST_HEADER + ";")
    assert csv_export.BASE_HEADER == FIRST_HEADER.split(";")
    assert csv_export.HEADER[:len(csv_export.BASE_HEADER)] == csv_export.BASE_HEADER
    first = [row[:11] for row in parse(export_bytes(client, "?as_of=2024-04-19"))]
    assert first[0] == FIRST_HEADER.split(";")
    assert first[1] == ["RAR Hovedstaden", "Plads 1", "medlem", "Lotte Kofoed", "F", "Frederiksberg", "2022-01-01",
                        "", "", "Beskæftigelsesministeren", "KKR Hovedstaden 2021-12-14 pkt. 4.1"]


def test_response_names_the_file_and_type(client, rar):
    response = client.get("/export/appointments.csv?as_of=2024-04-19")
    assert response.mimetype == "text/csv"
    assert 'filename="udpegninger-2024-04-19.csv"' in response.headers["Content-Disposition"]


def test_comma_delimiter_for_other_tools(client, rar):
    data = export_bytes(client, "?as_of=2024-04-19&delimiter=,")
    assert data.decode("utf-8-sig").startswith(HEADER.replace(";", ",") + "\r\n")
    assert parse(data, ",")[1][3] == "Lotte Kofoed"


def test_as_of_includes_the_first_and_the_last_day_and_nothing_outside(client, rar):
    names = lambda day: [row[3] for row in parse(export_bytes(client, f"?as_of={day}"))[1:]]  # noqa: E731
    assert "Esat Sentürk" not in names("2021-12-31")
    assert "Esat Sentürk" in names("2022-01-01")
    assert "Esat Sentürk" in names("2024-10-31")
    assert "Esat Sentürk" not in names("2024-11-01")


def test_default_is_today_and_all_gives_the_whole_history(client, rar):
    services.end(rar, date(2024, 4, 30), EndReason.resigned)
    db.session.commit()
    today_rows = parse(export_bytes(client))[1:]
    assert [row[3] for row in today_rows] == ["Marie-Louise Peschardt Jørgensen"]
    history = parse(export_bytes(client, "?all=1"))[1:]
    assert [(row[3], row[7], row[8]) for row in history] == [
        ("Lotte Kofoed", "2024-04-30", "udtrådt"),
        ("Marie-Louise Peschardt Jørgensen", "", ""),
        ("Esat Sentürk", "2024-10-31", ""),
    ]


def test_a_formula_behind_spaces_gets_an_apostrophe_too_and_comes_back_as_it_was(client, app):
    """OWASP names only the first character; Excel and LibreOffice may trim leading spaces before they
    evaluate, so a formula behind spaces is neutralised too. An apostrophe the text itself begins with
    survives the round trip."""
    seat = make.seat(make.organisation(" =1+1"), label="  @SUM(A1)")
    make.appoint(seat, make.person("'Quoted", party_letter=None), date(2024, 1, 1))
    db.session.commit()
    rows = parse(export_bytes(client, "?as_of=2024-01-01"))[1:]
    assert rows[0][:2] == ["' =1+1", "'  @SUM(A1)"]
    assert rows[0][3] == "'Quoted"
    assert [undo_neutralise(cell) for cell in rows[0][:2]] == [" =1+1", "  @SUM(A1)"]


def test_cells_that_excel_would_run_as_formulas_get_an_apostrophe(client, app):
    seat = make.seat(make.organisation("=HYPERLINK(\"http://x\")", appointing_authority="@SUM(A1)"), label="+1")
    make.appoint(seat, make.person("-Minus", party_letter=None), date(2024, 1, 1))
    make.appoint(make.seat(make.organisation("Normal; med \"citat\""), label="\tTab"),
                 make.person("Navn\rmed CR"), date(2024, 1, 1))
    db.session.commit()
    rows = parse(export_bytes(client, "?as_of=2024-01-01"))[1:]
    assert rows[0][:4] == ["'=HYPERLINK(\"http://x\")", "'+1", "medlem", "'-Minus"]
    assert rows[0][9] == "'@SUM(A1)"
    # Only the leading character counts; a ';' or quotes inside are quoted, not prefixed.
    assert rows[1][:2] == ["Normal; med \"citat\"", "'\tTab"]
    assert rows[1][3] == "Navn\rmed CR"


def test_rows_sort_by_organisation_danish_way_then_seat_role_and_start(client, app):
    for name in ["Øresund", "Åbent Forum", "Ærø Råd", "Zealand", "arbejdsgruppe", "Über Udvalg"]:
        make.appoint(make.seat(make.organisation(name)), make.person(f"Medlem af {name}"), date(2024, 1, 1))
    org = make.organisation("Bestyrelse")
    seat2, seat10 = make.seat(org, "Plads 2", position=2), make.seat(org, "Plads 10", position=10)
    make.appoint(seat10, make.person("Ti"), date(2024, 1, 1))
    make.appoint(seat2, make.person("To, suppleant"), date(2023, 1, 1), role=Role.substitute)
    make.appoint(seat2, make.person("To, senere"), date(2024, 1, 1), date(2024, 12, 31))
    make.appoint(seat2, make.person("To, først"), date(2022, 1, 1), date(2023, 12, 31))
    db.session.commit()
    rows = parse(export_bytes(client, "?all=1"))[1:]
    assert [row[0] for row in rows] == ["arbejdsgruppe", "Bestyrelse", "Bestyrelse", "Bestyrelse", "Bestyrelse",
                                        "Über Udvalg", "Zealand", "Ærø Råd", "Øresund", "Åbent Forum"]
    assert [row[3] for row in rows[1:5]] == ["To, først", "To, senere", "To, suppleant", "Ti"]


def test_two_exports_of_the_same_data_are_byte_identical(client, rar):
    assert export_bytes(client, "?all=1") == export_bytes(client, "?all=1")


def test_the_file_is_in_danish_whatever_the_language_of_the_pages(client, rar):
    services.end(rar, date(2024, 5, 31), EndReason.resigned)
    db.session.commit()
    danish = export_bytes(client, "?all=1")
    assert ";medlem;" in danish.decode()
    assert ";suppleant;" in danish.decode()
    assert ";udtrådt;" in danish.decode()
    client.set_cookie("lang", "en")
    assert export_bytes(client, "?all=1") == danish


def test_cli_and_web_give_the_same_bytes(client, runner, rar, tmp_path):
    for args, query in [(["--as-of", "2024-04-19"], "?as_of=2024-04-19"), (["--all"], "?all=1"),
                        (["--all", "--delimiter", ","], "?all=1&delimiter=,")]:
        to_stdout = runner.invoke(args=["registry", "export-csv", *args])
        assert to_stdout.exit_code == 0, to_stdout.output
        assert to_stdout.stdout_bytes == export_bytes(client, query)
    target = tmp_path / "udpegninger.csv"
    result = runner.invoke(args=["registry", "export-csv", "--all", "--output", str(target)])
    assert result.exit_code == 0
    assert target.read_bytes() == export_bytes(client, "?all=1")


@pytest.mark.parametrize(("query", "message"), [
    ("?as_of=19-04-2024", "Ugyldig dato"),
    ("?as_of=2024-02-30", "Ugyldig dato"),
    ("?delimiter=%7C", "Ukendt skilletegn"),
])
def test_bad_parameters_get_a_clear_400(client, app, query, message):
    response = client.get("/export/appointments.csv" + query)
    assert response.status_code == 400
    assert message in response.text


def test_cli_refuses_bad_options_clearly(runner, app):
    result = runner.invoke(args=["registry", "export-csv", "--as-of", "2024-13-01"])
    assert result.exit_code == 2
    assert "Ugyldig dato" in result.output
    result = runner.invoke(args=["registry", "export-csv", "--as-of", "2024-01-01", "--all"])
    assert result.exit_code == 2
    assert "ikke begge" in result.output


# Streaming: neither memory nor the number of queries grows with the rows.

def _measure(app) -> tuple[int, int, int]:
    """(rows, queries, peak bytes) for one full export through the web endpoint: its lines but the header."""
    lines, statements, peak = make.streamed(app, "/export/appointments.csv?all=1")
    return lines - 1, statements, peak


def test_export_streams_with_flat_memory_and_query_count(app):
    make.bulk_members(1_000)
    _measure(app)  # warm caches (compiled statements, templates)
    small = _measure(app)
    make.bulk_members(20_000)
    large = _measure(app)
    assert (small[0], large[0]) == (1_000, 21_000)
    assert small[1] == large[1], "the number of SQL statements must not grow with the rows"
    # 21 times the rows; a buffered export would need ~20 times the memory.
    assert large[2] < small[2] * 3, (small, large)


def test_a_page_can_export_just_what_it_shows(client, runner, rar):
    from registry.models import Municipality, Organisation, Party

    rar_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "RAR Hovedstaden"))
    b_id = db.session.scalar(sa.select(Party.id).where(Party.letter == "B"))
    hvidovre_id = db.session.scalar(sa.select(Municipality.id).where(Municipality.name == "Hvidovre"))
    names = lambda query: [row[3] for row in parse(export_bytes(client, query))[1:]]  # noqa: E731
    assert names(f"?as_of=2024-04-19&organisation_id={rar_id}") == ["Lotte Kofoed",
                                                                     "Marie-Louise Peschardt Jørgensen"]
    assert names(f"?all=1&party_id={b_id}") == ["Esat Sentürk"]
    assert names(f"?as_of=2024-04-19&municipality_id={hvidovre_id}") == ["Marie-Louise Peschardt Jørgensen"]
    result = runner.invoke(args=["registry", "export-csv", "--all", "--party-id", str(b_id)])
    assert result.stdout_bytes == export_bytes(client, f"?all=1&party_id={b_id}")


def test_organisation_page_links_to_the_csv_of_that_body(client, rar):
    from registry.models import Organisation

    rar_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "RAR Hovedstaden"))
    html = client.get(f"/organisationer/{rar_id}?as_of=2024-04-19").text
    assert f"/export/appointments.csv?as_of=2024-04-19&amp;organisation_id={rar_id}" in html


@pytest.mark.parametrize("query", ["organisation_id=RAR", "organisation_id=0", "party_id=0", "municipality_id=-1"])
def test_bad_filter_id_is_a_400(client, app, query):
    response = client.get(f"/export/appointments.csv?{query}")
    assert response.status_code == 400
    assert "Ugyldigt id" in response.text

"""The Excel exports beside every CSV: the appointments, KKR's decisions, the balance, the round's progress and
the audit trail.

Each is read back with openpyxl: one sheet named after what it holds, a frozen and filtered header, dates as
dates, item numbers and formula-like text as text; the same rows as the CSV, the same bytes from the web and
the command line, and memory and queries that do not grow with the rows.
"""

import csv
import io
import tracemalloc
import zipfile
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from werkzeug.http import parse_options_header

from registry.appointments.models import Role
from registry.audit import trail
from registry.audit.models import AuditEntry
from registry.audit.services import Actor, acting_as
from registry.auth.models import UserRole
from registry.csvfiles import undo_neutralise
from registry.dates import today
from registry.exchange import csv_balance, csv_decisions, csv_export
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from registry.nominations import period as round_rules
from registry.nominations import progress as round_progress
from registry.organisations.models import ElectionPeriod, SeatAllocation
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Which columns are dates and numbers; everything else is text.
APPOINTMENT_DATES = ("startdato", "slutdato", "hverv_start", "hverv_slut")


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == MIMETYPE
    return response


def file_name(response) -> str:
    return parse_options_header(response.headers["Content-Disposition"])[1]["filename"]


def assert_named_as_the_csv(client, response, csv_url: str) -> None:
    """The workbook is named as the CSV of the same selection (after what it holds), ending in .xlsx."""
    csv_name = file_name(client.get(csv_url))
    assert csv_name.endswith(".csv")
    assert file_name(response) == csv_name.removesuffix(".csv") + ".xlsx"


def read(data: bytes):
    """The workbook's one sheet."""
    book = load_workbook(io.BytesIO(data))
    assert len(book.worksheets) == 1
    return book.worksheets[0]


def values(sheet) -> list[list]:
    """The rows as values, dates as dates."""
    return [[cell.value.date() if isinstance(cell.value, datetime) else cell.value for cell in row]
            for row in sheet.iter_rows()]


def csv_rows(client, url: str) -> list[list[str]]:
    data = client.get(url).data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))


def typed(header: list[str], row: list[str], dates=(), numbers=()) -> list:
    """A CSV line as the workbook should hold it: empty cells empty, dates and numbers typed, the rest the text
    itself, without the apostrophe that protects the CSV."""
    def cell(column: str, text: str):
        if not text:
            return None
        if column in dates:
            return date.fromisoformat(text)
        if column in numbers:
            return int(text)
        return undo_neutralise(text)
    return [cell(column, text) for column, text in zip(header, row, strict=True)]


def assert_sheet_shape(sheet, title: str, header: list[str], rows: int) -> None:
    assert sheet.title == title
    assert len(title) <= 31
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))] == header
    assert all(cell.font.b for cell in next(sheet.iter_rows(max_row=1)))
    assert sheet.freeze_panes == "A2"
    last = sheet.cell(row=1, column=len(header)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}{rows + 1}"
    assert sheet.max_row == rows + 1


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


# The appointments.

@pytest.fixture
def rar(app):
    """RAR Hovedstaden as item 4.1 found it, with a pooled suppleant; plus a Skoletjenesten that has closed."""
    rar = make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren")
    rar_seat = make.seat(rar, position=1)
    kofoed = make.appoint(rar_seat, make.person("Lotte Kofoed", "Frederiksberg"), date(2022, 1, 1),
                          decision=make.decision(date(2021, 12, 14), "4.10"))
    make.appoint(rar_seat, make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre"), date(2022, 1, 1),
                 role=Role.substitute)
    from registry.organisations.models import SeatKind

    pool = make.seat(rar, "Fælles suppleant 2", has_substitute=False, kind=SeatKind.pooled_substitute,
                     pool_rank=2, position=2)
    make.appoint(pool, make.person("Pia Pulje", "Gentofte"), date(2023, 3, 1), role=Role.substitute)
    school = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    make.appoint(school, make.person("Esat Sentürk", "Høje-Taastrup", "B"), date(2022, 1, 1), date(2024, 10, 31))
    db.session.commit()
    return kofoed


@pytest.mark.both_databases
def test_the_appointments_workbook_holds_the_csvs_rows_typed(client, rar):
    response = download(client, "/export/appointments.xlsx?as_of=2024-04-19")
    assert file_name(response) == "udpegninger-2024-04-19.xlsx"
    assert_named_as_the_csv(client, response, "/export/appointments.csv?as_of=2024-04-19")
    sheet = read(response.data)

    assert_sheet_shape(sheet, "Udpegninger pr. 19.04.2024", csv_export.HEADER, 4)
    header, *lines = csv_rows(client, "/export/appointments.csv?as_of=2024-04-19")
    assert values(sheet)[1:] == [typed(header, line, APPOINTMENT_DATES, ["suppleant_nr"]) for line in lines]
    kofoed = values(sheet)[1]
    assert kofoed[:8] == ["RAR Hovedstaden", "Plads 1", "medlem", "Lotte Kofoed", "F", "Frederiksberg",
                          date(2022, 1, 1), None]
    # The item number is text: 4.10, not the number 4.1.
    assert kofoed[10] == "KKR Hovedstaden 2021-12-14 pkt. 4.10"
    pool = values(sheet)[3]
    assert (pool[3], pool[17]) == ("Pia Pulje", 2)


@pytest.mark.both_databases
def test_dates_are_dates_shown_the_danish_way(client, rar):
    sheet = read(download(client, "/export/appointments.xlsx?all=1").data)
    esat = next(row for row in sheet.iter_rows(min_row=2) if row[3].value == "Esat Sentürk")
    start, end = esat[6], esat[7]
    assert (start.is_date, end.is_date) == (True, True)
    assert (start.value, end.value) == (datetime(2022, 1, 1), datetime(2024, 10, 31))
    assert start.number_format == end.number_format == "dd.mm.yyyy"
    # A number is a number: the pooled suppleant's rank.
    rank = next(row for row in sheet.iter_rows(min_row=2) if row[3].value == "Pia Pulje")[17]
    assert (rank.data_type, rank.value) == ("n", 2)


@pytest.mark.both_databases
def test_the_whole_history_and_a_pages_filters(client, runner, rar):
    from registry.models import Municipality, Organisation, Party

    whole = download(client, "/export/appointments.xlsx?all=1")
    assert_named_as_the_csv(client, whole, "/export/appointments.csv?all=1")
    sheet = read(whole.data)
    assert_sheet_shape(sheet, "Udpegninger, hele historikken", csv_export.HEADER, 4)

    rar_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "RAR Hovedstaden"))
    b_id = db.session.scalar(sa.select(Party.id).where(Party.letter == "B"))
    hvidovre_id = db.session.scalar(sa.select(Municipality.id).where(Municipality.name == "Hvidovre"))
    for query in (f"?as_of=2024-04-19&organisation_id={rar_id}", f"?all=1&party_id={b_id}",
                  f"?as_of=2024-04-19&municipality_id={hvidovre_id}"):
        names = [row[3] for row in values(read(download(client, "/export/appointments.xlsx" + query).data))[1:]]
        assert names == [line[3] for line in csv_rows(client, "/export/appointments.csv" + query)[1:]], query
        assert names
    assert values(read(download(client, f"/export/appointments.xlsx?all=1&party_id={b_id}").data))[1][3] == \
        "Esat Sentürk"


def test_formula_like_text_stays_text(client, app):
    """What the CSV protects with an apostrophe is written as text: never a formula, never an error value,
    and without the apostrophe."""
    seat = make.seat(make.organisation('=HYPERLINK("http://x")', appointing_authority="@SUM(A1)"), label="+1")
    make.appoint(seat, make.person("-Minus", party_letter=None), date(2024, 1, 1))
    make.appoint(make.seat(make.organisation(" =1+1"), label="#N/A"), make.person("'Quoted"), date(2024, 1, 1))
    db.session.commit()

    data = download(client, "/export/appointments.xlsx?as_of=2024-01-01").data
    spaced, hyperlink = list(read(data).iter_rows(min_row=2))

    assert [cell.value for cell in hyperlink[:4]] == ['=HYPERLINK("http://x")', "+1", "medlem", "-Minus"]
    assert hyperlink[9].value == "@SUM(A1)"
    assert [cell.value for cell in spaced[:4]] == [" =1+1", "#N/A", "medlem", "'Quoted"]
    assert {cell.data_type for row in (spaced, hyperlink) for cell in row if cell.value is not None} == {"s", "d"}
    assert "<f>" not in sheet_xml(data)
    assert '<c r="A3" t="inlineStr"><is><t>=HYPERLINK("http://x")</t></is></c>' in sheet_xml(data)


def test_a_character_a_workbook_cannot_hold_does_not_fail_the_export(client, app):
    """Control characters are refused by the forms and the import, but older data may hold one."""
    make.appoint(make.seat(make.organisation("Gammel\x0bdata")), make.person("Anna"), date(2024, 1, 1))
    db.session.commit()
    sheet = read(download(client, "/export/appointments.xlsx?as_of=2024-01-01").data)
    assert sheet["A2"].value == "Gammel\ufffddata"


@pytest.mark.both_databases
def test_cli_and_web_give_the_same_bytes(client, runner, rar, tmp_path):
    for args, query in [(["--as-of", "2024-04-19"], "?as_of=2024-04-19"), (["--all"], "?all=1")]:
        result = runner.invoke(args=["registry", "export-csv", "--format", "xlsx", *args])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == download(client, "/export/appointments.xlsx" + query).data
    target = tmp_path / "udpegninger.xlsx"
    result = runner.invoke(args=["registry", "export-csv", "--all", "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == download(client, "/export/appointments.xlsx?all=1").data
    assert not (tmp_path / "udpegninger.xlsx.part").exists()


def test_the_cli_refuses_a_delimiter_for_excel(runner, app):
    result = runner.invoke(args=["registry", "export-csv", "--format", "xlsx", "--delimiter", ","])
    assert result.exit_code == 2
    assert "--delimiter gælder kun CSV" in result.output
    result = runner.invoke(args=["registry", "export-csv", "--format", "ods"])
    assert result.exit_code == 2


def test_the_same_rows_give_the_same_bytes_in_any_language(client, rar):
    danish = download(client, "/export/appointments.xlsx?all=1").data
    client.set_cookie("lang", "en")
    assert download(client, "/export/appointments.xlsx?all=1").data == danish


def test_the_workbook_is_dated_the_day_it_is_made(client, rar):
    data = download(client, "/export/appointments.xlsx?all=1").data
    book = load_workbook(io.BytesIO(data))
    made = datetime.combine(today(), datetime.min.time())
    assert (book.properties.created, book.properties.modified) == (made, made)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {member.date_time for member in archive.infolist()} == {made.timetuple()[:6]}


@pytest.mark.parametrize(("query", "message"), [
    ("?as_of=19-04-2024", "Ugyldig dato"),
    ("?organisation_id=RAR", "Ugyldigt id"),
    ("?party_id=0", "Ugyldigt id"),
])
def test_bad_parameters_get_a_clear_400(client, app, query, message):
    response = client.get("/export/appointments.xlsx" + query)
    assert response.status_code == 400
    assert message in response.text


def test_an_empty_selection_is_a_header_with_its_filter(client, app):
    sheet = read(download(client, "/export/appointments.xlsx?as_of=2024-01-01").data)
    assert_sheet_shape(sheet, "Udpegninger pr. 01.01.2024", csv_export.HEADER, 0)


# KKR's decisions.

@pytest.fixture
def decided(app):
    """SF's nomination of Kofoed with a suppleant, appointed at item 4.10; one not supported, with a decision
    text that looks like a formula."""
    rar = nominate.allocated_seat("F", "RAR Hovedstaden")
    school = nominate.allocated_seat("B", "Skoletjenesten", has_substitute=False)
    kofoed = nominate.nomination(rar, nominate.candidate("Lotte Kofoed", "F", municipality_name="Frederiksberg"),
                                 substitute=nominate.candidate("Marie-Louise Peschardt Jørgensen", "F"))
    agenda.place_on_agenda(kofoed, date(2024, 4, 19), "4.10", council="KKR Hovedstaden",
                           case_number="SAG-2024-01064", title="Udpegning til RAR Hovedstaden")
    agenda.decide(kofoed, Outcome.appointed, text="KKR Hovedstaden udpegede Lotte Kofoed (F).",
                  effective=date(2024, 7, 1))
    refused = nominate.nomination(school, nominate.candidate("Bente Borg", "B"))
    agenda.place_on_agenda(refused, date(2024, 6, 13), "3.1", council="KKR Hovedstaden")
    agenda.decide(refused, Outcome.not_supported, text='=HYPERLINK("http://example.org")')
    db.session.commit()
    return {"rar": rar.organisation, "kofoed": kofoed}


@pytest.mark.both_databases
def test_the_decisions_workbook(client, decided):
    response = download(client, "/export/indstillinger.xlsx")
    assert_named_as_the_csv(client, response, "/export/indstillinger.csv")
    sheet = read(response.data)

    assert_sheet_shape(sheet, "Beslutninger", csv_decisions.HEADER, 3)
    header, *lines = csv_rows(client, "/export/indstillinger.csv")
    assert values(sheet)[1:] == [typed(header, line, ("Dato", "Udpeget fra")) for line in lines]
    refused, member, suppleant = list(sheet.iter_rows(min_row=2))
    assert [cell.value for cell in member[:4]] == ["KKR Hovedstaden", datetime(2024, 4, 19), "SAG-2024-01064",
                                                   "4.10"]
    # The item number is text, so 4.10 stays 4.10 (the CSV's Punkt reads as the number 4.1 in English tools).
    assert (member[3].data_type, suppleant[3].value) == ("s", "4.10")
    assert (member[13].value, member[13].number_format) == (datetime(2024, 7, 1), "dd.mm.yyyy")
    assert (refused[12].value, refused[12].data_type) == ('=HYPERLINK("http://example.org")', "s")


@pytest.mark.both_databases
def test_the_decisions_filters_and_the_cli(client, runner, decided):
    rar_id = decided["rar"].id
    sheet = read(download(client, f"/export/indstillinger.xlsx?organisation={rar_id}").data)
    assert [row[8] for row in values(sheet)[1:]] == ["Lotte Kofoed", "Marie-Louise Peschardt Jørgensen"]

    result = runner.invoke(args=["registry", "export-decisions", "--format", "xlsx", "--organisation-id",
                                 str(rar_id)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == download(client, f"/export/indstillinger.xlsx?organisation_id={rar_id}").data
    assert client.get("/export/indstillinger.xlsx?moede=1&meeting_id=2").status_code == 400


# The balance.

def test_the_balance_workbook_counts_in_numbers_and_withholds_as_empty(client, app):
    period = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    movia = make.organisation("Movia")
    for number, (name, gender, letter) in enumerate([("Anne", Gender.woman, "A"), ("Birte", Gender.woman, "A"),
                                                     ("Carl", Gender.man, "V")], start=1):
        seat = make.seat(movia, f"Plads {number}")
        db.session.add(SeatAllocation(seat=seat, period=period, party=make.party(letter)))
        make.appoint(seat, make.person(name, party_letter=letter, gender=gender), date(2022, 1, 1))
    make.appoint(make.seat(make.organisation("=Skoletjenesten")), make.person("Dorte", gender=Gender.woman),
                 date(2022, 1, 1))
    db.session.commit()

    response = download(client, "/export/balance.xlsx?as_of=2024-06-01")
    assert file_name(response) == "balance-2024-06-01.xlsx"
    assert_named_as_the_csv(client, response, "/export/balance.csv?as_of=2024-06-01")
    sheet = read(response.data)

    assert_sheet_shape(sheet, "Balance pr. 01.06.2024", csv_balance.HEADER, 2)
    assert values(sheet)[1:] == [
        # One member: the counts would reveal her gender, so they are withheld (empty, not 0).
        ["=Skoletjenesten", 1, None, None, None, None, "F 1/0", 1, None, None, None, None],
        ["Movia", 3, 2, 1, 0, 0, "A 2/2, V 1/1", 3, 2, 1, 0, 0],
    ]
    assert sheet["A2"].data_type == "s"


# The round.

def a_round():
    """F holds a RAR seat with a suppleant and has nominated; A holds a Movia seat, its deadline passed."""
    rar = nominate.allocated_seat("F", label="Plads 1")
    nominate.allocated_seat("A", "Movia", label="Plads 1", has_substitute=False)
    calls = round_rules.open_period_calls(nominate.current_period(), today() + timedelta(days=30))
    for call in calls:
        if call.party.letter == "A":
            call.deadline = today() - timedelta(days=1)
    nominate.nomination(rar, nominate.candidate("Anna Andersen"),
                        substitute=nominate.candidate("Bo Bendtsen", gender=Gender.man))
    db.session.commit()


def login_secretariat(client) -> None:
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    assert make.login(client, "haan").status_code == 302


@pytest.mark.both_databases
def test_the_round_workbook(client, runner, app):
    a_round()
    login_secretariat(client)
    period = nominate.current_period()

    response = download(client, "/runde.xlsx")
    years = f"{period.start_date.year}-{period.end_date.year}"
    assert file_name(response) == f"runde-{years}.xlsx"
    assert_named_as_the_csv(client, response, "/runde.csv")
    sheet = read(response.data)

    assert_sheet_shape(sheet, f"Runde {years}", round_progress.HEADER, 2)
    header, *lines = csv_rows(client, "/runde.csv")
    assert values(sheet)[1:] == [typed(header, line, ("Frist",)) for line in lines]
    movia = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Movia")
    assert (movia[10].value, movia[10].number_format) == (datetime.combine(today() - timedelta(days=1),
                                                                           datetime.min.time()), "dd.mm.yyyy")
    assert movia[11].value == "ja"

    result = runner.invoke(args=["registry", "round-progress", "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == response.data
    assert client.get("/runde.xlsx?periode=1999-2002").status_code == 404


def test_the_round_workbook_is_the_secretariats(client, app):
    a_round()
    nominate.viewer()
    db.session.commit()
    assert client.get("/runde.xlsx").status_code == 302
    assert make.login(client, "laeser").status_code == 302
    assert client.get("/runde.xlsx").status_code == 403


# The links beside the CSV links.

def test_every_page_with_a_csv_link_has_an_excel_link(client, rar):
    from registry.models import Municipality, Organisation, Party

    rar_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "RAR Hovedstaden"))
    f_id = db.session.scalar(sa.select(Party.id).where(Party.letter == "F"))
    hvidovre_id = db.session.scalar(sa.select(Municipality.id).where(Municipality.name == "Hvidovre"))
    pages = {
        "/?as_of=2024-04-19": ["/export/appointments.xlsx?as_of=2024-04-19", "/export/appointments.xlsx?all=1"],
        f"/organisationer/{rar_id}?as_of=2024-04-19":
            [f"/export/appointments.xlsx?as_of=2024-04-19&amp;organisation_id={rar_id}"],
        "/partier/F?as_of=2024-04-19": [f"/export/appointments.xlsx?as_of=2024-04-19&amp;party_id={f_id}"],
        f"/kommuner/{hvidovre_id}?as_of=2024-04-19":
            [f"/export/appointments.xlsx?as_of=2024-04-19&amp;municipality_id={hvidovre_id}"],
        "/balance?as_of=2024-04-19": ["/export/balance.xlsx?as_of=2024-04-19"],
        "/beslutninger": ["/export/indstillinger.xlsx"],
        f"/beslutninger?organisation={rar_id}": [f"/export/indstillinger.xlsx?organisation={rar_id}"],
    }
    for page, links in pages.items():
        html = client.get(page).text
        for link in links:
            assert f'href="{link}"' in html, (page, link)
        assert "som Excel-fil" in html, page


def test_the_round_page_links_to_its_workbook(client, app):
    a_round()
    login_secretariat(client)
    period = nominate.current_period()
    assert f'href="/runde.xlsx?periode={period.name}"' in client.get("/runde").text


# Flat memory, and as many queries for one row as for many.

def _measure(app, url: str = "/export/appointments.xlsx?all=1", user: str | None = None) -> tuple[int, int, int]:
    """(rows, queries, peak bytes) for one whole workbook through the web endpoint, signed in as the user if one is
    given."""
    with app.test_client() as client:
        if user is not None:
            assert make.login(client, user).status_code == 302
        tracemalloc.start()
        try:
            with make.queries() as statements:
                data = download(client, url).data
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return sheet_xml(data).count("<row ") - 1, len(statements), peak


@pytest.mark.both_databases
def test_the_workbook_is_written_with_flat_memory_and_query_count(app, monkeypatch):
    # The export reads 50 rows at a time here instead of 500 (csvfiles.CHUNK_ROWS), so that a few hundred rows
    # show whether anything grows with them: tracemalloc makes openpyxl ten times slower.
    monkeypatch.setattr(csv_export, "CHUNK_ROWS", 50)
    make.bulk_members(200)
    with app.test_client() as client:
        client.get("/export/appointments.xlsx?as_of=2000-01-01")  # warm caches (compiled statements, openpyxl)
    small = _measure(app)
    make.bulk_members(1_000)
    large = _measure(app)
    assert (small[0], large[0]) == (200, 1_200)
    assert small[1] == large[1], "the number of SQL statements must not grow with the rows"
    # Six times the rows in the same memory: a workbook held in memory (about 5 kB a row), or its sheet's XML
    # (about 1 kB a row), would need megabytes more.
    assert large[2] < small[2] * 1.25, (small, large)


@pytest.mark.both_databases
def test_each_workbook_takes_as_many_queries_for_one_row_as_for_many(client, app):
    login_secretariat(client)
    rar = nominate.allocated_seat("F", "RAR Hovedstaden")
    make.appoint(rar, make.person("Første"), date(2022, 1, 1))
    nominate.nomination(rar, nominate.candidate("Anna Andersen"))
    round_rules.open_period_calls(nominate.current_period(), today() + timedelta(days=30))
    decision = make.decision(date(2024, 4, 19), "4.1", Outcome.appointed)
    make.appoint(rar, make.person("Med beslutning"), date(2021, 1, 1), date(2021, 12, 31), decision=decision)
    db.session.commit()
    urls = ["/export/appointments.xlsx?all=1", "/export/indstillinger.xlsx", "/export/balance.xlsx",
            "/runde.xlsx"]
    one = {url: make.count_queries(client, url) for url in urls}
    for number in range(2, 30):
        seat = nominate.allocated_seat("FAV"[number % 3], f"Organisation {number % 5}", label=f"Plads {number}")
        holder = make.person(f"Holder {number}", gender=(Gender.woman, Gender.man)[number % 2])
        make.appoint(seat, holder, date(2022, 1, 1),
                     decision=make.decision(date(2024, 4, 19 + number % 5), f"4.{number}", Outcome.appointed))
        if number % 2:
            nominate.nomination(seat, nominate.candidate(f"Kandidat {number}"))
    round_rules.open_period_calls(nominate.current_period(), today() + timedelta(days=30))
    db.session.commit()
    many = {url: make.count_queries(client, url) for url in urls}
    assert many == one


# The audit trail.

def audit_entries(count: int, action: str = "lockout") -> None:
    """Entries as the trail holds them, written in one statement."""
    db.session.execute(sa.insert(AuditEntry), [
        {"actor": "system", "action": action, "entity": "users", "entity_id": number, "changes": {"n": number}}
        for number in range(count)])
    db.session.commit()


def login_as(client, role: UserRole, username: str = "bruger") -> None:
    make.user(username, role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    assert make.login(client, username).status_code == 302


@pytest.mark.both_databases
def test_the_audit_trail_workbook_holds_the_csvs_rows_typed(client, app):
    with acting_as(Actor('=HYPERLINK("http://x")', 41, "10.0.0.9")):
        make.organisation("Movia")
        db.session.commit()
    # 08:05 UTC is 10:05 in Copenhagen in summer.
    db.session.add(AuditEntry(at=datetime(2024, 4, 19, 8, 5), actor="haan", action="create", entity="seats",
                              entity_id=9, changes={"label": "Plads 1"}))
    db.session.commit()
    login_secretariat(client)
    query = "?handling=create&fra=2024-01-01"

    response = download(client, "/revisionsspor.xlsx" + query)
    assert file_name(response) == "revisionsspor.xlsx"
    assert_named_as_the_csv(client, response, "/revisionsspor.csv" + query)
    sheet = read(response.data)

    header, *lines = csv_rows(client, "/revisionsspor.csv" + query)
    assert_sheet_shape(sheet, "Revisionsspor", trail.CSV_HEADER, len(lines))
    assert len(lines) >= 2
    times = [datetime.fromisoformat(line[0]).replace(tzinfo=None) for line in lines]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == times
    assert [row[1:] for row in values(sheet)[1:]] == [typed(header, line, numbers=("bruger_id", "id"))[1:]
                                                      for line in lines]
    movia = next(row for row in sheet.iter_rows(min_row=2) if row[5].value == "Organisation")
    assert (movia[1].value, movia[1].data_type) == ('=HYPERLINK("http://x")', "s")
    assert (movia[2].value, movia[2].data_type, movia[3].value) == (41, "n", "10.0.0.9")
    assert (movia[6].data_type, movia[4].value) == ("n", "create")
    assert '"name": "Movia"' in movia[7].value
    seat = next(row for row in sheet.iter_rows(min_row=2) if row[5].value == "Plads")
    assert (seat[0].value, seat[0].is_date, seat[0].number_format) == (datetime(2024, 4, 19, 10, 5), True,
                                                                       "dd.mm.yyyy hh:mm:ss")
    assert [cell.value for cell in seat[4:8]] == ["create", "Plads", 9, '{"label": "Plads 1"}']
    assert "<f>" not in sheet_xml(response.data)


def test_the_audit_trail_workbook_is_itself_audited(client, app):
    login_secretariat(client)
    download(client, "/revisionsspor.xlsx?handling=lockout")
    (exported,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export_audit"))
    assert exported.actor == "haan"
    assert exported.changes == {"filters": {"handling": "lockout"}, "format": "xlsx"}


def test_a_change_too_long_for_a_cell_is_cut_not_a_damaged_workbook(client, app):
    db.session.add(AuditEntry(actor="haan", action="update", entity="messages", entity_id=1,
                              changes={"body": ["", "x" * 40_000]}))
    db.session.commit()
    login_secretariat(client)
    sheet = read(download(client, "/revisionsspor.xlsx?handling=update").data)
    changes = sheet["H2"].value
    assert len(changes) == 32_767
    assert changes.startswith('{"body": ["", "xxx')
    assert changes.endswith("x…")


@pytest.mark.parametrize(("role", "status"), [(UserRole.admin, 200), (UserRole.secretariat, 200),
                                              (UserRole.viewer, 403), (UserRole.party, 403)])
def test_only_admin_and_secretariat_may_get_the_audit_trail_workbook(client, app, role, status):
    login_as(client, role)
    assert client.get("/revisionsspor.xlsx").status_code == status
    assert client.get("/revisionsspor.csv").status_code == status


def test_anonymous_is_sent_to_login_for_the_audit_trail_workbook(client, app):
    response = client.get("/revisionsspor.xlsx")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export_audit")).all()


@pytest.mark.parametrize("query", ["?fra=19-04-2024", "?person=abc", "?handling=ukendt"])
def test_a_bad_audit_filter_gets_a_clear_400_and_no_file(client, app, query):
    login_secretariat(client)
    response = client.get("/revisionsspor.xlsx" + query)
    assert response.status_code == 400
    assert "Filteret er ugyldigt" in response.text
    assert client.get("/revisionsspor.csv" + query).status_code == 400
    assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export_audit")).all()


def test_the_audit_trail_page_links_to_its_workbook_beside_the_csv(client, app):
    login_secretariat(client)
    html = client.get("/revisionsspor?person=4&handling=update").text
    csv_link = 'href="/revisionsspor.csv?person=4&amp;handling=update"'
    xlsx_link = 'href="/revisionsspor.xlsx?person=4&amp;handling=update"'
    assert csv_link in html
    assert xlsx_link in html
    assert "Hent sporet som Excel-fil" in html


def _measure_trail(app) -> tuple[int, int, int]:
    return _measure(app, "/revisionsspor.xlsx?handling=lockout", user="haan")


@pytest.mark.both_databases
def test_the_audit_trail_workbook_is_written_with_flat_memory_and_query_count(app, monkeypatch):
    # 50 entries at a time instead of 500, so that a few hundred show whether anything grows with them.
    monkeypatch.setattr(trail, "CSV_CHUNK_ROWS", 50)
    make.user("haan", UserRole.secretariat)
    audit_entries(200)
    _measure_trail(app)  # warm caches (compiled statements, openpyxl)
    small = _measure_trail(app)
    audit_entries(1_000)
    large = _measure_trail(app)
    assert (small[0], large[0]) == (200, 1_200)
    assert small[1] == large[1], "the number of SQL statements must not grow with the rows"
    assert large[2] < small[2] * 1.25, (small, large)

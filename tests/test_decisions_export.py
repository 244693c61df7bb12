"""The history of indstillinger as CSV (web and command line), and the latest decisions on the
organisation and person pages."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Meeting, Outcome
from registry.nominations.models import NominationStatus
from tests import factories as make
from tests import nomination_factories as nom

# Both databases: the export queries and their order.
pytestmark = pytest.mark.both_databases

HEADER = "Møde;Dato;Sagsnummer;Punkt;Titel;Organisation;Plads;Rolle;Person;Parti;Kommune;Udfald;Beslutning;Udpeget fra"


def export_bytes(client, query: str = "") -> bytes:
    response = client.get("/export/indstillinger.csv" + query)
    assert response.status_code == 200, response.data
    return response.data


def parse(data: bytes, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def cli_bytes(runner, *args: str) -> bytes:
    result = runner.invoke(args=["registry", "export-decisions", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def place(nomination, day: date, number: str, **values):
    return agenda.place_on_agenda(nomination, day, number, council="KKR Hovedstaden", **values)


@pytest.fixture
def kkr(app):
    """SF's nomination of Kofoed with Peschardt as suppleant, appointed at 19 April 2024 item 4.1; the
    Radikale's nomination for Plads 2 on the same agenda, not yet decided; a nomination KKR did not support
    on 13 June; and an appointment to Skoletjenesten that came in with an import, citing its decision."""
    rar_f = nom.allocated_seat("F", "RAR Hovedstaden")
    rar_b = nom.allocated_seat("B", "RAR Hovedstaden")
    school = nom.allocated_seat("B", "Skoletjenesten", has_substitute=False)
    kofoed = nom.candidate("Lotte Kofoed", "F", municipality_name="Frederiksberg")
    peschardt = nom.candidate("Marie-Louise Peschardt Jørgensen", "F")
    appointed = nom.nomination(rar_f, kofoed, substitute=peschardt)
    place(appointed, date(2024, 4, 19), "4.1", case_number="SAG-2024-01064", title="Udpegning til RAR Hovedstaden")
    agenda.decide(appointed, Outcome.appointed, text="KKR Hovedstaden udpegede Lotte Kofoed (F).",
                    effective=date(2024, 7, 1))
    undecided = nom.nomination(rar_b, nom.candidate("Esat Sentürk", "B", municipality_name="Høje-Taastrup"))
    place(undecided, date(2024, 4, 19), "4.2", title="Indstilling fra Radikale Venstre")
    refused = nom.nomination(school, nom.candidate("Bente Borg", "B"))
    place(refused, date(2024, 6, 13), "3.1")
    agenda.decide(refused, Outcome.not_supported, text='=HYPERLINK("http://example.org")')
    imported = make.appoint(school, make.person("Anna Gammel", "Gentofte", "B"), date(2022, 1, 1),
                            date(2023, 12, 31), decision=make.decision(date(2021, 12, 14), "5.2",
                                                                       Outcome.appointed))
    db.session.commit()
    return {"rar": rar_f.organisation, "school": school.organisation, "kofoed": kofoed, "peschardt": peschardt,
            "appointed": appointed, "undecided": undecided, "refused": refused, "imported": imported}


ROWS = [
    ["KKR Hovedstaden", "2024-06-13", "", "3.1", "Indstilling af medlem til Skoletjenesten", "Skoletjenesten",
     "Plads 1", "medlem", "Bente Borg", "B", "Hvidovre", "ikke tiltrådt", """'=HYPERLINK("http://example.org")""",
     ""],
    ["KKR Hovedstaden", "2024-04-19", "SAG-2024-01064", "4.1", "Udpegning til RAR Hovedstaden", "RAR Hovedstaden",
     "Plads 1", "medlem", "Lotte Kofoed", "F", "Frederiksberg", "udpeget",
     "KKR Hovedstaden udpegede Lotte Kofoed (F).", "2024-07-01"],
    ["KKR Hovedstaden", "2024-04-19", "SAG-2024-01064", "4.1", "Udpegning til RAR Hovedstaden", "RAR Hovedstaden",
     "Plads 1", "suppleant", "Marie-Louise Peschardt Jørgensen", "F", "Hvidovre", "udpeget",
     "KKR Hovedstaden udpegede Lotte Kofoed (F).", "2024-07-01"],
    ["KKR Hovedstaden", "2021-12-14", "", "5.2", "Punkt", "Skoletjenesten", "Plads 1", "medlem", "Anna Gammel", "B",
     "Gentofte", "udpeget", "", "2022-01-01"],
]


def test_file_is_utf8_with_bom_the_danish_header_semicolons_and_crlf(client, kkr):
    data = export_bytes(client)
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode("utf-8") + b"\r\n")
    assert data.count(b"\r\n") == 1 + len(ROWS)
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_every_decision_newest_meeting_first_one_line_per_person(client, kkr):
    assert parse(export_bytes(client))[1:] == ROWS


def test_a_cell_excel_would_run_as_a_formula_is_made_text(client, kkr):
    (refused,) = [row for row in parse(export_bytes(client))[1:] if row[8] == "Bente Borg"]
    assert refused[12].startswith("'=")


def test_undecided_nominations_never_appear(client, kkr):
    """Two parties on the same agenda: F's nomination is decided, B's is still on the agenda."""
    assert kkr["undecided"].status is NominationStatus.on_agenda
    assert kkr["appointed"].status is NominationStatus.appointed
    text = export_bytes(client).decode("utf-8-sig")
    assert "Lotte Kofoed" in text
    assert "Esat Sentürk" not in text
    assert "Indstilling fra Radikale Venstre" not in text
    assert ";4.2;" not in text
    person = kkr["undecided"].person_id
    assert parse(export_bytes(client, f"?person={person}")) == [HEADER.split(";")]


def test_filters_by_meeting_organisation_and_person(client, kkr):
    meeting = db.session.scalar(sa.select(Meeting.id).where(Meeting.date == date(2024, 4, 19)))

    def names(query: str) -> list[str]:
        return [row[8] for row in parse(export_bytes(client, query))[1:]]

    assert names(f"?moede={meeting}") == ["Lotte Kofoed", "Marie-Louise Peschardt Jørgensen"]
    assert names(f"?organisation={kkr['school'].id}") == ["Bente Borg", "Anna Gammel"]
    assert names(f"?person={kkr['peschardt'].id}") == ["Marie-Louise Peschardt Jørgensen"]
    assert names(f"?organisation={kkr['rar'].id}&person={kkr['kofoed'].id}") == ["Lotte Kofoed"]
    # The appointments export's spelling of the same filters.
    assert names(f"?organisation_id={kkr['school'].id}&meeting_id={meeting}") == []
    assert names("?organisation=999999") == []


def test_the_file_is_in_danish_whatever_the_language_of_the_pages(client, kkr):
    danish = export_bytes(client)
    client.set_cookie("lang", "en")
    assert export_bytes(client) == danish
    assert [row[7] for row in parse(danish)[1:]] == ["medlem", "medlem", "suppleant", "medlem"]
    assert [row[11] for row in parse(danish)[1:]] == ["ikke tiltrådt", "udpeget", "udpeget", "udpeget"]


def test_cli_and_web_give_the_same_bytes(client, runner, kkr, tmp_path):
    meeting = db.session.scalar(sa.select(Meeting.id).where(Meeting.date == date(2024, 4, 19)))
    for args, query in [
        ([], ""),
        (["--delimiter", ","], "?delimiter=,"),
        (["--meeting-id", str(meeting)], f"?moede={meeting}"),
        (["--organisation-id", str(kkr["school"].id)], f"?organisation={kkr['school'].id}"),
        (["--person-id", str(kkr["kofoed"].id)], f"?person={kkr['kofoed'].id}"),
    ]:
        assert cli_bytes(runner, *args) == export_bytes(client, query), args
    target = tmp_path / "indstillinger.csv"
    cli_bytes(runner, "--output", str(target))
    assert target.read_bytes() == export_bytes(client)
    assert not (tmp_path / "indstillinger.csv.part").exists()


def test_comma_delimiter_for_other_tools(client, kkr):
    data = export_bytes(client, "?delimiter=,")
    assert data.decode("utf-8-sig").startswith(HEADER.replace(";", ",") + "\r\n")
    assert parse(data, ",")[1:] == ROWS


def test_response_names_the_file_and_type(client, kkr):
    response = client.get("/export/indstillinger.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="indstillinger.csv"' in response.headers["Content-Disposition"]


def test_an_empty_registry_gives_the_header_alone(client, runner, app):
    assert export_bytes(client) == b"\xef\xbb\xbf" + HEADER.encode("utf-8") + b"\r\n" == cli_bytes(runner)


@pytest.mark.parametrize(("query", "message"), [
    ("?organisation=RAR", "Ugyldigt id"),
    ("?person=-1", "Ugyldigt id"),
    ("?moede=1.5", "Ugyldigt id"),
    ("?person=" + "9" * 40, "Ugyldigt id"),
    ("?delimiter=%7C", "Ukendt skilletegn"),
    ("?organisation=1&organisation_id=2", "hver sit id"),
])
def test_bad_filters_get_a_clear_400(client, app, query, message):
    response = client.get("/export/indstillinger.csv" + query)
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize("args", [["--organisation-id", "RAR"], ["--person-id", "-1"], ["--meeting-id", "1.5"],
                                  ["--delimiter", "|"]])
def test_cli_refuses_bad_options_clearly(runner, app, args):
    result = runner.invoke(args=["registry", "export-decisions", *args])
    assert result.exit_code == 2
    assert "Invalid value" in result.output


def test_the_number_of_queries_does_not_grow_with_the_decisions(client, app):
    def queries() -> int:
        return make.count_queries(client, "/export/indstillinger.csv")

    def decide(count: int) -> None:
        for _ in range(count):
            seat = nom.allocated_seat("F")
            nomination = nom.nomination(seat, substitute=nom.candidate(f"Suppleant {seat.id}"))
            place(nomination, date(2024, 4, 19), f"4.{seat.id}")
            agenda.decide(nomination, Outcome.not_supported)
        db.session.commit()

    decide(1)
    small = queries()
    decide(12)
    assert queries() == small


# The organisation's and the person's pages.

def test_organisation_page_shows_its_latest_decisions_and_links_to_the_history(client, kkr):
    html = client.get(f"/organisationer/{kkr['school'].id}").text
    section = html.split("Indstillinger og beslutninger</h2>", 1)[1].split("</table>", 1)[0]
    assert "Bente Borg" in section
    assert "Ikke tiltrådt" in section
    assert "Anna Gammel" in section
    assert "13.06.2024" in section
    assert "14.12.2021" in section
    assert f'href="/beslutninger?organisation={kkr["school"].id}"' in html
    rar = client.get(f"/organisationer/{kkr['rar'].id}").text
    section = rar.split("Indstillinger og beslutninger</h2>", 1)[1].split("</table>", 1)[0]
    assert "Lotte Kofoed</a> (F)" in section
    assert "Marie-Louise Peschardt Jørgensen</a> (F)" in section
    assert "Esat Sentürk" not in rar, "an undecided nomination is not public"


def test_organisation_page_shows_only_the_latest_few(client, app):
    seat = nom.allocated_seat("F")
    for day in range(1, 8):
        nomination = nom.nomination(seat, nom.candidate(f"Kandidat {day}"))
        place(nomination, date(2024, 5, day), "2.1")
        agenda.decide(nomination, Outcome.not_supported)
    db.session.commit()
    html = client.get(f"/organisationer/{seat.organisation_id}").text
    shown = [day for day in range(1, 8) if f"Kandidat {day}" in html]
    assert shown == [3, 4, 5, 6, 7]


def test_an_organisation_without_decisions_says_so(client, app):
    organisation = make.organisation("Ny organisation")
    db.session.commit()
    html = client.get(f"/organisationer/{organisation.id}").text
    assert "KKR har endnu ingen registrerede beslutninger om organisationen." in html


def test_person_page_shows_the_decisions_about_the_person(client, kkr):
    html = client.get(f"/personer/{kkr['peschardt'].id}").text
    section = html.split("Indstillinger og beslutninger</h2>", 1)[1].split("</table>", 1)[0]
    assert "RAR Hovedstaden" in section
    assert "Suppleant" in section
    assert "Udpeget" in section
    assert "19.04.2024" in section
    assert "01.07.2024" in section
    assert f'href="/beslutninger?person={kkr["peschardt"].id}"' in html


def test_person_page_of_the_suppleant_lists_the_suppleant_role_only(client, kkr):
    html = client.get(f"/personer/{kkr['peschardt'].id}").text
    section = html.split("Indstillinger og beslutninger</h2>", 1)[1].split("</table>", 1)[0]
    assert "Suppleant" in section
    assert "Medlem" not in section

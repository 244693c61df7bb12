"""Reading the appointments CSV back: all of a file or nothing, and the same file twice changes nothing."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments import services
from registry.appointments.models import Appointment, EndReason
from registry.audit.models import AuditEntry
from registry.errors import RuleViolation
from registry.exchange import csv_export, csv_import_state, csv_import_write
from registry.exchange.csv_import import MAX_ERRORS, ImportResult, import_csv
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision
from registry.organisations.models import Organisation, Seat
from registry.people.models import Gender, Municipality, Party, Person
from tests import factories as make

# Both databases: the import writes in bulk.
pytestmark = pytest.mark.both_databases

HEADER = csv_export.HEADER
# The export's body columns for a member without an office on an ordinary seat.
ORDINARY = {"hverv": "", "hverv_valgt_af": "", "hverv_start": "", "hverv_slut": "", "pladstype": "stemmeberettiget",
            "embede": "", "suppleant_nr": "", "besættes_af": "KKR", "indstilles_af": "",
            "fortsætter_indtil_ny_er_udpeget": "", "kommunalbestyrelse": "", "kommunalt_hverv": ""}


def line(organisation: str = "RAR Hovedstaden", plads: str = "Plads 1", rolle: str = "medlem",
         navn: str = "Lotte Kofoed", parti: str = "F", kommune: str = "Frederiksberg", startdato: str = "2022-01-01",
         slutdato: str = "", ophørsårsag: str = "", myndighed: str = "Beskæftigelsesministeren",
         indstilling: str = "", **body: str) -> list[str]:
    """A line as the export writes it; body: the later columns (ORDINARY), by name."""
    assert set(body) <= set(ORDINARY), body
    return [organisation, plads, rolle, navn, parti, kommune, startdato, slutdato, ophørsårsag, myndighed,
            indstilling, *(ORDINARY | body).values()]


def csv_file(rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8-sig",
             header: list[str] = HEADER) -> bytes:
    """A file as the export writes it (or, with other arguments, as Excel or another tool would)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def export_all() -> bytes:
    return b"".join(chunk.encode("utf-8") for chunk in csv_export.export(None))


def snapshot() -> dict:
    """Row counts of every table and the whole export: what 'the database is unchanged' means here."""
    counts = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    return counts | {"export": export_all()}


def apply(data: bytes) -> ImportResult:
    """What the command and the upload page do: import, then commit once."""
    result = import_csv(data, dry_run=False)
    db.session.commit()
    return result


def wipe() -> None:
    """Everything but the append-only audit trail, so the registry is as empty as a new one."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != AuditEntry.__tablename__:
            db.session.execute(table.delete())
    db.session.commit()


def run(runner, tmp_path, data: bytes, *args: str):
    path = tmp_path / "udpegninger.csv"
    path.write_bytes(data)
    return runner.invoke(args=["registry", "import-csv", str(path), *args])


# Round trips: export → import into an empty registry → export gives the same bytes.

def test_demo_data_survives_export_import_export_byte_for_byte(runner, app, tmp_path):
    assert runner.invoke(args=["registry", "load-demo"]).exit_code == 0
    exported = runner.invoke(args=["registry", "export-csv", "--all"]).stdout_bytes
    wipe()
    result = run(runner, tmp_path, exported)
    assert result.exit_code == 0, result.output
    lines = exported.count(b"\r\n") - 1
    assert f"nye: {lines}," in result.stdout
    assert "Importen er gemt." in result.stdout
    again = runner.invoke(args=["registry", "export-csv", "--all"]).stdout_bytes
    # The derived columns come from what the file does not hold (council mandates, election periods), which the
    # empty registry lacks; every other cell comes back as it was.
    derived = len(csv_export.DERIVED_HEADER)
    assert [row[:-derived] for row in parse(again)] == [row[:-derived] for row in parse(exported)]
    assert {tuple(row[-derived:]) for row in parse(again)[1:]} == {("", "", "")}


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


HARD = [
    line('Bestyrelsen for "Grøn; Omstilling"', "Plads 1", "medlem", "Lotte Kofoed", "F", "Frederiksberg",
         "2022-01-01", "2024-04-30", "udtrådt", "KKR Hovedstaden"),
    line('Bestyrelsen for "Grøn; Omstilling"', "Plads 1", "medlem", "Marie-Louise Peschardt Jørgensen", "F",
         "Hvidovre", "2024-05-01", "", "", "KKR Hovedstaden", "KKR Hovedstaden 2024-04-19 pkt. 4.1"),
    line('Bestyrelsen for "Grøn; Omstilling"', "Plads 1", "suppleant", "Marie-Louise Peschardt Jørgensen", "F",
         "Hvidovre", "2022-01-01", "2024-04-30", "erstattet", "KKR Hovedstaden"),
    line('Bestyrelsen for "Grøn; Omstilling"', "Plads 1", "suppleant", "Åse Ørsted", "Å", "Ærø", "2024-05-01", "",
         "", "KKR Hovedstaden", "KKR Hovedstaden 2024-04-19 pkt. 4.1"),
    # Excel would run these as formulas: the export writes them with a leading apostrophe.
    line("Über Udvalg", "Plads 1", "medlem", "'=Formel Person", "", "", "2023-03-01", "", "", "'@Ministeriet"),
    # Any other apostrophe is part of the name.
    line("Über Udvalg", "Plads 1", "suppleant", "'t Hooft", "", "", "2023-03-01", "", "", "'@Ministeriet"),
    # Two people of the same name are two people when their municipalities differ.
    line("Ærø Råd", "Formandspladsen", "medlem", "Jens Hansen", "A", "Gentofte", "2022-01-01", "", "",
         "KKR Hovedstaden", "KKR Hovedstaden 2021-12-14 pkt. 3.10"),
    line("Ærø Råd", "Plads 2", "medlem", "Jens Hansen", "V", "Bornholm", "2022-01-01", "2025-12-31",
         "periode udløbet", "KKR Hovedstaden"),
]


@pytest.mark.parametrize(("delimiter", "encoding"), [
    (";", "utf-8-sig"),   # the export itself
    (";", "utf-8"),       # without BOM
    (";", "cp1252"),      # Danish Excel, "CSV (semikolonsepareret)"
    (",", "utf-8-sig"),   # the export with --delimiter ,
])
def test_hard_cases_round_trip_from_any_encoding_and_delimiter(app, delimiter, encoding):
    canonical = csv_file(HARD)
    result = apply(csv_file(HARD, delimiter=delimiter, encoding=encoding))
    assert result.ok, result.errors
    assert result.applied
    assert export_all() == canonical
    # Every municipality of the file is one of Denmark's, which every database has.
    assert result.created == {"organisationer": 3, "pladser": 4, "personer": 7, "partier": 4, "kommuner": 0,
                              "møder": 2, "dagsordenspunkter": 2, "beslutninger": 2, "udpegninger": 8}
    hansens = db.session.execute(sa.select(Person.name, Municipality.name).join(Person.municipality)
                                 .where(Person.name == "Jens Hansen").order_by(Municipality.name)).all()
    assert hansens == [("Jens Hansen", "Bornholm"), ("Jens Hansen", "Gentofte")]
    formula = db.session.scalar(sa.select(Person).where(Person.name == "=Formel Person"))
    assert formula.municipality is None
    assert formula.party is None
    assert db.session.scalar(sa.select(Person.id).where(Person.name == "'t Hooft")) is not None
    assert db.session.scalar(sa.select(Organisation.appointing_authority).where(
        Organisation.name == "Über Udvalg")) == "@Ministeriet"


def test_new_things_are_named_in_the_preview_line_by_line(app):
    result = import_csv(csv_file(HARD), dry_run=True)
    texts = {outcome.line: outcome.text for outcome in result.lines}
    assert [outcome.action for outcome in result.lines] == ["create"] * 8
    assert texts[2].startswith('ny udpegning: Lotte Kofoed, medlem af Bestyrelsen for "Grøn; Omstilling", '
                               "Plads 1, fra 01.01.2022 til 30.04.2024; ny organisation")
    assert texts[5] == ("ny udpegning: Åse Ørsted, suppleant i Bestyrelsen for \"Grøn; Omstilling\", Plads 1, "
                        "fra 01.05.2024; nyt parti 'Å' med navnet 'Å' (ret navnet bagefter); ny person")
    assert texts[6].startswith("ny udpegning: =Formel Person, medlem af Über Udvalg")
    assert ("indstillingen 'KKR Hovedstaden 2021-12-14 pkt. 3.10' er ukendt: mødet og punktet oprettes som "
            "'Ukendt punkt (importeret)'") in texts[8]
    assert not result.applied
    assert snapshot()["appointments"] == 0


def test_denmarks_municipalities_are_known_by_name_even_when_deleted_others_are_outside(app):
    db.session.execute(sa.delete(Municipality))
    db.session.commit()
    result = import_csv(csv_file(HARD), dry_run=True)
    texts = " ".join(outcome.text for outcome in result.lines)
    assert "ny kommune 'Gentofte' (i regionen)" in texts
    assert "ny kommune 'Ærø' (uden for regionen)" in texts
    apply(csv_file(HARD))
    municipalities = {row.name: (row.code, row.region_code) for row in db.session.scalars(sa.select(Municipality))}
    assert municipalities["Gentofte"] == (157, 1084)
    assert municipalities["Ærø"] == (492, 1083)


def test_a_missing_decision_is_created_so_the_reference_stays(app):
    apply(csv_file(HARD))
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.number == "3.10"))
    assert (item.title, item.position, item.meeting.date) == ("Ukendt punkt (importeret)", 3010, date(2021, 12, 14))
    assert [decision.outcome.value for decision in item.decisions] == ["appointed"]


def test_an_existing_decision_is_linked_not_duplicated(app):
    decision = make.decision(date(2024, 4, 19), "4.1")
    db.session.commit()
    result = apply(csv_file([line(indstilling="KKR Hovedstaden 2024-04-19 pkt. 4.1")]))
    assert result.created["beslutninger"] == result.created["møder"] == 0
    assert db.session.scalar(sa.select(Appointment.decision_id)) == decision.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1


def test_gender_and_email_columns_fill_the_private_fields_and_stay_masked_in_the_trail(app):
    header = [*HEADER, "køn", "email"]
    result = apply(csv_file([[*line(), "kvinde", "lotte@example.dk"]], header=header))
    assert result.ok, result.errors
    person = db.session.scalar(sa.select(Person))
    assert (person.gender, person.email) == (Gender.woman, "lotte@example.dk")
    created = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity == "persons"))
    assert created.changes["gender"] == "***"
    assert created.changes["email"] == "***"

    again = apply(csv_file([[*line(), "kvinde", "ny@example.dk"]], header=header))
    assert [(outcome.action, outcome.text.split("; ")[-1]) for outcome in again.lines] == [
        ("change", "email for Lotte Kofoed ændres")]
    assert db.session.scalar(sa.select(Person.email)) == "ny@example.dk"
    updated = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "persons")).all()[-1]
    assert updated.changes == {"email": ["***", "***"]}


# The same file twice.

def test_importing_the_same_file_twice_changes_nothing_the_second_time(app):
    apply(csv_file(HARD))
    before = snapshot()
    result = apply(csv_file(HARD))
    assert result.ok
    assert [outcome.action for outcome in result.lines] == ["unchanged"] * 8
    assert result.lines[0].text.startswith("uændret udpegning: Lotte Kofoed")
    assert not any(result.created.values())
    assert not any(result.changed.values())
    after = snapshot()
    # One new audit entry, the import event itself; no row written or duplicated.
    assert after.pop("audit_entries") == before.pop("audit_entries") + 1
    assert after == before
    event = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert event.action == "import"
    assert event.changes["unchanged"] == 8


def test_a_dry_run_writes_nothing(app):
    before = snapshot()
    result = import_csv(csv_file(HARD), dry_run=True)
    db.session.commit()
    assert result.ok
    assert not result.applied
    assert snapshot() == before


# Changes to what the registry holds.

@pytest.fixture
def kofoed(app) -> Appointment:
    """RAR Hovedstaden with Lotte Kofoed as member since 2022, as item 4.1 found it."""
    seat = make.seat(make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren"),
                     has_substitute=False)
    appointment = make.appoint(seat, make.person("Lotte Kofoed", "Frederiksberg"), date(2022, 1, 1))
    db.session.commit()
    return appointment


def test_a_member_who_resigns_and_her_successor_in_one_file(app, kofoed):
    data = csv_file([line(slutdato="2024-04-30", ophørsårsag="udtrådt"),
                     line(navn="Marie-Louise Peschardt Jørgensen", kommune="Hvidovre", startdato="2024-05-01")])
    preview = import_csv(data, dry_run=True)
    assert [(outcome.action, outcome.text) for outcome in preview.lines] == [
        ("change", "ændret udpegning: Lotte Kofoed, medlem af RAR Hovedstaden, Plads 1, fra 01.01.2022 til "
                   "30.04.2024; slutdato ingen → 30.04.2024; ophørsårsag ingen → udtrådt"),
        ("create", "ny udpegning: Marie-Louise Peschardt Jørgensen, medlem af RAR Hovedstaden, Plads 1, fra "
                   "01.05.2024; ny person"),
    ]
    result = apply(data)
    assert result.changed["udpegninger"] == 1
    assert result.created["udpegninger"] == 1
    db.session.refresh(kofoed)
    assert (kofoed.end_date, kofoed.end_reason, kofoed.version) == (date(2024, 4, 30), EndReason.resigned, 2)
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "appointments")
                               .order_by(AuditEntry.id)).all()[1]
    assert (entry.action, entry.entity_id, entry.actor) == ("update", kofoed.id, "system")
    assert entry.changes == {"end_date": [None, "2024-04-30"], "end_reason": [None, "resigned"]}


def test_a_suppleant_on_a_seat_without_one_gives_the_seat_a_suppleant(app, kofoed):
    result = apply(csv_file([line(), line(rolle="suppleant", navn="Marie-Louise Peschardt Jørgensen",
                                          kommune="Hvidovre")]))
    assert result.changed["pladser"] == 1
    assert [outcome.action for outcome in result.lines] == ["unchanged", "create"]
    assert "pladsen får en personlig suppleant" in result.lines[1].text
    assert db.session.scalar(sa.select(Seat.has_substitute)) is True


def test_another_appointing_authority_changes_the_organisation(app, kofoed):
    result = apply(csv_file([line(myndighed="Beskæftigelsesministeriet")]))
    assert result.lines[0].action == "change"
    assert result.lines[0].text.endswith("udpegende myndighed for RAR Hovedstaden ændres fra "
                                         "'Beskæftigelsesministeren' til 'Beskæftigelsesministeriet'")
    assert db.session.scalar(sa.select(Organisation.appointing_authority)) == "Beskæftigelsesministeriet"


# Refusals: every failing line is named, and nothing is written.

@pytest.fixture
def closed_school(app, kofoed):
    make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    db.session.commit()


def test_every_failing_line_is_named_and_nothing_is_written(runner, app, closed_school, tmp_path):
    movia = dict(organisation="Movia", navn="Carla Eksempel", parti="C", kommune="Gentofte",
                 myndighed="KKR Hovedstaden")
    rows = [
        line(**movia),                                                                  # 2: fine
        line(**movia | {"organisation": "Movia\nNord"}),                                # 3-4: a line break
        line(**movia | {"plads": "Plads 2", "startdato": "19/04/24"}),                  # 5
        line(**movia | {"plads": "Plads 3", "rolle": "kasserer"}),                      # 6
        line(**movia | {"plads": "Plads 4", "navn": ""}),                               # 7
        line(**movia | {"plads": "Plads 5", "slutdato": "2021-12-31"}),                 # 8
        line(**movia | {"plads": "Plads 6", "ophørsårsag": "udtrådt"}),                 # 9
        ["Movia", "Plads 7", "medlem"],                                                 # 10
        line(**movia | {"navn": "Bo Eksempel", "startdato": "2023-01-01"}),             # 11
        line(**movia | {"rolle": "suppleant", "navn": "Sif Eksempel",                   # 12
                        "myndighed": "Transportministeren"}),
        line(navn="Ny Person", kommune="Hvidovre", startdato="2024-05-01"),             # 13
        line("Skoletjenesten", "Plads 2", myndighed="KKR Hovedstaden", startdato="2024-11-01"),  # 14
        line("Skoletjenesten", myndighed="KKR Hovedstaden", startdato="2024-01-01"),    # 15
        line(**movia | {"plads": "Plads 9", "indstilling": "KKR 19/4"}),                # 16
        line(**movia),                                                                  # 17
        line(**movia | {"plads": "Plads 10", "startdato": "2024-02-30"}),               # 18
    ]
    before = snapshot()
    result = run(runner, tmp_path, csv_file(rows))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "linje 3: kolonnen 'organisation' indeholder linjeskift, tabulatorer eller andre kontroltegn",
        "linje 5: ugyldig startdato '19/04/24' (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
        "linje 6: ukendt rolle 'kasserer' (brug medlem, suppleant, formand, næstformand)",
        "linje 7: navn mangler",
        "linje 8: Slutdatoen ligger før startdatoen.",
        "linje 9: en ophørsårsag kræver en slutdato",
        "linje 10: linjen har 3 celler, men overskriften har 23",
        "linje 11: Pladsen (Movia, Plads 1) har allerede Carla Eksempel som medlem fra 01.01.2022 uden slutdato "
        "(linje 2).",
        "linje 12: udpegende myndighed 'Transportministeren' for Movia, Plads 1 afviger fra 'KKR Hovedstaden' på "
        "linje 2",
        "linje 13: Pladsen (RAR Hovedstaden, Plads 1) har allerede Lotte Kofoed som medlem fra 01.01.2022 "
        "uden slutdato.",
        "linje 14: Skoletjenesten er nedlagt pr. 31.10.2024.",
        "linje 15: Skoletjenesten er nedlagt pr. 31.10.2024; udpegningen skal slutte senest den dag.",
        "linje 16: ugyldig indstilling 'KKR 19/4' (skrives som 'KKR Hovedstaden 2024-04-19 pkt. 4.1')",
        "linje 17: samme udpegning som linje 2",
        "linje 18: ugyldig startdato '2024-02-30' (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
        "Importen er afvist (15 fejl); intet er gemt.",
    ]
    assert "Traceback" not in result.output
    assert snapshot() == before
    preview = import_csv(csv_file(rows), dry_run=True)
    assert [(outcome.line, outcome.action) for outcome in preview.lines][:3] == [
        (2, "create"), (3, "refused"), (5, "refused")]


def test_an_overlap_with_a_holder_in_the_registry_is_refused(app, kofoed):
    result = import_csv(csv_file([line(navn="Ny Person", startdato="2021-06-01", slutdato="2022-01-01")]),
                        dry_run=False)
    assert result.errors == ["linje 2: Pladsen (RAR Hovedstaden, Plads 1) har allerede Lotte Kofoed som medlem "
                             "fra 01.01.2022 uden slutdato."]
    assert not result.applied
    # Named on the line that asks for something new, even when the registry's holder is in the file too.
    both = import_csv(csv_file([line(), line(navn="Ny Person", startdato="2021-06-01", slutdato="2022-01-01")]),
                      dry_run=True)
    assert both.errors == ["linje 3: Pladsen (RAR Hovedstaden, Plads 1) har allerede Lotte Kofoed som medlem "
                           "fra 01.01.2022 uden slutdato (linje 2)."]
    # A member ending the day before the holder starts does not overlap (the last day is inclusive).
    fine = import_csv(csv_file([line(navn="Ny Person", startdato="2021-06-01", slutdato="2021-12-31")]),
                      dry_run=True)
    assert fine.ok


def test_two_suppleants_at_once_in_the_file_are_refused(app):
    result = import_csv(csv_file([
        line(rolle="suppleant", navn="A", startdato="2022-01-01", slutdato="2023-12-31"),
        line(rolle="suppleant", navn="B", startdato="2024-01-01"),
        line(rolle="suppleant", navn="C", startdato="2023-06-01", slutdato="2023-06-30"),
    ]), dry_run=False)
    assert result.errors == ["linje 4: Pladsen (RAR Hovedstaden, Plads 1) har allerede A som suppleant fra "
                             "01.01.2022 til 31.12.2023 (linje 2)."]
    assert [outcome.action for outcome in result.lines] == ["create", "create", "refused"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Filen er tom."),
    (b"\r\n\r\n", "Filen er tom."),
    (csv_file([]), "Filen har kun overskriften og ingen udpegninger."),
    (bytes(range(256)) * 8, "Filen er ikke en CSV-fil: den indeholder binære data."),
    (b"PK\x03\x04\x14\x00\x06\x00", "Filen er et Excel-regneark"),
    (b"\x81\x8d\x8f\x90\x9d", "Filen er hverken UTF-8 eller Windows-1252"),
    ("\ufeffnavn;alder\r\nø;1\r\n".encode("utf-16"), "Filen er gemt som UTF-16"),
    (b'{"organisation": "Movia"}', "linje 1: filen er ikke en liste over udpegninger: overskriften skal være "
                                   "organisation;plads;rolle;"),
    (csv_file([line()], header=[*HEADER, "ekstra"]), "linje 1: ukendt kolonne 'ekstra'"),
    (csv_file([[*line(), ""]], header=[*HEADER, ""]), "linje 1: kolonne 24 har ingen overskrift"),
    # The first export's columns are needed; the later ones are not.
    (csv_file([line()[:10]], header=csv_export.BASE_HEADER[:-1]), "linje 1: kolonnen 'indstilling' mangler"),
    (csv_file([line(), line()], header=[*HEADER[:-1], "plads"]), "linje 1: kolonnen 'plads' står flere gange"),
    (csv_file([]) + 'RAR;Plads 1;medlem;"Lotte Kofoed;F\r\n'.encode(),
     "linje 2: linjen har 4 celler, men overskriften har 23 (et citationstegn er måske ikke lukket)"),
])
def test_a_file_that_is_not_an_appointments_csv_gets_a_clear_danish_error(runner, app, tmp_path, data, message):
    before = snapshot()
    result = run(runner, tmp_path, data)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.output
    assert result.stderr.startswith(message), result.stderr
    assert snapshot() == before


# All or nothing, even when the process dies midway.

def test_a_crash_midway_through_writing_leaves_the_database_as_it_was(runner, app, kofoed, tmp_path, monkeypatch):
    real = csv_import_write.audit_rows

    def record_then_crash(action, entity, rows):
        real(action, entity, rows)
        if entity == "appointments":  # the last table written: everything else is in by now
            raise RuntimeError("strømmen gik")

    monkeypatch.setattr(csv_import_write, "audit_rows", record_then_crash)
    before = snapshot()
    db.session.commit()
    result = run(runner, tmp_path, csv_file([line(slutdato="2024-04-30", ophørsårsag="udtrådt"), *HARD]))
    assert isinstance(result.exception, RuntimeError)
    # Seen from another connection, before this session has even rolled back: nothing was committed.
    with db.engine.connect() as other:
        assert other.scalar(sa.select(sa.func.count()).select_from(Appointment)) == 1
        assert other.scalar(sa.select(Appointment.end_date)) is None
    db.session.rollback()
    assert snapshot() == before


def test_a_holder_seated_by_someone_else_meanwhile_refuses_the_import_cleanly(app, kofoed, monkeypatch):
    real_load = csv_import_state.load

    def load_then_someone_else_appoints():
        state = real_load()
        # Between the check and the write, another user seats a successor.
        services.end(kofoed, date(2024, 4, 30), EndReason.resigned)
        make.appoint(kofoed.seat, make.person("Bo Eksempel", "Rudersdal"), date(2024, 5, 1))
        return state

    monkeypatch.setattr(csv_import_state, "load", load_then_someone_else_appoints)
    data = csv_file([line(slutdato="2024-04-30", ophørsårsag="udtrådt"),
                     line(navn="Marie-Louise Peschardt Jørgensen", kommune="Hvidovre", startdato="2024-05-01")])
    with pytest.raises(RuleViolation, match="En anden har ændret udpegningerne, mens filen blev indlæst"):
        import_csv(data, dry_run=False)
    # The session is still usable, and holds nothing of the import: the database's rule was the backstop.
    names = db.session.scalars(sa.select(Person.name).join(Appointment.person).order_by(Appointment.id)).all()
    assert names == ["Lotte Kofoed", "Bo Eksempel"]
    db.session.rollback()


def test_the_command_reports_a_dry_run_line_by_line_and_writes_nothing(runner, app, kofoed, tmp_path):
    before = snapshot()
    result = run(runner, tmp_path, csv_file([line(), line(plads="Plads 2", navn="Bo")]), "--dry-run", "--verbose")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "linje 2: uændret udpegning: Lotte Kofoed, medlem af RAR Hovedstaden, Plads 1, fra 01.01.2022",
        "linje 3: ny udpegning: Bo, medlem af RAR Hovedstaden, Plads 2, fra 01.01.2022; ny plads; ny person",
        "Linjer: 2 (nye: 1, ændrede: 0, uændrede: 1, afviste: 0)",
        "Nye: pladser 1, personer 1, udpegninger 1",
        "Ændrede: intet",
        "Prøvekørsel: intet er gemt.",
    ]
    assert snapshot() == before


def test_new_parties_are_named_by_their_letter(app):
    make.party("Q", name="Q")
    db.session.commit()
    apply(csv_file([line(parti="L"), line(plads="Plads 2", navn="Q-person", parti="Q")]))
    assert db.session.scalar(sa.select(Party.name).where(Party.letter == "L")) == "L"


# Hostile files: bad party letters and control characters are refused; refused lines cost linear time.

@pytest.mark.parametrize("letter", ["<b>", "F F", "A+F", "F-1", "Ø/"])
def test_a_party_letter_must_be_a_letter_or_a_short_code(app, letter):
    result = import_csv(csv_file([line(parti=letter)]), dry_run=True)
    assert not result.ok
    assert "ugyldigt parti" in result.errors[0]
    assert db.session.scalar(sa.select(sa.func.count(Party.id))) == 0


def test_a_lower_case_letter_is_the_party_of_the_capital(app):
    make.party("F", name="SF")
    db.session.commit()
    apply(csv_file([line(parti="f")]))
    assert db.session.scalars(sa.select(Party.letter)).all() == ["F"]


@pytest.mark.parametrize("cell", ["Lotte\x1b[31m Kofoed", "Lotte\r\nKofoed", "Lotte\u202eKofoed"])
def test_control_characters_in_a_cell_are_refused(app, cell):
    result = import_csv(csv_file([line(navn=cell)]), dry_run=True)
    assert not result.ok
    assert "kolonnen 'navn' indeholder linjeskift, tabulatorer eller andre kontroltegn" in result.errors[0]


def test_many_refused_lines_are_counted_all_and_told_only_the_first(runner, app, tmp_path):
    bad = [line(startdato="19/04/24", plads=f"Plads {n}") for n in range(5_000)]
    result = import_csv(csv_file(bad), dry_run=True)
    assert result.error_count == 5_000
    assert len(result.errors) == MAX_ERRORS
    assert result.untold_errors == 5_000 - MAX_ERRORS
    assert result.errors[0].startswith("linje 2:")
    assert result.errors[-1].startswith(f"linje {MAX_ERRORS + 1}:")

    output = run(runner, tmp_path, csv_file(bad), "--dry-run").output
    assert f"… og {5_000 - MAX_ERRORS} flere fejl." in output
    assert "Importen er afvist (5000 fejl); intet er gemt." in output
    assert output.count("linje ") == MAX_ERRORS

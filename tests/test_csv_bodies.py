"""The appointments CSV with bodies as they are: offices, kinds of seat, other appointers and nominators.

The later columns go out with the export and come back with the import, so a registry survives the round
trip; a file without them imports as before; a bad cell is told on its line.
"""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, EndReason, Office, OfficeChooser, Role
from registry.audit.models import AuditEntry
from registry.exchange import csv_export
from registry.exchange.csv_import import import_csv
from registry.extensions import db
from registry.organisations import services as organisations
from registry.organisations.models import Organisation, Seat, SeatFiller, SeatKind
from tests import factories as make
from tests.test_import import HEADER, apply, csv_file, export_all, line, snapshot, wipe

# Both databases: the export's query and the import's bulk writes.
pytestmark = pytest.mark.both_databases

START = date(2022, 1, 1)
SEAT_COLUMNS = ("kind", "ex_officio", "pool_rank", "filled_by", "appointing_authority", "nominated_by",
                "has_substitute", "position")
OFFICE_COLUMNS = ("office", "office_title", "office_chosen_by", "office_start", "office_end")


def body_rows() -> dict:
    """What the import must bring back besides the bytes: the bodies' authorities, every seat, every office."""
    return {
        "organisations": db.session.execute(sa.select(Organisation.name, Organisation.appointing_authority)
                                            .order_by(Organisation.name)).all(),
        "seats": db.session.execute(sa.select(Organisation.name, Seat.label, *(getattr(Seat, c) for c in SEAT_COLUMNS))
                                    .join(Seat.organisation).order_by(Organisation.name, Seat.label)).all(),
        "offices": db.session.execute(sa.select(Seat.label, Appointment.start_date,
                                                *(getattr(Appointment, c) for c in OFFICE_COLUMNS))
                                      .join(Appointment.seat).where(Appointment.office.is_not(None))
                                      .order_by(Seat.label, Appointment.start_date)).all(),
    }


@pytest.fixture
def bodies(app):
    """A council as bodies have them: a formand KKR chose and a næstformand the body chose for part of her
    term, a kasserer, an observer, the mayor ex officio, FH's pool of two suppleants, the region's seat and
    one Dansk Industri nominates; and an Erhvervshus whose first seat another appointer fills."""
    council = organisations.create_organisation(name="Sundhedsrådet Hovedstaden",
                                                appointing_authority="KKR Hovedstaden")

    def seat(label: str, **values) -> Seat:
        return organisations.add_seat(council, label=label, **values)

    chair = make.appoint(seat("Plads 1", has_substitute=True), make.person("Anne Formand", "Gladsaxe", "A"), START)
    appointments.set_office(chair, Office.chair, chosen_by=OfficeChooser.kkr)
    make.appoint(chair.seat, make.person("Bo Suppleant", "Rudersdal", "V"), START, role=Role.substitute)
    vice = make.appoint(seat("Plads 2"), make.person("Carla Næstformand", "Gentofte", "C"), START, date(2025, 12, 31))
    appointments.set_office(vice, Office.vice_chair, chosen_by=OfficeChooser.body, start=date(2024, 3, 1),
                            end=date(2025, 6, 30))
    treasurer = make.appoint(seat("Plads 3"), make.person("Dan Kasserer", "København", "Ø"), START)
    appointments.set_office(treasurer, Office.other, chosen_by=OfficeChooser.body, title="kasserer")
    make.appoint(seat("Tilforordnet", kind=SeatKind.observer), make.person("Eva Observatør", "Hvidovre"), START)
    make.appoint(seat("Borgmesteren", kind=SeatKind.ex_officio, ex_officio="borgmester i Gentofte Kommune"),
                 make.person("Frederik Borgmester", "Gentofte", "C"), START)
    for rank, name in ((1, "Gitte Pulje"), (2, "Hans Pulje")):
        make.appoint(seat(f"FH-suppleant {rank}", kind=SeatKind.pooled_substitute, pool_rank=rank,
                          nominated_by="FH"), make.person(name, "Albertslund", None), START, role=Role.substitute)
    make.appoint(seat("Regionen", filled_by=SeatFiller.other, appointing_authority="Regionsrådet"),
                 make.person("Ida Region", "Hillerød", None), START)
    make.appoint(seat("Erhverv", nominated_by="Dansk Industri"), make.person("Jens Erhverv", "Lyngby-Taarbæk", None),
                 START)

    house = organisations.create_organisation(name="Erhvervshus Hovedstaden", appointing_authority="KKR Hovedstaden")
    state_seat = organisations.add_seat(house, label="Statens plads", filled_by=SeatFiller.other,
                                        appointing_authority="Erhvervsministeren")
    make.appoint(state_seat, make.person("Kim Stat", "Frederiksberg", None), START)
    first = make.appoint(organisations.add_seat(house, label="KKR 1"), make.person("Lis Kommune", "Ballerup"), START)
    appointments.end(first, date(2023, 12, 31), EndReason.resigned)
    make.appoint(first.seat, make.person("Mads Kommune", "Ballerup"), date(2024, 1, 1))
    db.session.commit()


def test_a_council_as_bodies_are_survives_export_import_export_byte_for_byte(app, bodies):
    exported, before = export_all(), body_rows()
    wipe()
    result = apply(exported)
    assert result.ok, result.errors
    assert export_all() == exported
    # Not only the bytes: the Erhvervshus keeps its own authority though another appointer's seat comes first.
    assert body_rows() == before


def test_the_export_writes_each_office_and_seat_as_it_is(app, bodies):
    rows = {(row[0], row[1], row[2]): row for row in csv_file_rows(export_all())}
    assert HEADER[11:20] == ["hverv", "hverv_valgt_af", "hverv_start", "hverv_slut", "pladstype", "embede",
                             "suppleant_nr", "besættes_af", "indstilles_af"]
    council = "Sundhedsrådet Hovedstaden"
    assert rows[(council, "Plads 1", "medlem")][9:20] == [
        "KKR Hovedstaden", "", "formand", "udpeget af KKR", "", "", "stemmeberettiget", "", "", "KKR", ""]
    assert rows[(council, "Plads 2", "medlem")][11:15] == ["næstformand", "valgt af organisationen", "2024-03-01",
                                                            "2025-06-30"]
    assert rows[(council, "Plads 3", "medlem")][11] == "kasserer"
    assert rows[(council, "Tilforordnet", "medlem")][15] == "observatør"
    assert rows[(council, "Borgmesteren", "medlem")][15:17] == ["født medlem", "borgmester i Gentofte Kommune"]
    assert rows[(council, "FH-suppleant 2", "suppleant")][15:20] == ["fælles suppleant", "", "2", "KKR", "FH"]
    # The seat's own authority where it has one, in the column it has always had.
    assert rows[(council, "Regionen", "medlem")][9] == "Regionsrådet"
    assert rows[(council, "Regionen", "medlem")][18] == "anden udpeger"
    assert rows[(council, "Erhverv", "medlem")][19] == "Dansk Industri"


def csv_file_rows(data: bytes) -> list[list[str]]:
    """The data lines of an export, as cells."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))[1:]


def test_importing_the_export_into_the_same_registry_changes_nothing(app, bodies):
    before = snapshot()
    result = apply(export_all())
    assert result.ok, result.errors
    assert {outcome.action for outcome in result.lines} == {"unchanged"}
    assert not any(result.created.values())
    assert not any(result.changed.values())
    after = snapshot()
    assert after.pop("audit_entries") == before.pop("audit_entries") + 1
    assert after == before


# A file without the later columns: as before.

def test_a_file_with_the_first_exports_columns_imports_as_before(app):
    make.party("F", "SF")
    db.session.commit()
    first = csv_export.BASE_HEADER
    result = apply(csv_file([line()[:11], line(rolle="suppleant", navn="Bo", kommune="Hvidovre")[:11]],
                            header=first))
    assert result.ok, result.errors
    assert [outcome.text for outcome in result.lines] == [
        "ny udpegning: Lotte Kofoed, medlem af RAR Hovedstaden, Plads 1, fra 01.01.2022; ny organisation "
        "(udpegende myndighed: Beskæftigelsesministeren); ny plads; ny person",
        "ny udpegning: Bo, suppleant i RAR Hovedstaden, Plads 1, fra 01.01.2022; ny person"]
    seat = db.session.scalar(sa.select(Seat))
    assert (seat.kind, seat.filled_by, seat.appointing_authority, seat.has_substitute) == (
        SeatKind.voting, SeatFiller.kkr, None, True)
    assert db.session.scalars(sa.select(Appointment.office)).all() == [None, None]
    # The whole export, and with the private columns, reads the same.
    again = apply(csv_file([[*line()[:11], "kvinde", "lotte@example.dk"]], header=[*first, "køn", "email"]))
    assert again.ok, again.errors
    assert again.changed == {"organisationer": 0, "pladser": 0, "personer": 1, "udpegninger": 0}


def test_a_file_without_the_later_columns_leaves_a_known_seat_and_office_as_they_are(app, bodies):
    before = body_rows()
    rows = [row[:11] for row in csv_file_rows(export_all())]
    result = apply(csv_file(rows, header=csv_export.BASE_HEADER))
    assert result.ok, result.errors
    assert {outcome.action for outcome in result.lines} == {"unchanged"}
    assert body_rows() == before


# The later columns read back, and what they change.

def test_formand_as_the_role_is_a_member_the_body_chose_as_formand(app):
    result = apply(csv_file([line(rolle="Formand"), line(plads="Plads 2", rolle="næstformand", navn="Bo",
                                                        hverv_valgt_af="udpeget af KKR")]))
    assert result.ok, result.errors
    assert "hverv formand (valgt af organisationen)" in result.lines[0].text
    held = db.session.execute(sa.select(Appointment.role, Appointment.office, Appointment.office_chosen_by)
                              .order_by(Appointment.id)).all()
    assert held == [(Role.member, Office.chair, OfficeChooser.body),
                    (Role.member, Office.vice_chair, OfficeChooser.kkr)]
    assert csv_file_rows(export_all())[0][2:3] + csv_file_rows(export_all())[0][11:13] == [
        "medlem", "formand", "valgt af organisationen"]


def test_a_new_office_on_a_known_appointment_is_a_change_with_its_audit_entry(app):
    apply(csv_file([line()]))
    result = apply(csv_file([line(hverv="formand", hverv_valgt_af="udpeget af KKR", hverv_start="2023-01-01")]))
    assert [(outcome.action, outcome.text.split("; ", 1)[1]) for outcome in result.lines] == [
        ("change", "hverv ingen → formand; hverv_valgt_af ingen → udpeget af KKR; hverv_start ingen → 01.01.2023")]
    assert result.changed["udpegninger"] == 1
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "appointments",
                                                           AuditEntry.action == "update")).one()
    assert entry.changes == {"office": [None, "chair"], "office_chosen_by": [None, "kkr"],
                             "office_start": [None, "2023-01-01"]}
    # And taken away again by a line without it.
    apply(csv_file([line()]))
    assert db.session.scalar(sa.select(Appointment.office)) is None


def test_a_known_seat_the_file_describes_otherwise_is_changed_and_told(app):
    apply(csv_file([line(), line(plads="Plads 2", navn="Bo")]))
    result = apply(csv_file([
        line(pladstype="født medlem", embede="borgmester i Gentofte Kommune"),
        line(plads="Plads 2", navn="Bo", myndighed="Regionsrådet", besættes_af="anden udpeger",
             indstilles_af="Danske Regioner")]))
    assert result.ok, result.errors
    assert result.lines[0].text.endswith("pladsen ændres: pladstype stemmeberettiget → født medlem, "
                                         "embede ingen → borgmester i Gentofte Kommune")
    assert result.lines[1].text.endswith("pladsen ændres: besættes_af KKR → anden udpeger, indstilles_af ingen → "
                                         "Danske Regioner, udpegende_myndighed Beskæftigelsesministeren → "
                                         "Regionsrådet")
    assert result.changed == {"organisationer": 0, "pladser": 2, "personer": 0, "udpegninger": 0}
    seats = db.session.execute(sa.select(Seat.label, Seat.kind, Seat.filled_by, Seat.appointing_authority)
                               .order_by(Seat.label)).all()
    assert seats == [("Plads 1", SeatKind.ex_officio, SeatFiller.kkr, None),
                     ("Plads 2", SeatKind.voting, SeatFiller.other, "Regionsrådet")]
    assert db.session.scalar(sa.select(Organisation.appointing_authority)) == "Beskæftigelsesministeren"
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "seats",
                                                             AuditEntry.action == "update")
                                 .order_by(AuditEntry.entity_id)).all()
    assert [entry.changes for entry in entries] == [
        {"kind": ["voting", "ex_officio"], "ex_officio": [None, "borgmester i Gentofte Kommune"]},
        {"filled_by": ["kkr", "other"], "nominated_by": [None, "Danske Regioner"],
         "appointing_authority": [None, "Regionsrådet"]}]


def test_a_seat_cannot_become_a_pooled_suppleants_while_it_has_had_members(app):
    apply(csv_file([line()]))
    result = import_csv(csv_file([line(rolle="suppleant", navn="Bo", startdato="2030-01-01",
                                       pladstype="fælles suppleant", suppleant_nr="1")]), dry_run=True)
    assert result.errors == ["linje 2: Pladsen har haft indehavere som medlem; den kan ikke gøres til en fælles "
                             "suppleant."]


def test_one_formand_at_a_time_in_the_file_and_against_the_registry(app):
    formand = {"hverv": "formand", "hverv_valgt_af": "valgt af organisationen"}
    result = import_csv(csv_file([line(**formand), line(plads="Plads 2", navn="Bo", hverv_start="2023-01-01",
                                                        **formand)]), dry_run=True)
    assert result.errors == ["linje 3: Lotte Kofoed er allerede formand for RAR Hovedstaden i den periode "
                             "(linje 2)."]
    # Næstformand alongside, and a successor from the day after, are fine.
    fine = import_csv(csv_file([line(hverv_slut="2022-12-31", **formand),
                                line(plads="Plads 2", navn="Bo", hverv="næstformand", hverv_valgt_af="udpeget af KKR"),
                                line(plads="Plads 3", navn="Cai", hverv_start="2023-01-01", **formand)]), dry_run=True)
    assert fine.ok, fine.errors
    apply(csv_file([line(**formand)]))
    against = import_csv(csv_file([line(plads="Plads 2", navn="Bo", **formand)]), dry_run=True)
    assert against.errors == ["linje 2: Lotte Kofoed er allerede formand for RAR Hovedstaden i den periode."]
    # The file may move the office: the line of the registry's formand ends it.
    moved = import_csv(csv_file([line(hverv_slut="2023-12-31", **formand),
                                 line(plads="Plads 2", navn="Bo", hverv_start="2024-01-01", **formand)]), dry_run=True)
    assert moved.ok, moved.errors


MEMBER_OF_POOL = "Pladsen (RAR Hovedstaden, Plads 1) er en fælles suppleantplads; den besættes med en suppleant, " \
                 "ikke et medlem."


@pytest.mark.parametrize(("cells", "message"), [
    ({"pladstype": "formand"}, "ukendt pladstype 'formand' (brug stemmeberettiget, observatør, født medlem, "
                               "fælles suppleant)"),
    ({"rolle": "suppleant", "pladstype": "fælles suppleant", "suppleant_nr": "0"},
     "ugyldigt suppleant_nr '0' (et helt tal fra 1: den fælles suppleants plads i rækkefølgen)"),
    ({"rolle": "suppleant", "pladstype": "fælles suppleant", "suppleant_nr": "2.5"},
     "ugyldigt suppleant_nr '2.5' (et helt tal fra 1: den fælles suppleants plads i rækkefølgen)"),
    ({"rolle": "suppleant", "pladstype": "fælles suppleant"},
     "suppleant_nr mangler: en plads af typen fælles suppleant har sit nummer i rækkefølgen (1 træder først til)"),
    ({"suppleant_nr": "1"}, "suppleant_nr gives kun for en plads af typen fælles suppleant"),
    ({"pladstype": "fælles suppleant", "suppleant_nr": "1"}, MEMBER_OF_POOL),
    ({"pladstype": "født medlem"}, "embede mangler: en plads af typen født medlem skal have det embede, der giver "
                                   "den (fx borgmester i Gentofte Kommune)"),
    ({"embede": "borgmester"}, "embede gives kun for en plads af typen født medlem"),
    ({"besættes_af": "ministeren"}, "ukendt besættes_af 'ministeren' (brug KKR, anden udpeger)"),
    ({"hverv": "formand"}, "hverv_valgt_af mangler (brug udpeget af KKR, valgt af organisationen)"),
    ({"hverv": "formand", "hverv_valgt_af": "bestyrelsen"},
     "ukendt hverv_valgt_af 'bestyrelsen' (brug udpeget af KKR, valgt af organisationen)"),
    ({"hverv_valgt_af": "udpeget af KKR", "hverv_start": "2023-01-01"},
     "hverv_valgt_af, hverv_start og hverv_slut hører til et hverv, men hverv er tomt"),
    ({"hverv": "formand", "hverv_valgt_af": "udpeget af KKR", "hverv_start": "2021-12-31"},
     "Hvervet skal begynde inden for udpegningen (fra 01.01.2022)."),
    ({"slutdato": "2023-12-31", "hverv": "kasserer", "hverv_valgt_af": "udpeget af KKR", "hverv_slut": "2024-01-01"},
     "Hvervet skal slutte inden for udpegningen og efter sin første dag."),
    ({"hverv": "formand", "hverv_valgt_af": "udpeget af KKR", "hverv_start": "2023-06-01", "hverv_slut": "2023-05-31"},
     "Hvervet skal slutte inden for udpegningen og efter sin første dag."),
    ({"hverv": "formand", "hverv_valgt_af": "udpeget af KKR", "hverv_slut": "31/12/2024"},
     "ugyldig hverv_slut '31/12/2024' (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)"),
    ({"rolle": "suppleant", "hverv": "formand", "hverv_valgt_af": "udpeget af KKR"},
     "Kun et medlem kan have et hverv i organisationen."),
    ({"rolle": "formand", "hverv": "næstformand"}, "rolle 'formand' og hverv 'næstformand' passer ikke sammen"),
    ({"hverv": "k" * 101, "hverv_valgt_af": "udpeget af KKR"}, "hverv er for lang (101 tegn; højst 100)"),
    ({"pladstype": "født medlem", "embede": "b" * 201}, "embede er for lang (201 tegn; højst 200)"),
    ({"indstilles_af": "i" * 201}, "indstilles_af er for lang (201 tegn; højst 200)"),
    ({"embede": "borgmester\ti Gentofte", "pladstype": "født medlem"},
     "kolonnen 'embede' indeholder linjeskift, tabulatorer eller andre kontroltegn"),
])
def test_a_bad_cell_in_the_later_columns_is_told_on_its_line(app, cells, message):
    before = snapshot()
    result = apply(csv_file([line(**cells)]))
    assert result.errors == [f"linje 2: {message}"]
    assert snapshot() == before


def test_lines_of_one_seat_must_agree_about_it(app):
    result = import_csv(csv_file([
        line(pladstype="observatør"),
        line(rolle="suppleant", navn="Bo", pladstype="stemmeberettiget", myndighed="Regionsrådet"),
    ]), dry_run=True)
    assert result.errors == [
        "linje 3: udpegende myndighed 'Regionsrådet' for RAR Hovedstaden, Plads 1 afviger fra "
        "'Beskæftigelsesministeren' på linje 2",
        "linje 3: pladstype for RAR Hovedstaden, Plads 1 afviger fra linje 2"]


def test_a_seat_another_appointer_fills_gets_its_own_authority_and_the_body_keeps_its_own(app):
    other = {"besættes_af": "anden udpeger", "myndighed": "Regionsrådet"}
    result = apply(csv_file([line(plads="Regionen", navn="Ida", **other), line(), line(plads="Plads 2", navn="Bo")]))
    assert result.ok, result.errors
    assert ("ny organisation (udpegende myndighed: Beskæftigelsesministeren); ny plads (besættes_af anden udpeger, "
            "udpegende_myndighed Regionsrådet)") in result.lines[0].text
    assert db.session.scalar(sa.select(Organisation.appointing_authority)) == "Beskæftigelsesministeren"
    assert db.session.execute(sa.select(Seat.label, Seat.appointing_authority).order_by(Seat.position)).all() == [
        ("Regionen", "Regionsrådet"), ("Plads 1", None), ("Plads 2", None)]

"""Importing the elected councils: all of a file or nothing, `linje N:` errors, Excel's encodings, and the
same file twice changes nothing. Both databases: the import reads and writes in bulk."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEntry
from registry.auth.models import UserRole
from registry.exchange.csv_mandates import import_mandates
from registry.extensions import db
from registry.mandates import services
from registry.mandates.models import CouncilMandate
from registry.organisations.models import ElectionPeriod
from registry.people.models import Party, Person
from tests import factories as make

pytestmark = pytest.mark.both_databases

D = date
HEADER = "navn;parti;kommune;startdato"
GOOD = (f"{HEADER};slutdato;hverv\r\n"
        "Marie-Louise Peschardt Jørgensen;F;Hvidovre;2026-01-01;;\r\n"
        "Anders Wolf Andresen;A;Hvidovre;01-01-2026;;borgmester\r\n"
        "Søren Sørensen;Æ;Hvidovre Kommune;2026-01-01;;\r\n"
        "Lotte Kofoed;F;Frederiksberg;2026-01-01;;\r\n")


def data(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.encode(encoding)


def apply(raw: bytes):
    result = import_mandates(raw, dry_run=False)
    db.session.commit()
    return result


def counts() -> dict[str, int]:
    """Rows per table but the audit trail (an import writes its own entry each time it runs)."""
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name != AuditEntry.__tablename__}


def mandates() -> list[tuple]:
    return db.session.execute(
        sa.select(Person.name, CouncilMandate.start_date, CouncilMandate.end_date, CouncilMandate.office)
        .join(CouncilMandate.person).order_by(Person.name, CouncilMandate.start_date)).all()


def periods() -> None:
    for start in (2018, 2022, 2026):
        db.session.add(ElectionPeriod(name=f"{start}-{start + 3}", start_date=D(start, 1, 1),
                                      end_date=D(start + 3, 12, 31)))
    db.session.flush()


def test_a_council_is_imported_matching_known_people_and_creating_the_rest(app):
    lotte = make.person("Lotte Kofoed", "Frederiksberg", "F")
    make.party("A", "Socialdemokratiet")
    db.session.commit()
    result = apply(data(GOOD))
    assert result.ok
    assert result.created == {"mandater": 4, "personer": 3, "partier": 1}
    assert ("Anders Wolf Andresen", D(2026, 1, 1), None, "borgmester") in mandates()
    assert services.latest_mandate(lotte).municipality.name == "Frederiksberg"
    soeren = db.session.scalar(sa.select(Person).where(Person.name == "Søren Sørensen"))
    assert soeren.municipality.name == "Hvidovre"
    assert soeren.party.letter == "Æ"
    assert db.session.scalar(sa.select(Party.name).where(Party.letter == "Æ")) == "Æ"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.entity == "council_mandates", AuditEntry.action == "create")) == 4


def test_the_same_file_twice_changes_nothing(app):
    first = apply(data(GOOD))
    before = counts()
    again = apply(data(GOOD))
    assert again.ok
    assert [line.action for line in again.lines] == ["unchanged"] * 4
    assert again.created == {"mandater": 0, "personer": 0, "partier": 0}
    assert again.changed == {"mandater": 0}
    assert counts() == before
    assert first.created["mandater"] == 4


def test_a_known_mandate_is_changed_only_in_what_the_file_states(app):
    apply(data(GOOD))
    changed = apply(data(f"{HEADER};hverv\r\nMarie-Louise Peschardt Jørgensen;F;Hvidovre;2026-01-01;"
                         "viceborgmester\r\n"))
    assert changed.changed == {"mandater": 1}
    assert ("Marie-Louise Peschardt Jørgensen", D(2026, 1, 1), None, "viceborgmester") in mandates()
    # Without the hverv column the file says nothing of offices.
    unchanged = apply(data(f"{HEADER}\r\nMarie-Louise Peschardt Jørgensen;F;Hvidovre;2026-01-01\r\n"))
    assert [line.action for line in unchanged.lines] == ["unchanged"]


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", ";"),
                                                     ("cp1252", ",")])
def test_danish_excel_files_are_read(app, encoding, delimiter):
    text = GOOD.replace(";", delimiter)
    result = apply(data(text, encoding))
    assert result.ok, result.errors
    assert db.session.scalar(sa.select(sa.func.count(Person.id)).where(Person.name == "Søren Sørensen")) == 1


def test_a_file_with_bad_lines_imports_nothing_and_names_each_line(app):
    before = counts()
    bad = (f"{HEADER};slutdato\r\n"
           "Gode Linje;F;Hvidovre;2026-01-01;\r\n"
           ";F;Hvidovre;2026-01-01;\r\n"
           "Forkert Dato;F;Hvidovre;1/1/26;\r\n"
           "Ukendt By;F;Atlantis;2026-01-01;\r\n"
           "Baglæns;F;Hvidovre;2026-01-01;2025-01-01\r\n"
           "Gode Linje;F;Hvidovre;2026-01-01;\r\n"
           "For;Mange;Celler;2026-01-01;;x\r\n")
    result = apply(data(bad))
    assert not result.ok
    assert result.errors == [
        "linje 3: navn mangler",
        "linje 4: ugyldig startdato '1/1/26' (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
        "linje 5: ukendt kommune 'Atlantis'",
        "linje 6: Mandatets sidste dag ligger før den første.",
        "linje 7: mandatet står også på linje 2",
        "linje 8: linjen har 6 celler, men overskriften har 5",
    ]
    assert counts() == before


def test_files_that_are_no_list_of_mandates_are_refused(app):
    assert apply(b"").errors == ["Filen er tom."]
    assert apply(data("organisation;plads\r\nRAR;1\r\n")).errors == [
        "linje 1: filen er ikke en liste over mandater: overskriften skal være navn;parti;kommune;startdato;slutdato;"
        "hverv"]
    assert apply(data("navn;parti;kommune\r\nA;F;Hvidovre\r\n")).errors == [
        "linje 1: kolonnen 'startdato' mangler"]
    assert apply(data(f"{HEADER};køn\r\nA;F;Hvidovre;2026-01-01;kvinde\r\n")).errors == [
        "linje 1: ukendt kolonne 'køn'"]
    assert apply(data(f"{HEADER}\r\n")).errors == ["Filen har kun overskriften og ingen mandater."]


def test_the_new_council_ends_the_old_periods_open_mandates_in_its_municipality(app):
    periods()
    hvidovre, gentofte = make.municipality("Hvidovre"), make.municipality("Gentofte")
    reelected = make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre")
    left = make.person("Ikke Genvalgt", "Hvidovre")
    elsewhere = make.person("Anden Kommune", "Gentofte")
    for person, municipality in ((reelected, hvidovre), (left, hvidovre), (elsewhere, gentofte)):
        services.record(person, municipality, D(2022, 1, 1))
    db.session.commit()
    preview = import_mandates(data(GOOD), dry_run=True)
    assert "mandatet fra 01.01.2022 afsluttes 31.12.2025: valgperioden 2022-2025 er slut" in preview.ended
    assert len(preview.ended) == 2
    db.session.rollback()
    apply(data(GOOD))
    assert [m.end_date for m in services.mandates_of(reelected)] == [None, D(2025, 12, 31)]
    assert [m.end_date for m in services.mandates_of(left)] == [D(2025, 12, 31)]
    assert [m.end_date for m in services.mandates_of(elsewhere)] == [None]  # Gentofte is not in the file
    assert apply(data(GOOD)).ended == []


def test_a_mandate_overlapping_one_of_the_same_term_is_refused(app):
    periods()
    person = make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre")
    services.record(person, make.municipality("Hvidovre"), D(2022, 1, 1))
    db.session.commit()
    result = apply(data(f"{HEADER}\r\nMarie-Louise Peschardt Jørgensen;F;Hvidovre;2024-06-01\r\n"))
    assert result.errors == ["linje 2: mandatet overlapper personens mandat i samme kommune fra 01.01.2022"]
    twice = apply(data(f"{HEADER};slutdato\r\nNy Person;F;Gentofte;2026-01-01;\r\nNy Person;F;Gentofte;2027-01-01;"
                       "\r\n"))
    assert twice.errors == ["linje 3: mandatet overlapper personens mandat i samme kommune fra 01.01.2026"]


def test_the_import_reads_the_registry_in_the_same_number_of_queries_whatever_the_files_size(app):
    """Reading is a few queries; writing is the ORM's, an INSERT a row (a council-sized file), audited alike."""
    def file(n: int) -> bytes:
        return data(HEADER + "\r\n" + "".join(f"Person {i};A;Hvidovre;2026-01-01\r\n" for i in range(n)))

    def reads(raw: bytes, dry_run: bool) -> int:
        with make.queries() as statements:
            result = import_mandates(raw, dry_run=dry_run)
            assert result.ok
        db.session.rollback()
        return sum(1 for statement in statements if statement.startswith("SELECT"))

    assert reads(file(5), True) == reads(file(200), True)
    assert reads(file(5), False) == reads(file(200), False)


def test_the_command_checks_then_imports(app, runner, tmp_path):
    path = tmp_path / "byraad.csv"
    path.write_bytes(data(GOOD, "cp1252"))
    dry = runner.invoke(args=["registry", "import-mandates", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Prøvekørsel: intet er gemt." in dry.output
    assert db.session.scalar(sa.select(sa.func.count(CouncilMandate.id))) == 0
    done = runner.invoke(args=["registry", "import-mandates", str(path)])
    assert "Importen er gemt." in done.output
    assert "Intet nyt" in runner.invoke(args=["registry", "import-mandates", str(path)]).output
    path.write_bytes(data(f"{HEADER}\r\nX;F;Atlantis;2026-01-01\r\n"))
    refused = runner.invoke(args=["registry", "import-mandates", str(path)])
    assert refused.exit_code == 1
    assert "linje 2: ukendt kommune 'Atlantis'" in refused.output


def test_the_secretariat_previews_then_confirms_the_upload(client, app):
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "gitb")
    preview = client.post("/mandater/import", data={"file": (io.BytesIO(data(GOOD)), "byraad.csv")},
                          content_type="multipart/form-data")
    assert "Alle 4 linjer er i orden" in preview.text
    assert "nyt mandat: Anders Wolf Andresen, Hvidovre (A), fra 01.01.2026" in preview.text
    fields = {name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', preview.text).group(1)
              for name in ("token", "sha256")}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(CouncilMandate.id))) == 0
    done = client.post("/mandater/import/bekraeft", data=fields, follow_redirects=True)
    assert "Importen er gennemført: 4 nye mandater" in done.text
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(CouncilMandate.id))) == 4
    bad = client.post("/mandater/import", data={"file": (io.BytesIO(data(f"{HEADER}\r\nX;F;Atlantis;2026-01-01\r\n")),
                                                         "byraad.csv")}, content_type="multipart/form-data")
    assert "linje 2: ukendt kommune" in bad.text
    assert "/mandater/import/bekraeft" not in bad.text

"""An older export imported again must not silently undo later work: a line that reopens, shortens or moves an
appointment the registry changed on or after the file's date is a warning, and nothing is written until the
user accepts the warnings (a tick on the upload page, --accept-stale on the command line)."""

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments import services
from registry.appointments.models import Appointment, EndReason
from registry.auth.models import UserRole
from registry.dates import today
from registry.exchange import csv_export
from registry.exchange.csv_import import import_csv
from registry.exchange.csv_import_stale import date_in_name
from registry.extensions import db
from tests import factories as make
from tests.factories import queries

# Both databases: the import reads the audit trail and writes in bulk.
pytestmark = pytest.mark.both_databases


@pytest.fixture
def kofoed(app) -> Appointment:
    """RAR Hovedstaden with Lotte Kofoed as member since 2022, still serving."""
    seat = make.seat(make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren"),
                     has_substitute=False)
    appointment = make.appoint(seat, make.person("Lotte Kofoed", "Frederiksberg"), date(2022, 1, 1))
    db.session.commit()
    return appointment


def export_now() -> bytes:
    """The whole history as the export writes it at this moment."""
    return b"".join(chunk.encode("utf-8") for chunk in csv_export.export(None))


def end(appointment: Appointment, last_day: date) -> None:
    """The secretariat ends the appointment in the registry (after the file was exported)."""
    services.end(db.session.get(Appointment, appointment.id), last_day, EndReason.resigned)
    db.session.commit()


def end_date(appointment: Appointment) -> date | None:
    db.session.rollback()
    return db.session.scalar(sa.select(Appointment.end_date).where(Appointment.id == appointment.id))


def test_an_older_export_that_reopens_an_ended_appointment_is_a_warning_and_writes_nothing(app, kofoed):
    old_file = export_now()
    end(kofoed, date(2026, 11, 30))
    result = import_csv(old_file, dry_run=False, since=today())
    assert result.ok
    assert not result.applied
    assert result.needs_confirmation
    assert result.warning_count == 1
    (warning,) = result.warnings
    assert warning.startswith("linje 2: Lotte Kofoed, medlem af RAR Hovedstaden, Plads 1, fra 01.01.2022: "
                              "filen genåbner udpegningen (slutdato 30.11.2026 → ingen), men registret har ændret "
                              f"udpegningen {today():%d.%m.%Y}, efter filens dato {today():%d.%m.%Y}")
    # The line's own outcome says what it is, with the warning beside it.
    (outcome,) = result.lines
    assert outcome.action == "change"
    assert "slutdato 30.11.2026 → ingen" in outcome.text
    assert "genåbner" in outcome.warning
    db.session.rollback()
    assert end_date(kofoed) == date(2026, 11, 30)


def test_accepting_the_warnings_imports_the_file(app, kofoed):
    old_file = export_now()
    end(kofoed, date(2026, 11, 30))
    result = import_csv(old_file, dry_run=False, since=today(), accept_stale=True)
    assert result.applied
    assert result.stale_accepted
    db.session.commit()
    assert end_date(kofoed) is None


def test_only_the_warnings_that_were_shown_are_accepted(app, kofoed):
    old_file = export_now()
    end(kofoed, date(2026, 11, 30))
    shown = import_csv(old_file, dry_run=True, since=today())
    db.session.rollback()
    assert not import_csv(old_file, dry_run=False, since=today(), accept_stale="0123456789abcdef").applied
    db.session.rollback()
    # Someone moves the end again after the preview: the tick given for the preview no longer covers it.
    end(kofoed, date(2026, 10, 31))
    assert not import_csv(old_file, dry_run=False, since=today(), accept_stale=shown.stale_digest).applied
    db.session.rollback()
    again = import_csv(old_file, dry_run=True, since=today())
    db.session.rollback()
    assert import_csv(old_file, dry_run=False, since=today(), accept_stale=again.stale_digest).applied
    db.session.commit()
    assert end_date(kofoed) is None


def test_shortening_and_moving_an_end_are_warnings_too(app, kofoed):
    other = make.appoint(make.seat(make.organisation("SOSU H"), has_substitute=False),
                         make.person("Bo Eksempel", "Rudersdal"), date(2022, 1, 1), date(2026, 6, 30))
    db.session.commit()
    old_file = export_now()  # Lotte Kofoed without an end, Bo Eksempel to 30.06.2026
    end(kofoed, date(2026, 11, 30))
    end(other, date(2026, 3, 31))
    stale = import_csv(old_file, dry_run=True, since=today())
    texts = " ".join(stale.warnings)
    assert stale.warning_count == 2
    assert "filen genåbner udpegningen (slutdato 30.11.2026 → ingen)" in texts
    assert "filen flytter udpegningens slutdato (31.03.2026 → 30.06.2026)" in texts
    db.session.rollback()
    # A hand-made file ending an appointment earlier than the registry has it: shortening.
    db.session.get(Appointment, other.id).end_date = date(2026, 6, 30)  # an audited change, as a form makes
    db.session.commit()
    shorter = old_file.replace(b"2026-06-30", b"2026-05-31")
    assert "filen forkorter udpegningen (slutdato 30.06.2026 → 31.05.2026)" in " ".join(
        import_csv(shorter, dry_run=True, since=today()).warnings)


def test_work_done_before_the_files_date_is_no_warning(app, kofoed):
    end(kofoed, date(2026, 11, 30))
    reopening = export_now().replace(b"2026-11-30;udtr\xc3\xa5dt", b";")
    result = import_csv(reopening, dry_run=False, since=today() + timedelta(days=1))
    assert result.warning_count == 0
    assert result.applied
    db.session.commit()
    assert end_date(kofoed) is None


def test_without_a_date_only_reopening_an_ended_appointment_is_a_warning(app, kofoed):
    other = make.appoint(make.seat(make.organisation("SOSU H"), has_substitute=False),
                         make.person("Bo Eksempel", "Rudersdal"), date(2022, 1, 1))
    db.session.commit()
    old_file = export_now()
    end(kofoed, date(2026, 11, 30))
    end(other, date(2026, 3, 31))
    # Bo Eksempel's line now moves the end the registry has (a hand-made file may mean that); Lotte Kofoed's
    # reopens hers.
    head, found, tail = old_file.rpartition(b"2022-01-01;;;")
    moved = head + b"2022-01-01;2026-05-31;udtr\xc3\xa5dt;" + tail
    result = import_csv(moved, dry_run=True)
    assert result.since is None
    assert result.warning_count == 1
    assert "Lotte Kofoed" in result.warnings[0]
    assert "som registret har afsluttet" in result.warnings[0]


def test_the_files_date_is_read_from_the_name_the_export_gives_it():
    assert date_in_name("udpegninger-2026-12-01.csv") == date(2026, 12, 1)
    assert date_in_name("udpegninger-sf-2026-12-01 (1).csv") == date(2026, 12, 1)
    assert date_in_name("udpegninger-alle-2026-12-01.xlsx.csv") == date(2026, 12, 1)
    assert date_in_name("udpegninger-alle.csv") is None
    assert date_in_name("udpegninger-2026-13-01.csv") is None
    assert date_in_name(None) is None


def test_the_check_takes_one_query_however_many_lines_are_stale(app, kofoed):
    def statements(count: int) -> int:
        seats = [make.seat(make.organisation(f"Råd {count}-{n}"), has_substitute=False) for n in range(count)]
        held = [make.appoint(seat, make.person(f"Person {count}-{n}", "Rudersdal"), date(2022, 1, 1))
                for n, seat in enumerate(seats)]
        db.session.commit()
        old_file = export_now()
        for appointment in held:
            services.end(db.session.get(Appointment, appointment.id), date(2026, 11, 30), EndReason.resigned)
        db.session.commit()
        with queries() as run:
            result = import_csv(old_file, dry_run=True, since=today())
        db.session.rollback()
        assert result.warning_count == count
        return len(run)

    assert statements(1) == statements(6)


# The upload page.

def as_secretariat(client) -> None:
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    assert make.login(client, "gitb").status_code == 302


def upload(client, data: bytes, name: str, **fields):
    return client.post("/import", data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def confirmation(html: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)
            for name in ("token", "sha256", "since", "stale")}


def test_the_upload_page_shows_the_warnings_and_imports_only_with_a_tick(app, client, kofoed):
    old_file = export_now()
    end(kofoed, date(2026, 11, 30))
    as_secretariat(client)
    html = upload(client, old_file, f"udpegninger-{today().isoformat()}.csv").text
    assert "1 linje kan gøre senere arbejde om" in html
    assert "linje 2: Lotte Kofoed, medlem af RAR Hovedstaden, Plads 1, fra 01.01.2022: filen genåbner" in html
    assert 'type="checkbox"' in html
    assert "Importér også de linjer, der har advarsler" in html
    fields = confirmation(html)
    assert fields["since"] == today().isoformat()

    refused = client.post("/import/confirm", data=fields)
    assert "Sæt kryds for at importere linjerne med advarsler." in refused.text
    assert end_date(kofoed) == date(2026, 11, 30)

    done = client.post("/import/confirm", data=confirmation(refused.text) | {"accept_stale": "y"},
                       follow_redirects=True)
    assert "Importen er gennemført: intet oprettet, 1 udpegning ændret." in done.text
    assert end_date(kofoed) is None


def test_the_date_given_on_the_upload_form_is_the_files(app, client, kofoed):
    old_file = export_now()
    end(kofoed, date(2026, 11, 30))
    as_secretariat(client)
    given = upload(client, old_file, "min fil.csv", since=today().isoformat()).text
    assert "1 linje kan gøre senere arbejde om" in given
    later = upload(client, old_file, f"udpegninger-{today().isoformat()}.csv",
                   since=(today() + timedelta(days=1)).isoformat()).text
    assert "kan gøre senere arbejde om" not in later
    assert "Linjen er i orden." in later


# The command line.

def test_the_command_refuses_stale_lines_unless_accepted(app, runner, kofoed, tmp_path):
    old_file = export_now()
    end(kofoed, date(2026, 11, 30))
    path = tmp_path / f"udpegninger-{today().isoformat()}.csv"
    path.write_bytes(old_file)
    refused = runner.invoke(args=["registry", "import-csv", str(path)])
    assert refused.exit_code == 1
    assert f"Advarsel: 1 linje ændrer en udpegning, som registret har ændret fra filens dato {today()}" \
        in refused.stderr
    assert "linje 2: Lotte Kofoed, medlem af RAR Hovedstaden, Plads 1, fra 01.01.2022: filen genåbner" \
        in refused.stderr
    assert "--accept-stale" in refused.stderr
    assert end_date(kofoed) == date(2026, 11, 30)

    later = runner.invoke(args=["registry", "import-csv", str(path), "--dry-run",
                                "--since", (today() + timedelta(days=1)).isoformat()])
    assert later.exit_code == 0
    assert "Advarsel" not in later.stderr

    accepted = runner.invoke(args=["registry", "import-csv", str(path), "--accept-stale"])
    assert accepted.exit_code == 0, accepted.output
    assert "Importen er gemt." in accepted.stdout
    assert end_date(kofoed) is None

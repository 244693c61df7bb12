"""The secretariat's upload page: see what the import would do, then confirm."""

import hashlib
import io
import re
from datetime import timedelta

import sqlalchemy as sa

from registry.appointments.models import Appointment
from registry.auth.models import UserRole
from registry.dates import utcnow
from registry.exchange.models import Upload
from registry.extensions import db
from tests import factories as make

HEADER = "organisation;plads;rolle;navn;parti;kommune;startdato;slutdato;ophørsårsag;udpegende_myndighed;indstilling"
GOOD = (HEADER + "\r\n"
        "RAR Hovedstaden;Plads 1;medlem;Lotte Kofoed;F;Frederiksberg;2022-01-01;;;Beskæftigelsesministeren;\r\n"
        "RAR Hovedstaden;Plads 1;suppleant;Marie-Louise Peschardt Jørgensen;F;Hvidovre;2022-01-01;;;"
        "Beskæftigelsesministeren;\r\n").encode("utf-8-sig")
BAD = (HEADER + "\r\n"
       "RAR Hovedstaden;Plads 1;medlem;Lotte Kofoed;F;Frederiksberg;19/04/24;;;Beskæftigelsesministeren;\r\n"
       ).encode("utf-8")


def appointments() -> int:
    db.session.rollback()  # a fresh read: on SQLite an open read would not see the requests' writes
    return db.session.scalar(sa.select(sa.func.count(Appointment.id)))


def kept_files() -> list[Upload]:
    db.session.rollback()
    return db.session.scalars(sa.select(Upload)).all()


def as_secretariat(client):
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "gitb")


def upload(client, data: bytes, name: str = "udpegninger.csv"):
    return client.post("/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_preview_shows_each_line_and_writes_nothing(client, app):
    as_secretariat(client)
    response = upload(client, GOOD)
    html = response.text
    assert response.status_code == 200
    assert "Alle 2 linjer er i orden" in html
    assert "Intet er gemt endnu" in html
    assert "Lotte Kofoed" in html
    assert "Oprettes: 2" in html
    assert appointments() == 0


def confirmation(html: str) -> dict[str, str]:
    """The confirm form's hidden fields: the kept file's token and the SHA-256 the preview was made from."""
    return {name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)
            for name in ("token", "sha256")}


def test_confirm_imports_the_kept_file_and_forgets_it(client, app):
    as_secretariat(client)
    html = upload(client, GOOD).text
    fields = confirmation(html)
    assert fields["sha256"] == hashlib.sha256(GOOD).hexdigest()
    assert "base64" not in html
    assert len(html) < 20_000
    (kept,) = kept_files()
    assert kept.data == GOOD
    response = client.post("/import/confirm", data=fields, follow_redirects=True)
    assert "Importen er gennemført" in response.text
    assert appointments() == 2
    assert "Lotte Kofoed (F)" in client.get("/").text
    assert kept_files() == []
    again = client.post("/import/confirm", data=fields, follow_redirects=True)  # twice is not twice
    assert "ikke længere gemt" in again.text
    assert appointments() == 2


def test_file_with_errors_lists_them_offers_no_confirm_and_keeps_nothing(client, app):
    as_secretariat(client)
    html = upload(client, BAD).text
    assert "linje 2:" in html
    assert "Intet er gemt" in html
    assert "/import/confirm" not in html
    assert appointments() == 0
    assert kept_files() == []


def test_confirm_refuses_another_file_an_expired_one_and_another_users(client, app):
    as_secretariat(client)
    fields = confirmation(upload(client, GOOD).text)

    wrong_hash = client.post("/import/confirm", data=fields | {"sha256": "0" * 64}, follow_redirects=True)
    assert "ikke den, kontrollen blev lavet på" in wrong_hash.text

    make.user("anna", UserRole.secretariat)
    db.session.commit()
    other = app.test_client()
    make.login(other, "anna")
    assert "ikke længere gemt" in other.post("/import/confirm", data=fields, follow_redirects=True).text

    db.session.execute(sa.update(Upload).values(created_at=utcnow() - timedelta(hours=2, minutes=1)))
    db.session.commit()
    expired = client.post("/import/confirm", data=fields, follow_redirects=True)
    assert "ikke længere gemt" in expired.text
    assert appointments() == 0

    upload(client, GOOD)  # a new upload clears the expired one away
    assert len(kept_files()) == 1


def test_confirm_checks_the_file_again(client, app):
    as_secretariat(client)
    fields = confirmation(upload(client, GOOD).text)
    db.session.execute(sa.update(Upload).values(data=BAD, sha256=hashlib.sha256(BAD).hexdigest()))
    db.session.commit()
    html = client.post("/import/confirm", data=fields | {"sha256": hashlib.sha256(BAD).hexdigest()}).text
    assert "linje 2:" in html
    assert appointments() == 0


def test_upload_without_a_file_or_with_a_broken_confirm_says_so(client, app):
    as_secretariat(client)
    assert "Vælg en fil." in client.post("/import", data={}).text
    response = client.post("/import/confirm", data={"token": "x"}, follow_redirects=True)
    assert "filen mangler" in response.text


def test_the_size_limit_is_stated_and_kept(client, app):
    app.config["IMPORT_MAX_MB"] = 1
    as_secretariat(client)
    assert "Filen må højst fylde 1 MB." in client.get("/import").text
    response = upload(client, GOOD + b"x" * (1024 * 1024))
    # Werkzeug's test client spools a body this large to a temporary file it leaves open.
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 200
    assert "Filen er for stor: 1,0 MB; højst 1 MB." in response.text
    assert kept_files() == []


def test_a_file_too_slow_to_check_is_refused_in_time(client, app):
    app.config["IMPORT_CHECK_SECONDS"] = 0
    as_secretariat(client)
    response = upload(client, GOOD)
    assert response.status_code == 200
    assert "Filen er for stor til at blive kontrolleret her." in response.text
    assert kept_files() == []


def test_many_refused_lines_show_the_first_and_count_all(client, app):
    as_secretariat(client)
    line = "RAR Hovedstaden;Plads 1;medlem;Lotte Kofoed;F;Frederiksberg;19/04/24;;;Beskæftigelsesministeren;\r\n"
    response = upload(client, (HEADER + "\r\n" + line * 1000).encode())
    assert "1000 fejl: filen kan ikke importeres" in response.text
    assert "… og 800 flere fejl." in response.text
    assert response.text.count("<li>linje ") == 200
    assert len(response.text) < 400_000


def test_only_the_secretariat_may_import(client, app):
    make.user("laeser", UserRole.viewer)
    db.session.commit()
    fields = {"token": "t" * 43, "sha256": "0" * 64}
    assert client.post("/import/confirm", data=fields).status_code == 302
    make.login(client, "laeser")
    assert upload(client, GOOD).status_code == 403
    assert client.post("/import/confirm", data=fields).status_code == 403
    assert appointments() == 0


def test_a_holder_seated_between_preview_and_confirm_is_a_clear_refusal(client, app, monkeypatch):
    from registry.errors import RuleViolation
    from registry.exchange import views

    as_secretariat(client)
    fields = confirmation(upload(client, GOOD).text)

    def seated_meanwhile(data, *, dry_run, deadline, since=None, accept_stale=False):
        raise RuleViolation("Pladsen (RAR Hovedstaden, Plads 1) har allerede en indehaver som medlem i den periode.")

    monkeypatch.setattr(views, "import_csv", seated_meanwhile)
    response = client.post("/import/confirm", data=fields, follow_redirects=True)
    assert "registret er ændret imens" in response.text
    assert appointments() == 0


def test_dates_as_danish_excel_saves_them_are_read(client, app):
    as_secretariat(client)
    excel = GOOD.decode("utf-8-sig").replace("2022-01-01", "01-01-2022").encode("cp1252")
    html = upload(client, excel).text
    assert "Alle 2 linjer er i orden" in html
    assert "fra 01.01.2022" in html

"""The secretariat's upload page: see what the import would do, then confirm."""

import base64
import io
import re

import sqlalchemy as sa

from registry.appointments.models import Appointment
from registry.auth.models import UserRole
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
    return db.session.scalar(sa.select(sa.func.count(Appointment.id)))


def as_secretariat(client):
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "gitb")


def upload(client, data: bytes, name: str = "udpegninger.csv"):
    return client.post("/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_preview_shows_each_line_and_writes_nothing(client, app):
    as_secretariat(client)
    response = upload(client, GOOD)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Alle 2 linjer er i orden" in html and "Intet er gemt endnu" in html
    assert "Lotte Kofoed" in html and "Oprettes" in html
    assert appointments() == 0


def test_confirm_imports_the_previewed_file(client, app):
    as_secretariat(client)
    html = upload(client, GOOD).get_data(as_text=True)
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', html).group(1)
    assert base64.b64decode(content) == GOOD
    response = client.post("/import/confirm", data={"content": content, "filename": "udpegninger.csv"},
                           follow_redirects=True)
    assert "Importen er gennemført" in response.get_data(as_text=True)
    assert appointments() == 2
    assert "Lotte Kofoed (F)" in client.get("/").get_data(as_text=True)


def test_file_with_errors_lists_them_and_offers_no_confirm(client, app):
    as_secretariat(client)
    html = upload(client, BAD).get_data(as_text=True)
    assert "linje 2:" in html and "Intet er gemt" in html
    assert "/import/confirm" not in html
    assert appointments() == 0


def test_confirm_checks_the_file_again(client, app):
    as_secretariat(client)
    content = base64.b64encode(BAD).decode()
    html = client.post("/import/confirm", data={"content": content}).get_data(as_text=True)
    assert "linje 2:" in html and appointments() == 0


def test_upload_without_a_file_or_with_a_broken_confirm_says_so(client, app):
    as_secretariat(client)
    assert "Vælg en fil." in client.post("/import", data={}).get_data(as_text=True)
    response = client.post("/import/confirm", data={"content": "ikke base64!"}, follow_redirects=True)
    assert "filen mangler" in response.get_data(as_text=True)


def test_only_the_secretariat_may_import(client, app):
    make.user("laeser", UserRole.viewer)
    db.session.commit()
    assert client.post("/import/confirm", data={"content": base64.b64encode(GOOD).decode()}).status_code == 302
    make.login(client, "laeser")
    assert upload(client, GOOD).status_code == 403
    assert client.post("/import/confirm", data={"content": base64.b64encode(GOOD).decode()}).status_code == 403
    assert appointments() == 0


def test_a_holder_seated_between_preview_and_confirm_is_a_clear_refusal(client, app, monkeypatch):
    from registry.errors import RuleViolation
    from registry.exchange import views

    as_secretariat(client)

    def seated_meanwhile(data, *, dry_run):
        raise RuleViolation("Pladsen (RAR Hovedstaden, Plads 1) har allerede en indehaver som medlem i den periode.")

    monkeypatch.setattr(views, "import_csv", seated_meanwhile)
    response = client.post("/import/confirm", data={"content": base64.b64encode(GOOD).decode()},
                           follow_redirects=True)
    assert "registret er ændret imens" in response.get_data(as_text=True)
    assert appointments() == 0


def test_dates_as_danish_excel_saves_them_are_read(client, app):
    as_secretariat(client)
    excel = GOOD.decode("utf-8-sig").replace("2022-01-01", "01-01-2022").encode("cp1252")
    html = upload(client, excel).get_data(as_text=True)
    assert "Alle 2 linjer er i orden" in html and "fra 01.01.2022" in html

"""Web basics (issue 14, points 7, 10, 11 and 12): the header and its menus, links between people and bodies,
the same words for the same thing, print, the favicon and the description, captions, the login form, and
static files served compressed with cache lifetimes that fit them."""

import gzip
import re
from datetime import date
from pathlib import Path

import pytest
from werkzeug.test import Client
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from registry import STATIC_MAX_AGE, serve_static
from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.auth.services import create_user
from registry.extensions import db
from registry.meetings import services as meetings
from registry.security import HEADERS
from tests import factories as make
from tests import nomination_factories as nominations

ROOT = Path(__file__).resolve().parent.parent
TEN_YEARS = WhiteNoise.FOREVER


def log_in(client, username: str, role: UserRole, name: str | None = None, party_letter: str | None = None) -> None:
    create_user(username, make.PASSWORD, role, make.party(party_letter) if party_letter else None, name=name)
    db.session.commit()
    assert make.login(client, username).status_code == 302


def main_menu(html: str) -> str:
    """The wide screen's main menu (the phone's drawer repeats it)."""
    return html.split('<nav class="nav" aria-label="Hovedmenu">', 1)[1].split("</nav>", 1)[0]


# --- The header ----------------------------------------------------------------------------------------

def test_header_names_the_party_group_user_once_with_the_party(client, app):
    make.party("F", "Socialistisk Folkeparti")
    log_in(client, "sf", UserRole.party, name="Demobruger (partigruppe)", party_letter="F")
    html = client.get("/").text
    assert "(partigruppe) (partigruppe)" not in html
    assert "Demobruger (partigruppe), Socialistisk Folkeparti</p>" in html


def test_header_names_the_role_when_the_name_does_not(client, app):
    log_in(client, "gitte", UserRole.secretariat, name="Gitte Hansen")
    assert "Gitte Hansen, sekretariat</p>" in client.get("/").text
    client.post("/logout")
    log_in(client, "demo", UserRole.secretariat, name="Demobruger (sekretariat)")
    html = client.get("/").text
    assert "Demobruger (sekretariat)</p>" in html
    assert "Demobruger (sekretariat), sekretariat" not in html


def test_the_secretariat_finds_its_pages_under_one_menu_item_with_a_sub_menu(client, app):
    log_in(client, "gitte", UserRole.secretariat)
    menu = main_menu(client.get("/").text)
    assert re.search(r'<button type="button" class="button-overflow-menu js-dropdown"\s+data-js-target="desktopmenu-5"'
                     r' aria-expanded="false" aria-controls="desktopmenu-5"><span>Sekretariatet</span></button>', menu)
    sub_menu = menu.split('id="desktopmenu-5"', 1)[1]
    for path, label in [("/sekretariat", "Overblik"), ("/indstillinger", "Indstillinger"),
                        ("/opfordringer", "Opfordringer"), ("/udpegninger/ny", "Ny udpegning"),
                        ("/personer/ny", "Opret person"), ("/revisionsspor", "Revisionsspor")]:
        assert f'<a href="{path}" class="nav-link"><span>{label}</span></a>' in sub_menu
    # Five items on the bar, three of them sub-menus.
    assert re.findall(r'<span>([^<]+)</span></button>', menu) == ["Organisationer", "KKR", "Sekretariatet"]
    bar = [label for label in re.findall(r'<span>([^<]+)</span>', menu)
           if label in ("Udpegninger i dag", "Organisationer", "Personer", "KKR", "Sekretariatet")]
    assert bar == ["Udpegninger i dag", "Organisationer", "Personer", "KKR", "Sekretariatet"]


def test_the_public_and_a_party_group_get_their_own_menus(client, app):
    public = main_menu(client.get("/").text)
    assert "Sekretariatet" not in public
    assert "Partigruppe" not in public
    assert '<a href="/" class="nav-link" aria-current="page"><span>Udpegninger i dag</span></a>' in public
    assert '<li class="active current">' in public

    log_in(client, "sf", UserRole.party, party_letter="F")
    menu = main_menu(client.get("/partigruppe").text)
    assert '<a href="/partigruppe" class="nav-link" aria-current="page"><span>Partigruppe</span></a>' in menu
    assert '<a href="/indstillinger" class="nav-link"><span>Indstillinger</span></a>' in menu
    assert "Sekretariatet" not in menu


def test_the_phone_menu_drawer_has_every_link_of_the_menu_and_the_function_links(client, app):
    log_in(client, "gitte", UserRole.secretariat)
    html = client.get("/").text
    drawer = html.split('<div class="mobile-drawer', 1)[1].split("</header>", 1)[0]
    for href in re.findall(r'<a href="([^"]+)" class="nav-link"', main_menu(html)):
        assert f'<a href="{href}" class="nav-link"' in drawer
    for label in ("Importér CSV", "Udbakke", "Log ud", "English"):
        assert label in drawer
    # Without JavaScript the sub-menus and the drawer work from a stylesheet instead.
    assert '<noscript><link rel="stylesheet" href="/static/no-js.css"></noscript>' in html
    assert client.get("/static/no-js.css").status_code == 200


# --- Links and words (point 10) ------------------------------------------------------------------------

@pytest.fixture
def rar(app):
    """A body with a member today, a vacant seat and a seat that closes at the end of 2026 (the test day)."""
    organisation = make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren")
    seat = make.seat(organisation)
    lotte = make.person("Lotte Kofoed", municipality_name="Albertslund")
    make.appoint(seat, lotte, date(2022, 1, 1))
    make.seat(organisation, "Plads 2")
    make.seat(organisation, "Plads 3", end_date=date(2099, 12, 31))
    make.seat(organisation, "Plads 4", end_date=date(2023, 12, 31))
    db.session.commit()
    return organisation, lotte


def test_names_in_rosters_link_to_the_person(client, rar):
    organisation, lotte = rar
    link = f'<a href="/personer/{lotte.id}">Lotte Kofoed (F)</a>'
    assert link in client.get("/").text
    assert link in client.get(f"/organisationer/{organisation.id}").text


def test_names_in_a_bodys_latest_decisions_link_to_the_persons_decisions(client, rar):
    """As the decision history does: the person's decisions are public whatever the outcome."""
    organisation, _ = rar
    bo = make.person("Bo Berg")
    make.appoint(organisation.seats[1], bo, date(2024, 5, 1), decision=make.decision(date(2024, 4, 19)))
    db.session.commit()
    page = client.get(f"/organisationer/{organisation.id}").text
    assert f'<a href="/beslutninger?person={bo.id}">Bo Berg</a> (F)' in page


def test_a_meetings_page_links_the_body_of_each_nomination(client, rar):
    organisation, _ = rar
    nomination = nominations.nomination(organisation.seats[1], party_letter="F")
    meetings.place_on_agenda(nomination, date(2024, 4, 19), "4.1", council="KKR Hovedstaden")
    db.session.commit()
    log_in(client, "gitte", UserRole.secretariat)
    page = client.get(f"/moeder/{nomination.item.meeting_id}").text
    assert f'<a href="/organisationer/{organisation.id}">RAR Hovedstaden</a>, Plads 2)' in page


def test_the_holder_a_form_changes_links_to_the_person(client, rar):
    organisation, lotte = rar
    log_in(client, "gitte", UserRole.secretariat)
    appointment = organisation.seats[0].appointments[0]
    for action in ("afslut", "erstat", "hverv"):
        page = client.get(f"/udpegninger/{appointment.id}/{action}").text
        assert f'<dd><a href="/personer/{lotte.id}">Lotte Kofoed</a> (F)</dd>' in page, action


def test_organisation_names_link_to_the_body_on_person_party_municipality_and_seat_pages(client, rar):
    organisation, lotte = rar
    link = f'<a href="/organisationer/{organisation.id}">RAR Hovedstaden</a>'
    for path in (f"/personer/{lotte.id}", "/partier/F", f"/kommuner/{lotte.municipality_id}", "/pladser"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert link in response.text, path
    earlier = client.get("/partier/F?as_of=2024-04-19").text
    assert f'<a href="/organisationer/{organisation.id}?as_of=2024-04-19">RAR Hovedstaden</a>' in earlier


def test_still_serving_reads_fortsat_on_person_and_organisation_pages(client, rar):
    organisation, lotte = rar
    for path in (f"/personer/{lotte.id}", f"/organisationer/{organisation.id}",
                 f"/pladser/{organisation.seats[0].id}"):
        html = client.get(path).text
        assert "<td>fortsat</td>" in html, path
        assert '<span aria-hidden="true">–</span><span class="sr-only">fortsat</span>' not in html, path


def test_a_closing_day_to_come_reads_nedlaegges_and_one_passed_nedlagt(client, rar):
    organisation, _ = rar
    for path in ("/pladser", f"/organisationer/{organisation.id}"):
        html = client.get(path).text
        assert "nedlægges pr. 31.12.2099" in html, path
        assert "nedlagt pr. 31.12.2099" not in html, path
        assert "nedlagt pr. 31.12.2023" in html, path
    seats = {seat.label: seat for seat in organisation.seats}
    assert "pladsen nedlægges pr. 31.12.2099" in client.get(f"/pladser/{seats['Plads 3'].id}").text
    assert "pladsen er nedlagt pr. 31.12.2023" in client.get(f"/pladser/{seats['Plads 4'].id}").text
    organisation.end_date = date(2099, 12, 31)
    db.session.commit()
    html = client.get(f"/pladser/{seats['Plads 3'].id}").text
    assert "organisationen nedlægges pr. 31.12.2099" in html
    assert "nedlagt pr. 31.12.2099" not in html


def test_pages_with_vacant_seats_say_the_files_hold_only_the_seats_that_are_filled(client, rar):
    organisation, _ = rar
    note = "Filerne har kun de besatte pladser; ledige pladser står ikke i dem."
    for path in ("/", f"/organisationer/{organisation.id}"):
        html = client.get(path).text
        assert "<em>Ledig</em>" in html, path
        assert note in html, path
    lines = client.get("/export/appointments.csv").get_data(as_text=True).splitlines()
    assert len(lines) == 2  # the header and Lotte Kofoed: no line for a vacant seat


# --- Phone and print (point 11) ------------------------------------------------------------------------

def test_tables_scroll_in_their_own_frame_on_a_narrow_screen(client, rar):
    organisation, lotte = rar
    for path in ("/", f"/organisationer/{organisation.id}", f"/personer/{lotte.id}", "/partier/F"):
        html = client.get(path).text
        tables = html.count("<table")
        assert tables, path
        assert html.count('<div class="table--responsive-scroll" tabindex="0">') >= tables, path


def test_print_shows_the_source_the_day_and_the_address(client, rar):
    organisation, _ = rar
    html = client.get(f"/organisationer/{organisation.id}?as_of=2024-04-19").text
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in html
    source = html.split('<p class="print-source d-none d-print-block">', 1)[1].split("</p>", 1)[0]
    assert "Kilde: KKR Hovedstaden, udpegningsregistret." in source
    assert "Oplysningerne gælder pr. 19. april 2024." in source
    assert f"http://localhost/organisationer/{organisation.id}?as_of=2024-04-19" in source
    print_css = client.get("/static/print.css")
    assert print_css.status_code == 200
    assert ".header .navigation-menu" in print_css.text


# --- Web basics (point 12) -----------------------------------------------------------------------------

def test_every_page_has_a_favicon_and_a_description(client, app):
    html = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    description = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert description
    assert "KKR Hovedstaden" in description.group(1)
    favicon = client.get("/static/favicon.svg")
    assert favicon.status_code == 200
    assert favicon.mimetype == "image/svg+xml"


def test_every_table_in_the_templates_has_a_caption():
    missing = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if "<table" in line and not any("<caption" in after for after in lines[number + 1:number + 3]):
                missing.append(f"{path.relative_to(ROOT)}:{number + 1}")
    assert missing == []


def test_the_login_form_posts_to_itself_without_an_empty_action_and_focuses_the_user_name(client, app):
    html = client.get("/login").text
    assert 'action=""' not in html
    form = html.split("<main", 1)[1]
    assert '<form method="post" novalidate>' in form
    username = re.search(r'<input [^>]*id="username"[^>]*>', form).group(0)
    assert " autofocus " in username
    password = re.search(r'<input [^>]*id="password"[^>]*>', form).group(0)
    assert "autofocus" not in password


def test_no_form_in_the_templates_has_an_empty_action():
    found = [str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
             if re.search(r'<form[^>]*action=""', path.read_text(encoding="utf-8"))]
    assert found == []


def test_vendored_files_are_kept_for_good_and_the_projects_own_for_minutes(client, app):
    vendored = client.get("/static/vendor/dkfds-11.2.0/css/dkfds.min.css")
    assert vendored.status_code == 200
    assert vendored.headers["Cache-Control"] == f"max-age={TEN_YEARS}, public, immutable"
    for own in ("/static/registry.css", "/static/print.css", "/static/favicon.svg", "/static/registry.js"):
        response = client.get(own)
        assert response.status_code == 200, own
        assert response.headers["Cache-Control"] == f"max-age={STATIC_MAX_AGE}, public", own
        assert response.headers["ETag"], own
        assert "Access-Control-Allow-Origin" not in response.headers, own
        for name, value in HEADERS.items():
            assert response.headers[name] == value, (own, name)
    etag = client.get("/static/registry.css").headers["ETag"]
    assert client.get("/static/registry.css", headers={"If-None-Match": etag}).status_code == 304


def test_a_precompressed_file_is_sent_compressed_to_a_browser_that_accepts_it(tmp_path):
    css = tmp_path / "vendor" / "dkfds-1.0.0" / "css" / "dkfds.min.css"
    css.parent.mkdir(parents=True)
    css.write_text(".table { border-collapse: collapse; }\n" * 200)
    Compressor(quiet=True).compress(str(css))

    def app(environ, start_response):  # the registry behind WhiteNoise: never reached for a static file
        raise AssertionError(environ["PATH_INFO"])

    client = Client(serve_static(app, str(tmp_path)))
    compressed = client.get("/static/vendor/dkfds-1.0.0/css/dkfds.min.css", headers={"Accept-Encoding": "gzip"},
                            buffered=True)
    assert compressed.status_code == 200
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert gzip.decompress(compressed.data) == css.read_bytes()
    assert "immutable" in compressed.headers["Cache-Control"]
    plain = client.get("/static/vendor/dkfds-1.0.0/css/dkfds.min.css", buffered=True)
    assert "Content-Encoding" not in plain.headers
    assert plain.data == css.read_bytes()


def test_substitutes_and_members_are_told_apart_in_the_roster_links(client, rar):
    """A suppleant's name links to the suppleant, not to the member on the same seat."""
    organisation, _ = rar
    tove = make.person("Tove Eksempel")
    make.appoint(organisation.seats[0], tove, date(2022, 1, 1), role=Role.substitute)
    db.session.commit()
    assert f'<a href="/personer/{tove.id}">Tove Eksempel (F)</a>' in client.get("/").text

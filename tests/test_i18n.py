"""Danish by default, English on request; the design system served from the app itself."""

import posixpath
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from registry.extensions import db
from tests import factories as make

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "translations" / "en" / "LC_MESSAGES"
DKFDS_CSS = "/static/vendor/dkfds-11.2.0/css/dkfds.min.css"

# English words that have no business on a Danish page (case-sensitive: "organisation" is Danish too).
ENGLISH_WORDS = ["Login", "Log in", "Log out", "Password", "Username", "Member", "Substitute", "Vacant", "Seat",
                 "Organisation", "Appointments", "Skip to content", "Error", "Show"]
# Danish texts of the templates that have no business on an English page.
DANISH_TEXTS = ["Udpegninger", "Log ind", "Log ud", "Gå til indhold", "Medlem", "Personlig suppleant", "Ledig",
                "Plads<", "Udpeges af", "Hvem der sidder hvor", "Vis udpegninger", "Siden findes ikke"]


def words_in(html: str, words: list[str]) -> list[str]:
    return [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", html)]


def in_english(client) -> None:
    assert client.get("/sprog/en").status_code == 302


def some_bodies() -> None:
    seat = make.seat(make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren"))
    make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1))
    school = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    make.appoint(school, make.person("Esat Sentürk", party_letter="B"), date(2022, 1, 1), date(2024, 10, 31))
    db.session.commit()


def test_reader_switches_to_english_and_back(client, app):
    assert '<html lang="da">' in client.get("/login").text
    response = client.get("/sprog/en?next=/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    html = client.get("/login").text
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Skip to content" in html
    assert 'href="/sprog/da?next=/login"' in html
    assert 'lang="da"' in html

    response = client.get("/sprog/da?next=/?as_of%3D2024-04-19")
    assert response.headers["Location"] == "/?as_of=2024-04-19"
    html = client.get("/login").text
    assert '<html lang="da">' in html
    assert "<h1>Log ind</h1>" in html
    assert 'href="/sprog/en?next=/login"' in html


def test_switch_links_back_to_the_same_page_with_its_query(client, app):
    html = client.get("/?as_of=2024-04-19").text
    assert 'href="/sprog/en?next=/?as_of%3D2024-04-19"' in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
                                    "", "javascript:alert(1)"])
def test_language_switch_returns_only_to_pages_on_this_site(client, app, target):
    response = client.get("/sprog/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_unknown_language_is_a_404_and_an_unknown_cookie_is_danish(client, app):
    assert client.get("/sprog/de").status_code == 404
    client.set_cookie("lang", "de")
    assert '<html lang="da">' in client.get("/").text


def test_danish_pages_have_no_english(client, app):
    some_bodies()
    pages = {
        "home": client.get("/?as_of=2024-04-19").text,
        "login": client.get("/login").text,
        "login with errors": client.post("/login", data={}).text,
        "404": client.get("/findes-ikke").text,
    }
    assert "Lotte Kofoed" in pages["home"]
    assert "Skriv dit brugernavn." in pages["login with errors"]
    assert {name: words_in(html, ENGLISH_WORDS) for name, html in pages.items()} == {name: [] for name in pages}


def test_english_pages_have_no_danish_from_the_templates(client, app):
    some_bodies()
    in_english(client)
    pages = {
        "home": client.get("/?as_of=2024-04-19").text,
        "login": client.get("/login").text,
        "404": client.get("/findes-ikke").text,
    }
    assert "Appointed by Beskæftigelsesministeren" in pages["home"]
    assert "Member" in pages["home"]
    assert "The page does not exist." in pages["404"]
    assert {name: words_in(html, DANISH_TEXTS) for name, html in pages.items()} == {name: [] for name in pages}


def test_dates_are_danish_in_danish_and_english_in_english(client, app):
    some_bodies()
    html = client.get("/?as_of=2024-04-19").text
    assert "Udpegninger pr. 19. april 2024" in html
    assert "Hent udpegningerne pr. 19.04.2024 som CSV-fil" in html
    assert "nedlægges pr. 31.10.2024" in html
    in_english(client)
    html = client.get("/?as_of=2024-04-19").text
    assert "Appointments on 19 April 2024" in html
    assert "Download the appointments on 19 Apr 2024 as a CSV file" in html
    assert "dissolved as of 31 Oct 2024" in html


def test_the_date_filter_outside_a_request_is_danish(app):
    from registry.dates import local_date

    assert local_date(date(2024, 5, 1), long=True) == "1. maj 2024"
    assert local_date(None) == ""


def test_design_system_is_served_by_the_app_with_every_file_its_css_needs(client, app):
    html = client.get("/").text
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert DKFDS_CSS in links
    assert "/static/registry.js" in links
    assert [link for link in links if not link.startswith(("/", "#")) or link.startswith("//")] == []
    for link in {link.split("#")[0] for link in links if link.startswith("/static/")}:
        assert client.get(link).status_code == 200, link

    css = client.get(DKFDS_CSS)
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    references = set(re.findall(r"url\((?!data:)['\"]?([^'\")?#]+)", css.text))
    assert any("IBMPlexSans-Regular.woff2" in reference for reference in references)
    for reference in references:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(DKFDS_CSS), reference))
        assert client.get(path).status_code == 200, reference


def test_base_template_names_no_address_outside_the_site():
    base = (ROOT / "templates" / "base.html").read_text()
    assert re.findall(r"https?://|//[\w.-]+\.\w", base) == []
    assert "<script>" not in base
    assert not re.search(r"\son[a-z]+=", base)


def test_every_marked_text_has_an_english_translation():
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "lazy_ngettext": (1, 2)}  # as in babel.cfg
    marked = {(context, msgid if isinstance(msgid, str) else msgid[0]): filename
              for filename, _, msgid, _, context in extract_from_dir(str(ROOT), method_map, options_map, keywords)}
    with open(ENGLISH / "messages.po", "rb") as po:
        catalog = read_po(po)
    untranslated = [(msgid, filename) for (context, msgid), filename in marked.items()
                    if not (message := catalog.get(msgid, context=context)) or message.fuzzy
                    or not all(message.string if isinstance(message.string, tuple) else [message.string])]
    assert untranslated == [], "run the commands at the top of babel.cfg"


def translations(catalog) -> dict:
    # Plural forms come back as tuples from a .po and as lists from a .mo.
    same = lambda value: tuple(value) if isinstance(value, (list, tuple)) else value  # noqa: E731
    return {(m.context, same(m.id)): same(m.string) for m in catalog if m.id and not m.fuzzy}


def test_compiled_catalog_is_the_po_file_compiled():
    with open(ENGLISH / "messages.po", "rb") as po, open(ENGLISH / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert translations(compiled) == translations(source), "run: .venv/bin/pybabel compile -d translations"

"""The search box: people and bodies by part of the name, with or without Danish letters."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.auth.models import UserRole
from registry.extensions import db
from registry.organisations.models import Organisation
from registry.people.models import Person
from registry.types import search_key
from tests import factories as make

# Both databases: case folding and sorting in SQL.
pytestmark = pytest.mark.both_databases


def search(client, query: str, page: int | None = None) -> str:
    response = client.get("/soeg", query_string={"q": query, **({"side": page} if page else {})})
    assert response.status_code == 200
    return response.text


def holder(name: str, municipality: str = "Hvidovre", party_letter: str = "F", body: str | None = None) -> Person:
    """A person who holds a seat, so that the public finds them."""
    person = make.person(name, municipality, party_letter)
    make.appoint(make.seat(make.organisation(body or f"Organisation for {name}")), person, date(2022, 1, 1))
    return person


@pytest.fixture
def registry(app):
    holder("Esat Sentürk", "Høje-Taastrup", "B", body="Skoletjenesten")
    holder("Marie-Louise Peschardt Jørgensen", "Hvidovre", "F", body="RAR Hovedstaden")
    holder("Hans Taarbæk", "Gentofte", "C", body="Lyngby-Taarbæk Forsyning")
    make.organisation("Ærø Færgerne")
    make.municipality("Lyngby-Taarbæk", 173)
    db.session.commit()


@pytest.mark.parametrize(("query", "found"), [
    ("senturk", "Esat Sentürk"),
    ("Sentürk", "Esat Sentürk"),
    ("lyngby", "Lyngby-Taarbæk Forsyning"),
    ("taarbaek", "Hans Taarbæk"),
    ("taarbaek", "Lyngby-Taarbæk Forsyning"),
    ("jorgensen", "Marie-Louise Peschardt Jørgensen"),
    ("JOERGENSEN", "Marie-Louise Peschardt Jørgensen"),
    ("aeroe", "Ærø Færgerne"),
    ("faergerne", "Ærø Færgerne"),
    ("peschardt jør", "Marie-Louise Peschardt Jørgensen"),
])
def test_search_finds_people_and_bodies_without_the_right_danish_letters(client, registry, query, found):
    assert found in search(client, query)


def test_search_finds_the_municipality_too(client, registry):
    for query in ("lyngby", "taarbaek"):
        assert 'href="/kommuner/173">Lyngby-Taarbæk</a>' in search(client, query)


def test_a_person_hit_links_to_the_person_page_and_a_body_hit_to_the_body(client, registry):
    page = search(client, "senturk")
    person = db.session.scalar(sa.select(Person).where(Person.name == "Esat Sentürk"))
    assert f'href="/personer/{person.id}">Esat Sentürk</a> (B, Høje-Taastrup)' in page
    body = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Skoletjenesten"))
    assert f'href="/organisationer/{body.id}">Skoletjenesten</a>' in search(client, "skole")


def test_a_search_that_finds_nothing_says_so(client, registry):
    assert "Ingen personer eller organisationer matcher søgningen." in search(client, "xyzzy")


def test_wildcards_in_the_query_are_taken_literally(client, registry):
    assert "Ingen personer eller organisationer matcher søgningen." in search(client, "%")
    assert "Ingen personer eller organisationer matcher søgningen." in search(client, "_")


def test_an_empty_search_shows_the_form_only(client, registry):
    page = search(client, "  ")
    assert 'type="search"' in page
    assert "Resultater" not in page


def test_the_public_does_not_find_people_who_never_held_a_seat(client, registry):
    make.person("Kandidat Jørgensen")
    db.session.commit()
    assert "Kandidat Jørgensen" not in search(client, "jorgensen")
    make.user("laeser", UserRole.viewer)
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "laeser")
    assert "Kandidat Jørgensen" not in search(client, "jorgensen")
    make.login(client, "gitb")
    assert "Kandidat Jørgensen" in search(client, "jorgensen")


def test_search_results_come_a_page_at_a_time(client, app):
    for i in range(25):
        holder(f"Eksempel Jørgensen {i:02d}", body=f"Råd {i:02d}")
    db.session.commit()
    first = search(client, "jorgensen")
    assert "Eksempel Jørgensen 00" in first
    assert "Eksempel Jørgensen 19" in first
    assert "Eksempel Jørgensen 20" not in first
    assert "Næste side" in first
    last = db.session.scalar(sa.select(Person.id).where(Person.name == "Eksempel Jørgensen 19"))
    assert f'href="/soeg?q=jorgensen&amp;efter=person-{last}"' in first
    second = client.get("/soeg", query_string={"q": "jorgensen", "efter": f"person-{last}"}).text
    assert "Eksempel Jørgensen 20" in second
    assert "Eksempel Jørgensen 24" in second
    assert "Eksempel Jørgensen 19" not in second
    assert "Første side" in second
    assert "Næste side" not in second


def test_a_bad_or_unknown_search_page_key_is_refused_not_a_500(client, app):
    holder("Eksempel Jørgensen")
    db.session.commit()
    assert client.get("/soeg?q=jorgensen&efter=abc").status_code == 400
    assert client.get("/soeg?q=jorgensen&efter=person-x").status_code == 400
    assert client.get("/soeg?q=jorgensen&efter=person-999999").status_code == 404


def test_the_public_cannot_page_from_a_person_who_never_held_a_seat(client, app):
    holder("Eksempel Jørgensen")
    private = make.person("Kandidat Jørgensen")
    db.session.commit()
    assert client.get(f"/soeg?q=jorgensen&efter=person-{private.id}").status_code == 404


def test_search_takes_as_many_queries_however_many_hits(client, app):
    def queries(query: str) -> int:
        with make.queries() as statements:
            search(client, query)
        return len(statements)

    def add(prefix: str, n: int) -> None:
        for i in range(n):
            holder(f"{prefix} Jørgensen {i}", body=f"{prefix} Jørgensens Fond {i}")
        db.session.commit()

    add("Lille", 2)
    small = queries("jorgensen")
    add("Stor", 30)
    assert queries("jorgensen") == small


def test_the_search_key_follows_the_name(app):
    person = make.person("Esat Sentürk")
    organisation = make.organisation("Lyngby-Taarbæk Forsyning")
    db.session.commit()
    assert (person.search_name, organisation.search_name) == ("esat senturk", "lyngby-taarbaek forsyning")
    person.name = "Åse Ærø"
    db.session.commit()
    assert person.search_name == "aase aeroe" == search_key("ÅSE ÆRØ")


def test_rows_written_in_bulk_get_their_search_key_too(app):
    """The CSV import inserts with Core, past the models' validators."""
    db.session.execute(sa.insert(Person), [{"name": "Bo Østergård", "sort_name": "bo |stergard"}])
    db.session.commit()
    assert db.session.scalar(sa.select(Person.search_name)) == "bo oestergaard"

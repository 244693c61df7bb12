"""All of Denmark: the 98 municipalities with kommunekode and region in every database, and "in the region"
following the KKR the registry serves (COUNCIL_NAME), so that another KKR starts by setting one variable."""

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.exchange.csv_import import import_csv
from registry.extensions import db
from registry.people.models import Municipality
from registry.people.reference import DENMARK, REGIONS, council_region
from registry.people.services import in_council_region
from tests import factories as make
from tests.test_import import csv_file, line

# Both databases: the data migration writes them.
pytestmark = pytest.mark.both_databases


def municipality(name: str) -> Municipality:
    return db.session.scalar(sa.select(Municipality).where(Municipality.name == name))


def test_every_database_has_the_98_municipalities_with_code_and_region(app, client):
    rows = db.session.execute(sa.select(Municipality.code, Municipality.name, Municipality.region_code)).all()
    assert sorted(rows) == sorted(DENMARK)
    assert len(rows) == 98
    per_region = {region: sum(1 for *_, r in rows if r == region) for region in REGIONS}
    assert per_region == {1081: 11, 1082: 19, 1083: 22, 1084: 29, 1085: 17}
    body = client.get("/api/v1/areas?limit=1000").get_json()
    municipalities = [area for area in body["results"] if area["classification"] == "kommune"]
    assert len(municipalities) == 98
    assert {"id": "areas/461", "name": "Odense", "classification": "kommune", "identifier": "0461",
            "identifiers": [{"scheme": "kommunekode", "identifier": "0461"}],
            "parent_id": "areas/1083"} in municipalities


def test_each_kkr_serves_its_own_region():
    assert [council_region(kkr) for _, kkr in REGIONS.values()] == list(REGIONS)
    assert council_region("KL") is None


@pytest.mark.parametrize(("council", "inside", "outside"), [
    ("KKR Hovedstaden", "Hvidovre", "Odense"),
    ("KKR Syddanmark", "Odense", "Hvidovre"),
    ("KKR Nordjylland", "Læsø", "Aarhus"),
])
def test_in_the_region_follows_the_configured_kkr(app, council, inside, outside):
    app.config["COUNCIL_NAME"] = council
    assert in_council_region(municipality(inside))
    assert not in_council_region(municipality(outside))


def test_a_council_of_the_whole_country_has_every_danish_municipality_and_nothing_else(app):
    app.config["COUNCIL_NAME"] = "KL"
    assert all(in_council_region(row) for row in db.session.scalars(sa.select(Municipality)))
    assert not in_council_region(make.municipality("Malmö"))
    assert not in_council_region(None)


def test_a_candidate_from_outside_the_configured_region_is_a_warning(app):
    from registry.nominations.services import warnings
    from tests import nomination_factories as nominate

    seat = nominate.allocated_seat("F")
    odense = nominate.candidate("Ole Odense", "F", municipality_name="Odense")
    hvidovre = nominate.candidate("Hanne Hvidovre", "F", municipality_name="Hvidovre")
    secretariat = make.user("gitb")
    db.session.commit()

    def outsiders() -> list[str]:
        found = warnings(seat, Role.member, odense.party, [odense, hvidovre], viewer=secretariat)
        return [text for text in map(str, found) if "ikke fra en kommune i regionen" in text]

    assert outsiders() == ["Ole Odense er ikke fra en kommune i regionen."]
    app.config["COUNCIL_NAME"] = "KKR Syddanmark"
    assert outsiders() == ["Hanne Hvidovre er ikke fra en kommune i regionen."]


def test_the_import_makes_a_deleted_municipality_again_as_it_is_and_says_whose_region(app):
    db.session.execute(sa.delete(Municipality))
    db.session.commit()
    app.config["COUNCIL_NAME"] = "KKR Syddanmark"
    result = import_csv(csv_file([line(kommune="Odense"), line(plads="Plads 2", navn="Bo", kommune="Hvidovre"),
                                  line(plads="Plads 3", navn="Cai", kommune="Atlantis")]), dry_run=False)
    assert result.ok, result.errors
    notes = " ".join(outcome.text for outcome in result.lines)
    assert "ny kommune 'Odense' (i regionen)" in notes
    assert "ny kommune 'Hvidovre' (uden for regionen)" in notes
    assert "ny kommune 'Atlantis' (uden for regionen)" in notes
    db.session.commit()
    assert (municipality("Odense").code, municipality("Odense").region_code) == (461, 1083)
    assert (municipality("Atlantis").code, municipality("Atlantis").region_code) == (None, None)

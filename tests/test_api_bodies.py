"""Bodies as they are, in the JSON API: what each post is and who fills it, and what each member is on the
body (an office, who chose it, and from which day).

Every response is checked against the OpenAPI document, as in test_api.py.
"""

from datetime import date

import pytest

from registry.appointments import services as appointments
from registry.appointments.models import Office, OfficeChooser, Role
from registry.extensions import db
from registry.organisations import services as organisations
from registry.organisations.models import SeatFiller, SeatKind
from tests import factories as make
from tests.test_api import get, results

START = date(2022, 1, 1)


@pytest.fixture
def council(app):
    """An arbejdsmiljøråd with a formand KKR chose, a næstformand the council elected two years into her
    membership (for 2024), an observer, the mayor ex officio, FH's two pooled suppleants and a seat that
    Dansk Arbejdsgiverforening fills itself."""
    body = make.organisation("Det Regionale Arbejdsmiljøråd", appointing_authority="KKR Hovedstaden")
    chair_seat = organisations.add_seat(body, label="Plads 1", has_substitute=True)
    vice_seat = organisations.add_seat(body, label="Plads 2")
    observer = organisations.add_seat(body, label="Tilforordnet", kind=SeatKind.observer)
    mayor = organisations.add_seat(body, label="Borgmesteren", kind=SeatKind.ex_officio,
                                   ex_officio="borgmester i Gentofte Kommune")
    pool = [organisations.add_seat(body, label=f"FH-suppleant {rank}", kind=SeatKind.pooled_substitute,
                                   pool_rank=rank, nominated_by="FH", appointing_authority="Beskæftigelsesministeren",
                                   authority_is_external=True)
            for rank in (1, 2)]
    employers = organisations.add_seat(body, label="DA 1", filled_by=SeatFiller.other,
                                       appointing_authority="Dansk Arbejdsgiverforening",
                                       nominated_by="Dansk Arbejdsgiverforening")
    chair = make.appoint(chair_seat, make.person("Frida Formand"), START)
    appointments.set_office(chair, Office.chair, chosen_by=OfficeChooser.kkr)
    vice = make.appoint(vice_seat, make.person("Nina Næstformand"), START)
    appointments.set_office(vice, Office.vice_chair, chosen_by=OfficeChooser.body, start=date(2024, 1, 1),
                            end=date(2024, 12, 31))
    held = {
        "chair": chair,
        "vice": vice,
        "suppleant": make.appoint(chair_seat, make.person("Sofie Suppleant"), START, role=Role.substitute),
        "observer": make.appoint(observer, make.person("Otto Observatør"), START),
        "mayor": make.appoint(mayor, make.person("Michael Borgmester", "Gentofte", "C"), START),
        "first_in_pool": make.appoint(pool[0], make.person("Pia Pulje"), START, role=Role.substitute),
        "second_in_pool": make.appoint(pool[1], make.person("Poul Pulje"), START, role=Role.substitute),
        "employer": make.appoint(employers, make.person("Anders Arbejdsgiver", party_letter=None), START),
    }
    db.session.commit()
    return {"body": body, "pool": pool, "held": held}


def by_label(client, council) -> dict[str, dict]:
    return {post["label"]: post for post in results(client, f"/api/v1/posts?organization_id={council['body'].id}")}


def test_posts_say_what_the_seat_is_who_fills_it_and_who_appoints(client, council):
    posts = by_label(client, council)
    facts = ("role", "seat_kind", "ex_officio", "pool_rank", "filled_by", "appointing_authority",
             "appointing_authority_is_external", "nominated_by")
    assert {label: tuple(post[fact] for fact in facts) for label, post in posts.items()} == {
        "Plads 1": ("medlem", "voting", None, None, "kkr", "KKR Hovedstaden", False, None),
        "Plads 2": ("medlem", "voting", None, None, "kkr", "KKR Hovedstaden", False, None),
        "Tilforordnet": ("observatør", "observer", None, None, "kkr", "KKR Hovedstaden", False, None),
        "Borgmesteren": ("født medlem", "ex_officio", "borgmester i Gentofte Kommune", None, "kkr",
                         "KKR Hovedstaden", False, None),
        # The pool's own authority, outside KKR, overrides the body's.
        "FH-suppleant 1": ("suppleant", "pooled_substitute", None, 1, "kkr", "Beskæftigelsesministeren", True,
                           "FH"),
        "FH-suppleant 2": ("suppleant", "pooled_substitute", None, 2, "kkr", "Beskæftigelsesministeren", True,
                           "FH"),
        "DA 1": ("medlem", "voting", None, None, "other", "Dansk Arbejdsgiverforening", False,
                 "Dansk Arbejdsgiverforening"),
    }


def test_a_post_keeps_its_existing_fields(client, council):
    post = get(client, f"/api/v1/posts/{council['pool'][0].id}")
    assert post == {
        "id": f"posts/{council['pool'][0].id}", "label": "FH-suppleant 1", "role": "suppleant",
        "seat_kind": "pooled_substitute", "ex_officio": None, "pool_rank": 1, "filled_by": "kkr",
        "appointing_authority": "Beskæftigelsesministeren", "appointing_authority_is_external": True,
        "nominated_by": "FH", "organization_id": f"organizations/{council['body'].id}", "position": 5,
        "start_date": None, "end_date": None, "has_substitute": False, "party_allocations": [], "links": [],
        "sources": [],
    }


def memberships(client, council, query: str = "") -> dict[str, dict]:
    """The body's memberships by the fixture's names for them."""
    rows = {row["id"]: row
            for row in results(client, f"/api/v1/memberships?organization_id={council['body'].id}{query}")}
    return {name: rows[f"memberships/{held.id}"] for name, held in council["held"].items()}


@pytest.mark.both_databases
def test_memberships_on_a_day_say_what_each_member_is(client, council):
    rows = memberships(client, council, "&as_of=2024-06-01")
    assert {name: (row["role"], row["label"], row["seat_kind"]) for name, row in rows.items()} == {
        "chair": ("member", "Formand, udpeget af KKR", "voting"),
        "vice": ("member", "Næstformand, valgt af organisationen", "voting"),
        "suppleant": ("substitute", "Personlig suppleant", "voting"),
        "observer": ("member", "Observatør", "observer"),
        "mayor": ("member", "Født medlem", "ex_officio"),
        "first_in_pool": ("substitute", "1. suppleant", "pooled_substitute"),
        "second_in_pool": ("substitute", "2. suppleant", "pooled_substitute"),
        "employer": ("member", "Medlem", "voting"),
    }
    assert rows["chair"]["office"] == {"name": "formand", "kind": "chair", "chosen_by": "kkr",
                                       "start_date": "2022-01-01", "end_date": None}
    assert [name for name, row in rows.items() if row["office"] is not None] == ["chair", "vice"]
    # A pooled suppleant steps in for any member: no one member is theirs.
    assert rows["first_in_pool"]["substitute_for_id"] is None
    assert rows["suppleant"]["substitute_for_id"] == f"memberships/{council['held']['chair'].id}"


@pytest.mark.both_databases
@pytest.mark.parametrize(("as_of", "label"), [
    ("2023-12-31", "Medlem"),
    ("2024-01-01", "Næstformand, valgt af organisationen"),
    ("2024-12-31", "Næstformand, valgt af organisationen"),
    ("2025-01-01", "Medlem"),
])
def test_an_office_within_the_membership_names_the_member_only_while_held(client, council, as_of, label):
    vice = memberships(client, council, f"&as_of={as_of}")["vice"]
    assert vice["label"] == label
    # The office itself is there whatever the day, with the days it is held.
    assert vice["office"] == {"name": "næstformand", "kind": "vice_chair", "chosen_by": "body",
                              "start_date": "2024-01-01", "end_date": "2024-12-31"}


@pytest.mark.both_databases
def test_without_a_day_the_membership_names_the_office_held_during_it(client, council):
    assert get(client, f"/api/v1/memberships/{council['held']['vice'].id}")["label"] == (
        "Næstformand, valgt af organisationen")
    assert memberships(client, council)["vice"]["label"] == "Næstformand, valgt af organisationen"


def test_another_office_goes_by_its_title(client, council):
    appointments.set_office(council["held"]["observer"], Office.other, chosen_by=OfficeChooser.body, title="kasserer")
    db.session.commit()
    observer = get(client, f"/api/v1/memberships/{council['held']['observer'].id}")
    assert observer["label"] == "Kasserer, valgt af organisationen"
    assert observer["office"]["name"] == "kasserer"
    assert observer["office"]["kind"] == "other"


def test_the_api_answers_in_danish_whatever_the_readers_language(client, council):
    client.set_cookie("lang", "en")
    chair = get(client, f"/api/v1/memberships/{council['held']['chair'].id}")
    assert (chair["label"], chair["office"]["name"]) == ("Formand, udpeget af KKR", "formand")
    assert by_label(client, council)["Tilforordnet"]["role"] == "observatør"

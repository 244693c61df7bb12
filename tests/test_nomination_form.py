"""The nomination form (issue 14, points 3 and 4): the seat first, then what that seat needs.

Step 1 offers a party group only its own seats that need a nomination and have none on its way, and marks
those whose body ligestillingsloven covers. Step 2 says what the law asks before anything is sent, asks for a
suppleant only where the seat has one, and offers the people through a search that narrows the list on the
server (it works without JavaScript; DKFDS's radio toggle only hides what the other choice needs). Nothing typed
is dropped: what does not fit the choice is refused at its field, and the office and e-mail given for a
registered person are saved where the user may change them and refused at the field where not.
"""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from registry.nominations.models import Nomination
from registry.organisations.models import GenderRule
from registry.people.models import Gender, Person
from tests import factories as make
from tests import nomination_factories as nominate


def client_for(app, username: str):
    browser = app.test_client()
    assert make.login(browser, username).status_code == 302
    return browser


def stored() -> list[tuple]:
    """Every nomination and person as stored, details included: what a refused form must leave as it was."""
    db.session.commit()
    return (list(db.session.execute(sa.select(Nomination.id, Nomination.status, Nomination.person_id,
                                              Nomination.substitute_id, Nomination.version).order_by(Nomination.id)))
            + list(db.session.execute(sa.select(Person.id, Person.name, Person.office, Person.email)
                                      .order_by(Person.id))))


def reload(row):
    db.session.commit()
    db.session.refresh(row)
    return row


def error_at(page: str, field: str) -> str:
    """The error message shown at the field."""
    found = re.search(rf'<span class="form-error-message" id="{field}-error">(.*?)</span>\s*\n', page, re.S)
    assert found, f"no error at {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def options(page: str, select: str) -> list[str]:
    """The labels of a <select>'s options."""
    found = re.search(rf'<select[^>]*name="{select}"[^>]*>(.*?)</select>', page, re.S)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", found.group(1))]


@pytest.fixture
def world(app, client):
    """SF (F) holds RAR Hovedstaden's Plads 1 (vacant, personal suppleant) and Movia's Plads 1 (held by Lotte
    Kofoed until the end of the period, no suppleant) this period; Sundhedssamarbejdsudvalget (§ 10a) has
    SF's vacant Plads 1. Radikale (B) hold Wonderful Copenhagen's Plads 1. Anna Andersen (F) is registered
    and has never held a seat. `client` is sf's browser."""
    rar = nominate.allocated_seat("F", "RAR Hovedstaden")
    movia = nominate.allocated_seat("F", "Movia", has_substitute=False)
    ssu = nominate.allocated_seat("F", "Sundhedssamarbejdsudvalget", gender_rule=GenderRule.section_10a)
    wocp = nominate.allocated_seat("B", "Wonderful Copenhagen")
    kofoed = make.person("Lotte Kofoed", "Frederiksberg", "F", gender=Gender.woman)
    make.appoint(movia, kofoed, today() - timedelta(days=400))
    anna = nominate.candidate("Anna Andersen")
    nominate.party_user("sf", "F")
    nominate.party_user("radikale", "B")
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "sf")
    return {"rar": rar, "movia": movia, "ssu": ssu, "wocp": wocp, "kofoed": kofoed, "anna": anna,
            "hvidovre": make.municipality("Hvidovre")}


def step_two(client, seat, role: str = "member", **args) -> str:
    response = client.get("/indstillinger/ny", query_string={"plads": seat.id, "rolle": role, **args})
    assert response.status_code == 200
    return response.text


# Step 1: the seat.

def test_a_party_group_is_offered_only_its_own_seats_that_need_a_nomination_and_have_none_on_its_way(app, client,
                                                                                                    world):
    nominate.nomination(world["rar"], nominate.candidate("Birgitte Berg"),  # member and suppleant on their way
                        substitute=nominate.candidate("Carl Carlsen", gender=Gender.man))
    db.session.commit()
    offered = options(client.get("/indstillinger/ny").text, "plads")
    assert offered == ["Vælg en plads",
                       "Plads 1, Sundhedssamarbejdsudvalget – ligestillingsloven § 10a"]
    # The secretariat may register a nomination for any seat.
    every = options(client_for(app, "haan").get("/indstillinger/ny").text, "plads")
    assert "Plads 1, RAR Hovedstaden" in every
    assert "Plads 1, Wonderful Copenhagen" in every
    assert "Plads 1, Movia (uden suppleant)" in every


@pytest.mark.parametrize(("seat", "role", "message"), [
    ("movia", "substitute", "har ingen personlig suppleant"),
    ("rar", "formand", "Vælg en af mulighederne."),
    (None, "member", "Vælg en af mulighederne."),
    ("rar", "substitute", "Partigruppen har allerede en indstilling til pladsen som suppleant (indsendt)."),
])
def test_a_seat_that_cannot_be_chosen_says_why(app, client, world, seat, role, message):
    nominate.nomination(world["rar"], nominate.candidate("Birgitte Berg"),
                        substitute=nominate.candidate("Carl Carlsen", gender=Gender.man))
    db.session.commit()
    page = client.get("/indstillinger/ny", query_string={"plads": world[seat].id if seat else 999_999,
                                                         "rolle": role}).text
    assert "form-error-message" in page
    assert message in page
    assert 'name="seat"' not in page  # still step 1
    # Posted all the same, it is refused and nothing is saved.
    if seat == "rar" and role == "substitute":
        before = stored()
        response = client.post("/indstillinger/ny", data={"seat": world["rar"].id, "role": "substitute",
                                                          "candidate": "existing", "person": world["anna"].id})
        assert message in response.text
        assert stored() == before


def test_a_seat_not_offered_may_still_be_linked_to_and_gets_the_secretariats_warnings(app, client, world):
    """Another party's seat, or the group's own that needs no nomination now: not in the list, but a link or a
    post is taken, and the nomination's page warns as the secretariat would (DOMAIN.md: shown, never refused)."""
    for seat in ("wocp", "movia"):
        assert 'name="seat"' in step_two(client, world[seat])
    response = client.post("/indstillinger/ny", data={"seat": world["wocp"].id, "role": "member",
                                                      "candidate": "existing", "person": world["anna"].id})
    assert response.status_code == 302
    assert "Pladsen tilhører Parti B i valgperioden" in client.get(response.headers["Location"]).text


def test_step_two_says_what_ligestillingsloven_asks_before_anything_is_sent(app, client, world):
    covered = step_two(client, world["ssu"])
    assert "Sundhedssamarbejdsudvalget er omfattet af ligestillingsloven § 10a." in covered
    assert "skal nævne både en kvinde og en mand" in covered
    assert 'name="gender_reason"' in covered
    plain = step_two(client, world["rar"])
    assert "RAR Hovedstaden er ikke omfattet af ligestillingsloven." in plain
    assert 'name="gender_reason"' not in plain
    assert 'name="sub_candidate"' in plain  # the seat has a personal suppleant
    assert 'name="sub_candidate"' not in step_two(client, world["rar"], "substitute")


def test_the_new_persons_fields_are_toggled_by_dkfds_and_an_external_script(app, client, world):
    page = step_two(client, world["rar"])
    assert 'class="form-group js-radio-toggle-group' in page
    assert 'data-controls="#candidate-new"' in page
    assert '<div class="radio-content" id="candidate-new">' in page
    assert 'aria-hidden' not in page.split('id="candidate-new"')[1][:50]  # visible until a script hides it
    assert re.search(r'<input[^>]*checked[^>]*value="existing"|<input[^>]*value="existing"[^>]*checked', page)
    assert '<script src="/static/nominations.js" defer></script>' in page
    assert "<script>" not in page


# Step 2 without JavaScript: the choice decides, and nothing that does not fit it is dropped.

def new_person(prefix: str, name: str, gender: Gender = Gender.woman, **more) -> dict:
    return {f"{prefix}_name": name, f"{prefix}_gender": gender.value} | {f"{prefix}_{k}": v for k, v in more.items()}


def test_a_new_person_is_nominated_with_the_choice_made(app, client, world):
    response = client.post("/indstillinger/ny", data={
        "seat": world["rar"].id, "role": "member", "candidate": "new", "person": "",
        **new_person("new", "Marie Madsen", new_municipality=world["hvidovre"].id, office="Byrådsmedlem",
                     email="marie@example.org"),
        "sub_candidate": "existing", "substitute": world["anna"].id, "sub_name": "", "sub_gender": ""})
    assert response.status_code == 302
    db.session.commit()
    sent = db.session.scalars(sa.select(Nomination)).one()
    assert (sent.person.name, sent.person.office, sent.person.email) == ("Marie Madsen", "Byrådsmedlem",
                                                                         "marie@example.org")
    assert sent.substitute_id == world["anna"].id


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"candidate": "existing", "person": "kofoed", "new_name": "Marie Madsen"}, "new_name",
     "Du har valgt en registreret person. Tøm feltet, eller vælg en ny person."),
    ({"candidate": "existing", "person": "kofoed", "new_gender": "woman"}, "new_gender",
     "Du har valgt en registreret person."),
    ({"candidate": "existing", "person": ""}, "person", "Vælg personen på listen."),
    ({"candidate": "new", "person": "kofoed", "new_name": "Marie Madsen"}, "person",
     "Du har valgt en ny person. Vælg ingen her, eller vælg en registreret person."),
    ({"candidate": "new", "new_name": " "}, "new_name", "Skriv den nye persons navn."),
    ({"candidate": "maybe", "person": "kofoed"}, "candidate", "Vælg en af mulighederne."),
    ({"candidate": "existing", "person": "kofoed", "sub_candidate": "none", "sub_office": "Borgmester"},
     "sub_office", "Der er ingen suppleant i indstillingen."),
    ({"candidate": "existing", "person": "kofoed", "sub_candidate": "existing", "substitute": "anna",
      "sub_name": "Ny Suppleant"}, "sub_name", "Du har valgt en registreret person."),
    ({"candidate": "existing", "person": "kofoed", "sub_gender": "man"}, "sub_name",
     "Skriv den nye suppleants navn."),
])
def test_what_does_not_fit_the_choice_is_refused_at_its_field(app, client, world, data, field, message):
    ids = {"kofoed": world["kofoed"].id, "anna": world["anna"].id}
    posted = {"seat": world["rar"].id, "role": "member"} | {k: ids.get(v, v) for k, v in data.items()}
    before = stored()
    response = client.post("/indstillinger/ny", data=posted)
    assert response.status_code == 200
    assert message in error_at(response.text, field)
    assert stored() == before
    # What was typed is still in the form.
    for key, value in data.items():
        if key.endswith(("_name", "_office")) and value.strip():
            assert f'value="{value}"' in response.text


def test_the_særlige_grunde_error_is_at_its_field_and_in_the_summary(app, client, world):
    before = stored()
    response = client.post("/indstillinger/ny", data={
        "seat": world["ssu"].id, "role": "member", "candidate": "existing", "person": world["anna"].id,
        "sub_candidate": "new", **new_person("sub", "Birgitte Berg")})
    assert "ligestillingsloven § 10a" in error_at(response.text, "gender_reason")
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*name="gender_reason"', response.text)
    assert '<a href="#gender_reason">Særlige grunde: ' in response.text
    assert stored() == before


# Point 3: the office and e-mail given for a registered person.

def test_the_group_adds_office_and_email_to_its_own_candidate_who_has_held_no_seat(app, client, world):
    sent = nominate.nomination(world["rar"], world["anna"])
    db.session.commit()
    response = client.post(f"/indstillinger/{sent.id}/ret", data={
        "candidate": "existing", "person": world["anna"].id, "sub_candidate": "none",
        "new_office": "Kommunalbestyrelsesmedlem", "new_email": "anna@example.org", "version": sent.version})
    assert response.status_code == 302
    assert (reload(world["anna"]).office, world["anna"].email) == ("Kommunalbestyrelsesmedlem", "anna@example.org")
    # An empty field changes nothing.
    client.post(f"/indstillinger/{sent.id}/ret", data={"candidate": "existing", "person": world["anna"].id,
                                                      "new_email": "", "version": reload(sent).version})
    assert reload(world["anna"]).email == "anna@example.org"


def test_the_group_is_told_at_the_field_that_a_seated_persons_details_are_the_secretariats(app, client, world):
    sent = nominate.nomination(world["rar"], world["anna"])
    db.session.commit()
    before = stored()
    data = {"candidate": "existing", "person": world["kofoed"].id, "new_office": "Borgmester",
            "version": sent.version}
    for path, extra in ((f"/indstillinger/{sent.id}/ret", {}),
                        ("/indstillinger/ny", {"seat": world["ssu"].id, "role": "member",
                                               "gender_reason": "Kun én kandidat."})):
        response = client.post(path, data=data | extra)
        assert response.status_code == 200
        assert "Hverv og e-mail for Lotte Kofoed retter sekretariatet" in error_at(response.text, "new_office")
        assert 'value="Borgmester"' in response.text
        assert stored() == before
    # The suppleant's fields likewise.
    response = client.post("/indstillinger/ny", data={
        "seat": world["ssu"].id, "role": "member", "candidate": "existing", "person": world["anna"].id,
        "sub_candidate": "existing", "substitute": world["kofoed"].id, "sub_email": "lotte@example.org"})
    assert "retter sekretariatet" in error_at(response.text, "sub_email")
    assert stored() == before


def test_the_secretariat_may_give_anyones_office_on_a_nomination(app, world):
    secretariat = client_for(app, "haan")
    response = secretariat.post("/indstillinger/ny", data={
        "seat": world["rar"].id, "role": "member", "party": make.party("F").id, "candidate": "existing",
        "person": world["kofoed"].id, "new_office": "Borgmester"})
    assert response.status_code == 302
    assert reload(world["kofoed"]).office == "Borgmester"


# The person picker: a search that narrows the list on the server.

def test_the_search_narrows_the_list_the_danish_way_and_keeps_what_was_typed(app, client, world):
    make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre", "F")
    db.session.commit()
    listed = options(step_two(client, world["rar"], soeg="jorgensen"), "person")
    assert listed == ["Vælg en person", "Marie-Louise Peschardt Jørgensen (F, Hvidovre)"]
    before = stored()
    response = client.post("/indstillinger/ny", data={
        "seat": world["rar"].id, "role": "member", "candidate": "new", "person_search": "kofo",
        "handling": "soeg-kandidat", "motivation": "Skrevet før søgningen."})
    assert response.status_code == 200
    assert options(response.text, "person") == ["Vælg en person", "Lotte Kofoed (F, Frederiksberg)"]
    assert "Skrevet før søgningen." in response.text
    assert "1 person matcher søgningen." in response.text
    assert "form-error-message" not in response.text  # a search is not a submission
    assert stored() == before
    assert "Ingen registrerede personer matcher" in step_two(client, world["rar"], soeg="zzz")


def test_the_list_shows_at_most_50_and_keeps_the_chosen_person(app, client, world):
    for number in range(60):
        make.person(f"Person {number:02d}", "Hvidovre", "F")
    db.session.commit()
    page = step_two(client, world["rar"])
    assert len(options(page, "person")) == 51
    assert "Viser de første 50 i alfabetisk orden. Søg for at finde andre." in page
    chosen = db.session.scalar(sa.select(Person.id).where(Person.name == "Person 59"))
    response = client.post("/indstillinger/ny", data={
        "seat": world["rar"].id, "role": "member", "candidate": "existing", "person": chosen,
        "person_search": "Andersen", "handling": "soeg-kandidat"})
    assert options(response.text, "person") == ["Vælg en person", "Anna Andersen (F, Hvidovre)",
                                                "Person 59 (F, Hvidovre)"]
    assert re.search(rf'<option selected value="{chosen}">', response.text)


def test_a_party_group_does_not_find_another_partys_unpublished_candidates(app, client, world):
    nominate.nomination(world["wocp"], nominate.candidate("Bent Bentsen", "B", Gender.man))
    db.session.commit()
    assert "Bent Bentsen" not in step_two(client, world["rar"], soeg="bent")
    assert "Bent Bentsen" in step_two(client_for(app, "haan"), world["rar"], soeg="bent")


@pytest.mark.parametrize("search", ["%", "_", "a" * 300, "Kofoed\x00", "\u202eKofoed", "'; drop table persons; --"])
def test_hostile_searches_are_never_a_server_error(app, client, world, search):
    # A NUL is refused as a bad request before the page is reached; another control character is left out of
    # the search. The rest is searched for as it is, wildcards included.
    for response in (client.get("/indstillinger/ny", query_string={"plads": world["rar"].id, "soeg": search}),
                     client.post("/indstillinger/ny", data={"seat": world["rar"].id, "role": "member",
                                                            "person_search": search, "handling": "soeg-kandidat"})):
        assert response.status_code == (400 if "\x00" in search else 200)
        if response.status_code == 200:
            assert ("Lotte Kofoed (F, Frederiksberg)" in options(response.text, "person")) == ("Kofoed" in search)


def test_a_substitute_nomination_alone_names_no_suppleant(app, client, world):
    response = client.post("/indstillinger/ny", data={
        "seat": world["rar"].id, "role": "substitute", "candidate": "existing", "person": world["anna"].id})
    assert response.status_code == 302
    db.session.commit()
    sent = db.session.scalars(sa.select(Nomination)).one()
    assert (sent.role, sent.substitute_id) == (Role.substitute, None)

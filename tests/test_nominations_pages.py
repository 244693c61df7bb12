"""Party groups nominate on their pages; the secretariat takes the nominations in, returns them and calls for them.

A party group sees its own party's seats, calls and nominations, never another
party's nominations (a 404, as if they did not exist). Every refusal is a
Danish message on the form, and nothing is saved.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from registry.meetings import services as agenda
from registry.nominations import services
from registry.nominations.models import Call, Nomination, NominationStatus
from registry.organisations.models import GenderRule
from registry.people.models import Gender, Person
from tests import factories as make
from tests import nomination_factories as nominate


def client_for(app, username: str):
    """A browser of its own, logged in as the user."""
    browser = app.test_client()
    assert make.login(browser, username).status_code == 302
    return browser


def stored() -> list[tuple]:
    """Every nomination and person as stored: what must not change when a form is refused."""
    db.session.commit()  # a new transaction, which sees what the requests committed
    return (list(db.session.execute(sa.select(Nomination.id, Nomination.status, Nomination.person_id,
                                              Nomination.substitute_id, Nomination.version)
                                    .order_by(Nomination.id)))
            + list(db.session.execute(sa.select(Person.id, Person.name).order_by(Person.id))))


def the_one(model):
    """The only row of the model, as the requests committed it."""
    db.session.commit()
    return db.session.scalars(sa.select(model)).one()


def reload(nomination: Nomination) -> Nomination:
    db.session.commit()
    db.session.refresh(nomination)
    return nomination


@pytest.fixture
def world(app, client):
    """SF (F) holds RAR Hovedstaden's Plads 1, Radikale (B) holds Movia's Plads 1, this election period.

    Lotte Kofoed (F) is RAR's member until three weeks from now; the suppleant is missing. Users:
    sf (F), radikale (B), haan (secretariat), laeser (viewer); `client` is sf's browser.
    """
    rar = nominate.allocated_seat("F", "RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren",
                                  authority_is_external=True)
    movia = nominate.allocated_seat("B", "Movia")
    kofoed = make.person("Lotte Kofoed", "Frederiksberg", "F", gender=Gender.woman)
    make.appoint(rar, kofoed, today() - timedelta(days=400), today() + timedelta(days=21))
    nominate.party_user("sf", "F")
    nominate.party_user("radikale", "B")
    make.user("haan", UserRole.secretariat)
    nominate.viewer("laeser")
    db.session.commit()
    make.login(client, "sf")
    return {"rar": rar, "movia": movia, "kofoed": kofoed, "F": make.party("F"), "B": make.party("B")}


def test_party_sees_its_seats_calls_and_nominations(app, client, world):
    nominate.allocated_seat("F", "Wonderful Copenhagen", has_substitute=False)
    nominate.call(world["rar"], role=Role.substitute, note="Ny suppleant efter Peschardt.")
    own = nominate.nomination(world["rar"], nominate.candidate("Marie-Louise Peschardt Jørgensen"))
    services.return_to_party(own, "Husk kommunen.")
    nominate.nomination(world["movia"], nominate.candidate("Bent Bentsen", "B", Gender.man))
    db.session.commit()

    page = client.get("/partigruppe").text
    assert "RAR Hovedstaden" in page
    assert "Lotte Kofoed" in page
    assert "Efterfølger på vej" in page  # Kofoed leaves soon; the returned nomination is her successor
    assert "Wonderful Copenhagen" in page
    assert "Ledig" in page
    assert f"/indstillinger/ny?plads={world['rar'].id}&amp;rolle=substitute" in page
    assert "Ny suppleant efter Peschardt." in page
    assert "Udtræden" in page
    assert "Marie-Louise Peschardt Jørgensen" in page
    assert "Sendt retur" in page
    assert "Husk kommunen." in page
    assert "Movia" not in page
    assert "Bent Bentsen" not in page


def test_party_cannot_see_edit_or_withdraw_another_partys_nomination(app, client, world):
    theirs = nominate.nomination(world["movia"], nominate.candidate("Bent Bentsen", "B", Gender.man))
    db.session.commit()
    before = stored()
    for path in (f"/indstillinger/{theirs.id}", f"/indstillinger/{theirs.id}/ret",
                 f"/indstillinger/{theirs.id}/traek-tilbage"):
        assert client.get(path).status_code == 404
    assert client.post(f"/indstillinger/{theirs.id}/ret",
                       data={"person": str(world["kofoed"].id), "version": "1"}).status_code == 404
    assert client.post(f"/indstillinger/{theirs.id}/traek-tilbage", data={"version": "1"}).status_code == 404
    assert client.post(f"/indstillinger/{theirs.id}/retur", data={"comment": "x"}).status_code == 403
    assert "Bent Bentsen" not in client.get("/indstillinger").text
    assert "Bent Bentsen" not in client.get("/partigruppe").text
    assert client.get("/partigruppe?parti=B").status_code == 200  # a party sees its own page, whatever it asks
    assert "Bent Bentsen" not in client.get("/partigruppe?parti=B").text
    assert stored() == before
    # Radikale see their own.
    assert "Bent Bentsen" in client_for(app, "radikale").get(f"/indstillinger/{theirs.id}").text


def test_party_chooses_among_public_people_and_its_own_not_another_partys_new_candidates(app, client, world):
    nominate.nomination(world["movia"], nominate.candidate("Bent Bentsen", "B", Gender.man))
    own = nominate.candidate("Anna Andersen")
    db.session.commit()
    form = client.get(f"/indstillinger/ny?plads={world['rar'].id}").text
    assert "Lotte Kofoed" in form
    assert "Anna Andersen" in form
    assert "Bent Bentsen" not in form
    bent = db.session.scalar(sa.select(Person.id).where(Person.name == "Bent Bentsen"))
    before = stored()
    response = client.post("/indstillinger/ny", data={"seat": str(world["rar"].id), "role": "member",
                                                      "person": str(bent), "substitute": str(own.id)})
    assert response.status_code == 200
    assert "Vælg en af mulighederne." in response.text
    assert stored() == before
    assert "Bent Bentsen" in client_for(app, "haan").get(f"/indstillinger/ny?plads={world['rar'].id}").text


@pytest.mark.parametrize("path", ["/partigruppe", "/indstillinger", "/indstillinger/ny", "/indstillinger/1",
                                  "/indstillinger/1/ret", "/indstillinger/1/traek-tilbage",
                                  "/indstillinger/1/retur", "/opfordringer", "/opfordringer/ny"])
def test_viewer_is_refused_and_anonymous_is_sent_to_log_in(app, world, path):
    nominate.nomination(world["rar"])
    db.session.commit()
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client_for(app, "laeser").get(path).status_code == 403


def test_only_the_secretariat_returns_opens_and_closes_calls(app, client, world):
    sent = nominate.nomination(world["rar"])
    call = nominate.call(world["rar"], role=Role.substitute)
    db.session.commit()
    assert client.get(f"/indstillinger/{sent.id}/retur").status_code == 403
    assert client.get("/opfordringer/ny").status_code == 403
    assert client.post(f"/opfordringer/{call.id}/luk").status_code == 403
    secretariat = client_for(app, "haan")
    assert secretariat.get(f"/indstillinger/{sent.id}/ret").status_code == 403
    assert client_for(app, "laeser").post(f"/opfordringer/{call.id}/luk").status_code == 403
    assert reload(call).is_open


def new_person(prefix: str, name: str, gender: Gender, municipality_id: int | None = None, **more) -> dict:
    data = {f"{prefix}_name": name, f"{prefix}_gender": gender.value}
    if municipality_id:
        data[f"{prefix}_municipality"] = str(municipality_id)
    return data | {f"{prefix}_{key}": value for key, value in more.items()}


def test_party_nominates_a_new_person_with_a_new_suppleant(app, client, world):
    hvidovre = make.municipality("Hvidovre", 167)
    db.session.commit()
    form = client.get(f"/indstillinger/ny?plads={world['rar'].id}")
    assert f'<input type="hidden" name="seat" value="{world["rar"].id}">' in form.text
    assert 'name="party"' not in form.text
    response = client.post("/indstillinger/ny", data={
        "seat": str(world["rar"].id), "role": "member",
        "party": str(world["B"].id),  # posted by hand: a party group nominates for its own party only
        **new_person("new", "Marie-Louise Peschardt Jørgensen", Gender.woman, hvidovre.id,
                     office="Kommunalbestyrelsesmedlem", email="mlpj@example.org"),
        **new_person("sub", "Carsten Carlsen", Gender.man, hvidovre.id),
        "motivation": "Nuværende suppleant; kender rådet."})
    assert response.status_code == 302
    sent = the_one(Nomination)
    assert response.headers["Location"].endswith(f"/indstillinger/{sent.id}")
    assert (sent.party.letter, sent.role, sent.status) == ("F", Role.member, NominationStatus.submitted)
    assert (sent.person.name, sent.person.party.letter, sent.person.email) == (
        "Marie-Louise Peschardt Jørgensen", "F", "mlpj@example.org")
    assert (sent.substitute.name, sent.substitute.gender) == ("Carsten Carlsen", Gender.man)
    page = client.get(response.headers["Location"]).text
    assert "Marie-Louise Peschardt Jørgensen" in page
    assert "Carsten Carlsen" in page
    assert "Indsendt" in page
    assert "Nuværende suppleant; kender rådet." in page


def test_party_nominates_an_existing_person(app, client, world):
    response = client.post("/indstillinger/ny", data={"seat": str(world["rar"].id), "role": "substitute",
                                                      "person": str(world["kofoed"].id)})
    assert response.status_code == 302
    sent = the_one(Nomination)
    assert (sent.person_id, sent.role, sent.substitute_id) == (world["kofoed"].id, Role.substitute, None)
    # Kofoed already sits on the seat: a warning for the secretariat, not a refusal.
    assert "Lotte Kofoed er allerede medlem på pladsen." in client.get(response.headers["Location"]).text


def test_gender_rule_refuses_two_women_unless_the_party_gives_særlige_grunde(app, client, world):
    ssu = nominate.allocated_seat("F", "Sundhedssamarbejdsudvalget", gender_rule=GenderRule.section_10a)
    db.session.commit()
    before = stored()
    data = {"seat": str(ssu.id), "role": "member", **new_person("new", "Anna Andersen", Gender.woman),
            **new_person("sub", "Birgitte Berg", Gender.woman)}
    refused = client.post("/indstillinger/ny", data=data)
    assert refused.status_code == 200
    assert "ligestillingsloven § 10a" in refused.text
    assert 'id="gender_reason-error"' in refused.text
    assert stored() == before  # neither the nomination nor the two new people
    accepted = client.post("/indstillinger/ny", data=data | {"gender_reason": "Kun kvinder stiller op."})
    assert accepted.status_code == 302
    sent = the_one(Nomination)
    assert sent.gender_reason == "Kun kvinder stiller op."
    assert "Kun kvinder stiller op." in client.get(accepted.headers["Location"]).text


@pytest.mark.parametrize(("case", "data", "message"), [
    ("same person twice", {"role": "member", "person": "kofoed", "substitute": "kofoed"},
     "Medlem og suppleant skal være to forskellige personer."),
    ("no suppleant on the seat", {"role": "substitute", "person": "kofoed", "seat": "wocp"},
     "har ingen personlig suppleant"),
    ("namesake", {"role": "member", "new_name": "Lotte Kofoed", "new_municipality": "frederiksberg"},
     "Der findes allerede en person ved navn Lotte Kofoed"),
])
def test_service_refusals_are_form_errors_and_nothing_is_saved(app, client, world, case, data, message):
    wocp = nominate.allocated_seat("F", "Wonderful Copenhagen", has_substitute=False)
    db.session.commit()
    ids = {"kofoed": world["kofoed"].id, "wocp": wocp.id,
           "frederiksberg": make.municipality("Frederiksberg").id}
    posted = {"seat": str(world["rar"].id)} | {key: str(ids.get(value, value)) for key, value in data.items()}
    before = stored()
    response = client.post("/indstillinger/ny", data=posted)
    assert response.status_code == 200
    assert message in response.text
    assert stored() == before


def test_gender_and_email_on_the_nomination_are_for_the_secretariats_eyes(app, client, world):
    known = make.person("Karen Kendt", "Hvidovre", None, gender=Gender.woman, email="karen@example.org")
    make.appoint(world["movia"], known, today() - timedelta(days=30))
    sent = nominate.nomination(world["rar"], known, party_letter="F")
    db.session.commit()
    page = client.get(f"/indstillinger/{sent.id}").text
    assert "Karen Kendt" in page
    assert "karen@example.org" not in page
    assert "karen@example.org" in client_for(app, "haan").get(f"/indstillinger/{sent.id}").text


def test_warning_when_the_seat_belongs_to_another_party(app, client, world):
    response = client.post("/indstillinger/ny", data={"seat": str(world["movia"].id), "role": "member",
                                                      **new_person("new", "Dorte Dahl", Gender.woman)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "alert-warning" in page
    assert "Pladsen tilhører Parti B i valgperioden" in page


def test_secretariat_nominates_for_the_party_it_chooses(app, world):
    secretariat = client_for(app, "haan")
    form = secretariat.get(f"/indstillinger/ny?plads={world['movia'].id}").text
    assert f'<option selected value="{world["B"].id}">' in form
    assert secretariat.post("/indstillinger/ny", data={
        "seat": str(world["movia"].id), "role": "member", "party": "",
        **new_person("new", "Dorte Dahl", Gender.woman)}).status_code == 200
    response = secretariat.post("/indstillinger/ny", data={
        "seat": str(world["movia"].id), "role": "member", "party": str(world["B"].id),
        **new_person("new", "Dorte Dahl", Gender.woman)})
    assert response.status_code == 302
    assert the_one(Nomination).party.letter == "B"


def test_party_edits_while_submitted_but_not_once_on_the_agenda(app, client, world):
    sent = nominate.nomination(world["rar"], nominate.candidate("Anna Andersen"))
    other = nominate.candidate("Birgitte Berg")
    db.session.commit()
    form = client.get(f"/indstillinger/{sent.id}/ret").text
    assert "Gem ændringer" in form
    assert 'name="seat"' not in form
    response = client.post(f"/indstillinger/{sent.id}/ret", data={
        "person": str(other.id), "motivation": "Bedre kandidat.", "version": str(sent.version)})
    assert response.status_code == 302
    assert (reload(sent).person.name, sent.motivation) == ("Birgitte Berg", "Bedre kandidat.")

    agenda.place_on_agenda(sent, today() + timedelta(days=10), "4.1", council="KKR Hovedstaden")
    db.session.commit()
    before = stored()
    assert client.get(f"/indstillinger/{sent.id}/ret").status_code == 302
    refused = client.post(f"/indstillinger/{sent.id}/ret", data={"person": str(world["kofoed"].id),
                                                                 "version": str(sent.version)},
                          follow_redirects=True)
    assert "kan ikke længere ændres" in refused.text
    assert stored() == before
    page = client.get(f"/indstillinger/{sent.id}").text
    assert "På dagsorden" in page
    assert "punkt 4.1" in page
    assert "Ret indstillingen" not in page


def test_an_edit_on_an_old_version_is_a_conflict(app, client, world):
    sent = nominate.nomination(world["rar"], nominate.candidate("Anna Andersen"))
    db.session.commit()
    old = sent.version
    services.update(sent, person=sent.person, motivation="Ændret imens.")
    db.session.commit()
    response = client.post(f"/indstillinger/{sent.id}/ret", data={"person": str(world["kofoed"].id),
                                                                  "version": str(old)})
    assert response.status_code == 409
    assert "ændret, mens du havde formularen åben" in response.text
    assert reload(sent).person.name == "Anna Andersen"


def test_party_withdraws_its_nomination(app, client, world):
    sent = nominate.nomination(world["rar"], nominate.candidate("Anna Andersen"))
    db.session.commit()
    confirm = client.get(f"/indstillinger/{sent.id}/traek-tilbage").text
    assert "Træk tilbage" in confirm
    assert "Anna Andersen" in confirm
    response = client.post(f"/indstillinger/{sent.id}/traek-tilbage", data={"version": str(sent.version)})
    assert response.status_code == 302
    assert reload(sent).status is NominationStatus.withdrawn
    assert "Trukket tilbage" in client.get(f"/indstillinger/{sent.id}").text
    assert client.get(f"/indstillinger/{sent.id}/ret").status_code == 302  # no longer editable


def test_secretariat_returns_with_a_comment_and_the_party_sends_it_again(app, client, world):
    sent = nominate.nomination(world["rar"], nominate.candidate("Anna Andersen"))
    db.session.commit()
    secretariat = client_for(app, "haan")
    assert "Anna Andersen" in secretariat.get("/indstillinger").text  # waiting for the secretariat
    detail = secretariat.get(f"/indstillinger/{sent.id}").text
    assert f"/indstillinger/{sent.id}/retur" in detail
    assert f"/indstillinger/{sent.id}/dagsorden" in detail
    assert secretariat.post(f"/indstillinger/{sent.id}/retur",
                            data={"comment": "", "version": str(sent.version)}).status_code == 200
    response = secretariat.post(f"/indstillinger/{sent.id}/retur",
                                data={"comment": "Angiv kandidatens kommune.", "version": str(sent.version)})
    assert response.status_code == 302
    assert reload(sent).status is NominationStatus.returned
    assert "Anna Andersen" not in secretariat.get("/indstillinger").text  # not waiting any more
    assert "Anna Andersen" in secretariat.get("/indstillinger?status=returned").text
    assert "Anna Andersen" in secretariat.get("/indstillinger?status=alle").text

    assert "Angiv kandidatens kommune." in client.get("/partigruppe").text
    form = client.get(f"/indstillinger/{sent.id}/ret").text
    assert "Angiv kandidatens kommune." in form
    response = client.post(f"/indstillinger/{sent.id}/ret", data={
        "person": str(sent.person_id), "version": str(sent.version)})
    assert response.status_code == 302
    assert reload(sent).status is NominationStatus.submitted
    assert "Anna Andersen" in secretariat.get("/indstillinger").text


def test_secretariat_sees_the_next_step_for_each_status(app, world):
    sent = nominate.nomination(world["rar"], nominate.candidate("Anna Andersen"))
    agenda.place_on_agenda(sent, today(), "4.1", council="KKR Hovedstaden")
    db.session.commit()
    secretariat = client_for(app, "haan")
    page = secretariat.get(f"/indstillinger/{sent.id}").text
    assert f"/indstillinger/{sent.id}/beslutning" in page
    assert "/retur" not in page
    assert secretariat.get(f"/indstillinger/{sent.id}/retur").status_code == 302  # only while submitted


def test_secretariat_opens_and_closes_a_call(app, client, world):
    secretariat = client_for(app, "haan")
    form = secretariat.get(f"/opfordringer/ny?plads={world['rar'].id}&rolle=substitute").text
    assert "Send opfordring" in form
    deadline = today() + timedelta(days=14)
    data = {"seat": str(world["rar"].id), "role": "substitute", "reason": "resignation",
            "deadline": deadline.isoformat(), "note": "Ny suppleant til RAR."}
    assert secretariat.post("/opfordringer/ny", data=data).status_code == 302
    call = the_one(Call)
    assert (call.party.letter, call.role, call.deadline) == ("F", Role.substitute, deadline)
    again = secretariat.post("/opfordringer/ny", data=data)
    assert again.status_code == 200
    assert "Der er allerede en åben opfordring" in again.text
    past = secretariat.post("/opfordringer/ny", data=data | {"deadline": "2020-01-01", "role": "member"})
    assert "Fristen ligger før i dag." in past.text

    party_calls = client.get("/opfordringer").text
    assert "Ny suppleant til RAR." in party_calls
    assert f"/indstillinger/ny?plads={world['rar'].id}&amp;rolle=substitute" in party_calls
    assert "Ny suppleant til RAR." not in client_for(app, "radikale").get("/opfordringer").text

    assert secretariat.post(f"/opfordringer/{call.id}/luk").status_code == 302
    assert not reload(call).is_open
    assert "Ny suppleant til RAR." not in client.get("/opfordringer").text
    assert secretariat.post("/opfordringer/999999/luk").status_code == 404


def test_secretariat_sees_any_partys_page(app, world):
    nominate.nomination(world["movia"], nominate.candidate("Bent Bentsen", "B", Gender.man))
    db.session.commit()
    secretariat = client_for(app, "haan")
    assert "/partigruppe?parti=B" in secretariat.get("/partigruppe").text
    page = secretariat.get("/partigruppe?parti=B").text
    assert "Movia" in page
    assert "Bent Bentsen" in page
    assert "RAR Hovedstaden" not in page
    assert secretariat.get("/partigruppe?parti=X").status_code == 404
    assert secretariat.get("/partigruppe?parti=" + "B" * 5000).status_code == 404
    assert secretariat.get("/partigruppe?parti=9999999999").status_code == 404


@pytest.mark.parametrize(("data", "field_error"), [
    ({"new_name": "A" * 5000}, "Skriv højst"),
    ({"new_name": "Anna", "new_email": "ikke en adresse"}, "Skriv en gyldig e-mailadresse."),
    ({"new_name": "Anna", "motivation": "x" * 100_000}, "Skriv højst"),
    ({"person": "999999"}, "Vælg en af mulighederne."),
    ({"person": "abc"}, "Vælg en af mulighederne."),
    ({"person": "99999999999999999999"}, "Vælg en af mulighederne."),
    ({"new_name": "Anna", "seat": "abc"}, "Vælg en af mulighederne."),
    ({"new_name": "Anna", "seat": "999999"}, "Vælg en af mulighederne."),
    ({"new_name": "Anna", "role": "formand"}, "Vælg en af mulighederne."),
    ({"new_name": "Anna", "new_gender": "x"}, "Vælg en af mulighederne."),
    ({}, "Vælg en registreret person, eller skriv navnet på en ny."),
    ({"person": "kofoed", "new_name": "Anna"}, "ikke begge"),
])
def test_hostile_input_gives_form_errors(app, client, world, data, field_error):
    before = stored()
    posted = {"seat": str(world["rar"].id), "role": "member"} | {
        key: str(world["kofoed"].id) if value == "kofoed" else value for key, value in data.items()}
    response = client.post("/indstillinger/ny", data=posted)
    assert response.status_code == 200
    assert "form-error-message" in response.text
    assert field_error in response.text
    assert stored() == before


@pytest.mark.parametrize(("path", "status"), [
    ("/indstillinger/abc", 404), ("/indstillinger/99999999999", 404), ("/indstillinger/-1", 404),
    ("/indstillinger/99999999999/ret", 404), ("/indstillinger/0/traek-tilbage", 404),
    ("/indstillinger/ny?plads=abc&rolle=x", 200), ("/indstillinger/ny?plads=99999999999", 200),
    ("/indstillinger?status=nonsense", 200),  # a party's list has no filter
    ("/opfordringer/abc/luk", 404),
])
def test_hostile_urls_are_never_a_server_error(app, client, world, path, status):
    response = client.post(path) if path.endswith("/luk") else client.get(path)
    assert response.status_code == status


def test_secretariat_hostile_filters_and_forms(app, world):
    before = stored()
    secretariat = client_for(app, "haan")
    assert secretariat.get("/indstillinger?status=nonsense").status_code == 400
    assert secretariat.get("/indstillinger/99999999999/retur").status_code == 404
    assert secretariat.get("/opfordringer/ny?plads=99999999999").status_code == 200
    assert secretariat.get("/indstillinger/ny?plads=99999999999").status_code == 200
    response = secretariat.post("/opfordringer/ny", data={"seat": "abc", "role": "member", "reason": "x",
                                                          "deadline": "31-12-2099", "party": "999999",
                                                          "note": "n" * 10_000})
    assert response.status_code == 200
    assert "Skriv en gyldig dato" in response.text
    assert stored() == before
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 0

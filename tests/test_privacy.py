"""Personal data: contact details and gender never leave the secretariat, a person who left long ago can be
anonymised while the seats' history stays readable, and the secretariat answers an access request."""

import json
import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from registry.api import openapi
from registry.appointments import services as appointments
from registry.appointments.models import Appointment, EndReason, Role
from registry.audit.models import AuditEntry
from registry.auth.models import UserRole
from registry.dates import danish_date, today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Meeting, Outcome
from registry.nominations import services as nominations
from registry.nominations.models import Nomination
from registry.people import privacy
from registry.people import services as people
from registry.people.models import Gender, Person
from tests import factories as make
from tests import nomination_factories as nominate

EMAIL = "lotte.hemmelig.7Q3x@example.dk"
PHONE = "+45 31 41 59 26"
SECRETS = (EMAIL, "hemmelig.7Q3x", PHONE, "31 41 59 26", "31415926")


def client_for(app, username: str):
    """A browser of its own, logged in as the user."""
    browser = app.test_client()
    assert make.login(browser, username).status_code == 302
    return browser


def fresh(model, row_id: int):
    """The row as the requests committed it."""
    db.session.commit()
    db.session.expire_all()
    return db.session.get(model, row_id)


def audit(action: str, entity_id: int) -> list[AuditEntry]:
    db.session.commit()
    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.entity == "persons", AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)))


@pytest.fixture(autouse=True)
def privacy_rules(app):
    privacy.register(app)


def left_long_ago(name: str = "Gammel Politiker", municipality: str = "Hvidovre", *, ended: date | None = None,
                  **private) -> Person:
    """Member of Movia 2014 until `ended` (default 31 December 2017), retired since."""
    person = make.person(name, municipality, **private)
    movia = make.organisation("Movia")
    seat = make.seat(movia, label=f"Plads {len(movia.seats) + 1}", has_substitute=False)
    appointment = make.appoint(seat, person, date(2014, 1, 1), ended or date(2017, 12, 31))
    appointment.end_reason = EndReason.term_ended
    db.session.flush()
    return person


# --- 1. Contact details and gender are never public ----------------------------------------------------


@pytest.fixture
def kofoed(app):
    """Lotte Kofoed (F), Frederiksberg, with an e-mail, a phone and a gender: member of RAR Hovedstaden since
    1 July 2024 on KKR's decision of 19 April 2024 (item 4.1), earlier of Movia, and nominated by SF again for
    a second RAR seat (not yet decided)."""
    make.municipality("Frederiksberg", 147)
    kofoed = nominate.candidate("Lotte Kofoed", "F", Gender.woman, "Frederiksberg")
    kofoed.email, kofoed.phone, kofoed.office = EMAIL, PHONE, "Byrådsmedlem"
    peschardt = nominate.candidate("Marie-Louise Peschardt Jørgensen", "F")
    rar = nominate.allocated_seat("F", "RAR Hovedstaden")
    decided = nominate.nomination(rar, kofoed, substitute=peschardt, motivation="Erfaren.")
    agenda.place_on_agenda(decided, date(2024, 4, 19), "4.1", council="KKR Hovedstaden",
                                case_number="SAG-2024-01064", title="Udpegning til RAR Hovedstaden")
    agenda.decide(decided, Outcome.appointed, text="KKR Hovedstaden udpegede Lotte Kofoed (F).",
                       effective=date(2024, 7, 1))
    movia = make.appoint(make.seat(make.organisation("Movia"), has_substitute=False), kofoed, date(2018, 1, 1),
                         date(2021, 12, 31))
    movia.end_reason = EndReason.term_ended
    undecided = nominate.nomination(nominate.allocated_seat("F", "RAR Hovedstaden"), kofoed)
    make.user("laeser", UserRole.viewer)
    nominate.party_user("sf", "F")
    db.session.commit()
    return {"person": kofoed, "seat": rar, "decided": decided, "undecided": undecided}


def public_paths(world) -> list[str]:
    person, seat, decided = world["person"], world["seat"], world["decided"]
    meeting_id = db.session.scalar(sa.select(Meeting.id))
    membership_id = db.session.scalar(sa.select(Appointment.id).where(Appointment.person_id == person.id,
                                                                      Appointment.seat_id == seat.id))
    ids = {"organization_id": seat.organisation_id, "post_id": seat.id, "person_id": person.id,
           "membership_id": membership_id, "nomination_id": world["undecided"].id, "decision_id": decided.decision_id,
           "letter": "F", "area": 147, "period": seat.allocations[0].period.name}
    api = [re.sub(r"\{(\w+)\}", lambda match: str(ids[match.group(1)]), path)
           for path, operations in openapi.DOCUMENT["paths"].items() if "get" in operations]
    assert len(api) >= 14  # every GET the OpenAPI document lists
    return [
        "/", "/?as_of=2024-07-01", "/organisationer", f"/organisationer/{seat.organisation_id}", "/pladser",
        f"/pladser/{seat.id}", "/personer", f"/personer/{person.id}", "/partier/F", "/kommuner/147",
        "/soeg?q=kofoed", "/soeg?q=Frederiksberg", "/beslutninger", f"/beslutninger?person={person.id}",
        "/moeder", f"/moeder/{meeting_id}",
        "/export/appointments.csv", "/export/appointments.csv?all=1", "/export/appointments.csv?as_of=2020-01-01",
        f"/export/indstillinger.csv?person_id={person.id}", "/export/indstillinger.csv",
        "/api/v1/persons?area_id=areas/147", f"/api/v1/memberships?person_id={person.id}",
        f"/api/v1/decisions?person_id={person.id}", f"/api/v1/nominations?person_id={person.id}",
        *api,
    ] + ([f"/indstillinger/{decided.id}"] if decided else [])


PARTY_PAGES = ["/partigruppe", "/indstillinger"]


def _without_tokens(body: str) -> str:
    """The page without what differs from one request to the next (CSRF tokens, CSP nonces)."""
    body = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", body)
    body = re.sub(r'(value="[^"]*"[^>]*name="csrf_token")', 'name="csrf_token"', body)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', body)


def _no_private_keys(value, path: str) -> None:
    if isinstance(value, dict):
        assert not {"gender", "email", "phone"} & set(value), path
        for inner in value.values():
            _no_private_keys(inner, path)
    elif isinstance(value, list):
        for inner in value:
            _no_private_keys(inner, path)


def walk(app, paths: dict[str, list[str]]) -> dict:
    """Every path as each user gets it, in a browser of its own: {(who, path): body}; asserts no e-mail or
    phone anywhere."""
    browsers = {"anonym": app.test_client(), "læser": client_for(app, "laeser"), "partigruppe": client_for(app, "sf")}
    seen = {}
    for who, browser in browsers.items():
        for path in paths[who]:
            response = browser.get(path)
            assert response.status_code < 500, (who, path)
            if who == "anonym" and not path.startswith("/api/v1/nominations") and "/indstillinger/" not in path:
                assert response.status_code == 200, (who, path, response.status_code)
            body = response.get_data().decode("utf-8-sig")
            for secret in SECRETS:
                assert secret not in body, (who, path, secret)
            if response.is_json:
                _no_private_keys(response.get_json(), path)
            elif "text/html" in response.content_type:
                assert "Køn</dt>" not in body, (who, path)
            seen[(who, path)] = _without_tokens(body)
    return seen


def test_contact_details_and_gender_never_reach_a_public_page_export_or_the_api(app, client, kofoed):
    everywhere = public_paths(kofoed)
    paths = {"anonym": everywhere, "læser": everywhere,
             "partigruppe": everywhere + PARTY_PAGES + [f"/indstillinger/{kofoed['undecided'].id}"]}
    as_a_woman = walk(app, paths)
    assert "Lotte Kofoed" in as_a_woman[("anonym", f"/personer/{kofoed['person'].id}")]
    assert "Lotte Kofoed" in as_a_woman[("anonym", "/export/appointments.csv")]
    assert "Lotte Kofoed" in as_a_woman[("partigruppe", f"/indstillinger/{kofoed['undecided'].id}")]

    # Gender is an enum ("kvinde", "mand"), words any page may hold; so change it and see that nothing changes.
    person = fresh(Person, kofoed["person"].id)
    person.gender = Gender.other
    db.session.commit()
    as_other = walk(app, paths)
    changed = [key for key in as_a_woman if as_a_woman[key] != as_other[key]]
    assert changed == []


def test_the_secretariat_sees_the_private_fields_on_the_person_page(app, kofoed):
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    page = client_for(app, "gitb").get(f"/personer/{kofoed['person'].id}").text
    assert EMAIL in page
    assert PHONE in page
    assert "kvinde" in page


# --- 2. Anonymisation ----------------------------------------------------------------------------------


def test_a_person_who_left_long_ago_is_anonymised_and_the_seats_history_reads_tidligere_medlem(app, client):
    person = left_long_ago("Gammel Politiker", gender=Gender.man, email="gammel@example.dk", phone="11 22 33 44",
                           office="Borgmester")
    municipality_id, party_id = person.municipality_id, person.party_id
    seat_id = person.appointments[0].seat_id
    db.session.commit()

    privacy.anonymise(person)
    db.session.commit()

    stored = fresh(Person, person.id)
    assert stored.name == "Tidligere medlem"
    assert (stored.gender, stored.email, stored.phone, stored.office) == (None, None, None, None)
    assert (stored.municipality_id, stored.party_id) == (municipality_id, party_id)
    assert stored.anonymised_at is not None
    assert len(stored.appointments) == 1
    assert stored.appointments[0].end_date == date(2017, 12, 31)
    for path in [f"/pladser/{seat_id}", "/?as_of=2016-06-01", f"/personer/{person.id}",
                 "/export/appointments.csv?all=1", "/soeg?q=tidligere"]:
        body = client.get(path).get_data().decode("utf-8-sig")
        assert "Tidligere medlem" in body, path
        assert "Gammel Politiker" not in body, path


def test_anonymisation_is_audited_with_the_private_fields_masked(app):
    person = left_long_ago(email="gammel@example.dk", phone="11 22 33 44", gender=Gender.woman)
    db.session.commit()
    privacy.anonymise(person)
    db.session.commit()

    [update] = audit("update", person.id)
    assert update.changes["name"] == ["Gammel Politiker", "Tidligere medlem"]
    assert update.changes["email"] == ["***", None]
    assert update.changes["phone"] == ["***", None]
    assert update.changes["gender"] == ["***", None]
    assert "gammel@example.dk" not in json.dumps(update.changes)
    [event] = audit("anonymise", person.id)
    assert event.changes == {"last_day": "2017-12-31", "retention_days": 1826}


def test_several_former_members_of_one_municipality_may_all_be_anonymised(app, client):
    first = left_long_ago("Første Politiker", "Hvidovre")
    second = left_long_ago("Anden Politiker", "Hvidovre")
    db.session.commit()
    assert privacy.anonymise_eligible() == [first.id, second.id]
    db.session.commit()
    names = db.session.scalars(sa.select(Person.name).where(Person.municipality_id == first.municipality_id))
    assert list(names) == ["Tidligere medlem", "Tidligere medlem"]
    # And a new person in the municipality is registered as ever.
    created = people.save(None, name="Ny Politiker", municipality_id=first.municipality_id)
    db.session.commit()
    assert created.id


def test_no_one_can_be_anonymised_while_holding_a_seat(app):
    serving = left_long_ago("Stadig Medlem", ended=None)
    db.session.execute(sa.update(Appointment).where(Appointment.person_id == serving.id)
                       .values(end_date=None, end_reason=None))
    ends_today = left_long_ago("Sidste Dag", ended=today())
    db.session.commit()
    for person in (fresh(Person, serving.id), fresh(Person, ends_today.id)):
        with pytest.raises(RuleViolation, match="har stadig en plads .Movia, Plads .*afsluttet"):
            privacy.anonymise(person)
    db.session.rollback()
    assert fresh(Person, serving.id).name == "Stadig Medlem"


def test_no_one_can_be_anonymised_while_a_nomination_naming_them_is_undecided(app):
    person = left_long_ago("Kandidat Igen", gender=Gender.woman)
    seat = nominate.allocated_seat("F", "RAR Hovedstaden")
    member = nominate.candidate("Anna Andersen")
    sent = nominate.nomination(seat, member, substitute=person)
    db.session.commit()
    with pytest.raises(RuleViolation, match="indstilling, der ikke er afgjort .RAR Hovedstaden.*status: indsendt"):
        privacy.anonymise(person)
    db.session.rollback()
    nominations.withdraw(db.session.get(type(sent), sent.id))
    db.session.commit()
    # Withdrawn: nothing pending, but the nomination (today) starts the retention period anew.
    with pytest.raises(RuleViolation, match=f"kan anonymiseres fra {danish_date(today() + timedelta(days=1826))}"):
        privacy.anonymise(fresh(Person, person.id))


def test_the_retention_period_runs_from_the_last_day_in_office_and_the_refusal_says_when(app):
    last = today() - timedelta(days=100)
    person = left_long_ago("Nylig Afgået", ended=last)
    db.session.commit()
    when = danish_date(last + timedelta(days=1826))
    with pytest.raises(RuleViolation, match=f"Opbevaringsperioden er ikke udløbet.*kan anonymiseres fra {when}"):
        privacy.anonymise(person)
    assert privacy.eligible() == []

    app.config["ANONYMISE_AFTER_DAYS"] = 100
    assert privacy.assess(person).allowed
    app.config["ANONYMISE_AFTER_DAYS"] = 101
    assert not privacy.assess(person).allowed
    assert privacy.assess(person, today() + timedelta(days=1)).allowed


def test_an_anonymised_person_cannot_be_edited_merged_appointed_or_nominated(app, client):
    gone = left_long_ago("Gammel Politiker")
    other = make.person("Anden Person", "Hvidovre", email="anden@example.dk")
    db.session.commit()
    privacy.anonymise(gone)
    make.user("gitb", UserRole.secretariat)
    db.session.commit()

    secretariat = client_for(app, "gitb")
    response = secretariat.post(f"/personer/{gone.id}/rediger", data={
        "name": "Gammel Politiker", "municipality": str(gone.municipality_id), "party": "", "office": "",
        "gender": "", "email": "ny@example.dk", "phone": "", "version": str(fresh(Person, gone.id).version)})
    assert "Personen er anonymiseret og kan ikke længere ændres" in response.text
    assert fresh(Person, gone.id).name == "Tidligere medlem"
    assert fresh(Person, gone.id).email is None

    with pytest.raises(RuleViolation, match="Personen er anonymiseret"):
        people.merge(fresh(Person, gone.id), fresh(Person, other.id))
    db.session.rollback()
    with pytest.raises(RuleViolation, match="Personen er anonymiseret"):
        appointments.appoint(make.seat(make.organisation("SSU")), fresh(Person, gone.id), Role.member,
                             today())
    db.session.rollback()
    with pytest.raises(RuleViolation, match="Personen er anonymiseret"):
        nominate.nomination(nominate.allocated_seat("F"), fresh(Person, gone.id))
    db.session.rollback()
    assert fresh(Person, other.id).name == "Anden Person"


def test_the_secretariat_anonymises_from_a_confirm_page(app, client):
    person = left_long_ago("Gammel Politiker", email="gammel@example.dk")
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    secretariat = client_for(app, "gitb")

    page = secretariat.get(f"/personer/{person.id}/anonymiser").text
    assert "Anonymisér Gammel Politiker" in page
    assert "Tidligere medlem" in page
    assert "1826 dage" in page
    assert ">Anonymisér</button>" in page
    response = secretariat.post(f"/personer/{person.id}/anonymiser",
                                data={"version": str(person.version)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/personer/{person.id}"
    assert fresh(Person, person.id).name == "Tidligere medlem"
    [event] = audit("anonymise", person.id)
    assert event.actor == "gitb"


def test_the_confirm_page_says_why_not_and_a_post_is_refused(app, client):
    person = left_long_ago("Nylig Afgået", ended=today() - timedelta(days=10))
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    secretariat = client_for(app, "gitb")
    when = danish_date(today() - timedelta(days=10) + timedelta(days=1826))

    page = secretariat.get(f"/personer/{person.id}/anonymiser").text
    assert "kan ikke anonymiseres nu" in page
    assert when in page
    assert ">Anonymisér</button>" not in page
    response = secretariat.post(f"/personer/{person.id}/anonymiser", data={"version": str(person.version)})
    assert response.status_code == 422
    assert when in response.text
    assert fresh(Person, person.id).name == "Nylig Afgået"


@pytest.mark.parametrize("role", [None, UserRole.viewer, UserRole.party])
def test_only_the_secretariat_may_anonymise_or_answer_an_access_request(app, client, role):
    person = left_long_ago("Gammel Politiker", email="gammel@example.dk")
    if role is not None:
        make.user("andre", role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    browser = client_for(app, "andre") if role is not None else client
    for method, path in [("get", "anonymiser"), ("post", "anonymiser"), ("get", "indsigt"), ("post", "indsigt")]:
        response = getattr(browser, method)(f"/personer/{person.id}/{path}", data={"version": "1"})
        if role is None:
            assert response.status_code == 302, (method, path)
            assert "/login" in response.headers["Location"], (method, path)
        else:
            assert response.status_code == 403, (method, path)
        assert "gammel@example.dk" not in response.text
    assert fresh(Person, person.id).name == "Gammel Politiker"
    assert audit("export_personal_data", person.id) == []


def test_the_command_anonymises_everyone_eligible_and_says_who(app, runner):
    first = left_long_ago("Første Politiker")
    second = left_long_ago("Anden Politiker", "Gentofte")
    recent = left_long_ago("Nylig Afgået", ended=today() - timedelta(days=10))
    db.session.commit()

    dry = runner.invoke(args=["registry", "anonymise", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output == (f"person {first.id}\nperson {second.id}\n2 personer ville blive anonymiseret.\n"
                          "Prøvekørsel: intet er gemt.\n")
    assert fresh(Person, first.id).name == "Første Politiker"

    done = runner.invoke(args=["registry", "anonymise"])
    assert done.exit_code == 0, done.output
    assert done.output == f"person {first.id}\nperson {second.id}\n2 personer er anonymiseret.\n"
    assert [fresh(Person, p.id).name for p in (first, second, recent)] == [
        "Tidligere medlem", "Tidligere medlem", "Nylig Afgået"]
    assert audit("anonymise", first.id)[0].actor == "cli:anonymise"
    again = runner.invoke(args=["registry", "anonymise"])
    assert again.output == "0 personer er anonymiseret.\n"


# --- 3. The access request -----------------------------------------------------------------------------


def test_the_secretariat_exports_everything_held_about_a_person_and_the_export_is_audited(app, kofoed):
    person = kofoed["person"]
    seat = kofoed["seat"]
    nominations.return_to_party(kofoed["undecided"], "Mangler særlige grunde.")
    other_seat = nominate.allocated_seat("F", "Movia")
    as_substitute = nominate.nomination(other_seat, nominate.candidate("Bo Bosen", "F", Gender.man),
                                        substitute=person, gender_reason="Kun to kandidater.")
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    secretariat = client_for(app, "gitb")

    page = secretariat.get(f"/personer/{person.id}/indsigt").text
    assert EMAIL in page
    assert PHONE in page
    assert "kvinde" in page
    assert "2 udpegninger" in page
    assert "3 indstillinger" in page
    assert audit("export_personal_data", person.id) == []

    response = secretariat.post(f"/personer/{person.id}/indsigt")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.mimetype_params.get("charset") == "utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="indsigt-person-{person.id}.json"'
    report = json.loads(response.get_data().decode("utf-8"))
    assert "Marie-Louise Peschardt Jørgensen" not in response.get_data().decode("utf-8")  # only about her

    assert report["person"] == {
        "id": person.id, "name": "Lotte Kofoed", "gender": "woman", "email": EMAIL, "phone": PHONE,
        "office": "Byrådsmedlem", "municipality": {"id": person.municipality_id, "name": "Frederiksberg",
                                                   "code": 147},
        "party": {"id": person.party_id, "letter": "F", "name": "Parti F"}, "anonymised_at": None}
    rar = next(a for a in report["appointments"] if a["organisation"] == "RAR Hovedstaden")
    assert rar == {"id": rar["id"], "organisation": "RAR Hovedstaden", "seat": seat.label, "role": "member",
                   "party": "F", "start_date": "2024-07-01", "end_date": None, "end_reason": None,
                   "status": "appointed", "note": None,
                   "decision": {"reference": "KKR Hovedstaden 2024-04-19 pkt. 4.1", "outcome": "appointed",
                                "text": "KKR Hovedstaden udpegede Lotte Kofoed (F)."}}
    movia = next(a for a in report["appointments"] if a["organisation"] == "Movia")
    assert (movia["end_date"], movia["end_reason"]) == ("2021-12-31", "term_ended")
    named = {n["id"]: n for n in report["nominations"]}
    assert named[kofoed["decided"].id]["status"] == "appointed"
    assert named[kofoed["decided"].id]["motivation"] == "Erfaren."
    assert named[kofoed["undecided"].id]["comment"] == "Mangler særlige grunde."
    assert named[as_substitute.id]["named_as"] == "substitute"
    assert named[as_substitute.id]["gender_reason"] == "Kun to kandidater."
    assert [entry["action"] for entry in report["audit_entries"]][0] == "create"
    assert all(entry["changes"] is None or EMAIL not in json.dumps(entry["changes"])
               for entry in report["audit_entries"])

    [exported] = audit("export_personal_data", person.id)
    assert exported.actor == "gitb"
    assert exported.remote_addr


def test_the_access_request_of_an_anonymised_person_shows_what_is_left(app):
    person = left_long_ago("Gammel Politiker", email="gammel@example.dk")
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    privacy.anonymise(person)
    db.session.commit()
    report = json.loads(client_for(app, "gitb").post(f"/personer/{person.id}/indsigt").get_data())
    assert report["person"]["name"] == "Tidligere medlem"
    assert report["person"]["email"] is None
    assert report["person"]["anonymised_at"]
    assert [entry["action"] for entry in report["audit_entries"]] == ["create", "update", "anonymise"]


# --- 3. Anonymisation reaches every text that names the person ------------------------------------------


def decided_long_ago(name: str = "Gammel Politiker") -> tuple[Person, Meeting]:
    """A member of Movia 2014–2017 on KKR's decision of 1 December 2013, whose name stands in the decision,
    the agenda item's saved texts and the nomination's motivation."""
    person = left_long_ago(name)
    seat = nominate.allocated_seat("F", "RAR Hovedstaden")
    nomination = nominate.nomination(seat, person, motivation=f"{name} kender arbejdsmarkedet.")
    item = agenda.place_on_agenda(nomination, date(2013, 12, 1), "4.1", council="KKR Hovedstaden",
                                  title="Udpegning til RAR Hovedstaden")
    item.background = f"SF indstiller {name}. {name}-Hansen er en anden person."
    item.recommendation = f"Det indstilles, at {name} udpeges."
    agenda.decide(nomination, Outcome.appointed, text=f"KKR Hovedstaden udpegede {name} (F).",
                  effective=date(2014, 1, 1))
    db.session.flush()
    for appointment in person.appointments:
        appointment.end_date, appointment.end_reason = date(2017, 12, 31), EndReason.term_ended
    nomination.submitted_at = datetime(2013, 11, 1, 12, 0)
    db.session.get(Meeting, item.meeting_id).published_on = date(2013, 11, 24)
    db.session.commit()
    return person, db.session.get(Meeting, item.meeting_id)


def test_anonymisation_takes_the_name_out_of_decisions_agendas_and_nominations(app, client):
    person, meeting = decided_long_ago("Gammel Politiker")
    public = [f"/moeder/{meeting.id}", "/beslutninger", f"/beslutninger?person={person.id}",
              "/export/indstillinger.csv", f"/api/v1/decisions?person_id={person.id}", "/api/v1/decisions"]
    for path in public:
        assert "Gammel Politiker" in client.get(path).get_data().decode("utf-8-sig"), path

    privacy.anonymise(fresh(Person, person.id))
    db.session.commit()

    for path in public:
        body = client.get(path).get_data().decode("utf-8-sig")
        assert "Gammel Politiker " not in body, path
        assert "Gammel Politiker (" not in body, path
        assert "Tidligere medlem" in body, path
    page = client.get(f"/moeder/{meeting.id}").text
    assert "Gammel Politiker-Hansen er en anden person." in page  # a longer name is another person's
    nomination = db.session.scalars(sa.select(Nomination)).one()
    assert nomination.motivation == "Tidligere medlem kender arbejdsmarkedet."


# Both databases: the name is looked for in the audit trail's JSON as each database stores it.
@pytest.mark.both_databases
def test_the_access_request_says_where_the_name_stands_and_whether_it_is_public(app):
    person, meeting = decided_long_ago("Gammel Politiker")
    unpublished = nominate.nomination(nominate.allocated_seat("F", "Movia"), nominate.candidate("Bo Bosen", "F"))
    item = agenda.place_on_agenda(unpublished, date(2030, 1, 10), "5.1", council="KKR Hovedstaden")
    item.background = "Bo Bosen afløser Gammel Politiker."
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    secretariat = client_for(app, "gitb")

    report = json.loads(secretariat.post(f"/personer/{person.id}/indsigt").get_data())
    named = sorted((place["kind"], place.get("text"), place["public"]) for place in report["named_in"])
    assert named == [("agenda_item", "background", False), ("agenda_item", "background", True),
                     ("agenda_item", "recommendation", True), ("decision", None, True),
                     ("nomination", "motivation", False)]
    assert report["audit_entries_naming"] >= 1  # the person's own row, created with the name
    page = " ".join(secretariat.get(f"/personer/{person.id}/indsigt").text.split())
    assert "Hvor navnet står" in page
    assert "KKR's beslutning KKR Hovedstaden 2013-12-01 pkt. 4.1 (offentlig)" in page
    assert "Dagsordenen til mødet 01.12.2013, punkt 4.1 (offentlig)" in page
    assert "Dagsordenen til mødet 10.01.2030, punkt 5.1 (ikke offentlig)" in page


def test_no_one_who_never_held_a_seat_is_named_on_a_public_page_export_or_the_api(app, client, kofoed):
    """Candidates KKR has not decided on: one nominated and on an agenda not yet published (with a saved text
    naming them and særlige grunde), and one whose nomination was withdrawn."""
    waiting = nominate.candidate("Karl Ventende", "F", Gender.man)
    on_agenda = nominate.nomination(nominate.allocated_seat("F", "Movia"), waiting,
                                    gender_reason="Kun mænd stillede op i gruppen.")
    item = agenda.place_on_agenda(on_agenda, today() + timedelta(days=20), "4.2", council="KKR Hovedstaden")
    item.background = "SF indstiller Karl Ventende. Kun mænd stillede op i gruppen."
    withdrawn = nominate.nomination(nominate.allocated_seat("F", "Movia"),
                                    nominate.candidate("Vera Trukket", "F", Gender.woman))
    nominations.withdraw(withdrawn)
    db.session.commit()
    paths = public_paths(kofoed) + [f"/moeder/{item.meeting_id}", "/soeg?q=Ventende", "/soeg?q=Trukket",
                                    "/api/v1/persons?limit=1000", "/personer?q=Karl"]
    seen = walk(app, {"anonym": paths, "læser": paths, "partigruppe": []})
    for (who, path), body in seen.items():
        for never_seated in ("Karl Ventende", "Vera Trukket", "Kun mænd stillede op"):
            assert never_seated not in body, (who, path, never_seated)

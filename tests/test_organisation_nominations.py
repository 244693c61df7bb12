"""Organisations that nominate (Dansk Industri, FH, Praksisudvalget) submit through the secretariat.

Erhvervshus Hovedstaden's business seat is Dansk Industri's to nominate for. DI has no login: it sends its
nomination to the secretariat, which registers it with no party group. From there it goes the way of every
nomination: onto KKR's agenda ("Dansk Industri indstiller, at …"), KKR's decision, and the person seated for
no party. A party group can neither nominate for the seat nor see DI's nomination; no call goes out for it, and
no e-mail, since nobody at DI could sign in to read it.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, Role
from registry.auth.models import User, UserRole
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.drafting import draft
from registry.meetings.models import Decision, Outcome
from registry.nominations import services
from registry.nominations.models import Nomination, NominationStatus
from registry.notifications.models import Message
from registry.organisations.models import GenderRule, SeatFiller
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate

MEETING = date(2024, 4, 19)
PROPOSAL = ("Dansk Industri indstiller, at Jens Erhverv, Lyngby-Taarbæk Kommune, udpeges som nyt medlem til "
            "Erhvervshus Hovedstaden.")
RECOMMENDATION = ("Det indstilles, at KKR Hovedstaden udpeger Jens Erhverv, Lyngby-Taarbæk Kommune, som medlem af "
                  "Erhvervshus Hovedstaden.")
DECIDED = ("KKR Hovedstaden udpegede Jens Erhverv, Lyngby-Taarbæk Kommune, som medlem af Erhvervshus Hovedstaden "
           "fra 1. maj 2024.")


def party_user() -> User:
    return db.session.scalar(sa.select(User).where(User.username == "sd"))


def fresh():
    """A new transaction, which sees what the requests committed."""
    db.session.commit()


def words(response) -> str:
    return " ".join(response.text.split())


@pytest.fixture
def erhvervshus(app):
    """Erhvervshus Hovedstaden (KKR appoints): Dansk Industri's seat, and a seat Socialdemokratiet (A) holds.
    Jens Erhverv, DI's candidate, happens to be a member of A. Users: haan (secretariat), sd (party group A)."""
    seat = nominate.organisation_seat("Dansk Industri", "Erhvervshus Hovedstaden", label="Erhverv 1")
    party_seat = nominate.allocated_seat("A", "Erhvervshus Hovedstaden", label="Plads 2", has_substitute=False)
    jens = make.person("Jens Erhverv", "Lyngby-Taarbæk", "A", gender=Gender.man)
    make.user("haan", UserRole.secretariat)
    nominate.party_user("sd", "A")
    db.session.commit()
    return {"seat": seat, "party_seat": party_seat, "jens": jens, "A": make.party("A")}


@pytest.mark.both_databases
def test_dansk_industris_nomination_from_the_secretariats_form_to_kkrs_appointment(client, erhvervshus):
    seat, jens = erhvervshus["seat"], erhvervshus["jens"]
    make.login(client, "haan")

    # The form names DI as the nominator and asks for no party group; the seat list says whose seat it is.
    form = words(client.get(f"/indstillinger/ny?plads={seat.id}"))
    assert "Dansk Industri indstiller til pladsen, ikke en partigruppe." in form
    assert 'id="party"' not in form
    assert "Erhverv 1, Erhvervshus Hovedstaden (uden suppleant) – indstilles af Dansk Industri</option>" in words(
        client.get("/indstillinger/ny"))
    response = client.post("/indstillinger/ny", data={
        "seat": seat.id, "role": "member", "person": jens.id, "motivation": "Direktør i en produktionsvirksomhed."})
    assert response.status_code == 302, response.text
    assert "Indstillingen af Jens Erhverv fra Dansk Industri er registreret." in client.get(
        response.headers["Location"]).text
    fresh()
    nomination = db.session.scalars(sa.select(Nomination)).one()
    assert (nomination.party_id, nomination.nominated_by, nomination.nominator, nomination.status) == (
        None, "Dansk Industri", "Dansk Industri", NominationStatus.submitted)

    # The secretariat's pages show DI where a party group's letter would be; there is no one to return it to.
    detail = words(client.get(f"/indstillinger/{nomination.id}"))
    assert "<dt>Indstillet af</dt><dd>Dansk Industri</dd>" in detail
    assert "Send retur til partigruppen" not in detail
    assert "ikke fordelt" not in detail  # a party group's warnings do not apply
    assert "<td>Dansk Industri</td>" in words(client.get("/indstillinger"))

    # Onto the agenda of 19 April 2024; the drafted text speaks of DI, and names the candidate with no letter.
    response = client.post(f"/indstillinger/{nomination.id}/dagsorden", data={
        "meeting_date": "2024-04-19", "item_number": "4.3", "case_worker": "gitb", "version": nomination.version})
    assert response.status_code == 302, response.text
    fresh()
    item = db.session.get(Nomination, nomination.id).item
    page = words(client.get(f"/moeder/punkter/{item.id}"))
    assert "<dt>Indstillet af</dt><dd>Dansk Industri</dd>" in page
    assert PROPOSAL in page
    assert RECOMMENDATION in page
    body = f'<a href="/organisationer/{nomination.seat.organisation_id}">Erhvervshus Hovedstaden</a>'
    assert f"(Dansk Industri, {body}, Erhverv 1)" in words(client.get(f"/moeder/{item.meeting_id}"))

    # KKR appoints from 1 May 2024: Jens sits for DI, not for his party.
    decide_form = words(client.get(f"/indstillinger/{nomination.id}/beslutning"))
    assert "<dt>Indstillet af</dt><dd>Dansk Industri</dd>" in decide_form
    fresh()
    response = client.post(f"/indstillinger/{nomination.id}/beslutning", data={
        "outcome": "appointed", "text": "", "effective_date": "2024-05-01", "reason": "replaced",
        "version": db.session.get(Nomination, nomination.id).version})
    assert response.status_code == 302, response.text
    fresh()
    nomination = db.session.get(Nomination, nomination.id)
    decision = db.session.scalars(sa.select(Decision)).one()
    assert (nomination.status, nomination.decision_id, decision.outcome, decision.text) == (
        NominationStatus.appointed, decision.id, Outcome.appointed, DECIDED)
    seated = db.session.scalars(sa.select(Appointment).where(Appointment.seat_id == seat.id)).one()
    assert (seated.person_id, seated.role, seated.start_date, seated.party_id, seated.decision_id) == (
        jens.id, Role.member, date(2024, 5, 1), None, decision.id)
    assert "Jens Erhverv (A)" not in client.get("/?as_of=2024-05-01").text

    # The history of decisions, its CSV and the API read it; DI got no e-mail at any step.
    client.post("/logout")
    history = words(client.get(f"/beslutninger?organisation={seat.organisation_id}"))
    assert DECIDED in history
    exported = client.get(f"/export/indstillinger.csv?organisation={seat.organisation_id}")
    assert exported.status_code == 200
    assert "Jens Erhverv" in exported.text
    make.login(client, "haan")
    api = client.get(f"/api/v1/nominations/{nomination.id}")
    assert api.status_code == 200
    assert (api.get_json()["on_behalf_of_id"], api.get_json()["person_id"]) == (None, f"persons/{jens.id}")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_a_party_group_cannot_nominate_for_dansk_industris_seat_and_no_call_goes_out_for_it(client, erhvervshus):
    seat, party = erhvervshus["seat"], erhvervshus["A"]
    for by in (None, party_user()):
        with pytest.raises(RuleViolation, match="indstilles af Dansk Industri, ikke af en partigruppe") as refused:
            services.submit(seat, Role.member, party, erhvervshus["jens"], by=by)
        assert refused.value.field == "seat"
    # Not even as the organisation: a party group's user does not record others' nominations.
    with pytest.raises(RuleViolation, match="indstilles af Dansk Industri"):
        nominate.organisation_nomination(seat, erhvervshus["jens"], by=party_user())
    with pytest.raises(RuleViolation, match="indstilles af Dansk Industri"):
        nominate.call(seat, party_letter="A")

    # On the page: the party group's form is refused on the seat, and nothing is saved.
    make.login(client, "sd")
    response = client.post("/indstillinger/ny", data={"seat": seat.id, "role": "member",
                                                      "person": erhvervshus["jens"].id})
    assert response.status_code == 200
    assert "Pladsen (Erhvervshus Hovedstaden, Erhverv 1) indstilles af Dansk Industri, ikke af en partigruppe; " \
           "sekretariatet registrerer indstillingen." in response.text
    fresh()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 0


def test_the_secretariat_names_a_party_for_a_party_seat_and_none_for_another_appointers_seat(client, erhvervshus):
    other = make.seat(erhvervshus["seat"].organisation, "Staten 1", has_substitute=False,
                      filled_by=SeatFiller.other, appointing_authority="Erhvervsministeren", nominated_by="Staten")
    db.session.commit()
    with pytest.raises(RuleViolation, match="besættes af Erhvervsministeren, ikke af KKR"):
        nominate.organisation_nomination(other)
    with pytest.raises(RuleViolation, match="Vælg den partigruppe, der indstiller.") as refused:
        nominate.organisation_nomination(erhvervshus["party_seat"])
    assert refused.value.field == "party"
    db.session.rollback()

    # On the form, a party group's seat still asks for its party; a seat another appointer fills is refused.
    make.login(client, "haan")
    form = client.get(f"/indstillinger/ny?plads={erhvervshus['party_seat'].id}").text
    assert 'id="party"' in form
    assert "indstiller til pladsen" not in form
    response = client.post("/indstillinger/ny", data={"seat": erhvervshus["party_seat"].id, "role": "member",
                                                      "person": erhvervshus["jens"].id})
    assert "Vælg den partigruppe, der indstiller." in response.text
    response = client.post("/indstillinger/ny", data={"seat": other.id, "role": "member",
                                                      "person": erhvervshus["jens"].id})
    assert "besættes af Erhvervsministeren, ikke af KKR" in response.text
    fresh()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 0


def test_the_gender_rule_binds_an_organisation_too_and_kkr_reads_its_reasons(app, erhvervshus):
    seat = erhvervshus["seat"]
    seat.organisation.gender_rule = GenderRule.section_10a
    db.session.flush()
    with pytest.raises(RuleViolation, match="indstil både en kvinde og en mand") as refused:
        nominate.organisation_nomination(seat, erhvervshus["jens"])
    assert refused.value.field == "gender_reason"
    nomination = nominate.organisation_nomination(seat, erhvervshus["jens"],
                                                  gender_reason="DI har kun én plads i Erhvervshuset.")
    agenda.place_on_agenda(nomination, MEETING, "4.3", council="KKR Hovedstaden")
    assert ("Dansk Industri har ikke indstillet både en kvinde og en mand og oplyser som særlige grunde: DI har kun "
            "én plads i Erhvervshuset.") in draft(nomination.item).background


def test_kkr_takes_an_organisations_nomination_to_note_in_its_own_name(app):
    seat = nominate.organisation_seat("FH", "RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren",
                                      authority_is_external=True)
    fh = nominate.organisation_nomination(seat, nominate.candidate("Fie Faglig", None))
    other = nominate.organisation_nomination(nominate.organisation_seat("Dansk Industri", "RAR Hovedstaden"),
                                             nominate.candidate("Dan Industri", None, Gender.man))
    for nomination in (fh, other):
        agenda.place_on_agenda(nomination, MEETING, "4.1", council="KKR Hovedstaden")
    # One recommendation per proposer: FH's and DI's are not one.
    assert draft(fh.item).recommendation == (
        "Det indstilles,\n– at KKR Hovedstaden tager FH's indstilling af nyt medlem til RAR Hovedstaden til "
        "efterretning\n– at KKR Hovedstaden tager Dansk Industris indstilling af nyt medlem til RAR Hovedstaden "
        "til efterretning.")
    decision = agenda.decide(fh, Outcome.noted)
    assert decision.text == ("KKR Hovedstaden tog FH's indstilling af Fie Faglig, Hvidovre Kommune, som medlem af "
                             "RAR Hovedstaden til efterretning.")
    assert fh.status is NominationStatus.pending


@pytest.mark.both_databases
def test_a_party_group_never_sees_an_organisations_nomination(client, erhvervshus):
    di = nominate.organisation_nomination(erhvervshus["seat"], erhvervshus["jens"], motivation="Hemmelig")
    own = nominate.nomination(erhvervshus["party_seat"], nominate.candidate("Sofie Social", "A"))
    db.session.commit()
    assert db.session.scalars(sa.select(Nomination.id).where(services.visible_to(
        party_user()))).all() == [own.id]

    make.login(client, "sd")
    for path in ("/indstillinger", "/partigruppe", "/api/v1/nominations"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Jens Erhverv" not in response.text, path
        assert "Sofie Social" in response.text or path == "/api/v1/nominations", path
    for path in (f"/indstillinger/{di.id}", f"/indstillinger/{di.id}/ret", f"/indstillinger/{di.id}/traek-tilbage",
                 f"/api/v1/nominations/{di.id}"):
        assert client.get(path).status_code == 404, path
    assert {row["id"] for row in client.get("/api/v1/nominations").get_json()["results"]} == {f"nominations/{own.id}"}


def test_an_organisations_nomination_cannot_be_returned(client, erhvervshus):
    nomination = nominate.organisation_nomination(erhvervshus["seat"], erhvervshus["jens"])
    db.session.commit()
    with pytest.raises(RuleViolation, match="Indstillingen er fra Dansk Industri, som ikke har adgang til registret"):
        services.return_to_party(nomination, "Ret kommunen.")
    make.login(client, "haan")
    response = client.get(f"/indstillinger/{nomination.id}/retur", follow_redirects=True)
    assert "Indstillingen er fra Dansk Industri, som ikke har adgang til registret; den kan ikke sendes retur." \
        in response.text
    fresh()
    assert db.session.get(Nomination, nomination.id).status is NominationStatus.submitted



def test_the_secretariat_withdraws_an_organisations_nomination_but_never_a_party_groups(client, erhvervshus):
    """DI changes its mind and tells the secretariat, which withdraws on its behalf; a party group's nomination
    stays the group's own to withdraw."""
    nomination = nominate.organisation_nomination(erhvervshus["seat"], erhvervshus["jens"])
    partys = services.submit(erhvervshus["party_seat"], Role.member, erhvervshus["A"], make.person("Anna A"))
    db.session.commit()
    make.login(client, "haan")
    page = words(client.get(f"/indstillinger/{nomination.id}"))
    assert "Træk indstillingen tilbage på vegne af Dansk Industri" in page
    response = client.post(f"/indstillinger/{nomination.id}/traek-tilbage", data={"version": nomination.version},
                           follow_redirects=True)
    assert "Indstillingen er trukket tilbage." in response.text
    assert client.post(f"/indstillinger/{partys.id}/traek-tilbage",
                       data={"version": partys.version}).status_code == 403
    fresh()
    assert db.session.get(Nomination, nomination.id).status is NominationStatus.withdrawn
    assert db.session.get(Nomination, partys.id).status is NominationStatus.submitted

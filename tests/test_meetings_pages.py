"""The seed's item 4.1 through the pages: SF's nomination on the agenda of 19 April 2024, the drafted text,
KKR taking it to note, the minister's appointment on 1 June 2024, and the public history of decisions.

The secretariat does the work; the public sees meetings, items and decisions, never a nomination KKR has
not decided. Every refusal is a Danish message on the form, and nothing is saved.
"""

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.nominations import services
from registry.nominations.models import CallReason, Nomination, NominationStatus
from registry.organisations.models import ElectionPeriod, SeatAllocation
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate

RECOMMENDATION = ("Det indstilles, at KKR Hovedstaden tager Socialistisk Folkepartis indstilling af nyt medlem og "
                  "ny suppleant til RAR Hovedstaden til efterretning.")
NOTED = ("KKR Hovedstaden tog Socialistisk Folkepartis indstilling af Marie-Louise Peschardt Jørgensen (F), "
         "Hvidovre Kommune, som medlem af RAR Hovedstaden til efterretning.")


def fresh():
    """A new transaction, which sees what the requests committed."""
    db.session.commit()


def log_in_as(client, username: str = "gitb", role: UserRole = UserRole.secretariat, party: str | None = None):
    fresh()
    make.user(username, role, party)
    db.session.commit()
    make.login(client, username)


def snapshot() -> list[tuple]:
    """Nominations, decisions, items and appointments as stored: what a refused form must not change."""
    fresh()
    rows = []
    for columns in ((Nomination.id, Nomination.status, Nomination.item_id, Nomination.decision_id,
                     Nomination.appointed_on, Nomination.version),
                    (Decision.id, Decision.outcome, Decision.text),
                    (AgendaItem.id, AgendaItem.number, AgendaItem.title, AgendaItem.background),
                    (Meeting.id, Meeting.date, Meeting.location, Meeting.case_number),
                    (Appointment.id, Appointment.person_id, Appointment.role, Appointment.start_date,
                     Appointment.end_date, Appointment.end_reason)):
        rows.append(list(db.session.execute(sa.select(*columns).order_by(columns[0]))))
    return rows


class Rar:
    """The seed's RAR Hovedstaden, Plads 1, before the meeting of 19 April 2024."""

    def __init__(self):
        f = make.party("F", "SF – Socialistisk Folkeparti")
        period = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
        db.session.add(period)
        self.organisation = make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren",
                                              authority_is_external=True)
        self.seat = make.seat(self.organisation, "Plads 1", has_substitute=True)
        db.session.add(SeatAllocation(seat=self.seat, period=period, party=f))
        make.municipality("Frederiksberg", 147)
        make.municipality("Hvidovre", 167)
        self.kofoed = make.person("Lotte Kofoed", "Frederiksberg", "F", gender=Gender.woman)
        self.peschardt = make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre", "F", gender=Gender.woman)
        self.kofoed_member = make.appoint(self.seat, self.kofoed, date(2022, 1, 1))
        self.peschardt_suppleant = make.appoint(self.seat, self.peschardt, date(2022, 1, 1), role=Role.substitute)
        # Kofoed resigns: SF is asked for a new member, and (its suppleant moving up) a new suppleant.
        nominate.call(self.seat, role=Role.member, reason=CallReason.resignation, party_letter="F")
        nominate.call(self.seat, role=Role.substitute, reason=CallReason.resignation, party_letter="F")
        self.nomination = services.submit(self.seat, Role.member, f, self.peschardt,
                                          motivation="Nuværende suppleant.")
        db.session.commit()

    def place(self, client, **values):
        # A new meeting, the first time; a test that places again on the same meeting picks it (meeting=<id>).
        data = {"meeting": "nyt", "meeting_date": "2024-04-19",
                "location": "Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup",
                "case_number": "SAG-2024-01064", "item_number": "4.1", "case_worker": "gitb",
                "version": self.version()}
        return client.post(f"/indstillinger/{self.nomination.id}/dagsorden", data={**data, **values})

    def decide(self, client, **values):
        data = {"outcome": "noted", "text": NOTED, "effective_date": "", "reason": "resigned",
                "version": self.version()}
        return client.post(f"/indstillinger/{self.nomination.id}/beslutning", data={**data, **values})

    def record(self, client, **values):
        data = {"appointed_on": "2024-06-01", "reason": "resigned", "version": self.version()}
        return client.post(f"/indstillinger/{self.nomination.id}/udpegning", data={**data, **values})

    def version(self) -> int:
        fresh()
        return db.session.get(Nomination, self.nomination.id).version

    def status(self) -> NominationStatus:
        fresh()
        return db.session.get(Nomination, self.nomination.id).status

    def item(self) -> AgendaItem:
        fresh()
        return db.session.get(Nomination, self.nomination.id).item

    def holders(self) -> list[tuple]:
        fresh()
        return list(db.session.execute(
            sa.select(Appointment.role, Appointment.start_date, Appointment.end_date, Appointment.end_reason)
            .add_columns(Appointment.person_id).where(Appointment.seat_id == self.seat.id)
            .order_by(Appointment.person_id, Appointment.start_date)))


@pytest.fixture
def rar(app):
    return Rar()


@pytest.fixture
def secretariat(client):
    log_in_as(client)
    return client


def test_item_4_1_from_the_agenda_to_the_ministers_appointment(client, rar):
    log_in_as(client)
    form = client.get(f"/indstillinger/{rar.nomination.id}/dagsorden").text
    assert "Marie-Louise Peschardt Jørgensen" in form
    assert "Sæt på dagsordenen" in form

    response = rar.place(client)
    item = rar.item()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moeder/punkter/{item.id}"
    assert rar.status() is NominationStatus.on_agenda
    assert (item.number, item.case_worker, item.meeting.date, item.meeting.case_number) \
        == ("4.1", "gitb", date(2024, 4, 19), "SAG-2024-01064")

    # The secretariat's view of the item: the nomination, and the text in the seed's own words to copy.
    page = client.get(f"/moeder/punkter/{item.id}").text
    assert "Indstilling af medlem til RAR Hovedstaden" in page
    assert ("Da Lotte Kofoed (F), Frederiksberg Kommune, ønsker at udtræde af RAR Hovedstaden, skal der "
            "indstilles et nyt medlem.") in page
    assert ("Det er beskæftigelsesministeren, der efter indstilling fra KKR Hovedstaden varetager den endelige "
            "udpegning.") in page
    # The page's full width, and tall enough for the whole text.
    assert (f'<textarea class="d-block w-percent-100 mt-3 px-4 py-3" id="draft-recommendation" data-fit '
            f'rows="{len(RECOMMENDATION) // 55 + 1}" readonly>{RECOMMENDATION}</textarea>') in page
    assert '<label class="form-label" for="draft-background">Baggrund</label>' in page
    assert f'href="/indstillinger/{rar.nomination.id}/beslutning"' in page
    # What the secretariat would otherwise catch by hand; the nomination is no rival to itself.
    assert "Marie-Louise Peschardt Jørgensen er allerede suppleant på pladsen." in page
    assert "verserende" not in page

    response = client.post(f"/moeder/punkter/{item.id}/tekst", follow_redirects=True)
    assert "Teksten er gemt på punkt 4.1." in response.text
    assert rar.item().recommendation == RECOMMENDATION
    meeting_page = client.get(f"/moeder/{item.meeting_id}").text
    assert RECOMMENDATION in meeting_page
    assert "KKR har ikke truffet beslutning på punktet endnu." in meeting_page

    # KKR takes SF's nomination to note; the minister appoints, so Kofoed stays until then.
    form = client.get(f"/indstillinger/{rar.nomination.id}/beslutning").text
    assert '<option selected value="noted">Taget til efterretning</option>' in form
    assert 'value="appointed"' not in form
    assert NOTED in form
    response = rar.decide(client)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/indstillinger/{rar.nomination.id}"
    assert rar.status() is NominationStatus.pending
    flashed = client.get(response.headers["Location"]).text
    assert "KKR&#39;s beslutning er registreret: taget til efterretning." in flashed
    roster = client.get(f"/organisationer/{rar.organisation.id}?as_of=2024-05-15").text
    assert "Lotte Kofoed (F)" in roster
    assert "Marie-Louise Peschardt Jørgensen (F)" in roster
    assert rar.holders() == [(Role.member, date(2022, 1, 1), None, None, rar.kofoed.id),
                             (Role.substitute, date(2022, 1, 1), None, None, rar.peschardt.id)]

    # The minister's appointment from 1 June 2024 seats Peschardt and ends Kofoed the day before, in one step.
    form = client.get(f"/indstillinger/{rar.nomination.id}/udpegning").text
    assert '<option selected value="resigned">' in form
    response = rar.record(client, appointed_on="2024-06-01")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/indstillinger/{rar.nomination.id}"
    assert rar.status() is NominationStatus.appointed
    assert rar.holders() == [
        (Role.member, date(2022, 1, 1), date(2024, 5, 31), EndReason.resigned, rar.kofoed.id),
        (Role.substitute, date(2022, 1, 1), date(2024, 5, 31), EndReason.other, rar.peschardt.id),
        (Role.member, date(2024, 6, 1), None, None, rar.peschardt.id)]
    seat_page = client.get(f"/pladser/{rar.seat.id}").text
    assert "01.06.2024" in seat_page
    assert "31.05.2024" in seat_page
    roster = client.get("/?as_of=2024-06-01").text
    assert "Marie-Louise Peschardt Jørgensen (F)" in roster
    assert "Lotte Kofoed" not in roster
    assert "Lotte Kofoed (F)" in client.get("/?as_of=2024-05-31").text

    # Anyone reads the decision on the meeting's page and in the history.
    client.post("/logout")
    meeting_page = client.get(f"/moeder/{item.meeting_id}").text
    assert "<strong>Taget til efterretning</strong>: " + NOTED in meeting_page
    assert "Sagsbehandler: gitb" in meeting_page
    assert "SAG-2024-01064" in meeting_page
    history = client.get("/beslutninger").text
    assert NOTED in history
    assert "4.1 Indstilling af medlem til RAR Hovedstaden" in history
    assert "<td>01.06.2024</td>" in history
    assert "<td>F</td>" in history
    assert "<td>19.04.2024</td>" not in history  # the meeting date is a link
    assert f'<a href="/moeder/{item.meeting_id}">19.04.2024</a>' in history


def test_public_and_party_groups_never_see_an_undecided_nomination_on_the_meeting_page(client, rar):
    log_in_as(client)
    rar.place(client)
    meeting_id = rar.item().meeting_id
    secretariat_page = client.get(f"/moeder/{meeting_id}").text
    assert "Marie-Louise Peschardt Jørgensen som medlem" in secretariat_page
    assert f'href="/indstillinger/{rar.nomination.id}/beslutning"' in secretariat_page
    assert f'href="/moeder/punkter/{rar.item().id}"' in secretariat_page
    client.post("/logout")

    for username, party in (None, None), ("sf", "F"), ("radikale", "B"):
        if username:
            log_in_as(client, username, UserRole.party, party)
        page = client.get(f"/moeder/{meeting_id}").text
        assert "4.1 Indstilling af medlem til RAR Hovedstaden" in page
        assert "Peschardt" not in page
        assert '/beslutning"' not in page
        assert "/moeder/punkter/" not in page
        assert client.get(f"/moeder/punkter/{rar.item().id}").status_code in (302, 403)
        assert "Peschardt" not in client.get("/beslutninger").text
        client.post("/logout")


def test_meetings_are_listed_newest_first_the_danish_way_a_page_at_a_time(client, app):
    db.session.add(Meeting(council_name="KKR Hovedstaden", date=date(2024, 4, 19), starts_at=time(10),
                           location="Glostrup Park Hotel", case_number="SAG-2024-01064"))
    for day in range(1, 25):
        db.session.add(Meeting(council_name="KKR Hovedstaden", date=date(2023, 1, day)))
    db.session.commit()
    page = client.get("/moeder").text
    assert page.index("19.04.2024") < page.index("24.01.2023") < page.index("06.01.2023")
    assert "kl. 10:00" in page
    assert "Glostrup Park Hotel" in page
    assert "SAG-2024-01064" in page
    assert "05.01.2023" not in page
    assert 'rel="next"' in page
    assert "05.01.2023" in client.get("/moeder?side=2").text
    assert client.get("/moeder?side=nul").status_code == 400
    assert client.get("/moeder/999").status_code == 404


def test_placing_offers_the_next_meeting_first_and_may_be_taken_off_again(secretariat, rar):
    client = secretariat
    upcoming = today() + timedelta(days=20)
    db.session.add(Meeting(council_name="KKR Hovedstaden", date=today() - timedelta(days=5), location="Tidligere"))
    db.session.add(Meeting(council_name="KKR Hovedstaden", date=upcoming, location="Næste møde",
                           case_number="SAG-2026-00001"))
    db.session.commit()
    next_meeting = db.session.scalar(sa.select(Meeting).where(Meeting.date == upcoming))
    form = client.get(f"/indstillinger/{rar.nomination.id}/dagsorden").text
    # The next meeting is chosen; the one held last week is on the list too, and nothing is typed in for a new one.
    assert (f'<option selected value="{next_meeting.id}">{upcoming.strftime("%d.%m.%Y")}, Næste møde '
            "(SAG-2026-00001)</option>") in form
    assert "Tidligere</option>" in form
    assert 'value="Næste møde"' not in form

    rar.place(client, meeting=next_meeting.id, meeting_date="", location="", case_number="", item_number=" 3.10 ")
    item = rar.item()
    assert (item.number, item.position, item.meeting_id, item.meeting.location) == (
        "3.10", 3010, next_meeting.id, "Næste møde")

    response = client.post(f"/indstillinger/{rar.nomination.id}/tag-af-dagsorden",
                           data={"version": rar.version()})
    assert response.headers["Location"] == f"/indstillinger/{rar.nomination.id}"
    assert rar.status() is NominationStatus.submitted
    assert rar.item() is None
    assert "Der er ingen indstillinger på punktet." in client.get(f"/moeder/punkter/{item.id}").text


def test_kkr_appoints_itself_from_the_effective_date(secretariat, app):
    client = secretariat
    seat = nominate.allocated_seat("B", "Skoletjenesten", has_substitute=False)
    person = nominate.candidate("Esat Sentürk", "B", Gender.man, "Høje-Taastrup")
    nomination = nominate.nomination(seat, person)
    agenda.place_on_agenda(nomination, date(2024, 4, 19), "3.10", council="KKR Hovedstaden")
    db.session.commit()
    form = client.get(f"/indstillinger/{nomination.id}/beslutning").text
    assert '<option selected value="appointed">Udpeget</option>' in form
    assert 'value="noted"' not in form

    before = snapshot()
    response = client.post(f"/indstillinger/{nomination.id}/beslutning",
                           data={"outcome": "appointed", "text": "", "reason": "replaced", "version": 2})
    assert "Angiv den dato, udpegningen gælder fra." in response.text
    assert snapshot() == before

    response = client.post(f"/indstillinger/{nomination.id}/beslutning", follow_redirects=True, data={
        "outcome": "appointed", "effective_date": "2024-05-01", "reason": "replaced", "version": 2,
        "text": "KKR Hovedstaden udpegede Esat Sentürk (B), Høje-Taastrup Kommune, som medlem af Skoletjenesten."})
    assert "Esat Sentürk som medlem er udpeget fra 01.05.2024." in response.text
    fresh()
    decision = db.session.scalar(sa.select(Decision))
    # The text left as drafted is drafted again with the date.
    assert decision.text == ("KKR Hovedstaden udpegede Esat Sentürk (B), Høje-Taastrup Kommune, som medlem af "
                             "Skoletjenesten fra 1. maj 2024.")
    seated = db.session.scalar(sa.select(Appointment))
    assert (seated.person.name, seated.start_date, seated.decision_id) == ("Esat Sentürk", date(2024, 5, 1),
                                                                           decision.id)
    history = client.get(f"/beslutninger?organisation={seat.organisation_id}").text
    assert "Esat Sentürk" in history
    assert "<td>01.05.2024</td>" in history
    assert "Udpeget" in history


# Refusals: a Danish message on the form, and nothing saved.

def test_appointed_is_refused_where_the_minister_appoints(secretariat, rar):
    rar.place(secretariat)
    before = snapshot()
    response = rar.decide(secretariat, outcome="appointed", effective_date="2024-05-01")
    assert response.status_code == 200
    assert ("Beskæftigelsesministeren udpeger til RAR Hovedstaden; KKR kan indstille eller tage til efterretning."
            in response.text)
    assert snapshot() == before
    assert "Vælg en af mulighederne." in rar.decide(secretariat, outcome="bestemt").text


def test_a_decision_needs_the_nomination_on_the_agenda(secretariat, rar):
    page = secretariat.get(f"/indstillinger/{rar.nomination.id}/beslutning").text
    assert "Indstillingen er indsendt. KKR&#39;s beslutning kan kun registreres" in page
    before = snapshot()
    response = rar.decide(secretariat)
    assert ('<p class="alert-text">Indstillingen er indsendt; KKR kan kun beslutte om en indstilling på '
            "dagsordenen.</p>" in response.text)  # above the form: it concerns no one field
    assert snapshot() == before


def test_the_appointment_needs_a_pending_nomination(secretariat, rar):
    rar.place(secretariat)
    before = snapshot()
    response = rar.record(secretariat)
    assert "Indstillingen er på dagsorden, ikke afventende." in response.text
    assert snapshot() == before


def test_the_appointment_cannot_take_effect_before_the_meeting(secretariat, rar):
    rar.place(secretariat)
    rar.decide(secretariat)
    before = snapshot()
    response = rar.record(secretariat, appointed_on="2024-04-01")
    assert "Udpegningen kan ikke gælde fra før mødet den 19.04.2024." in response.text
    assert snapshot() == before
    assert "Skriv den dato, udpegningen gælder fra." in rar.record(secretariat, appointed_on="").text
    assert "Skriv en gyldig dato (ÅÅÅÅ-MM-DD)." in rar.record(secretariat, appointed_on="1. juni").text
    assert snapshot() == before


@pytest.mark.parametrize("number", ["4,1", "4.", "punkt 4", "٤.١", "1.2.3.4.5.6.7.8.9.10.11"])
def test_a_bad_item_number_is_refused(secretariat, rar, number):
    before = snapshot()
    response = rar.place(secretariat, item_number=number)
    assert response.status_code == 200
    page = response.text
    assert ("Punktnummeret skal være tal adskilt af punktum, fx 4.1." in page
            or "Skriv højst 20 tegn." in page)
    assert snapshot() == before


def test_a_refusal_is_shown_on_the_field_it_concerns_or_above_the_form(secretariat, rar):
    rar.place(secretariat)
    rar.decide(secretariat)
    page = rar.record(secretariat, appointed_on="2024-04-01").text
    assert re.search(r'id="appointed_on-error">\s*<span class="sr-only">Fejl: </span>'
                     r"Udpegningen kan ikke gælde fra før mødet den 19.04.2024.", page)
    page = rar.place(secretariat, item_number="4.2").text  # concerns no field: above the form
    assert re.search(r'<p class="alert-text">Kun en indsendt indstilling kan sættes på dagsordenen', page)
    assert "form-error-message" not in page


def test_placing_a_nomination_twice_is_refused(secretariat, rar):
    rar.place(secretariat)
    before = snapshot()
    response = rar.place(secretariat, item_number="4.2")
    assert "Kun en indsendt indstilling kan sættes på dagsordenen; denne er på dagsorden." in response.text
    assert snapshot() == before


@pytest.mark.parametrize("step", ["place", "decide", "record"])
def test_a_form_saved_by_someone_else_meanwhile_is_a_conflict(secretariat, rar, step):
    if step in ("decide", "record"):
        rar.place(secretariat)
    if step == "record":
        rar.decide(secretariat)
    stale = rar.version() - 1
    before = snapshot()
    response = getattr(rar, step)(secretariat, version=stale)
    assert response.status_code == 409
    page = response.text
    assert "Indstillingen er ændret af en anden, mens du havde formularen åben." in page
    assert f'name="version" type="hidden" value="{rar.version()}"' in page
    assert snapshot() == before


# Who may do what.

@pytest.mark.parametrize("path", ["/indstillinger/{id}/dagsorden", "/indstillinger/{id}/beslutning",
                                  "/indstillinger/{id}/udpegning", "/moeder/punkter/{item}"])
def test_only_the_secretariat_reaches_the_agenda_and_decision_pages(client, rar, path):
    agenda.place_on_agenda(rar.nomination, date(2024, 4, 19), "4.1", council="KKR Hovedstaden")
    db.session.commit()
    path = path.format(id=rar.nomination.id, item=rar.item().id)
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    before = snapshot()
    for username, role, party in ("sf", UserRole.party, "F"), ("laeser", UserRole.viewer, None):
        log_in_as(client, username, role, party)
        assert client.get(path).status_code == 403
        assert client.post(path, data={"outcome": "noted", "version": rar.version()}).status_code in (403, 405)
        client.post("/logout")
    assert client.post(f"/indstillinger/{rar.nomination.id}/tag-af-dagsorden").status_code == 302
    assert client.post(f"/moeder/punkter/{rar.item().id}/tekst").status_code == 302
    assert snapshot() == before


def test_unknown_nominations_and_items_are_not_found(secretariat, app):
    assert secretariat.get("/indstillinger/999/beslutning").status_code == 404
    assert secretariat.get("/indstillinger/999/dagsorden").status_code == 404
    assert secretariat.post("/indstillinger/999/tag-af-dagsorden").status_code == 404
    assert secretariat.get("/moeder/punkter/999").status_code == 404
    assert secretariat.post("/moeder/punkter/999/tekst").status_code == 404


# The history of decisions.

def test_history_per_organisation_person_and_meeting_with_the_same_filters_on_the_csv_link(client, rar):
    agenda.place_on_agenda(rar.nomination, date(2024, 4, 19), "4.1", council="KKR Hovedstaden")
    agenda.decide(rar.nomination, Outcome.noted)
    other = make.decision(date(2024, 2, 6), "2.1", Outcome.approved)
    other.text = "KKR Hovedstaden godkendte fordelingen."
    db.session.commit()
    meeting_id = rar.item().meeting_id

    everything = client.get("/beslutninger").text
    assert everything.index(NOTED) < everything.index("KKR Hovedstaden godkendte fordelingen.")
    assert 'href="/export/indstillinger.csv"' in everything

    for query in (f"organisation={rar.organisation.id}", f"person={rar.peschardt.id}", f"moede={meeting_id}"):
        page = client.get(f"/beslutninger?{query}").text
        assert NOTED in page
        assert "godkendte fordelingen" not in page
        assert f'href="/export/indstillinger.csv?{query}"' in page
    assert "Ingen beslutninger." in client.get(f"/beslutninger?person={rar.kofoed.id}").text
    combined = client.get(f"/beslutninger?organisation={rar.organisation.id}&moede={meeting_id}").text
    assert f'href="/export/indstillinger.csv?organisation={rar.organisation.id}&amp;moede={meeting_id}"' \
        in combined


@pytest.mark.parametrize(("query", "status"), [
    ("organisation=abc", 400), ("person=-1", 400), ("moede=1.5", 400), ("person=99999999999999999999", 400),
    ("organisation=%C2%B2", 400), ("efter=0", 400), ("foer=x", 400), ("organisation=999", 404),
    ("moede=999", 404), ("person=999", 404), ("efter=999", 404), ("foer=999", 404),
])
def test_history_refuses_bad_filters_in_danish(client, app, query, status):
    response = client.get(f"/beslutninger?{query}")
    assert response.status_code == status
    if status == 400:
        assert "Ugyldig" in response.text

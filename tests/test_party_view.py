"""What is coming to a seat, wherever seats and calls are listed (issue 14, points 1, 2 and 9).

A party group's page says for each seat and role where it stands: nominated, on the agenda, recommended by
KKR and waiting for the outside authority, appointed from a later day, and marks a successor on the way; a
seat with a nomination on its way is neither "Ledig" nor one click from a duplicate. The dashboard's vacancies
and the public roster show the same, as far as each reader may see. Calls past their deadline with no
nomination, and recommendations waiting long for the outside authority, are marked where they are listed.
The secretariat's list of nominations opens on what it has to act on.
"""

import re
from datetime import date, timedelta

import pytest

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.dates import local_date, today
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from registry.nominations import services
from registry.nominations.models import Call, Nomination, NominationStatus
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate


def client_for(app, username: str):
    browser = app.test_client()
    assert make.login(browser, username).status_code == 302
    return browser


def text(html: str) -> str:
    """The page as a reader sees it: tags gone (cells and lines apart), white space folded."""
    spaced = re.sub(r"</?(td|th|tr|li|br|p|div|dd|dt|caption)\b[^>]*>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", "", spaced).split())


def section(html: str, anchor: str) -> str:
    """The part of the page in <section id="anchor">."""
    return html.split(f'<section id="{anchor}">')[1].split("</section>")[0]


def roster(html: str) -> str:
    """The first roster table on the page."""
    return html.split('<table class="table table--compact roster">')[1].split("</table>")[0]


def on_agenda(nomination: Nomination, day: date, number: str = "4.1") -> Nomination:
    agenda.place_on_agenda(nomination, day, number, council="KKR Hovedstaden")
    return nomination


def past_deadline_call(seat, role: Role = Role.member, days: int = 10) -> Call:
    """An open call whose deadline passed days ago (opened before it; the service refuses a past deadline)."""
    call = nominate.call(seat, role=role, deadline=today() + timedelta(days=1))
    call.deadline, call.opened_on = today() - timedelta(days=days), today() - timedelta(days=days + 20)
    db.session.flush()
    return call


@pytest.fixture
def world(app, client):
    """SF (F) holds two seats this election period: RAR Hovedstaden's Plads 1, whose outside authority is the
    minister, vacant; and Movia's Plads 1, held by Lotte Kofoed with a personal suppleant. Radikale (B) hold
    Wonderful Copenhagen's Plads 1 (the minister appoints there too). Users: sf, radikale, haan (secretariat),
    laeser (viewer); `client` is sf's."""
    rar = nominate.allocated_seat("F", "RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren",
                                  authority_is_external=True, has_substitute=False)
    movia = nominate.allocated_seat("F", "Movia")
    wocp = nominate.allocated_seat("B", "Wonderful Copenhagen", has_substitute=False,
                                   appointing_authority="Erhvervsministeren", authority_is_external=True)
    kofoed = make.person("Lotte Kofoed", "Frederiksberg", "F", gender=Gender.woman)
    make.appoint(movia, kofoed, today() - timedelta(days=400))
    make.appoint(movia, make.person("Sara Suppleant", "Hvidovre", "F"), today() - timedelta(days=400),
                 role=Role.substitute)
    nominate.party_user("sf", "F")
    nominate.party_user("radikale", "B")
    make.user("haan", UserRole.secretariat)
    nominate.viewer("laeser")
    db.session.commit()
    make.login(client, "sf")
    return {"rar": rar, "movia": movia, "wocp": wocp, "kofoed": kofoed}


def row_of(page: str, organisation: str) -> str:
    """The text of the table row on the party group's page that names the organisation."""
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    return text(next(row for row in rows if organisation in row))


# Point 1: the party group's page.

def test_a_vacant_seat_with_a_submitted_nomination_is_no_longer_ledig_nor_offered_again(app, client, world):
    before = client.get("/partigruppe").text
    assert "Ledig" in row_of(before, "RAR Hovedstaden")
    assert f"/indstillinger/ny?plads={world['rar'].id}&amp;rolle=member" in before
    nominate.nomination(world["rar"], nominate.candidate("Anna Andersen"))
    db.session.commit()

    page = client.get("/partigruppe").text
    row = row_of(page, "RAR Hovedstaden")
    assert "Indstillet: Anna Andersen (indsendt)" in row
    assert "Ledig" not in row
    assert "Ingen endnu" in row
    assert f"/indstillinger/ny?plads={world['rar'].id}" not in page
    assert "Ret indstillingen" in row  # the way to change it, instead of a second one
    # A duplicate is not one click away by a link kept from before either.
    again = client.get(f"/indstillinger/ny?plads={world['rar'].id}&rolle=member").text
    assert "Partigruppen har allerede en indstilling til pladsen som medlem (indsendt)" in again
    assert 'name="seat"' not in again


def test_each_step_after_the_nomination_shows_on_the_party_groups_page(app, client, world):
    meeting = today() + timedelta(days=8)
    sent = on_agenda(nominate.nomination(world["rar"], nominate.candidate("Anna Andersen")), meeting)
    db.session.commit()
    assert f"Indstillet: Anna Andersen, på dagsorden {local_date(meeting)}, punkt 4.1" in row_of(
        client.get("/partigruppe").text, "RAR Hovedstaden")

    agenda.decide(sent, Outcome.recommended)
    db.session.commit()
    row = row_of(client.get("/partigruppe").text, "RAR Hovedstaden")
    assert ("KKR har indstillet Anna Andersen; afventer udpegning af Beskæftigelsesministeren siden "
            f"{local_date(meeting)}") in row
    assert "Indstil medlem" not in row

    agenda.record_appointment(sent, today() + timedelta(days=90))
    db.session.commit()
    row = row_of(client.get("/partigruppe").text, "RAR Hovedstaden")
    assert f"Ny fra {local_date(today() + timedelta(days=90))}: Anna Andersen" in row
    assert "Ledig" not in row
    assert "Indstil medlem" not in row


def test_a_held_seat_with_a_successor_on_the_way_is_marked(app, client, world):
    movia = world["movia"]
    nominate.call(movia, role=Role.member)
    nominate.nomination(movia, nominate.candidate("Birgitte Berg"))
    db.session.commit()
    row = row_of(client.get("/partigruppe").text, "Movia")
    assert "Lotte Kofoed" in row
    assert "Medlem: Efterfølger på vej: Indstillet: Birgitte Berg (indsendt)" in row
    assert "Suppleant: Besat" in row
    assert "Indstil medlem" not in row
    assert "Indstil suppleant" not in row  # held, not ending, not asked for


def test_the_party_sees_only_its_own_nominations_on_its_way_and_the_public_recommendations(app, client, world):
    theirs = nominate.nomination(world["wocp"], nominate.candidate("Bent Bentsen", "B", Gender.man))
    db.session.commit()
    secretariat = client_for(app, "haan")
    assert "Bent Bentsen" in secretariat.get("/partigruppe?parti=B").text
    assert "Bent Bentsen" not in client.get("/partigruppe?parti=B").text
    # Once KKR has recommended him, the decision is public; still not on SF's page, which lists SF's seats.
    on_agenda(theirs, today())
    agenda.decide(theirs, Outcome.recommended)
    db.session.commit()
    assert "Bent Bentsen" not in client.get("/partigruppe").text


# Point 1: the dashboard and the public roster.

def test_a_future_appointment_shows_on_the_dashboard_and_the_public_roster(app, client, world):
    sent = on_agenda(nominate.nomination(world["rar"], nominate.candidate("Anna Andersen")), today())
    agenda.decide(sent, Outcome.recommended)
    db.session.commit()
    first_day = today() + timedelta(days=30)

    public = app.test_client()
    listed = text(roster(public.get(f"/organisationer/{world['rar'].organisation_id}").text))
    assert "Ledig KKR har indstillet en ny; afventer udpegning af Beskæftigelsesministeren" in listed
    assert "Anna Andersen" not in listed  # the roster names the new holder once appointed
    assert "KKR har indstillet en ny" in text(public.get("/").text)

    agenda.record_appointment(sent, first_day)
    db.session.commit()
    new_from = f"ny fra {local_date(first_day)}: Anna Andersen"
    assert new_from in text(public.get(f"/organisationer/{world['rar'].organisation_id}").text)
    assert new_from in text(public.get("/").text)
    # A past day's roster is history: nothing is coming there.
    past = public.get(f"/organisationer/{world['rar'].organisation_id}?as_of={today() - timedelta(days=1)}").text
    assert "ny fra" not in past

    for who in ("haan", "laeser"):
        dashboard = text(section(client_for(app, who).get("/sekretariat").text, "ledige"))
        assert f"Ny fra {local_date(first_day)}: Anna Andersen" in dashboard


def test_the_dashboard_shows_nominations_on_their_way_to_the_secretariat_only(app, client, world):
    nominate.nomination(world["rar"], nominate.candidate("Anna Andersen"))
    db.session.commit()
    vacancies = section(client_for(app, "haan").get("/sekretariat").text, "ledige")
    assert "Indstillet: Anna Andersen (indsendt)" in text(vacancies)
    assert "Anna Andersen" not in section(client_for(app, "laeser").get("/sekretariat").text, "ledige")
    assert "Anna Andersen" not in app.test_client().get("/").text


# Point 2: overdue calls and long waits.

def test_calls_past_their_deadline_are_marked_where_they_are_listed(app, client, world):
    late = past_deadline_call(world["rar"])
    answered = past_deadline_call(world["movia"], Role.substitute)
    nominate.nomination(world["movia"], nominate.candidate("Carl Carlsen", gender=Gender.man),
                        role=Role.substitute)
    nominate.call(world["wocp"])  # not late
    db.session.commit()
    overdue = "Fristen er overskredet"

    party_calls = client.get("/opfordringer").text
    assert party_calls.count(overdue) == 1
    assert "Carl Carlsen" in party_calls  # the answered call names its nomination, and is not late
    home = client.get("/partigruppe").text
    assert overdue in row_of(home, "RAR Hovedstaden")
    assert overdue not in row_of(home, "Movia")
    secretariat = client_for(app, "haan")
    assert secretariat.get("/opfordringer").text.count(overdue) == 1
    dashboard = secretariat.get("/sekretariat").text
    assert overdue in dashboard
    assert f"frist {local_date(late.deadline)}" in dashboard
    assert answered.deadline == late.deadline


def test_a_recommendation_waiting_more_than_90_days_is_marked(app, client, world):
    long_ago = on_agenda(nominate.nomination(world["rar"], nominate.candidate("Anna Andersen")),
                         today() - timedelta(days=91))
    agenda.decide(long_ago, Outcome.recommended)
    recent = on_agenda(nominate.nomination(world["wocp"], nominate.candidate("Bent Bentsen", "B", Gender.man)),
                       today() - timedelta(days=90), "4.2")
    agenda.decide(recent, Outcome.recommended)
    db.session.commit()
    secretariat = client_for(app, "haan")
    for path in ("/indstillinger", "/indstillinger/afventende", f"/indstillinger/{long_ago.id}"):
        page = secretariat.get(path).text
        assert page.count("Har ventet 91 dage") == 1, path
        assert "Har ventet 90 dage" not in page
    assert "Har ventet 91 dage" in client.get("/indstillinger").text
    assert "Har ventet 91 dage" in client.get("/partigruppe").text


def recommend(seat, person, meeting: date, number: str = "4.1") -> Nomination:
    """KKR's recommendation to the outside authority at a meeting on the day."""
    nomination = on_agenda(nominate.nomination(seat, person), meeting, number)
    agenda.decide(nomination, Outcome.recommended)
    return nomination


def test_the_public_sees_since_when_a_recommendation_waits_and_a_long_wait_without_the_name(app, world):
    rar, wocp = world["rar"], world["wocp"]
    long_ago, recently = today() - timedelta(days=91), today() - timedelta(days=90)
    recommend(rar, nominate.candidate("Anna Andersen"), long_ago)
    recommend(wocp, nominate.candidate("Bent Bentsen", "B", Gender.man), recently, "4.2")
    db.session.commit()
    public = app.test_client()
    waits = ("KKR har indstillet en ny; afventer udpegning af Beskæftigelsesministeren siden "
             f"{local_date(long_ago)} Har ventet 91 dage")
    # The roster names the new holder once appointed (the body's page lists KKR's decision by name elsewhere).
    for listed in (public.get("/").text, roster(public.get(f"/organisationer/{rar.organisation_id}").text),
                   public.get(f"/pladser/{rar.id}").text):
        assert waits in text(listed)
        assert "Anna Andersen" not in listed
    assert f"Medlem: {waits}" in text(public.get(f"/pladser/{rar.id}").text)
    for listed in (public.get("/").text, roster(public.get(f"/organisationer/{wocp.organisation_id}").text),
                   public.get(f"/pladser/{wocp.id}").text):
        assert f"afventer udpegning af Erhvervsministeren siden {local_date(recently)}" in text(listed)
        assert "Har ventet 90 dage" not in listed
        assert "Bent Bentsen" not in listed


def test_the_seat_page_shows_a_successor_appointed_from_a_day_to_come(app, world):
    rar = world["rar"]
    first_day = today() + timedelta(days=30)
    make.appoint(rar, make.person("Dorte Dato", "Hvidovre", "F"), first_day)
    db.session.commit()
    page = text(app.test_client().get(f"/pladser/{rar.id}").text)
    assert f"På vej Medlem: ny fra {local_date(first_day)}: Dorte Dato" in page
    assert "På vej" not in text(app.test_client().get(f"/pladser/{world['movia'].id}").text)


def test_the_dashboard_counts_the_recommendations_waiting_more_than_90_days(app, world):
    recommend(world["rar"], nominate.candidate("Anna Andersen"), today() - timedelta(days=91))
    recommend(world["wocp"], nominate.candidate("Bent Bentsen", "B", Gender.man), today() - timedelta(days=90),
              "4.2")
    db.session.commit()
    page = text(section(client_for(app, "haan").get("/sekretariat").text, "indstillinger"))
    assert "2 indstillinger: afventer udpegning, heraf 1 har ventet over 90 dage" in page


# Point 9: the secretariat's list opens on what it acts on.

def test_the_secretariats_list_opens_on_what_needs_action_with_all_one_click_away(app, client, world):
    submitted = nominate.nomination(world["rar"], nominate.candidate("Anna Indsendt"))
    placed = on_agenda(nominate.nomination(world["movia"], nominate.candidate("Bodil Dagsorden")), today())
    pending = on_agenda(nominate.nomination(world["wocp"], nominate.candidate("Bent Afventer", "B", Gender.man)),
                        today(), "4.2")
    agenda.decide(pending, Outcome.recommended)
    returned = nominate.nomination(world["movia"], nominate.candidate("Rikke Retur"), role=Role.substitute)
    services.return_to_party(returned, "Angiv kommunen.")
    withdrawn = nominate.nomination(world["rar"], nominate.candidate("Trine Trukket"))
    services.withdraw(withdrawn)
    db.session.commit()
    assert (submitted.status, placed.status) == (NominationStatus.submitted, NominationStatus.on_agenda)

    secretariat = client_for(app, "haan")
    page = secretariat.get("/indstillinger").text
    for name in ("Anna Indsendt", "Bodil Dagsorden", "Bent Afventer"):
        assert name in page
    for name in ("Rikke Retur", "Trine Trukket"):
        assert name not in page
    assert '<strong aria-current="page">Til handling</strong>' in page
    assert '<a href="/indstillinger?status=alle">Alle</a>' in page
    every = secretariat.get("/indstillinger?status=alle").text
    for name in ("Anna Indsendt", "Bodil Dagsorden", "Bent Afventer", "Rikke Retur", "Trine Trukket"):
        assert name in every
    assert "Rikke Retur" in secretariat.get("/indstillinger?status=returned").text
    assert secretariat.get("/indstillinger?status=kladde").status_code == 400


# Constant query counts.

def add_seats(number: int) -> None:
    """More of SF's seats, each with something on its way: a call, a nomination, a successor."""
    for index in range(number):
        seat = nominate.allocated_seat("F", f"Organisation {index}")
        nominate.call(seat, role=Role.substitute)
        nominate.nomination(seat, nominate.candidate(f"Kandidat {index}"))
        make.appoint(seat, make.person(f"Kommende {index}", "Hvidovre", "F"), today() + timedelta(days=40),
                     role=Role.substitute)
        past_deadline_call(seat)
    db.session.commit()


@pytest.mark.parametrize("path", ["/partigruppe", "/opfordringer", "/indstillinger"])
def test_the_party_groups_pages_take_the_same_queries_however_many_seats(app, client, world, path):
    add_seats(1)
    few = make.count_queries(client, path)
    add_seats(5)
    assert make.count_queries(client, path) == few


@pytest.mark.parametrize("path", ["/sekretariat", "/", "/indstillinger"])
def test_the_secretariats_and_public_pages_take_the_same_queries_however_many_seats(app, world, path):
    secretariat = client_for(app, "haan")
    add_seats(1)
    few = make.count_queries(secretariat, path)
    add_seats(5)
    assert make.count_queries(secretariat, path) == few


def add_recommendations(number: int, start: int = 0) -> None:
    """More bodies with KKR's recommendation waiting long for the minister."""
    for index in range(start, start + number):
        seat = nominate.allocated_seat("F", f"Råd {index}", appointing_authority="Beskæftigelsesministeren",
                                       authority_is_external=True, has_substitute=False)
        recommend(seat, nominate.candidate(f"Indstillet {index}"), today() - timedelta(days=100 + index),
                  f"6.{index}")
    db.session.commit()


@pytest.mark.parametrize("path", ["/sekretariat", "/"])
def test_long_waits_take_the_same_queries_however_many_recommendations(app, world, path):
    secretariat = client_for(app, "haan")
    add_recommendations(1)
    few = make.count_queries(secretariat, path)
    add_recommendations(5, start=1)
    assert make.count_queries(secretariat, path) == few
    assert "Har ventet" in secretariat.get("/").text


def test_no_call_is_marked_overdue_on_its_last_day(app, client, world):
    nominate.call(world["rar"], deadline=today())
    db.session.commit()
    assert "Fristen er overskredet" not in client.get("/opfordringer").text
    assert "Fristen er overskredet" not in client.get("/partigruppe").text

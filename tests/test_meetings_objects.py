"""KKR's meetings are records of their own (issue 14, point 5): the secretariat creates, corrects and lists them
with date, time, place and case number, and an agenda form picks one from a list. A date typed with a typo
no longer creates a second meeting; a decision recorded for a meeting still to come is warned about; and
the drafted decision text follows the outcome chosen.
"""

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.nominations.models import Nomination, NominationStatus
from tests import factories as make
from tests import nomination_factories as nominate
from tests.test_constituent import round_of
from tests.test_meetings_pages import NOTED, Rar, fresh, log_in_as, snapshot

COUNCIL = "KKR Hovedstaden"
NOT_SUPPORTED = ("KKR Hovedstaden tiltrådte ikke Socialistisk Folkepartis indstilling af Marie-Louise Peschardt "
                 "Jørgensen (F), Hvidovre Kommune, som medlem af RAR Hovedstaden.")


@pytest.fixture
def rar(app):
    return Rar()


@pytest.fixture
def secretariat(client):
    log_in_as(client)
    return client


def meeting(day: date, **values) -> Meeting:
    row = Meeting(council_name=COUNCIL, date=day, **values)
    db.session.add(row)
    db.session.commit()
    return row


def meetings() -> list[tuple]:
    fresh()
    return list(db.session.execute(sa.select(Meeting.date, Meeting.starts_at, Meeting.ends_at, Meeting.location,
                                             Meeting.case_number).order_by(Meeting.date)))


def short(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def error_on(page: str, field: str) -> str:
    """The error message shown at the field, or '' when there is none."""
    found = re.search(rf'id="{field}-error">\s*<span class="sr-only">Fejl: </span>(.*?)\s*</span>', page, re.S)
    return found.group(1) if found else ""


# Creating, correcting and listing meetings.

def test_the_secretariat_creates_a_meeting_and_finds_it_in_the_list(secretariat, app):
    page = secretariat.get("/moeder").text
    assert 'href="/moeder/ny"' in page
    form = secretariat.get("/moeder/ny").text
    for label in ("Dato", "Begynder kl.", "Slutter kl.", "Mødested", "Sagsnummer"):
        assert f">{label}</label>" in form
    response = secretariat.post("/moeder/ny", data={
        "meeting_date": "2024-06-18", "starts_at": "10:00", "ends_at": "12:00",
        "location": " Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup ", "case_number": "SAG-2024-01064"})
    assert response.status_code == 302
    assert meetings() == [(date(2024, 6, 18), time(10), time(12), "Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup",
                           "SAG-2024-01064")]
    shown = secretariat.get(response.headers["Location"]).text
    assert "Mødet den 18.06.2024 er oprettet." in shown
    assert "18.06.2024 kl. 10:00–12:00" in shown
    listed = secretariat.get("/moeder").text
    for text in ("18.06.2024", "kl. 10:00–12:00", "Glostrup Park Hotel", "SAG-2024-01064"):
        assert text in listed


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"meeting_date": ""}, "meeting_date", "Skriv mødets dato."),
    ({"meeting_date": "19.04.2024"}, "meeting_date", "Skriv en gyldig dato (ÅÅÅÅ-MM-DD)."),
    ({"starts_at": "10.00"}, "starts_at", "Skriv et klokkeslæt som TT:MM, fx 10:00."),
    ({"starts_at": "12:00", "ends_at": "10:00"}, "ends_at", "Mødet skal slutte efter, at det begynder."),
    ({"starts_at": "", "ends_at": "12:00"}, "starts_at", "Skriv, hvornår mødet begynder, når det har et "
                                                          "sluttidspunkt."),
    ({"meeting_date": "2024-04-19"}, "meeting_date", "KKR Hovedstaden har allerede et møde den 19.04.2024."),
    ({"location": "x" * 301}, "location", "Skriv højst 300 tegn."),
    ({"case_number": "SAG\n1"}, "case_number", "Feltet må ikke indeholde linjeskift"),
])
def test_a_meeting_refused_says_why_at_the_field_and_saves_nothing(secretariat, app, values, field, message):
    meeting(date(2024, 4, 19))
    before = meetings()
    data = {"meeting_date": "2024-06-18", "starts_at": "10:00", "ends_at": "", "location": "", "case_number": ""}
    response = secretariat.post("/moeder/ny", data={**data, **values})
    assert response.status_code == 200
    assert message in error_on(response.text, field)
    assert meetings() == before


def test_the_secretariat_corrects_a_meeting(secretariat, app):
    held = meeting(date(2024, 4, 19), location="Glostrup")
    form = secretariat.get(f"/moeder/{held.id}/rediger").text
    assert 'value="2024-04-19"' in form
    assert 'value="Glostrup"' in form
    assert f'href="/moeder/{held.id}/rediger"' in secretariat.get(f"/moeder/{held.id}").text
    response = secretariat.post(f"/moeder/{held.id}/rediger", data={
        "meeting_date": "2024-04-18", "starts_at": "09:30", "ends_at": "", "location": "Glostrup Park Hotel",
        "case_number": "SAG-2024-01064", "version": 1})
    assert response.headers["Location"] == f"/moeder/{held.id}"
    assert meetings() == [(date(2024, 4, 18), time(9, 30), None, "Glostrup Park Hotel", "SAG-2024-01064")]
    assert "Mødets oplysninger er gemt." in secretariat.get(f"/moeder/{held.id}").text


def test_a_meeting_with_decisions_keeps_its_date_but_not_its_place(secretariat, app):
    make.decision(date(2024, 4, 19), "4.1")
    db.session.commit()
    held = db.session.scalar(sa.select(Meeting))
    data = {"meeting_date": "2024-04-20", "starts_at": "", "ends_at": "", "location": "", "case_number": "",
            "version": held.version}
    page = secretariat.get(f"/moeder/{held.id}/rediger").text
    assert "mødets dato står fast" in page
    assert "Slet mødet" not in page  # it has an item
    response = secretariat.post(f"/moeder/{held.id}/rediger", data=data)
    assert "KKR&#39;s beslutninger på mødet er registreret med mødets dato" in error_on(response.text,
                                                                                       "meeting_date")
    assert meetings()[0][0] == date(2024, 4, 19)
    secretariat.post(f"/moeder/{held.id}/rediger", data={**data, "meeting_date": "2024-04-19", "location": "Glostrup"})
    assert meetings() == [(date(2024, 4, 19), None, None, "Glostrup", None)]


def test_a_meeting_is_not_moved_onto_another_meetings_day(secretariat, app):
    meeting(date(2024, 4, 19))
    other = meeting(date(2024, 6, 18))
    response = secretariat.post(f"/moeder/{other.id}/rediger", data={"meeting_date": "2024-04-19", "version": 1})
    assert "KKR Hovedstaden har allerede et møde den 19.04.2024." in error_on(response.text, "meeting_date")
    assert [row[0] for row in meetings()] == [date(2024, 4, 19), date(2024, 6, 18)]


def test_a_meeting_changed_by_someone_else_meanwhile_is_a_conflict(secretariat, app):
    held = meeting(date(2024, 4, 19), location="Glostrup")
    held.location = "Glostrup Park Hotel"  # a colleague's change
    db.session.commit()
    response = secretariat.post(f"/moeder/{held.id}/rediger", data={"meeting_date": "2024-04-19",
                                                                    "location": "Roskilde", "version": 1})
    assert response.status_code == 409
    assert "Mødet er ændret af en anden, mens du havde formularen åben." in response.text
    assert 'name="version" type="hidden" value="2"' in response.text
    assert meetings()[0][3] == "Glostrup Park Hotel"


def test_a_meeting_made_by_mistake_is_deleted_and_one_with_items_is_not(secretariat, app):
    mistake = meeting(date(2024, 4, 18))
    assert "Slet mødet" in secretariat.get(f"/moeder/{mistake.id}/rediger").text
    response = secretariat.post(f"/moeder/{mistake.id}/slet", data={"version": 1}, follow_redirects=True)
    assert "Mødet den 18.04.2024 er slettet." in response.text
    assert meetings() == []

    make.decision(date(2024, 4, 19), "4.1")
    db.session.commit()
    held = db.session.scalar(sa.select(Meeting))
    response = secretariat.post(f"/moeder/{held.id}/slet", data={"version": held.version}, follow_redirects=True)
    assert "Mødet har punkter på dagsordenen og kan ikke slettes." in response.text
    assert len(meetings()) == 1


@pytest.mark.parametrize("path", ["/moeder/ny", "/moeder/{id}/rediger"])
def test_only_the_secretariat_creates_and_corrects_meetings(client, app, path):
    held = meeting(date(2024, 4, 19))
    path = path.format(id=held.id)
    assert "/login" in client.get(path).headers["Location"]
    for username, role, party in ("sf", UserRole.party, "F"), ("laeser", UserRole.viewer, None):
        log_in_as(client, username, role, party)
        assert client.get(path).status_code == 403
        assert client.post(path, data={"meeting_date": "2024-05-01", "version": 1}).status_code == 403
        assert client.post(f"/moeder/{held.id}/slet", data={"version": 1}).status_code == 403
        assert "/moeder/ny" not in client.get("/moeder").text
        client.post("/logout")
    assert meetings() == [(date(2024, 4, 19), None, None, None, None)]


# Placing a nomination: a meeting picked from the list, or a new one on purpose.

@pytest.mark.both_databases
def test_the_list_offers_the_meetings_to_come_and_those_held_lately(secretariat, rar):
    day = today()
    soon, later = meeting(day + timedelta(days=20), starts_at=time(10), location="Næste møde"), \
        meeting(day + timedelta(days=60))
    lately, earlier = meeting(day - timedelta(days=30)), meeting(day - timedelta(days=90))
    long_ago = meeting(day - timedelta(days=400))
    form = secretariat.get(f"/indstillinger/{rar.nomination.id}/dagsorden").text
    options = re.findall(r'<option(?: selected)? value="(\w*)"', form)
    assert options == ["", str(soon.id), str(later.id), str(lately.id), str(earlier.id), "nyt"]
    assert f'<option selected value="{soon.id}">{short(soon.date)} kl. 10:00, Næste møde</option>' in form
    assert '<optgroup label="Kommende møder">' in form
    assert '<optgroup label="Seneste møder">' in form
    # An older meeting is offered when asked for (from the meeting's own page), and chosen.
    form = secretariat.get(f"/indstillinger/{rar.nomination.id}/dagsorden?moede={long_ago.id}").text
    assert f'<option selected value="{long_ago.id}">' in form


def test_without_meetings_to_come_a_new_one_is_proposed(secretariat, rar):
    meeting(today() - timedelta(days=30))
    form = secretariat.get(f"/indstillinger/{rar.nomination.id}/dagsorden").text
    assert '<option selected value="nyt">Nyt møde</option>' in form
    assert '<legend class="h4">Nyt møde</legend>' in form


def test_a_nomination_goes_onto_the_meeting_picked(secretariat, rar):
    held = meeting(date(2024, 4, 19), location="Glostrup Park Hotel")
    response = rar.place(secretariat, meeting=held.id, meeting_date="", location="", case_number="")
    assert response.status_code == 302
    item = rar.item()
    assert (item.meeting_id, item.number, item.meeting.location) == (held.id, "4.1", "Glostrup Park Hotel")
    assert len(meetings()) == 1


def test_a_new_meeting_is_created_with_the_placing(secretariat, rar):
    response = rar.place(secretariat, meeting="nyt", meeting_date="2024-04-19", starts_at="10:00")
    assert response.status_code == 302
    assert meetings() == [(date(2024, 4, 19), time(10), None, "Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup",
                           "SAG-2024-01064")]


@pytest.mark.parametrize(("typed", "message"), [
    ("2024-04-18", "KKR Hovedstaden har et møde den 19.04.2024, tæt på den dato, du har skrevet. Vælg det på "
                   "listen over møder."),
    ("2024-04-29", "KKR Hovedstaden har et møde den 19.04.2024, tæt på den dato, du har skrevet."),
    ("2024-04-19", "KKR Hovedstaden har allerede et møde den 19.04.2024."),
])
def test_a_typo_in_a_new_meetings_date_creates_no_second_meeting(secretariat, rar, typed, message):
    meeting(date(2024, 4, 19))
    before = snapshot()
    response = rar.place(secretariat, meeting="nyt", meeting_date=typed)
    assert response.status_code == 200
    assert message in error_on(response.text, "meeting_date")
    assert snapshot() == before


def test_a_meeting_two_weeks_away_and_more_is_another_meeting(secretariat, rar):
    meeting(date(2024, 4, 19))
    assert rar.place(secretariat, meeting="nyt", meeting_date="2024-05-04").status_code == 302
    assert [row[0] for row in meetings()] == [date(2024, 4, 19), date(2024, 5, 4)]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"meeting": ""}, "meeting", "Vælg et møde på listen, eller vælg Nyt møde."),
    ({"meeting": "fire"}, "meeting", "Vælg et møde på listen, eller vælg Nyt møde."),
    ({"meeting": "999"}, "meeting", "Mødet findes ikke længere. Vælg et møde på listen."),
    ({"meeting": "nyt", "meeting_date": ""}, "meeting_date", "Skriv det nye mødes dato."),
    ({"meeting": "nyt", "starts_at": "ti"}, "starts_at", "Skriv et klokkeslæt som TT:MM, fx 10:00."),
    # A meeting picked, and a new one's date typed too: which was meant is asked, not guessed.
    ({"meeting": "{id}", "meeting_date": "2024-06-18"}, "meeting_date", "Vælg Nyt møde for at oprette et møde"),
])
def test_an_unclear_choice_of_meeting_is_refused(secretariat, rar, values, field, message):
    held = meeting(date(2024, 4, 19))
    before = snapshot()
    values = {key: value.format(id=held.id) for key, value in values.items()}
    data = {"meeting_date": "", "location": "", "case_number": "", **values}
    response = rar.place(secretariat, **data)
    assert response.status_code == 200
    assert message in error_on(response.text, field)
    assert snapshot() == before


def test_the_placing_page_takes_the_same_queries_however_many_meetings(secretariat, rar):
    for days in range(3):
        meeting(today() + timedelta(days=days * 30))
    few = make.count_queries(secretariat, f"/indstillinger/{rar.nomination.id}/dagsorden")
    for days in range(3, 30):
        meeting(today() + timedelta(days=days * 30))
    assert make.count_queries(secretariat, f"/indstillinger/{rar.nomination.id}/dagsorden") == few


def test_the_round_goes_onto_a_meeting_picked_from_the_list(client, app):
    round_of(2)
    make.user("haan", UserRole.secretariat)
    constituent = meeting(today() + timedelta(days=10), location="Rådhuset")
    make.login(client, "haan")
    page = client.get("/moeder/runde").text
    assert f'<option selected value="{constituent.id}">' in page
    response = client.post("/moeder/runde", data={"period": nominate.current_period().id,
                                                  "meeting": constituent.id, "section": "5"})
    assert response.headers["Location"] == f"/moeder/{constituent.id}"
    fresh()
    assert db.session.scalars(sa.select(AgendaItem.number).where(AgendaItem.meeting_id == constituent.id)
                              .order_by(AgendaItem.position)).all() == ["5.1", "5.2"]
    assert len(meetings()) == 1


def test_the_round_refuses_a_new_meeting_next_to_one_it_has(client, app):
    round_of(1)
    make.user("haan", UserRole.secretariat)
    meeting(date(2026, 1, 26))
    make.login(client, "haan")
    response = client.post("/moeder/runde", data={"period": nominate.current_period().id, "meeting": "nyt",
                                                  "meeting_date": "2026-01-25", "section": "5"})
    assert "KKR Hovedstaden har et møde den 26.01.2026" in error_on(response.text, "meeting_date")
    fresh()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 0
    assert len(meetings()) == 1


# KKR's decision: a warning for a meeting still to come, and a text that follows the outcome.

def test_a_decision_for_a_meeting_to_come_is_warned_about_but_saved(secretariat, rar):
    ahead = today() + timedelta(days=10)
    agenda.place_on_agenda(rar.nomination, ahead, "4.1", council=COUNCIL)
    db.session.commit()
    form = secretariat.get(f"/indstillinger/{rar.nomination.id}/beslutning").text
    assert "Mødet har ikke fundet sted endnu" in form
    assert f"Mødet den {short(ahead)} ligger ude i fremtiden." in form
    response = rar.decide(secretariat, text="")
    assert response.status_code == 302
    assert rar.status() is NominationStatus.pending
    page = secretariat.get(response.headers["Location"]).text
    assert (f"Bemærk: KKR&#39;s beslutning er registreret for mødet den {short(ahead)}, som ikke har fundet sted "
            "endnu.") in page


def test_a_decision_for_a_meeting_held_gets_no_warning(secretariat, rar):
    rar.place(secretariat)
    form = secretariat.get(f"/indstillinger/{rar.nomination.id}/beslutning").text
    assert "har ikke fundet sted endnu" not in form
    response = rar.decide(secretariat)
    assert "har ikke fundet sted endnu" not in secretariat.get(response.headers["Location"]).text


def test_the_whole_meetings_decisions_for_a_meeting_to_come_are_warned_about(secretariat, rar):
    ahead = today() + timedelta(days=3)
    item = agenda.place_on_agenda(rar.nomination, ahead, "4.1", council=COUNCIL)
    db.session.commit()
    page = secretariat.get(f"/moeder/{item.meeting_id}/beslutninger").text
    assert f"Mødet den {short(ahead)} ligger ude i fremtiden." in page
    response = secretariat.post(f"/moeder/{item.meeting_id}/beslutninger",
                                data={"effective_date": ahead.isoformat()}, follow_redirects=True)
    assert "KKR&#39;s beslutning er registreret for 1 indstilling." in response.text
    assert (f"Bemærk: KKR&#39;s beslutning er registreret for mødet den {short(ahead)}, som ikke har fundet sted "
            "endnu.") in response.text


def test_the_page_shows_the_drafted_text_of_every_outcome(secretariat, rar):
    rar.place(secretariat)
    form = secretariat.get(f"/indstillinger/{rar.nomination.id}/beslutning").text
    assert 'data-drafts="drafted-texts"' in form
    assert 'data-outcome-field="outcome"' in form
    assert f'<dd data-outcome="noted">{NOTED}</dd>' in form
    assert f'<dd data-outcome="not_supported">{NOT_SUPPORTED}</dd>' in form
    assert 'class="form-input input-width-xl"' in form  # the text area is wide
    assert '<script src="/static/meetings.js" defer></script>' in form
    assert "<script>" not in form
    assert "style=" not in form


def stored_text() -> str:
    fresh()
    return db.session.scalar(sa.select(Decision.text))


def test_not_supported_with_the_drafted_text_left_as_it_was_saves_the_not_supported_text(secretariat, rar):
    rar.place(secretariat)
    rar.decide(secretariat, outcome="not_supported", text=NOTED)
    assert rar.status() is NominationStatus.not_supported
    assert stored_text() == NOT_SUPPORTED
    assert "udpegede" not in stored_text()


def test_a_text_the_secretariat_wrote_is_kept_whatever_the_outcome(secretariat, rar):
    rar.place(secretariat)
    own = "KKR Hovedstaden tiltrådte ikke indstillingen, da kandidaten havde trukket sig."
    rar.decide(secretariat, outcome="not_supported", text=own)
    assert stored_text() == own


def test_a_form_shown_again_reads_the_text_of_the_outcome_chosen(secretariat, rar):
    rar.place(secretariat)
    # Shown again after a refusal at another field.
    response = rar.decide(secretariat, outcome="not_supported", text=NOTED, effective_date="i morgen")
    assert response.status_code == 200
    textarea = re.search(r'<textarea[^>]*id="text"[^>]*>\s*(.*?)</textarea>', response.text, re.S).group(1)
    assert textarea == NOT_SUPPORTED
    own = "Egen tekst."
    response = rar.decide(secretariat, outcome="not_supported", text=own, effective_date="i morgen")
    assert re.search(r'<textarea[^>]*id="text"[^>]*>\s*(.*?)</textarea>', response.text, re.S).group(1) == own


# The agenda item's drafted text: the page's full width, and tall enough to show it all.

def test_the_draft_text_areas_are_full_width_and_show_the_whole_text(secretariat, rar):
    rar.place(secretariat)
    page = secretariat.get(f"/moeder/punkter/{rar.item().id}").text
    for name in ("title", "background", "recommendation"):
        found = re.search(rf'<textarea class="d-block w-percent-100 mt-3 px-4 py-3" id="draft-{name}" data-fit '
                          r'rows="(\d+)" readonly>(.*?)</textarea>', page, re.S)
        assert found, name
        rows, text = int(found.group(1)), found.group(2)
        needed = sum(len(line) // 55 + 1 for line in text.split("\n"))
        assert rows == max(needed, 2)
    assert "style=" not in page


def test_the_script_is_served_from_the_site_itself(client, app):
    response = client.get("/static/meetings.js")
    assert response.status_code == 200
    assert "data-new-meeting" in response.text
    assert "script-src 'self'" in client.get("/moeder").headers["Content-Security-Policy"]


def test_the_meetings_version_guards_the_nominations_own(secretariat, rar):
    """Placing on a meeting changes the nomination, not the meeting: a colleague correcting the meeting's place
    meanwhile is no conflict for the placing."""
    held = meeting(date(2024, 4, 19))
    version = rar.version()
    held.location = "Glostrup"
    db.session.commit()
    assert rar.place(secretariat, meeting=held.id, meeting_date="", location="", case_number="",
                     version=version).status_code == 302
    fresh()
    assert db.session.get(Nomination, rar.nomination.id).item.meeting.location == "Glostrup"


@pytest.mark.parametrize("chosen", ["²", "٣", "12345678901"])
def test_a_meeting_choice_that_is_no_id_is_refused_not_an_error(client, app, chosen):
    """Digits that Python's isdigit() accepts but int() does not (a fuzz test found '²') are no meeting."""
    round_of(1)
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")
    response = client.post("/moeder/runde", data={"period": nominate.current_period().id, "meeting": chosen,
                                                  "section": "5"})
    assert response.status_code == 200
    assert "Vælg en af mulighederne." in response.text or "Vælg et møde" in response.text

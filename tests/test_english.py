"""English pages are English: the main pages of the public, a party group and the secretariat, and refused
forms of every kind, rendered in English, hold none of the domain's Danish words.

What is data stays as it was written and is left out of the check: the names of people and bodies (chosen
here without any of the words), the agenda text drafted in Danish for a Danish agenda, KKR's decision texts,
the e-mails to the party groups, and the CSV files' Danish column names. tests/test_i18n.py checks the other
way round: no English on Danish pages.
"""

import html
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, EndReason, Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.exchange.csv_export import BASE_HEADER
from registry.exchange.csv_import_write import UNKNOWN_ITEM
from registry.extensions import db
from registry.meetings import drafting
from registry.meetings import services as agenda
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.nominations import services as nominations
from registry.nominations.models import CallReason, Nomination
from registry.notifications.models import Message
from registry.organisations import services as organisations
from registry.organisations.models import GenderRule
from registry.people.models import Gender, Person
from registry.people.privacy import ANONYMOUS_NAME
from tests import factories as make
from tests import nomination_factories as nominate

# The domain's Danish words (and the small words of a Danish sentence), any of which on an English page is
# a text that was not translated. Matched as whole words, in any case.
DANISH_WORDS = [
    "medlem", "medlemmer", "medlemmet", "suppleant", "suppleanten", "suppleanter", "udpeget", "udpeges",
    "udpegning", "udpegningen", "udpegninger", "indstilling", "indstillingen", "indstillinger", "indstillet",
    "indsendt", "nedlagt", "nedlægges", "plads", "pladsen", "pladser", "partigruppe", "partigruppen",
    "partigrupper", "udtrådt", "udtræden", "dagsorden", "dagsordenen", "beslutning", "beslutningen",
    "tiltrådt", "efterretning", "omfattet", "opfordring", "opfordringen", "valgperiode", "valgperioden",
    "afventer", "sendt retur", "trukket tilbage", "erstattet", "bestyrelse", "udvalg", "ligestillingsloven",
    "kvinde", "mand", "andet", "møde", "mødet", "punkt", "punktet", "frist", "fristen", "sekretariat",
    "sekretariatet", "kommune", "organisationen", "slutdato", "startdato", "ophørsårsag", "og", "eller",
    "ikke", "er", "fra", "har", "skal", "kan", "allerede", "ingen", "den", "det", "på", "af", "en", "et",
]
DANISH = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in DANISH_WORDS) + r")(?![\w-])",
                    re.IGNORECASE)

# Data the pages show as it was written, in Danish, besides the rows gathered from the database: the CSV
# columns, the name of an anonymised person, and examples of what a Danish title or seat is called.
DANISH_DATA = [";".join(BASE_HEADER), ANONYMOUS_NAME, "'Indstilling af medlem til …'", "Plads 1"]


def visible(page: str) -> str:
    """What a reader sees or hears: the text, and the labels and titles in attributes, unescaped, with single
    spaces."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'\s(?:aria-label|title|alt|placeholder)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(" ".join([text, *attributes])).split())


def danish_data() -> list[str]:
    """Every text the registry stores or drafts in Danish, longest first, as the pages show it."""
    db.session.commit()  # a new transaction: what the requests committed
    texts = list(DANISH_DATA)
    for column in (Decision.text, AgendaItem.title, AgendaItem.background, AgendaItem.recommendation,
                   Message.subject, Message.body, Appointment.note):
        texts += [text for text in db.session.scalars(sa.select(column)) if text]
    for item in db.session.scalars(sa.select(AgendaItem)):
        if draft := drafting.draft(item):
            texts += [draft.title, draft.background, draft.recommendation]
    for nomination in db.session.scalars(sa.select(Nomination).where(Nomination.item_id.is_not(None))):
        texts += [drafting.decision_text(nomination, outcome) for outcome in Outcome]
    normalised = {" ".join(text.split()) for text in texts}
    return sorted(normalised, key=len, reverse=True)


def danish_in(page: str, data: list[str]) -> list[str]:
    text = visible(page)
    for written in data:
        text = text.replace(written, " ")
    return sorted({match.group(0) for match in DANISH.finditer(text)}, key=str.lower)


def english_client(browser, username: str | None = None):
    """The test client, logged in as the user (if any), reading English."""
    if username:
        assert make.login(browser, username).status_code == 302
    assert browser.get("/sprog/en").status_code == 302
    return browser


@pytest.fixture
def world(app):
    """A registry in use, with names that hold none of the Danish words.

    RAR Hovedstaden (the minister appoints on KKR's recommendation, the Gender Equality Act applies):
    Lotte Kofoed holds its seat Formand as member, Marie-Louise Peschardt Jørgensen as her personal
    suppleant, and SF holds the seat this election period. Movia (KKR appoints): Radikale hold its
    Næstformand. Skoletjenesten has closed. SF's nominations are at every step: submitted, returned,
    withdrawn, on the agenda, awaiting the minister, seated, not supported.
    """
    make.municipality("Frederiksberg", 147).in_region = True
    make.municipality("Hvidovre", 167).in_region = True
    make.party("F", "SF – Socialistisk Folkeparti")
    make.party("B", "Radikale Venstre")
    rar = nominate.allocated_seat("F", "RAR Hovedstaden", label="Formand", gender_rule=GenderRule.section_10a,
                                  appointing_authority="Beskæftigelsesministeren", authority_is_external=True)
    rar_two = nominate.allocated_seat("F", "RAR Hovedstaden", label="Formand B")
    movia = nominate.allocated_seat("B", "Movia", label="Næstformand", has_substitute=False)
    movia_two = nominate.allocated_seat("F", "Movia", label="Formand", has_substitute=False)
    school = make.seat(make.organisation("Skoletjenesten", start_date=date(2020, 1, 1)), "Formand",
                       has_substitute=False)
    kofoed = nominate.candidate("Lotte Kofoed", "F", municipality_name="Frederiksberg")
    peschardt = nominate.candidate("Marie-Louise Peschardt Jørgensen", "F")
    senturk = nominate.candidate("Esat Sentürk", "B", gender=Gender.man)
    anna = nominate.candidate("Anna Andersen", "F")
    bo = nominate.candidate("Bo Berg", "F", gender=Gender.man)
    make.appoint(rar, kofoed, date(2022, 1, 1))
    make.appoint(rar, peschardt, date(2022, 1, 1), role=Role.substitute)
    make.appoint(movia, senturk, date(2022, 1, 1))
    ended = make.appoint(school, senturk, date(2021, 1, 1))
    organisations.close_organisation(school.organisation, date(2023, 12, 31), end_appointments=True)
    appointments.end(make.appoint(movia_two, bo, date(2020, 1, 1)), date(2021, 12, 31), EndReason.resigned)
    make.appoint(movia_two, anna, date(2022, 1, 1), end=today() + timedelta(days=30))

    sf, radikale = make.user("sf", UserRole.party, "F"), make.user("radikale", UserRole.party, "B")
    sf.email, radikale.email = "sf@example.org", "radikale@example.org"
    make.user("haan")
    nominate.call(rar, role=Role.substitute, reason=CallReason.resignation)

    submitted = nominate.nomination(rar, bo, motivation="Bo kender arbejdsmarkedet.",
                                    gender_reason="Kun Bo stillede op.")
    returned = nominate.nomination(rar_two, anna, gender_reason="Kun Anna stillede op.")
    nominations.return_to_party(returned, "Skriv motivationen.")
    withdrawn = nominate.nomination(rar_two, kofoed, gender_reason="Kun Lotte stillede op.")
    nominations.withdraw(withdrawn)
    meeting = today() + timedelta(days=14)
    on_agenda = nominate.nomination(rar, peschardt, substitute=anna, gender_reason="Kun to stillede op.")
    agenda.place_on_agenda(on_agenda, meeting, "4.1", council="KKR Hovedstaden", title="RAR Hovedstaden",
                           location="Glostrup Park Hotel", case_number="SAG-2024-01064")
    pending = nominate.nomination(rar_two, peschardt, gender_reason="Kun Marie-Louise stillede op.")
    agenda.place_on_agenda(pending, date(2024, 4, 19), "4.2", council="KKR Hovedstaden", title="RAR Hovedstaden")
    agenda.decide(pending, Outcome.noted)
    seated = nominate.nomination(movia_two, bo)
    agenda.place_on_agenda(seated, date(2024, 4, 19), "4.3", council="KKR Hovedstaden", title="Movia")
    agenda.decide(seated, Outcome.appointed, effective=today() + timedelta(days=31))
    refused = nominate.nomination(movia_two, kofoed)
    agenda.place_on_agenda(refused, date(2024, 4, 19), "4.4", council="KKR Hovedstaden", title="Movia")
    agenda.decide(refused, Outcome.not_supported)
    db.session.commit()
    return {"rar": rar, "movia": movia, "school": school, "kofoed": kofoed, "peschardt": peschardt,
            "senturk": senturk, "ended": ended, "submitted": submitted, "returned": returned,
            "withdrawn": withdrawn, "on_agenda": on_agenda, "pending": pending, "seated": seated,
            "refused": refused, "meeting": db.session.scalar(sa.select(Meeting.id).where(Meeting.date == meeting))}


def public_pages(w) -> list[str]:
    rar = w["rar"].organisation
    return ["/", "/?as_of=2023-06-01", "/organisationer", f"/organisationer/{rar.id}",
            f"/organisationer/{w['school'].organisation_id}", "/pladser", f"/pladser/{w['rar'].id}",
            f"/pladser/{w['school'].id}", "/personer", f"/personer/{w['kofoed'].id}", f"/personer/{w['senturk'].id}",
            "/partier/F", "/kommuner/147", "/soeg?q=kofoed", "/soeg?q=rar", "/moeder", f"/moeder/{w['meeting']}",
            "/beslutninger"]


def party_pages(w) -> list[str]:
    return ["/partigruppe", "/indstillinger", "/opfordringer", f"/indstillinger/ny?plads={w['rar'].id}",
            f"/indstillinger/{w['submitted'].id}", f"/indstillinger/{w['returned'].id}",
            f"/indstillinger/{w['returned'].id}/ret", f"/indstillinger/{w['submitted'].id}/traek-tilbage",
            f"/indstillinger/{w['pending'].id}"]


def secretariat_pages(w) -> list[str]:
    rar, person, seat = w["rar"].organisation_id, w["kofoed"].id, w["rar"].id
    item = w["on_agenda"].item_id
    statuses = ["submitted", "returned", "withdrawn", "on_agenda", "pending", "appointed", "not_supported", "alle"]
    return [
        "/sekretariat", "/indstillinger", *[f"/indstillinger?status={status}" for status in statuses],
        *[f"/indstillinger/{w[name].id}" for name in ("submitted", "returned", "withdrawn", "on_agenda",
                                                      "pending", "seated", "refused")],
        f"/indstillinger/{w['submitted'].id}/dagsorden", f"/indstillinger/{w['submitted'].id}/retur",
        f"/indstillinger/{w['on_agenda'].id}/beslutning", f"/indstillinger/{w['pending'].id}/udpegning",
        f"/moeder/punkter/{item}", f"/moeder/punkter/{w['pending'].item_id}", "/partigruppe",
        "/partigruppe?parti=F", "/opfordringer", f"/opfordringer/ny?plads={seat}&rolle=substitute",
        f"/indstillinger/ny?plads={seat}", "/revisionsspor", f"/revisionsspor?organisation={rar}",
        f"/revisionsspor?person={person}", "/udbakke", "/import",
        "/organisationer/ny", f"/organisationer/{rar}/rediger", f"/organisationer/{rar}/nedlaeg",
        f"/organisationer/{rar}/pladser/ny", f"/organisationer/{rar}/pladser/{seat}/rediger",
        f"/organisationer/{rar}/pladser/{seat}/nedlaeg", f"/organisationer/{rar}/pladser/{seat}/partigrupper",
        "/personer/ny", f"/personer/{person}/rediger", f"/personer/{person}/sammenlaeg",
        f"/personer/{person}/anonymiser", f"/personer/{w['senturk'].id}/anonymiser",
        f"/personer/{person}/indsigt", f"/personer/{person}", "/udpegninger/ny",
        f"/udpegninger/ny?plads={seat}&rolle=substitute", f"/udpegninger/{w['ended'].id}/afslut",
        f"/udpegninger/{w['ended'].id}/erstat", *public_pages(w),
    ]


def assert_english(browser, paths: list[str], data: list[str]) -> None:
    found = {}
    for path in paths:
        response = browser.get(path)
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.text, path
        if words := danish_in(response.text, data):
            found[path] = words
    assert found == {}


def test_the_public_pages_are_english(client, world):
    assert_english(english_client(client), public_pages(world), danish_data())


def test_the_party_groups_pages_are_english(client, world):
    assert_english(english_client(client, "sf"), party_pages(world), danish_data())


def test_the_secretariats_pages_are_english(client, world):
    assert_english(english_client(client, "haan"), secretariat_pages(world), danish_data())


def test_what_is_data_stays_danish_on_english_pages(client, world):
    browser = english_client(client, "haan")
    item = browser.get(f"/moeder/punkter/{world['on_agenda'].item_id}").text
    assert "tager Socialistisk Folkepartis indstilling af nyt medlem og ny suppleant" in item  # the draft
    assert "Status: submitted" not in browser.get("/udbakke").text
    assert "Status: indsendt" in browser.get("/udbakke").text  # the e-mail as the party group got it
    assert "Taken note of" in browser.get(f"/indstillinger/{world['pending'].id}").text


def refusals(w) -> list[tuple[str, dict, int, str]]:
    """(path, form, status, English text) for a refused form of each kind."""
    kofoed, rar = w["kofoed"], w["rar"]
    version = db.session.get(Person, kofoed.id).version
    return [
        # A rule of the registry (RuleViolation), on the field it concerns.
        ("/udpegninger/ny", {"seat": rar.id, "person": w["senturk"].id, "role": "member",
                             "start_date": "2023-01-01"}, 200,
         "The seat (RAR Hovedstaden, Formand) already has Lotte Kofoed as member from 1 Jan 2022 with no end date."),
        (f"/udpegninger/{w['ended'].id}/afslut", {"end_date": "2019-01-01", "reason": "resigned",
                                                  "version": w["ended"].version}, 200,
         "The end date is before the start date."),
        (f"/indstillinger/{w['submitted'].id}/dagsorden", {"meeting_date": "2024-04-19", "item_number": "4.1",
                                                           "version": w["submitted"].version + 1}, 409,
         "Someone else changed the nomination while you had the form open."),
        (f"/indstillinger/{w['on_agenda'].id}/beslutning", {"outcome": "appointed", "reason": "resigned",
                                                            "version": w["on_agenda"].version}, 200,
         "Beskæftigelsesministeren appoints to RAR Hovedstaden; KKR can recommend or take note."),
        (f"/organisationer/{rar.organisation_id}/nedlaeg", {"end_date": "2023-06-30", "end_appointments": "nej",
                                                            "version": rar.organisation.version}, 200,
         "Appointments run past the end date: Lotte Kofoed (Formand, member from 1 Jan 2022 with no end date)"),
        ("/personer/ny", {"name": "Lotte Kofoed", "municipality": kofoed.municipality_id, "gender": ""}, 200,
         "There is already a person named Lotte Kofoed in that municipality."),
        # The shape of the input (WTForms).
        ("/personer/ny", {"name": "", "gender": ""}, 200, "Enter the person's name."),
        ("/udpegninger/ny", {"seat": rar.id, "person": kofoed.id, "role": "member", "start_date": "1. maj"}, 200,
         "Enter a valid date (YYYY-MM-DD)."),
        # Someone else saved meanwhile (a conflict).
        (f"/personer/{kofoed.id}/rediger", {"name": "Lotte Kofoed", "gender": "", "version": version - 1}, 409,
         "Someone else changed the person while you had the form open."),
    ]


def test_refused_forms_are_english(client, world):
    browser = english_client(client, "haan")
    data = danish_data()
    found = {}
    for path, form, status, message in refusals(world):
        response = browser.post(path, data=form)
        assert (response.status_code, message in response.text) == (status, True), (path, response.text)
        if words := danish_in(response.text, data):
            found[path] = words
    assert found == {}


def test_a_party_groups_refused_nomination_is_english(client, world):
    browser = english_client(client, "sf")
    response = browser.post("/indstillinger/ny", data={
        "seat": world["rar"].id, "role": "member", "person": world["kofoed"].id,
        "substitute": world["kofoed"].id})
    # SF's nomination for RAR is under way: a second one is refused, in English.
    assert "The party group already has a nomination for the seat as member" in response.text
    assert danish_in(response.text, danish_data()) == []


def test_the_import_preview_is_english(client, world):
    lines = [";".join(BASE_HEADER),
             "RAR Hovedstaden;Formand;medlem;Lotte Kofoed;F;Frederiksberg;2022-01-01;;;Beskæftigelsesministeren;",
             "Movia;Næstformand;medlem;Esat Sentürk;B;Hvidovre;2022-01-01;2024-05-31;udtrådt;KKR Hovedstaden;",
             "Wonderful Copenhagen;Formand;medlem;Nina Nielsen;A;Malmö;2024-01-01;;;KKR Hovedstaden;"
             "KKR Hovedstaden 2024-04-19 pkt. 4.9",
             "Wonderful Copenhagen;Formand;suppleant;Ole Olsen;A;Malmö;2024-01-01;;;KKR Hovedstaden;",
             "Wonderful Copenhagen;Formand;medlem;Ole Olsen;A;Malmö;2024-02-01;;;KKR Hovedstaden;"]
    browser = english_client(client, "haan")
    response = browser.post("/import", data={"file": (io.BytesIO("\r\n".join(lines).encode()), "file.csv")},
                            content_type="multipart/form-data")
    page = response.text
    assert "unchanged appointment: Lotte Kofoed, member of RAR Hovedstaden, Formand, from 1 Jan 2022" in page
    assert "slutdato none → 31 May 2024; ophørsårsag none → resigned" in page
    assert ("new organisation (appointing authority: KKR Hovedstaden); new seat; new municipality 'Malmö' "
            "(outside the region)") in html.unescape(page)
    assert ("line 6: The seat (Wonderful Copenhagen, Formand) already has Nina Nielsen as member from 1 Jan 2024 "
            "with no end date (line 4).") in page
    # The file's column names, and the title an unknown item is given, are the file's and the registry's words.
    data = danish_data() + ["slutdato", "ophørsårsag", f"'{UNKNOWN_ITEM}'"]
    assert danish_in(page, data) == []


def test_the_check_finds_danish_words_and_leaves_data_alone():
    assert danish_in("<p>Nomination of a <b>medlem</b></p>", []) == ["medlem"]
    assert danish_in('<a href="/pladser/1" title="Pladsen">Seat</a>', []) == ["Pladsen"]
    assert danish_in("<p>Draft: Indstilling af\n medlem.</p>", ["Indstilling af medlem."]) == []
    assert danish_in("<p>Members and medlemskab, in-dagsorden</p>", []) == []

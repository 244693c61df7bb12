"""Council mandates: the secretariat records them, the person's page shows them, a nomination warns without one,
and the seated people whose mandate has ended are listed and ended, one or all at once."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Role
from registry.audit.models import AuditEntry
from registry.auth.models import UserRole
from registry.dates import today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.mandates import services
from registry.mandates.models import CouncilMandate
from registry.nominations import services as nominations
from registry.nominations.models import Call, CallReason
from registry.organisations.models import ElectionPeriod
from tests import factories as make
from tests import nomination_factories as nominate

D = date


def municipality_id(name: str) -> int:
    return make.municipality(name).id


def as_secretariat(client):
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "gitb")


# Recording mandates.

def test_a_person_keeps_a_history_of_mandates(app):
    lotte = make.person("Lotte Kofoed", "Frederiksberg")
    frederiksberg = make.municipality("Frederiksberg")
    services.record(lotte, frederiksberg, D(2018, 1, 1), end=D(2021, 12, 31), party=make.party("F"))
    services.record(lotte, frederiksberg, D(2022, 1, 1), party=make.party("F"), office="viceborgmester")
    assert [m.start_date for m in services.mandates_of(lotte)] == [D(2022, 1, 1), D(2018, 1, 1)]
    assert services.latest_mandate(lotte).office == "viceborgmester"


@pytest.mark.both_databases
def test_overlapping_mandates_in_one_municipality_and_an_end_before_the_start_are_refused(app):
    lotte = make.person("Lotte Kofoed", "Frederiksberg")
    frederiksberg = make.municipality("Frederiksberg")
    services.record(lotte, frederiksberg, D(2022, 1, 1))
    with pytest.raises(RuleViolation, match="har allerede et mandat i Frederiksberg fra 01.01.2022, som overlapper"):
        services.record(lotte, frederiksberg, D(2024, 6, 1))
    with pytest.raises(RuleViolation, match="Mandatets sidste dag ligger før den første"):
        services.record(lotte, make.municipality("Hvidovre"), D(2022, 1, 1), end=D(2021, 1, 1))
    # Another municipality is no overlap; nor is the next term once the first has ended.
    first = services.latest_mandate(lotte)
    services.record(lotte, make.municipality("Hvidovre"), D(2022, 1, 1))
    services.update(first, first.municipality, first.start_date, end=D(2025, 12, 31))
    services.record(lotte, frederiksberg, D(2026, 1, 1))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(CouncilMandate.id))) == 3


def test_the_secretariat_records_edits_and_ends_a_mandate_shown_on_the_public_page(client, app):
    esat = make.person("Esat Sentürk", "Høje-Taastrup", "B")
    make.appoint(make.seat(make.organisation("Skoletjenesten")), esat, D(2022, 3, 1))  # public: has held a seat
    db.session.commit()
    as_secretariat(client)
    form = {"municipality": municipality_id("Høje-Taastrup"), "party": make.party("B").id, "start_date": "2022-01-01",
            "office": "borgmester"}
    response = client.post(f"/personer/{esat.id}/mandater/ny", data=form, follow_redirects=True)
    assert "Mandatet for Esat Sentürk er gemt" in response.text
    overlapping = client.post(f"/personer/{esat.id}/mandater/ny", data=form | {"start_date": "2023-01-01"})
    assert "som overlapper" in overlapping.text

    edit = client.get(f"/personer/{esat.id}/mandater/rediger")  # the latest mandate
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit.text).group(1)
    backwards = client.post(f"/personer/{esat.id}/mandater/rediger", data=form | {"end_date": "2021-12-31",
                                                                                "version": version})
    assert "Mandatets sidste dag ligger før den første" in backwards.text
    ended = client.post(f"/personer/{esat.id}/mandater/rediger", data=form | {"end_date": "2025-12-31",
                                                                            "version": version},
                        follow_redirects=True)
    assert "Mandatet for Esat Sentürk er gemt" in ended.text
    client.post("/logout")

    page = client.get(f"/personer/{esat.id}").text
    assert "Mandater i kommunalbestyrelser" in page
    assert "borgmester" in page
    assert "31.12.2025" in page
    assert "/mandater/rediger" not in page  # no edit link for the public
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.entity == "council_mandates")) == 2  # created, then ended


def test_editing_another_persons_mandate_or_a_person_without_one(client, app):
    lotte = make.person("Lotte Kofoed", "Frederiksberg")
    other = make.person("Anden Person", "Hvidovre")
    mandate = services.record(lotte, make.municipality("Frederiksberg"), D(2022, 1, 1))
    db.session.commit()
    as_secretariat(client)
    assert client.get(f"/personer/{other.id}/mandater/rediger?mandat={mandate.id}").status_code == 404
    to_create = client.get(f"/personer/{other.id}/mandater/rediger")
    assert to_create.headers["Location"].endswith(f"/personer/{other.id}/mandater/ny")


# The warning on nominations.

@pytest.mark.both_databases
def test_a_nomination_warns_about_a_candidate_without_a_mandate_where_the_councils_are_known(app):
    secretariat = make.user("haan")
    seat = nominate.allocated_seat("F")
    hvidovre = make.municipality("Hvidovre")
    elected = nominate.candidate("Marie-Louise Peschardt Jørgensen", "F")
    services.record(elected, hvidovre, D(2022, 1, 1), end=D(2025, 12, 31))
    left = nominate.candidate("Tidligere Medlem", "F")
    services.record(left, hvidovre, D(2018, 1, 1), end=D(2021, 12, 31))
    unknown_council = nominate.candidate("Ukendt Byråd", "F", municipality_name="Dragør")

    found = nominations.warnings(seat, Role.member, make.party("F"), [elected, left, unknown_council],
                                 day=D(2024, 4, 19), viewer=secretariat)
    assert "Tidligere Medlem har ikke et mandat i en kommunalbestyrelse den 19.04.2024." in found
    assert not any("Peschardt" in text and "mandat" in text for text in found)
    # Dragør: the registry knows no mandates there, so no warning.
    assert not any("Ukendt Byråd" in text for text in found)
    # On the first day of the next term, the mandate of 2022-2025 no longer holds: a warning, not a refusal.
    later = services.without_mandate([elected], D(2026, 1, 1))
    assert later == ["Marie-Louise Peschardt Jørgensen har ikke et mandat i en kommunalbestyrelse den 01.01.2026."]
    assert nominate.nomination(seat, elected).id is not None


def period_2026() -> ElectionPeriod:
    period = db.session.scalar(sa.select(ElectionPeriod).where(ElectionPeriod.name == "2026-2029"))
    if period is None:
        period = ElectionPeriod(name="2026-2029", start_date=D(2026, 1, 1), end_date=D(2029, 12, 31))
        db.session.add(period)
        db.session.flush()
    return period


def call(seat, reason: CallReason, deadline: date, opened_on: date) -> Call:
    found = Call(seat=seat, role=Role.member, party=make.party("F"), reason=reason, deadline=deadline,
                 opened_on=opened_on)
    db.session.add(found)
    db.session.flush()
    return found


def test_a_round_nomination_is_warned_about_a_mandate_that_ends_before_the_period_begins(app):
    """A councillor not re-elected in November 2025: the mandate ends 31.12.2025. Nominated in December 2025
    for the period from 1.1.2026 (a new-period call), the warning is about that first day; a single vacancy
    filled in December is not warned about, as the appointment begins while the mandate holds."""
    secretariat = make.user("haan")
    period_2026()
    not_reelected = nominate.candidate("Ikke Genvalgt", "F")
    services.record(not_reelected, make.municipality("Hvidovre"), D(2022, 1, 1), end=D(2025, 12, 31))
    round_seat, vacant_seat = nominate.allocated_seat("F"), nominate.allocated_seat("F")
    round_call = call(round_seat, CallReason.new_period, D(2026, 1, 15), D(2025, 11, 25))
    vacancy_call = call(vacant_seat, CallReason.resignation, D(2025, 12, 20), D(2025, 12, 1))
    in_the_round = nominate.nomination(round_seat, not_reelected)
    for_the_vacancy = nominate.nomination(vacant_seat, not_reelected)
    assert (in_the_round.call, for_the_vacancy.call) == (round_call, vacancy_call)
    party = make.party("F")

    def mandate_warnings(nomination, day: date) -> list[str]:
        return [text for text in nominations.warnings(nomination.seat, Role.member, party, [not_reelected], day,
                                                      viewer=secretariat, nomination=nomination)
                if "mandat" in text]

    expected = "Ikke Genvalgt har ikke et mandat i en kommunalbestyrelse den 01.01.2026."
    assert mandate_warnings(in_the_round, D(2025, 12, 10)) == [expected]
    # Decided at the constituent meeting in January, it is still the period's first day that counts.
    assert mandate_warnings(in_the_round, D(2026, 1, 26)) == [expected]
    assert mandate_warnings(for_the_vacancy, D(2025, 12, 10)) == []
    assert mandate_warnings(for_the_vacancy, D(2026, 1, 26)) == [
        "Ikke Genvalgt har ikke et mandat i en kommunalbestyrelse den 26.01.2026."]


def test_an_organisations_nomination_gets_no_mandate_warning(app):
    secretariat = make.user("haan")
    seat = nominate.allocated_seat("F")
    person = nominate.candidate("Fra Organisationen", "F")
    services.record(nominate.candidate("Anden", "F"), make.municipality("Hvidovre"), D(2022, 1, 1))
    found = nominations.warnings(seat, Role.member, None, [person], day=D(2024, 4, 19), viewer=secretariat)
    assert not any("mandat" in text for text in found)


# The list of seated people whose mandate has ended, and ending them.

def lapsed_world(n: int = 1) -> list[Appointment]:
    """n people each seated without an end date, whose mandate ended last week; plus people who must not be
    listed: re-elected, still on the council, an appointment that ends before the mandate, an ended one."""
    last_week = today() - timedelta(days=7)
    hvidovre = make.municipality("Hvidovre")
    organisation = make.organisation("RAR Hovedstaden")
    held = []
    for number in range(n):
        person = make.person(f"Udtrådt {number}")
        services.record(person, hvidovre, D(2022, 1, 1), end=last_week)
        held.append(make.appoint(make.seat(organisation, f"Plads {number}"), person, D(2022, 3, 1)))
    reelected = make.person("Genvalgt")
    services.record(reelected, hvidovre, D(2022, 1, 1), end=last_week)
    services.record(reelected, hvidovre, last_week + timedelta(days=1))
    make.appoint(make.seat(organisation, "Genvalgt"), reelected, D(2022, 3, 1))
    sitting = make.person("Sidder Endnu")
    services.record(sitting, hvidovre, D(2022, 1, 1))
    make.appoint(make.seat(organisation, "Sidder"), sitting, D(2022, 3, 1))
    shorter = make.person("Kortere Udpegning")
    services.record(shorter, hvidovre, D(2022, 1, 1), end=today() + timedelta(days=100))
    make.appoint(make.seat(organisation, "Kortere"), shorter, D(2022, 3, 1), end=today() + timedelta(days=50))
    gone = make.person("Allerede Afsluttet")
    services.record(gone, hvidovre, D(2022, 1, 1), end=last_week)
    make.appoint(make.seat(organisation, "Afsluttet"), gone, D(2022, 3, 1), end=last_week - timedelta(days=1))
    db.session.commit()
    return held


@pytest.mark.both_databases
def test_the_list_shows_seated_people_whose_mandate_ends_before_their_appointment(app):
    lapsed_world(2)
    soon = make.person("Ophører Snart")
    services.record(soon, make.municipality("Hvidovre"), D(2022, 1, 1), end=today() + timedelta(days=30))
    make.appoint(make.seat(make.organisation("Movia"), "Plads 1"), soon, D(2022, 3, 1),
                 end=today() + timedelta(days=60))
    names = [entry.appointment.person.name for entry in services.lapsed(today())]
    assert sorted(names) == ["Ophører Snart", "Udtrådt 0", "Udtrådt 1"]


@pytest.mark.both_databases
def test_ending_all_at_once_ends_each_on_its_mandates_last_day(client, app):
    held = lapsed_world(3)
    last_week = today() - timedelta(days=7)
    as_secretariat(client)
    page = client.get("/mandater/ophoert").text
    assert "Udtrådt 2" in page
    assert "Genvalgt" not in page
    assert "Sidder Endnu" not in page
    values = re.findall(r'name="udpegning" value="([0-9:]+)"', page)
    response = client.post("/mandater/ophoert/afslut-alle", data={"udpegning": values[len(held):]},
                           follow_redirects=True)
    assert "3 udpegninger er afsluttet" in response.text
    db.session.rollback()
    for appointment in held:
        db.session.refresh(appointment)
        assert (appointment.end_date, appointment.end_reason) == (last_week, EndReason.resigned)
        assert appointment.note == services.LEFT_THE_COUNCIL
    assert "Ingen udpegede har et ophørt mandat" in client.get("/mandater/ophoert").text


def test_one_is_ended_in_one_step(client, app):
    first, second = lapsed_world(2)
    as_secretariat(client)
    response = client.post(f"/mandater/ophoert/{first.id}/afslut", data={"udpegning": f"{first.id}:{first.version}"},
                           follow_redirects=True)
    assert "Udpegningen af Udtrådt 0 er afsluttet pr." in response.text
    db.session.rollback()
    assert [entry.appointment.id for entry in services.lapsed(today())] == [second.id]


@pytest.mark.both_databases
def test_a_refusal_in_the_middle_ends_none_of_them(client, app):
    """While the page was open, the second holder was re-elected (a new mandate recorded): the second is no longer
    on the list, so nothing is ended, and the first, already ended in the same transaction, is put back."""
    first, second, third = lapsed_world(3)
    as_secretariat(client)
    page = client.get("/mandater/ophoert").text
    shown = re.findall(r'name="udpegning" value="([0-9:]+)"', page)[len((first, second, third)):]
    services.record(second.person, make.municipality("Hvidovre"), today() - timedelta(days=6))
    db.session.commit()
    response = client.post("/mandater/ophoert/afslut-alle", data={"udpegning": shown}, follow_redirects=True)
    assert "Intet er afsluttet: En af udpegningerne er ikke længere på listen" in response.text
    db.session.rollback()
    assert db.session.scalars(sa.select(Appointment.end_date).where(
        Appointment.id.in_([first.id, second.id, third.id]))).all() == [None, None, None]


def test_ending_a_list_that_has_changed_since_it_was_read_ends_none_of_them(app):
    """The command line and the page read the list, then end it: what changed in between refuses the whole."""
    first, second = lapsed_world(2)
    listed = [entry.appointment.id for entry in services.lapsed(today())]
    assert listed == [first.id, second.id]
    services.record(second.person, make.municipality("Hvidovre"), today() - timedelta(days=6))
    with pytest.raises(RuleViolation, match="ikke længere på listen"):
        services.end_all_lapsed(listed, today())
    db.session.rollback()
    assert db.session.scalars(sa.select(Appointment.end_date).where(
        Appointment.id.in_(listed))).all() == [None, None]


@pytest.mark.both_databases
def test_an_appointment_begun_after_the_mandate_ended_is_not_on_the_list(client, app):
    """A former councillor seated after the mandate's last day, on a seat that needs no mandate: appointed knowing
    there was no mandate, so not lapsed by it, and "Afslut alle" ends the others."""
    first, second = lapsed_world(2)
    last_week = today() - timedelta(days=7)
    former = make.person("Tidligere Byrådsmedlem")
    services.record(former, make.municipality("Hvidovre"), D(2022, 1, 1), end=last_week)
    since = make.appoint(make.seat(make.organisation("Movia"), "Plads 1"), former, last_week + timedelta(days=1))
    on_the_day = make.person("Udpeget Sidste Dag")
    services.record(on_the_day, make.municipality("Hvidovre"), D(2022, 1, 1), end=last_week)
    make.appoint(make.seat(make.organisation("Movia"), "Plads 2"), on_the_day, last_week)
    db.session.commit()
    names = [entry.appointment.person.name for entry in services.lapsed(today())]
    assert sorted(names) == ["Udpeget Sidste Dag", "Udtrådt 0", "Udtrådt 1"]
    as_secretariat(client)
    page = client.get("/mandater/ophoert").text
    assert "Tidligere Byrådsmedlem" not in page
    values = re.findall(r'name="udpegning" value="([0-9:]+)"', page)[len(names):]
    response = client.post("/mandater/ophoert/afslut-alle", data={"udpegning": values}, follow_redirects=True)
    assert "3 udpegninger er afsluttet" in response.text
    db.session.rollback()
    db.session.refresh(since)
    assert since.end_date is None
    assert "Ingen udpegede har et ophørt mandat" in client.get("/mandater/ophoert").text


@pytest.mark.both_databases
def test_of_two_mandates_from_the_same_day_the_one_that_ends_last_counts(app):
    """Two councils from the same day: the latest mandate is the one that ends last, an open one last of all, and
    only that one is compared with the appointment."""
    last_week = today() - timedelta(days=7)
    hvidovre, gentofte = make.municipality("Hvidovre"), make.municipality("Gentofte")
    organisation = make.organisation("RAR Hovedstaden")
    still_on = make.person("Stadig i Gentofte")
    services.record(still_on, hvidovre, D(2022, 1, 1), end=last_week)
    services.record(still_on, gentofte, D(2022, 1, 1))
    make.appoint(make.seat(organisation, "Plads 1"), still_on, D(2022, 3, 1))
    outlasting = make.person("Længere i Gentofte")
    services.record(outlasting, hvidovre, D(2022, 1, 1), end=last_week)
    services.record(outlasting, gentofte, D(2022, 1, 1), end=today() + timedelta(days=100))
    make.appoint(make.seat(organisation, "Plads 2"), outlasting, D(2022, 3, 1), end=today() + timedelta(days=50))
    both_ended = make.person("Begge Ophørt")
    services.record(both_ended, hvidovre, D(2022, 1, 1), end=last_week - timedelta(days=1))
    services.record(both_ended, gentofte, D(2022, 1, 1), end=last_week)
    make.appoint(make.seat(organisation, "Plads 3"), both_ended, D(2022, 3, 1))
    db.session.commit()
    found = services.lapsed(today())
    assert [(entry.appointment.person.name, entry.mandate.municipality.name, entry.mandate.end_date)
            for entry in found] == [("Begge Ophørt", "Gentofte", last_week)]


def test_ending_what_someone_changed_meanwhile_ends_nothing(client, app):
    first, second = lapsed_world(2)
    as_secretariat(client)
    stale = [f"{first.id}:{first.version}", f"{second.id}:{second.version + 1}"]
    response = client.post("/mandater/ophoert/afslut-alle", data={"udpegning": stale}, follow_redirects=True)
    assert "ændret af en anden imens" in response.text
    db.session.rollback()
    db.session.expire_all()
    assert [entry.appointment.id for entry in services.lapsed(today())] == [first.id, second.id]
    bad = client.post("/mandater/ophoert/afslut-alle", data={"udpegning": "x:1"})
    assert bad.status_code == 400


def test_the_list_takes_the_same_number_of_queries_however_long(client, app):
    lapsed_world(2)
    as_secretariat(client)
    few = make.count_queries(client, "/mandater/ophoert")
    lapsed_world_more = 10
    last_week = today() - timedelta(days=7)
    organisation = make.organisation("Movia")
    for number in range(lapsed_world_more):
        person = make.person(f"Flere {number}", "Gentofte")
        services.record(person, make.municipality("Gentofte"), D(2022, 1, 1), end=last_week)
        make.appoint(make.seat(organisation, f"Plads {number}"), person, D(2022, 3, 1))
    db.session.commit()
    many = make.count_queries(client, "/mandater/ophoert")
    assert many == few

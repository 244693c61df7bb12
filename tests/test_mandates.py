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
    """The second appointment began after the mandate ended: it cannot end on the mandate's last day, and the
    first, already ended in the same transaction, is put back."""
    first, second, third = lapsed_world(3)
    second.start_date = today()
    db.session.commit()
    as_secretariat(client)
    values = [f"{a.id}:{a.version}" for a in (first, second, third)]
    response = client.post("/mandater/ophoert/afslut-alle", data={"udpegning": values}, follow_redirects=True)
    assert "Intet er afsluttet" in response.text
    assert "Udtrådt 1, RAR Hovedstaden: Slutdatoen ligger før startdatoen." in response.text
    db.session.rollback()
    assert db.session.scalars(sa.select(Appointment.end_date).where(
        Appointment.id.in_([first.id, second.id, third.id]))).all() == [None, None, None]


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

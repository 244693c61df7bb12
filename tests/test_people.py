"""The person, party and municipality pages, and the secretariat's person forms and merge."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Role, Status
from registry.audit.models import AuditEntry
from registry.auth.models import UserRole
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.people import services as people_services
from registry.people.models import Gender, Person
from tests import factories as make

PRIVATE = {"email": "lotte.kofoed@example.dk", "phone": "+45 12 34 56 78", "gender": Gender.woman}


def log_in_as(client, role: UserRole = UserRole.secretariat, username: str = "gitb") -> None:
    make.user(username, role)
    db.session.commit()
    make.login(client, username)


def people() -> list[tuple]:
    db.session.commit()  # a new transaction, which sees what the requests committed
    return list(db.session.execute(sa.select(
        Person.id, Person.name, Person.municipality_id, Person.party_id, Person.email, Person.version)
        .order_by(Person.id)))


def appointments() -> list[tuple]:
    db.session.commit()
    return list(db.session.execute(sa.select(Appointment.id, Appointment.person_id, Appointment.version)
                                   .order_by(Appointment.id)))


@pytest.fixture
def kofoed(app):
    """Lotte Kofoed (F), Frederiksberg: member of RAR until 30 April 2024, of Movia since 2022."""
    person = make.person("Lotte Kofoed", "Frederiksberg", office="Byrådsmedlem", **PRIVATE)
    make.municipality("Frederiksberg").code = 147
    rar = make.seat(make.organisation("RAR Hovedstaden"))
    movia = make.seat(make.organisation("Movia"), has_substitute=False)
    old = make.appoint(rar, person, date(2022, 1, 1))
    db.session.flush()
    from registry.appointments import services
    services.end(old, date(2024, 4, 30), EndReason.resigned)
    make.appoint(movia, person, date(2022, 1, 1))
    db.session.commit()
    return person


def test_anyone_sees_all_of_a_persons_seats_past_and_present(client, kofoed):
    page = client.get(f"/personer/{kofoed.id}").text
    assert "<h1>Lotte Kofoed</h1>" in page
    assert "RAR Hovedstaden" in page
    assert "30.04.2024" in page
    assert "udtrådt" in page
    assert "Movia" in page
    assert "01.01.2022" in page
    assert 'href="/partier/F"' in page
    assert 'href="/kommuner/147"' in page
    assert "Byrådsmedlem" in page


@pytest.mark.parametrize("role", [None, UserRole.viewer, UserRole.party])
def test_private_fields_never_appear_on_public_pages(client, kofoed, role):
    if role is not None:
        make.user("andre", role, party_letter="F" if role is UserRole.party else None)
        db.session.commit()
        make.login(client, "andre")
    seat_id = db.session.scalar(sa.select(Appointment.seat_id).limit(1))
    for path in [f"/personer/{kofoed.id}", "/personer", "/partier/F", "/kommuner/147", "/soeg?q=kofoed",
                 f"/pladser/{seat_id}", "/pladser", "/"]:
        page = client.get(path).text
        assert "Lotte Kofoed" in page or path == "/pladser", path
        for secret in ("lotte.kofoed@example.dk", "12 34 56 78", "kvinde", "Køn", "E-mail", "Telefon"):
            assert secret not in page, (path, secret)


def test_the_secretariat_sees_gender_and_contact_details_on_the_person_page(client, kofoed):
    log_in_as(client)
    page = client.get(f"/personer/{kofoed.id}").text
    assert "lotte.kofoed@example.dk" in page
    assert "+45 12 34 56 78" in page
    assert "kvinde" in page
    assert f"/personer/{kofoed.id}/rediger" in page
    assert f"/personer/{kofoed.id}/sammenlaeg" in page


def test_a_person_who_never_held_a_seat_is_not_public(client, app):
    candidate = make.person("Kandidat Eksempel")
    recommended = make.person("Indstillet Eksempel")
    make.appoint(make.seat(), recommended, date(2024, 5, 1), status=Status.recommended)
    db.session.commit()
    assert client.get(f"/personer/{candidate.id}").status_code == 404
    assert client.get(f"/personer/{recommended.id}").status_code == 404
    assert "Kandidat" not in client.get("/personer").text
    assert "Kandidat" not in client.get("/soeg?q=kandidat").text
    log_in_as(client)
    assert client.get(f"/personer/{candidate.id}").status_code == 200
    assert "Kandidat Eksempel" in client.get("/soeg?q=kandidat").text


FORM = {"name": "Anne Eksempel", "municipality": "", "party": "", "office": "Borgmester", "gender": "woman",
        "email": "anne@example.dk", "phone": "11 22 33 44"}


@pytest.mark.parametrize("path", ["/personer/ny", "/personer/{id}/rediger", "/personer/{id}/sammenlaeg"])
def test_anonymous_and_viewer_cannot_change_people(client, kofoed, path):
    other = make.person("Lotte Kofoed", "Hvidovre")
    db.session.commit()
    path = path.format(id=kofoed.id)
    data = FORM | {"other": other.id, "confirmed": "ja", "version": 1, "other_version": 1}
    before = people()
    assert client.get(path).status_code == 302
    assert client.post(path, data=data).status_code == 302
    log_in_as(client, UserRole.viewer, "laeser")
    assert client.get(path).status_code == 403
    assert client.post(path, data=data).status_code == 403
    assert people() == before


def test_secretariat_creates_a_person_and_edits_them(client, app):
    hvidovre = make.municipality("Hvidovre", 167)
    db.session.commit()
    log_in_as(client)
    response = client.post("/personer/ny", data=FORM | {"municipality": hvidovre.id}, follow_redirects=True)
    assert "Anne Eksempel er oprettet." in response.text
    db.session.commit()
    person = db.session.scalar(sa.select(Person).where(Person.name == "Anne Eksempel"))
    assert (person.municipality.name, person.gender, person.email) == ("Hvidovre", Gender.woman, "anne@example.dk")

    form = client.get(f"/personer/{person.id}/rediger").text
    assert 'value="Anne Eksempel"' in form
    assert f'name="version" type="hidden" value="{person.version}"' in form
    response = client.post(f"/personer/{person.id}/rediger",
                           data=FORM | {"name": "Anne  Eksempel-Jørgensen", "version": person.version},
                           follow_redirects=True)
    assert "Oplysningerne om Anne Eksempel-Jørgensen er gemt." in response.text
    db.session.commit()
    db.session.refresh(person)
    assert person.search_name == "anne eksempel-joergensen"
    assert person.municipality is None


def test_a_second_person_with_the_same_name_in_the_same_municipality_is_refused(client, kofoed):
    log_in_as(client)
    before = people()
    page = client.post("/personer/ny", data=FORM | {"name": "Lotte Kofoed",
                                                        "municipality": kofoed.municipality_id}).text
    assert "Der findes allerede en person ved navn Lotte Kofoed i den kommune." in page
    assert people() == before


def test_a_person_form_without_a_name_or_with_a_broken_email_says_so(client, app):
    log_in_as(client)
    page = client.post("/personer/ny", data=FORM | {"name": " ", "email": "ikke-en-adresse"}).text
    assert "Skriv personens navn." in page
    assert "Skriv en gyldig e-mailadresse." in page
    assert people() == []


def test_an_edit_over_someone_elses_is_a_conflict_not_a_500(client, kofoed):
    log_in_as(client)
    shown = kofoed.version
    kofoed.office = "Rådmand"
    db.session.commit()
    before = people()
    response = client.post(f"/personer/{kofoed.id}/rediger", data=FORM | {"version": shown})
    assert response.status_code == 409
    assert "Personen er ændret af en anden, mens du havde formularen åben." in response.text
    assert people() == before


def test_merge_shows_what_will_happen_first_and_changes_nothing_until_confirmed(client, kofoed):
    duplicate = make.person("Lotte Kofoed", "Hvidovre", email=None, phone="99 88 77 66")
    make.appoint(make.seat(make.organisation("SOSU H")), duplicate, date(2023, 1, 1))
    db.session.commit()
    log_in_as(client)
    before, held = people(), appointments()
    page = client.post(f"/personer/{duplicate.id}/sammenlaeg", data={"other": kofoed.id}).text
    assert "Bekræft sammenlægning" in page
    assert "Intet er gemt endnu." in page
    assert f"Beholdes: Lotte Kofoed (registreret som nr. {kofoed.id})" in page
    assert f"Slettes: Lotte Kofoed (registreret som nr. {duplicate.id})" in page
    assert "1 udpegning flyttes til Lotte Kofoed." in page
    assert "andre værdier for: kommune, telefon" in page
    assert people() == before
    assert appointments() == held


def test_merge_moves_the_appointments_to_the_older_record_and_writes_the_audit_trail(client, kofoed):
    duplicate = make.person("Lotte Kofoed", "Hvidovre", office=None)
    moved = make.appoint(make.seat(make.organisation("SOSU H")), duplicate, date(2023, 1, 1))
    db.session.commit()
    log_in_as(client)
    ids = {a.id for a in db.session.scalars(sa.select(Appointment))}
    duplicate_id = duplicate.id
    response = client.post(f"/personer/{duplicate.id}/sammenlaeg",
                           data={"other": kofoed.id, "confirmed": "ja", "version": duplicate.version,
                                 "other_version": kofoed.version}, follow_redirects=True)
    assert "De to registreringer er lagt sammen til Lotte Kofoed." in response.text
    assert "SOSU H" in response.text
    assert "Movia" in response.text
    assert "RAR Hovedstaden" in response.text

    db.session.commit()
    assert db.session.get(Person, duplicate_id) is None
    assert {a.id for a in db.session.scalars(sa.select(Appointment).where(Appointment.person_id == kofoed.id))} \
        == ids
    merge = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "merge"))
    assert merge.actor == "gitb"
    assert merge.entity_id == kofoed.id
    assert merge.changes == {"kept_id": kofoed.id, "removed_id": duplicate_id, "removed_name": "Lotte Kofoed",
                             "appointment_ids": [moved.id], "mandate_ids": []}
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "delete", AuditEntry.entity == "persons", AuditEntry.entity_id == duplicate_id))
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "update", AuditEntry.entity == "appointments", AuditEntry.entity_id == moved.id))


def test_merge_refuses_a_person_with_themselves_and_stale_records(client, kofoed):
    duplicate = make.person("Lotte Kofoed", "Hvidovre")
    db.session.commit()
    log_in_as(client)
    before = people()
    page = client.post(f"/personer/{kofoed.id}/sammenlaeg", data={"other": kofoed.id}).text
    assert "Vælg en af mulighederne." in page
    response = client.post(f"/personer/{kofoed.id}/sammenlaeg", follow_redirects=True,
                           data={"other": duplicate.id, "confirmed": "ja", "version": kofoed.version,
                                 "other_version": duplicate.version + 1})
    assert "Personen er ændret af en anden" in response.text
    assert people() == before


def test_party_page_shows_its_seats_today_and_on_an_earlier_day(client, kofoed):
    page = client.get("/partier/F").text
    assert "Parti F (F)" in page
    assert "Movia" in page
    assert "RAR Hovedstaden" not in page
    assert "/export/appointments.csv?as_of=" in page
    earlier = client.get("/partier/f?as_of=2024-04-19").text
    assert "19. april 2024" in earlier
    assert "RAR Hovedstaden" in earlier
    assert "/export/appointments.csv?as_of=2024-04-19" in earlier
    assert client.get(f"/partier/{kofoed.party_id}").status_code == 200
    assert client.get("/partier/X").status_code == 404


def test_municipality_page_by_kommunekode_or_id(client, kofoed):
    page = client.get("/kommuner/147").text
    assert "Frederiksberg" in page
    assert "kommunekode 147" in page
    assert "Lotte Kofoed" in page
    assert "RAR Hovedstaden" in client.get("/kommuner/147?as_of=2024-04-19").text
    outside = make.municipality("Roskilde")
    db.session.commit()
    assert "Roskilde" in client.get(f"/kommuner/{outside.id}").text
    assert client.get("/kommuner/999").status_code == 404
    assert client.get("/kommuner/147?as_of=i-går").status_code == 400


def test_person_party_and_municipality_pages_take_as_many_queries_however_many_seats(client, kofoed):
    person_id = kofoed.id

    def add_seats(prefix: str, n: int) -> None:
        person = db.session.get(Person, person_id)
        for i in range(n):
            make.appoint(make.seat(make.organisation(f"{prefix} {i}")), person, date(2022, 1, 1))
        db.session.commit()

    paths = [f"/personer/{person_id}", "/partier/F", "/kommuner/147", "/personer"]
    add_seats("Lille", 2)
    small = [make.count_queries(client, path) for path in paths]
    add_seats("Stor", 30)  # more than a page
    assert [make.count_queries(client, path) for path in paths] == small
    assert "Næste side" in client.get(f"/personer/{person_id}").text
    assert "Side 2" in client.get(f"/personer/{person_id}?side=2").text


def test_role_and_dates_are_shown_the_danish_way(client, kofoed):
    make.appoint(make.seat(make.organisation("SSU")), kofoed, date(2022, 1, 1), role=Role.substitute)
    db.session.commit()
    page = client.get(f"/personer/{kofoed.id}").text
    assert "Suppleant" in page
    assert "Medlem" in page
    assert "2022-01-01" not in page


def test_merge_takes_the_council_mandates_along_and_drops_one_recorded_twice(app, kofoed):
    duplicate = make.person("Lotte Kofoed", "Hvidovre", office=None)
    frederiksberg, hvidovre = make.municipality("Frederiksberg"), make.municipality("Hvidovre")
    db.session.add_all([
        CouncilMandate(person=kofoed, municipality=frederiksberg, start_date=date(2022, 1, 1)),
        CouncilMandate(person=duplicate, municipality=frederiksberg, start_date=date(2022, 1, 1)),  # the same one
        CouncilMandate(person=duplicate, municipality=hvidovre, start_date=date(2018, 1, 1),
                       end_date=date(2021, 12, 31))])
    db.session.flush()
    people_services.merge(kofoed, duplicate)
    assert sorted((m.municipality.name, m.start_date) for m in db.session.scalars(
        sa.select(CouncilMandate).where(CouncilMandate.person_id == kofoed.id))) == [
        ("Frederiksberg", date(2022, 1, 1)), ("Hvidovre", date(2018, 1, 1))]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CouncilMandate)) == 2

"""The secretariat appoints, ends and replaces on the pages; anyone sees a seat's timeline.

Every refusal is a Danish message on the form, and the database is as it was.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from registry.appointments import services
from registry.appointments.models import Appointment, EndReason, Role, Status
from registry.auth.models import UserRole
from registry.extensions import db
from tests import factories as make


def snapshot() -> list[tuple]:
    """Every appointment as stored: what must not change when a form is refused."""
    db.session.commit()  # a new transaction, which sees what the requests committed
    return list(db.session.execute(sa.select(
        Appointment.id, Appointment.seat_id, Appointment.person_id, Appointment.role, Appointment.start_date,
        Appointment.end_date, Appointment.end_reason, Appointment.version).order_by(Appointment.id)))


def log_in_as(client, role: UserRole = UserRole.secretariat, username: str = "gitb") -> None:
    make.user(username, role)
    db.session.commit()
    make.login(client, username)


@pytest.fixture
def rar(app):
    """RAR Hovedstaden's seat with a personal suppleant, held by Lotte Kofoed since 2022."""
    seat = make.seat(make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren"))
    kofoed = make.appoint(seat, make.person("Lotte Kofoed", "Frederiksberg"), date(2022, 1, 1))
    db.session.commit()
    return seat, kofoed


def test_anyone_sees_a_seats_whole_timeline_without_the_secretariats_buttons(client, rar):
    seat, kofoed = rar
    make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), date(2022, 1, 1), date(2024, 4, 30),
                 role=Role.substitute)
    db.session.commit()
    page = client.get(f"/pladser/{seat.id}").text
    assert "RAR Hovedstaden, Plads 1" in page
    assert "Lotte Kofoed" in page
    assert "Marie-Louise Peschardt Jørgensen" in page
    assert "01.01.2022" in page
    assert "30.04.2024" in page
    assert "Erstat" not in page
    assert "Afslut" not in page
    assert "Udpeg medlem" not in page


def test_seats_are_listed_by_body_with_links_to_their_timelines(client, rar):
    seat, _ = rar
    page = client.get("/pladser").text
    assert "RAR Hovedstaden" in page
    assert f'href="/pladser/{seat.id}"' in page


@pytest.mark.parametrize(("path", "data"), [
    ("/udpegninger/ny", {"seat": "1", "person": "1", "role": "member", "start_date": "2024-05-01"}),
    ("/udpegninger/1/afslut", {"end_date": "2024-05-01", "reason": "resigned"}),
    ("/udpegninger/1/erstat", {"person": "1", "start_date": "2024-05-01"}),
])
def test_anonymous_and_viewer_cannot_appoint_end_or_replace(client, rar, path, data):
    before = snapshot()
    response = client.post(path, data=data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get(path).status_code == 302
    log_in_as(client, UserRole.viewer, "laeser")
    assert client.get(path).status_code == 403
    assert client.post(path, data=data).status_code == 403
    assert snapshot() == before


def test_secretariat_appoints_a_member_and_a_personal_suppleant(client, app):
    seat = make.seat(make.organisation("Movia"), has_substitute=True)
    member, suppleant = make.person("Anne Eksempel", party_letter="A"), make.person("Bo Eksempel", party_letter="V")
    db.session.commit()
    log_in_as(client)
    form = client.get(f"/udpegninger/ny?plads={seat.id}&rolle=substitute").text
    assert '<optgroup label="Movia">' in form
    assert 'type="date"' in form
    assert f'<option selected value="{seat.id}">' in form

    response = client.post("/udpegninger/ny", data={"seat": seat.id, "person": member.id, "role": "member",
                                                   "start_date": "2026-01-01"}, follow_redirects=True)
    assert "Anne Eksempel er udpeget som medlem fra 01.01.2026." in response.text
    response = client.post("/udpegninger/ny", data={"seat": seat.id, "person": suppleant.id, "role": "substitute",
                                                   "start_date": "2026-01-01"}, follow_redirects=True)
    assert "Bo Eksempel er udpeget som suppleant fra 01.01.2026." in response.text

    roster = client.get("/?as_of=2026-02-01").text
    assert "Anne Eksempel (A)" in roster
    assert "Bo Eksempel (V)" in roster
    db.session.commit()
    assert [(a.person.name, a.role) for a in db.session.scalars(sa.select(Appointment).order_by(Appointment.id))] \
        == [("Anne Eksempel", Role.member), ("Bo Eksempel", Role.substitute)]


def test_the_party_represented_may_differ_from_the_persons_party_today(client, rar):
    seat, kofoed = rar
    db.session.commit()
    log_in_as(client)
    party = make.party("B")
    db.session.commit()
    client.post("/udpegninger/ny", data={"seat": seat.id, "person": kofoed.person_id, "role": "substitute",
                                         "start_date": "2022-01-01", "party": party.id})
    db.session.commit()
    substitute = db.session.scalar(sa.select(Appointment).where(Appointment.role == Role.substitute))
    assert substitute.party.letter == "B"


def test_second_member_is_refused_on_the_form_by_the_one_holder_rule(client, rar):
    seat, _ = rar
    newcomer = make.person("Marie-Louise Peschardt Jørgensen")
    db.session.commit()
    log_in_as(client)
    before = snapshot()
    response = client.post("/udpegninger/ny", data={"seat": seat.id, "person": newcomer.id, "role": "member",
                                                   "start_date": "2024-05-01"})
    assert response.status_code == 200
    assert ("Pladsen (RAR Hovedstaden, Plads 1) har allerede Lotte Kofoed som medlem fra 01.01.2022 uden slutdato."
            in response.text)
    assert 'aria-invalid="true"' in response.text
    assert snapshot() == before


def test_appointing_to_a_body_that_has_closed_is_refused(client, app):
    seat = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    person = make.person("Esat Sentürk", "Høje-Taastrup", "B")
    db.session.commit()
    log_in_as(client)
    before = snapshot()
    response = client.post("/udpegninger/ny", data={"seat": seat.id, "person": person.id, "role": "member",
                                                   "start_date": "2024-11-01"})
    assert "Skoletjenesten er nedlagt pr. 31.10.2024." in response.text
    assert snapshot() == before


def test_a_suppleant_on_a_seat_without_one_is_refused(client, app):
    seat = make.seat(make.organisation("Movia"), has_substitute=False)
    person = make.person("Carla Eksempel")
    db.session.commit()
    log_in_as(client)
    response = client.post("/udpegninger/ny", data={"seat": seat.id, "person": person.id, "role": "substitute",
                                                   "start_date": "2024-11-01"})
    assert "Pladsen (Movia, Plads 1) har ingen personlig suppleant." in response.text
    assert snapshot() == []


def test_a_form_without_its_fields_or_with_nonsense_says_so_in_danish(client, rar):
    log_in_as(client)
    page = client.post("/udpegninger/ny", data={"seat": "999", "role": "chef", "start_date": "19/04/24"}).text
    assert "Vælg en af mulighederne." in page
    assert "Vælg en person." in page
    assert "Skriv en gyldig dato (ÅÅÅÅ-MM-DD)." in page
    assert "Not a valid" not in page
    assert len(snapshot()) == 1


def test_secretariat_ends_an_appointment_with_a_date_and_a_reason(client, rar):
    seat, kofoed = rar
    log_in_as(client)
    page = client.get(f"/udpegninger/{kofoed.id}/afslut").text
    assert "Afslut udpegningen af Lotte Kofoed" in page
    assert 'name="version"' in page
    response = client.post(f"/udpegninger/{kofoed.id}/afslut",
                           data={"end_date": "2024-04-30", "reason": "resigned", "version": kofoed.version},
                           follow_redirects=True)
    assert "Udpegningen af Lotte Kofoed er afsluttet pr. 30.04.2024." in response.text
    assert "udtrådt" in response.text
    db.session.commit()
    assert (kofoed.end_date, kofoed.end_reason) == (date(2024, 4, 30), EndReason.resigned)


def test_an_end_before_the_start_is_refused(client, rar):
    seat, kofoed = rar
    log_in_as(client)
    before = snapshot()
    response = client.post(f"/udpegninger/{kofoed.id}/afslut",
                           data={"end_date": "2021-12-31", "reason": "resigned", "version": kofoed.version})
    assert "Slutdatoen ligger før startdatoen." in response.text
    assert snapshot() == before


def test_secretariat_replaces_the_holder_in_one_step(client, rar):
    seat, kofoed = rar
    successor = make.person("Marie-Louise Peschardt Jørgensen")
    db.session.commit()
    log_in_as(client)
    assert "Erstat Lotte Kofoed som medlem" in client.get(f"/udpegninger/{kofoed.id}/erstat").text
    response = client.post(f"/udpegninger/{kofoed.id}/erstat",
                           data={"person": successor.id, "start_date": "2024-06-01", "version": kofoed.version},
                           follow_redirects=True)
    page = response.text
    assert "Marie-Louise Peschardt Jørgensen afløser Lotte Kofoed som medlem fra 01.06.2024." in page
    assert "31.05.2024" in page
    assert "erstattet" in page
    assert "Marie-Louise Peschardt Jørgensen (F)" in client.get("/?as_of=2024-06-01").text
    assert "Lotte Kofoed (F)" in client.get("/?as_of=2024-05-31").text


def test_a_successor_who_would_start_before_the_holder_is_refused(client, rar):
    seat, kofoed = rar
    successor = make.person("Marie-Louise Peschardt Jørgensen")
    db.session.commit()
    log_in_as(client)
    before = snapshot()
    response = client.post(f"/udpegninger/{kofoed.id}/erstat",
                           data={"person": successor.id, "start_date": "2021-06-01", "version": kofoed.version})
    assert "Efterfølgeren skal starte efter den nuværende indehavers startdato." in response.text
    assert snapshot() == before


def test_replacing_after_a_body_closed_is_refused_and_the_holder_is_not_ended(client, app):
    seat = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    holder = make.appoint(seat, make.person("Esat Sentürk", party_letter="B"), date(2022, 1, 1), date(2024, 10, 31))
    successor = make.person("Anne Eksempel")
    db.session.commit()
    log_in_as(client)
    before = snapshot()
    response = client.post(f"/udpegninger/{holder.id}/erstat",
                           data={"person": successor.id, "start_date": "2024-11-01", "version": holder.version})
    assert "Skoletjenesten er nedlagt pr. 31.10.2024" in response.text
    assert snapshot() == before


def test_a_change_saved_by_someone_else_meanwhile_is_a_conflict_not_a_500(client, rar):
    seat, kofoed = rar
    log_in_as(client)
    shown_version = kofoed.version
    make.appoint(seat, make.person("Tove Eksempel"), date(2022, 1, 1), role=Role.substitute)
    kofoed.note = "Ændret af en kollega"
    db.session.commit()
    before = snapshot()
    response = client.post(f"/udpegninger/{kofoed.id}/afslut",
                           data={"end_date": "2024-04-30", "reason": "resigned", "version": shown_version})
    assert response.status_code == 409
    assert "Udpegningen er ændret af en anden, mens du havde formularen åben." in response.text
    assert f'name="version" type="hidden" value="{shown_version + 1}"' in response.text
    assert snapshot() == before


def test_a_concurrent_write_caught_by_the_version_column_is_a_conflict(client, rar, monkeypatch):
    seat, kofoed = rar
    successor = make.person("Marie-Louise")
    db.session.commit()
    log_in_as(client)

    def raced(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'appointments' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(services, "replace", raced)
    before = snapshot()
    response = client.post(f"/udpegninger/{kofoed.id}/erstat",
                           data={"person": successor.id, "start_date": "2024-06-01", "version": kofoed.version})
    assert response.status_code == 409
    assert "ændret af en anden" in response.text
    assert snapshot() == before


def test_the_secretariat_sees_the_buttons_on_the_timeline(client, rar):
    seat, kofoed = rar
    log_in_as(client)
    page = client.get(f"/pladser/{seat.id}").text
    assert f"/udpegninger/{kofoed.id}/erstat" in page
    assert f"/udpegninger/{kofoed.id}/afslut" in page
    assert "Udpeg personlig suppleant" in page


def test_a_recommendation_awaiting_the_minister_is_on_the_secretariats_timeline_only(client, rar):
    seat, kofoed = rar
    make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), date(2024, 6, 1), status=Status.recommended)
    db.session.commit()
    assert "Marie-Louise" not in client.get(f"/pladser/{seat.id}").text
    log_in_as(client)
    page = client.get(f"/pladser/{seat.id}").text
    assert "Marie-Louise Peschardt Jørgensen" in page
    assert "indstillet" in page


def test_a_seats_timeline_takes_as_many_queries_however_long_its_history(client, rar):
    seat_id = rar[0].id

    def queries() -> int:
        return make.count_queries(client, f"/pladser/{seat_id}")

    def add_holders(n: int, first_day: date) -> None:
        """n successive members, each replacing the one before the next day."""
        current = db.session.scalar(sa.select(Appointment).where(Appointment.end_date.is_(None)))
        for i in range(n):
            current = services.replace(current, make.person(f"Holder {first_day.year} {i}"),
                                       first_day + timedelta(days=i))
        db.session.commit()

    add_holders(2, date(2023, 1, 1))
    small = queries()
    add_holders(30, date(2024, 1, 1))  # more than a page
    assert queries() == small
    assert "Næste side" in client.get(f"/pladser/{seat_id}").text


def test_a_successor_on_a_body_that_closes_later_serves_until_it_closes(client, app):
    seat = make.seat(make.organisation("Skoletjenesten", end_date=date(2024, 10, 31)), has_substitute=False)
    holder = make.appoint(seat, make.person("Esat Sentürk", party_letter="B"), date(2022, 1, 1))
    successor = make.person("Anne Eksempel")
    db.session.commit()
    log_in_as(client)
    client.post(f"/udpegninger/{holder.id}/erstat",
                data={"person": successor.id, "start_date": "2024-06-01", "version": holder.version})
    page = client.get(f"/pladser/{seat.id}").text
    assert "Anne Eksempel" in page
    assert "31.10.2024" in page
    assert "31.05.2024" in page


@pytest.mark.parametrize("empty", ["", "None"])
def test_the_empty_choice_of_a_select_is_a_form_error_not_a_500(app, client, empty):
    make.seat()
    make.person("Anna Andersen")
    make.user("haan")
    db.session.commit()
    make.login(client, "haan")

    response = client.post("/udpegninger/ny", data={"seat": empty, "person": empty, "role": "member",
                                                    "start_date": "2024-05-01", "party": ""})

    assert response.status_code == 200
    assert "Vælg en plads." in response.text
    assert "Vælg en person." in response.text

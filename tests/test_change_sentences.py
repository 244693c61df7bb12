"""The latest changes say what changed (issue 14, point 7): a note, a start or end date, an office, a seat's or a
body's name, a person's party or contact details, as a person would write it, and never a private detail to a
reader who may not see it."""

from datetime import date

import pytest

from registry.appointments.models import Appointment, Office, OfficeChooser
from registry.audit.services import Actor, acting_as
from registry.auth.models import UserRole
from registry.extensions import db
from registry.people.models import Gender
from tests import factories as make


def log_in(client, role: UserRole = UserRole.secretariat, username: str = "gitb", name: str | None = None):
    user = make.user(username, role)
    user.name = name
    db.session.commit()
    assert make.login(client, username).status_code == 302
    return user


def changes(client) -> str:
    return client.get("/sekretariat").text.split("Seneste ændringer", 1)[1].split("<h2", 1)[0]


@pytest.fixture
def held(app):
    """Hans Eksempel, member of SOSU H on Plads 2 from 1 January 2026 to 30 November 2026."""
    seat = make.seat(make.organisation("SOSU H"), "Plads 2", has_substitute=False)
    appointment = make.appoint(seat, make.person("Hans Eksempel"), date(2026, 1, 1), date(2026, 11, 30))
    db.session.commit()
    return appointment


def holding(appointment) -> str:
    seat = appointment.seat
    return (f'<a href="/personer/{appointment.person_id}">Hans Eksempel</a> som medlem af '
            f'<a href="/organisationer/{seat.organisation_id}">SOSU H</a> (<a href="/pladser/{seat.id}">Plads 2</a>)')


def as_gitte(user, change) -> None:
    with acting_as(user if isinstance(user, Actor) else Actor(user.username, user.id)):
        change()
        db.session.commit()


def test_a_note_to_an_appointment_is_told_as_added_changed_or_removed(client, held):
    user = log_in(client, name="Gitte")
    for note in ("Valgt på mødet", "Valgt på mødet 19. april", None):
        as_gitte(user, lambda note=note: setattr(held, "note", note))
    text = changes(client)
    assert f"Gitte tilføjede en note til udpegningen af {holding(held)}" in text
    assert f"Gitte ændrede noten til udpegningen af {holding(held)}" in text
    assert f"Gitte slettede noten til udpegningen af {holding(held)}" in text
    assert "Valgt på mødet" not in text  # the note itself is not quoted
    assert "Gitte ændrede udpegningen af" not in text


def test_a_moved_date_is_told_from_and_to(client, held):
    user = log_in(client, name="Gitte")
    as_gitte(user, lambda: setattr(held, "end_date", date(2026, 12, 31)))
    as_gitte(user, lambda: setattr(held, "start_date", date(2026, 2, 1)))
    text = changes(client)
    assert f"Gitte flyttede slutdatoen for udpegningen af {holding(held)} fra 30.11.2026 til 31.12.2026" in text
    assert f"Gitte flyttede startdatoen for udpegningen af {holding(held)} fra 01.01.2026 til 01.02.2026" in text


def test_an_office_and_several_changes_at_once_are_named(client, held):
    user = log_in(client, name="Gitte")

    def make_chair():
        held.office, held.office_chosen_by = Office.chair, OfficeChooser.kkr
    as_gitte(user, make_chair)

    def note_and_end():
        held.note, held.end_date = "Forlænget", date(2027, 1, 31)
    as_gitte(user, note_and_end)
    text = changes(client)
    assert f"Gitte ændrede hvervet for udpegningen af {holding(held)}" in text
    assert f"Gitte ændrede slutdatoen og noten for udpegningen af {holding(held)}" in text


def test_a_seat_and_a_body_renamed_or_redated_say_so(client, held):
    user = log_in(client, name="Gitte")
    seat, body = held.seat, held.seat.organisation
    as_gitte(user, lambda: setattr(seat, "label", "Plads 3"))
    as_gitte(user, lambda: setattr(seat, "note", "Fra Region Hovedstaden"))
    as_gitte(user, lambda: setattr(body, "name", "Sundhedssamarbejdsudvalget"))
    as_gitte(user, lambda: setattr(body, "start_date", date(2024, 1, 1)))
    text = changes(client)
    seat_link = f'<a href="/pladser/{seat.id}">Plads 3</a>'
    body_link = f'<a href="/organisationer/{body.id}">Sundhedssamarbejdsudvalget</a>'
    assert f"Gitte omdøbte Plads 2 i {body_link} til {seat_link}" in text
    assert f"Gitte tilføjede en note til {seat_link} i {body_link}" in text
    assert f"Gitte omdøbte SOSU H til {body_link}" in text
    assert f"Gitte ændrede startdatoen for {body_link}" in text  # from no date: nothing to move


def test_a_persons_contact_details_and_gender_are_named_to_the_secretariat_only(client, held):
    user = log_in(client, name="Gitte")
    hans = held.person

    def new_party_and_mail():
        hans.party_id, hans.email = make.party("A").id, "hans@example.dk"
    as_gitte(user, new_party_and_mail)
    as_gitte(user, lambda: setattr(hans, "gender", Gender.man))
    hans_link = f'<a href="/personer/{hans.id}">Hans Eksempel</a>'
    text = changes(client)
    assert f"Gitte ændrede partiet og e-mailadressen for {hans_link}" in text
    assert f"Gitte ændrede kønnet for {hans_link}" in text
    assert "hans@example.dk" not in text
    client.post("/logout")
    db.session.rollback()
    log_in(client, UserRole.viewer, "laeser")
    read = changes(client)
    assert f"Gitte ændrede partiet og andre oplysninger for {hans_link}" in read
    assert f"Gitte ændrede oplysningerne om {hans_link}" in read  # the gender: not what
    assert "e-mail" not in read
    assert "køn" not in read


def test_the_words_for_what_changed_cost_no_query(client, held):
    appointment_id = held.id
    user = log_in(client)
    gitte = Actor(user.username, user.id)
    few = make.count_queries(client, "/sekretariat")
    for number in range(3):
        def change(number=number):
            appointment = db.session.get(Appointment, appointment_id)
            appointment.note, appointment.end_date = f"Note {number}", date(2027, 1, number + 1)
            appointment.seat.label = f"Plads {number + 10}"
            appointment.seat.organisation.start_date = date(2020, 1, number + 1)
            appointment.person.party_id, appointment.person.phone = make.party("V").id, f"1234567{number}"
        as_gitte(gitte, change)
    assert make.count_queries(client, "/sekretariat") == few

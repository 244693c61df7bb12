"""The organisation page for anyone, and the secretariat's forms for organisations and seats."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Role
from registry.auth.models import UserRole
from registry.extensions import db
from registry.organisations.models import (
    ElectionPeriod,
    GenderRule,
    Organisation,
    OrganisationKind,
    Seat,
    SeatAllocation,
)
from tests import factories as make


def login_as(client, role: UserRole = UserRole.secretariat, username: str = "haan") -> None:
    make.user(username, role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    assert make.login(client, username).status_code == 302


def snapshot() -> list:
    """What the forms may change, to check that a refusal changed nothing."""
    db.session.rollback()  # a new transaction sees what the requests committed
    return [
        db.session.execute(sa.select(Organisation.id, Organisation.name, Organisation.start_date,
                                     Organisation.end_date, Organisation.successor_id, Organisation.version)
                           .order_by(Organisation.id)).all(),
        db.session.execute(sa.select(Seat.id, Seat.label, Seat.has_substitute, Seat.start_date, Seat.end_date,
                                     Seat.version).order_by(Seat.id)).all(),
        db.session.execute(sa.select(Appointment.id, Appointment.end_date, Appointment.end_reason)
                           .order_by(Appointment.id)).all(),
        db.session.execute(sa.select(SeatAllocation.seat_id, SeatAllocation.period_id, SeatAllocation.party_id)
                           .order_by(SeatAllocation.id)).all(),
    ]


def form_values(**values) -> dict:
    data = {"name": "Regionalt Beskæftigelsesråd Hovedstaden", "short_name": "", "kind": "council",
            "appointing_authority": "Beskæftigelsesministeren", "authority_is_external": "ja",
            "gender_rule": "section_9", "follows_election_period": "ja", "legal_basis": "", "start_date": "",
            "note": "", "version": ""}
    data.update(values)
    return data


@pytest.fixture
def rar():
    """RAR Hovedstaden with one seat held by a member and her personal suppleant since 2022."""
    organisation = make.organisation("RAR Hovedstaden", short_name="RAR", kind=OrganisationKind.council,
                                     appointing_authority="Beskæftigelsesministeren", authority_is_external=True,
                                     legal_basis="Lov om organisering af beskæftigelsesindsatsen",
                                     gender_rule=GenderRule.section_9, start_date=date(2015, 1, 1))
    seat = make.seat(organisation, "Plads 1", has_substitute=True)
    make.appoint(seat, make.person("Lotte Kofoed"), date(2022, 1, 1))
    make.appoint(seat, make.person("Marie-Louise Peschardt Jørgensen"), date(2022, 1, 1), role=Role.substitute)
    db.session.commit()
    return organisation


# --- what anyone sees ------------------------------------------------------------------------------------------


def test_anyone_sees_the_members_suppleants_and_facts_of_a_body(client, rar):
    html = client.get(f"/organisationer/{rar.id}").text
    assert "<h1>RAR Hovedstaden (RAR)</h1>" in html
    assert "Lotte Kofoed (F)" in html
    assert "Marie-Louise Peschardt Jørgensen (F)" in html
    assert "Beskæftigelsesministeren" in html
    assert "på KKR's indstilling" in html
    assert "Lov om organisering af beskæftigelsesindsatsen" in html
    assert "Ligestillingsloven § 9" in html
    assert "01.01.2015" in html
    assert "Ret oplysningerne" not in html  # no buttons for the public


def test_the_history_of_a_seat_keeps_every_holder(client, rar):
    seat = rar.seats[0]
    member = db.session.scalar(sa.select(Appointment).filter_by(seat_id=seat.id, role=Role.member))
    from registry.appointments import services as appointments
    appointments.replace(member, make.person("Ny Eksempel"), date(2024, 6, 1))
    db.session.commit()
    html = client.get(f"/organisationer/{rar.id}").text
    assert "Pladsernes historik" in html
    assert "Lotte Kofoed (F)" in html
    assert "31.05.2024" in html
    assert "erstattet" in html
    assert "Ny Eksempel (F)" in html
    assert "01.06.2024" in html


def test_as_of_shows_who_sat_there_on_an_earlier_day_with_its_csv(client, rar):
    seat = rar.seats[0]
    member = db.session.scalar(sa.select(Appointment).filter_by(seat_id=seat.id, role=Role.member))
    from registry.appointments import services as appointments
    appointments.replace(member, make.person("Ny Eksempel"), date(2024, 6, 1))
    db.session.commit()
    roster = client.get(f"/organisationer/{rar.id}?as_of=2024-04-19").text.split("Pladsernes historik")[0]
    assert "Sammensætning pr. 19. april 2024" in roster
    assert "Lotte Kofoed (F)" in roster
    assert "Ny Eksempel" not in roster
    assert "/export/appointments.csv?as_of=2024-04-19" in roster
    roster = client.get(f"/organisationer/{rar.id}").text.split("Pladsernes historik")[0]
    assert "Ny Eksempel (F)" in roster
    assert "Lotte Kofoed" not in roster
    assert client.get(f"/organisationer/{rar.id}?as_of=19-04-2024").status_code == 400


def test_the_home_page_links_each_body_to_its_page(client, rar):
    html = client.get("/").text
    assert f'href="/organisationer/{rar.id}"' in html
    assert f'href="/organisationer/{rar.id}?as_of=2024-04-19"' in client.get("/?as_of=2024-04-19").text


def test_a_closed_body_links_its_successor_and_the_successor_links_back(client, app):
    new = make.organisation("Regionalt Beskæftigelsesråd Hovedstaden", start_date=date(2025, 1, 1))
    old = make.organisation("RAR Hovedstaden", end_date=date(2024, 12, 31), successor=new)
    db.session.commit()
    html = client.get(f"/organisationer/{old.id}").text
    assert "Nedlagt pr. 31.12.2024" in html
    assert f'href="/organisationer/{new.id}"' in html
    assert "Organisationen fandtes ikke den dag." in html
    assert f'href="/organisationer/{old.id}"' in client.get(f"/organisationer/{new.id}").text


def test_the_list_of_all_bodies_includes_closed_ones_and_pages(client, app):
    make.organisation("Skoletjenesten", end_date=date(2024, 10, 31))
    for i in range(55):
        make.organisation(f"Eksempelråd {i:02d}")
    db.session.commit()
    first = client.get("/organisationer").text
    assert "Næste side" in first
    assert "Skoletjenesten" not in first
    second = client.get("/organisationer?side=2").text
    assert "Skoletjenesten" in second
    assert "Nedlagt pr. 31.10.2024" in second
    assert "Forrige side" in second
    assert client.get("/organisationer?side=nul").status_code == 400


def test_an_unknown_body_is_a_404(client, app):
    assert client.get("/organisationer/999").status_code == 404


# --- who may change what ---------------------------------------------------------------------------------------

CHANGES = [
    "/organisationer/ny",
    "/organisationer/{org}/rediger",
    "/organisationer/{org}/nedlaeg",
    "/organisationer/{org}/pladser/ny",
    "/organisationer/{org}/pladser/{seat}/rediger",
    "/organisationer/{org}/pladser/{seat}/nedlaeg",
    "/organisationer/{org}/pladser/{seat}/partigrupper",
]


@pytest.mark.parametrize("path", CHANGES)
def test_anonymous_is_sent_to_login_and_changes_nothing(client, rar, path):
    url = path.format(org=rar.id, seat=rar.seats[0].id)
    before = snapshot()
    assert client.get(url).headers["Location"].startswith("/login")
    response = client.post(url, data=form_values(name="Ændret", label="Ændret", end_date="2024-12-31"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert snapshot() == before


@pytest.mark.parametrize("role", [UserRole.viewer, UserRole.party])
@pytest.mark.parametrize("path", CHANGES)
def test_readers_and_party_groups_are_refused_and_change_nothing(client, rar, path, role):
    login_as(client, role, "laeser")
    url = path.format(org=rar.id, seat=rar.seats[0].id)
    before = snapshot()
    assert client.get(url).status_code == 403
    assert client.post(url, data=form_values(name="Ændret", label="Ændret", end_date="2024-12-31")).status_code == 403
    assert snapshot() == before
    assert "Ret oplysningerne" not in client.get(f"/organisationer/{rar.id}").text


def test_secretariat_creates_a_body_with_two_seats_and_a_party_group(client, app):
    db.session.add(ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1), end_date=date(2029, 12, 31)))
    make.party("F")
    db.session.commit()
    login_as(client)
    response = client.post("/organisationer/ny", data=form_values(start_date="2025-01-01"))
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.kind is OrganisationKind.council
    assert organisation.authority_is_external
    assert organisation.start_date == date(2025, 1, 1)
    base = f"/organisationer/{organisation.id}/pladser"
    client.post(f"{base}/ny", data={"label": "Plads 1", "has_substitute": "ja"})
    client.post(f"{base}/ny", data={"label": "Plads 2", "has_substitute": "nej"})
    db.session.rollback()
    seats = db.session.scalars(sa.select(Seat).order_by(Seat.position)).all()
    assert [(s.label, s.has_substitute, s.position) for s in seats] == [("Plads 1", True, 1), ("Plads 2", False, 2)]
    period = db.session.scalar(sa.select(ElectionPeriod))
    response = client.post(f"{base}/{seats[0].id}/partigrupper",
                           data={"period": period.id, "party": make.party("F").id}, follow_redirects=True)
    assert "Fordelingen for 2026-2029 er gemt." in response.text
    html = client.get(f"/organisationer/{organisation.id}").text
    assert "Plads 1" in html
    assert "Plads 2" in html
    assert "2026-2029: F – Parti F" in html
    assert "Ret oplysningerne" in html
    client.post(f"{base}/{seats[0].id}/partigrupper", data={"period": period.id, "party": 0})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeatAllocation)) == 0


def test_the_forms_use_date_inputs_and_danish_labels(client, rar):
    login_as(client)
    html = client.get(f"/organisationer/{rar.id}/rediger").text
    assert 'type="date"' in html
    assert 'value="2015-01-01"' in html
    assert "Udpegende myndighed" in html
    assert f'name="version" type="hidden" value="{rar.version}"' in html


def test_secretariat_edits_a_body(client, rar):
    login_as(client)
    response = client.post(f"/organisationer/{rar.id}/rediger",
                           data=form_values(name="RAR Hovedstaden", short_name="RAR", version=rar.version,
                                            legal_basis="Ny tekst"), follow_redirects=True)
    assert "RAR Hovedstaden er gemt." in response.text
    db.session.rollback()
    assert rar.legal_basis == "Ny tekst"
    assert rar.version == 2


def test_an_edit_made_meanwhile_by_someone_else_is_not_overwritten(client, rar):
    login_as(client)
    seen = rar.version
    rar.note = "Ændret af en kollega"
    db.session.commit()
    before = snapshot()
    response = client.post(f"/organisationer/{rar.id}/rediger",
                           data=form_values(name="RAR Hovedstaden", version=seen, note="Mit eget"))
    assert response.status_code == 409
    assert "Organisationen er ændret af en anden, mens du havde formularen åben." in response.text
    assert snapshot() == before
    db.session.rollback()
    assert rar.note == "Ændret af en kollega"


# --- refusals: a Danish message on the form, and nothing changed ------------------------------------------------


def refused(client, url: str, data: dict, message: str, status: int = 200) -> None:
    """A refusal is the form again (200); an edit conflict is 409."""
    before = snapshot()
    response = client.post(url, data=data)
    assert response.status_code == status, response.text[:500]
    assert message in response.text
    assert snapshot() == before


def test_a_second_body_with_the_same_name_is_refused(client, rar):
    login_as(client)
    refused(client, "/organisationer/ny", form_values(name="rar hovedstaden"),
            "Der findes allerede en organisation med navnet rar hovedstaden.")


def test_empty_and_malformed_fields_are_refused_in_danish(client, rar):
    login_as(client)
    refused(client, "/organisationer/ny", form_values(name="", appointing_authority="", start_date="19.04.2024",
                                                      kind="planet"),
            "Skriv organisationens navn.")
    html = client.post("/organisationer/ny", data=form_values(name="X", start_date="i går", kind="planet")).text
    assert "Skriv en gyldig dato (ÅÅÅÅ-MM-DD)." in html
    assert "Vælg en af mulighederne." in html
    html = client.post(f"/organisationer/{rar.id}/pladser/ny", data={"label": "X", "position": "først"}).text
    assert "Skriv et helt tal." in html


def test_a_start_after_the_first_appointment_is_refused(client, rar):
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/rediger",
            form_values(name="RAR Hovedstaden", start_date="2023-01-01", version=rar.version),
            "Der er udpegninger fra 01.01.2022, før startdatoen.")


def test_closing_a_body_with_holders_past_the_end_is_refused(client, rar):
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/nedlaeg",
            {"end_date": "2024-12-31", "successor": 0, "end_appointments": "nej", "version": rar.version},
            "Udpegninger løber ud over slutdatoen: Lotte Kofoed (Plads 1, medlem fra 01.01.2022 uden slutdato)")


def test_closing_a_body_ends_its_appointments_when_asked_and_names_the_successor(client, rar):
    successor = make.organisation("Regionalt Beskæftigelsesråd Hovedstaden", start_date=date(2025, 1, 1))
    db.session.commit()
    login_as(client)
    response = client.post(f"/organisationer/{rar.id}/nedlaeg", follow_redirects=True, data={
        "end_date": "2024-12-31", "successor": successor.id, "end_appointments": "ja", "version": rar.version})
    assert "RAR Hovedstaden er nedlagt pr. 31.12.2024. 2 udpegninger er afsluttet samme dag." in response.text
    db.session.rollback()
    assert rar.end_date == date(2024, 12, 31)
    assert rar.successor_id == successor.id
    ended = db.session.execute(sa.select(Appointment.end_date, Appointment.end_reason)).all()
    assert set(ended) == {(date(2024, 12, 31), EndReason.body_dissolved)}
    # The history stays under the old body; today it no longer has a roster.
    html = client.get(f"/organisationer/{rar.id}").text
    assert "organisation nedlagt" in html
    assert "Organisationen fandtes ikke den dag." in html
    assert "Lotte Kofoed (F)" in client.get(f"/organisationer/{rar.id}?as_of=2024-12-31").text


def test_closing_refuses_an_appointment_that_starts_after_the_end(client, rar):
    make.appoint(make.seat(rar, "Plads 2"), make.person("Senere Eksempel"), date(2025, 3, 1))
    db.session.commit()
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/nedlaeg",
            {"end_date": "2024-12-31", "successor": 0, "end_appointments": "ja", "version": rar.version},
            "Udpegninger, der begynder efter slutdatoen, skal rettes først: Senere Eksempel")


@pytest.mark.parametrize(("end_date", "message"), [
    ("", "Skriv organisationens sidste dag."),
    ("2014-12-31", "Slutdatoen ligger før organisationens startdato 01.01.2015."),
])
def test_closing_needs_a_last_day_within_the_bodys_life(client, rar, end_date, message):
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/nedlaeg",
            {"end_date": end_date, "successor": 0, "end_appointments": "ja", "version": rar.version}, message)


def test_successors_cannot_go_round_in_a_circle(client, rar):
    old = make.organisation("Gammelt råd", end_date=date(2014, 12, 31), successor=rar)
    db.session.commit()
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/nedlaeg",
            {"end_date": "2024-12-31", "successor": old.id, "end_appointments": "ja", "version": rar.version},
            "Gammelt råd er allerede en forgænger for RAR Hovedstaden")
    refused(client, f"/organisationer/{rar.id}/nedlaeg",
            {"end_date": "2024-12-31", "successor": rar.id, "end_appointments": "ja", "version": rar.version},
            "Vælg en af mulighederne.")


def test_closing_with_a_stale_form_is_refused(client, rar):
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/nedlaeg",
            {"end_date": "2024-12-31", "successor": 0, "end_appointments": "ja", "version": rar.version - 1 or 99},
            "Organisationen er ændret af en anden, mens du havde formularen åben.", status=409)


def test_a_seat_label_is_used_once_per_body(client, rar):
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/pladser/ny", {"label": "plads 1", "has_substitute": "nej"},
            "RAR Hovedstaden har allerede en plads med navnet plads 1.")


def test_a_seat_cannot_start_before_its_body(client, rar):
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/pladser/ny",
            {"label": "Plads 9", "has_substitute": "nej", "start_date": "2014-01-01"},
            "RAR Hovedstaden er først oprettet 01.01.2015.")


def test_retiring_a_seat_with_a_holder_is_refused_and_works_once_they_have_left(client, rar):
    seat = rar.seats[0]
    login_as(client)
    url = f"/organisationer/{rar.id}/pladser/{seat.id}/nedlaeg"
    refused(client, url, {"end_date": "2024-12-31", "version": seat.version},
            "Udpegninger på pladsen løber ud over slutdatoen")
    from registry.appointments import services as appointments
    for appointment in db.session.scalars(sa.select(Appointment)):
        appointments.end(appointment, date(2024, 6, 30), EndReason.term_ended)
    db.session.commit()
    response = client.post(url, data={"end_date": "2024-12-31", "version": seat.version}, follow_redirects=True)
    assert "Pladsen Plads 1 er nedlagt pr. 31.12.2024." in response.text
    assert "nedlagt pr. 31.12.2024" in client.get(f"/organisationer/{rar.id}").text


def test_a_seat_that_had_a_suppleant_keeps_having_one(client, rar):
    seat = rar.seats[0]
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/pladser/{seat.id}/rediger",
            {"label": "Plads 1", "has_substitute": "nej", "version": seat.version},
            "Pladsen har haft Marie-Louise Peschardt Jørgensen som suppleant")


def test_an_edit_of_a_seat_made_meanwhile_is_not_overwritten(client, rar):
    seat = rar.seats[0]
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/pladser/{seat.id}/rediger",
            {"label": "Formand", "has_substitute": "ja", "version": seat.version + 1},
            "Pladsen er ændret af en anden, mens du havde formularen åben.", status=409)


def test_a_party_group_cannot_hold_a_seat_in_a_period_the_body_does_not_reach(client, rar):
    rar.end_date = date(2024, 12, 31)
    db.session.add(ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1), end_date=date(2029, 12, 31)))
    party = make.party("F")
    db.session.commit()
    period = db.session.scalar(sa.select(ElectionPeriod))
    login_as(client)
    refused(client, f"/organisationer/{rar.id}/pladser/{rar.seats[0].id}/partigrupper",
            {"period": period.id, "party": party.id}, "RAR Hovedstaden findes ikke i valgperioden 2026-2029.")


def test_a_seat_of_another_body_is_a_404(client, rar):
    other = make.seat(make.organisation("Movia"))
    db.session.commit()
    login_as(client)
    assert client.get(f"/organisationer/{rar.id}/pladser/{other.id}/rediger").status_code == 404


# --- queries --------------------------------------------------------------------------------------------------


def test_the_organisation_page_query_count_does_not_grow_with_its_history(client, app):
    organisation = make.organisation("RAR Hovedstaden", successor=make.organisation("Efterfølger"))
    make.organisation("Forgænger", successor=organisation)
    db.session.add(ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31)))
    db.session.flush()
    period = db.session.scalar(sa.select(ElectionPeriod))

    def add_seats(prefix: str, n: int) -> None:
        for i in range(n):
            seat = make.seat(organisation, f"{prefix} {i}")
            db.session.add(SeatAllocation(seat=seat, period=period, party=make.party("F")))
            for year in range(2010, 2014):
                make.appoint(seat, make.person(f"{prefix} {i} {year}"), date(year, 1, 1), date(year, 12, 31))
            make.appoint(seat, make.person(f"{prefix} medlem {i}"), date(2022, 1, 1))
            make.appoint(seat, make.person(f"{prefix} suppleant {i}"), date(2022, 1, 1), role=Role.substitute)
        db.session.commit()

    add_seats("Lille", 1)
    small = make.count_queries(client, f"/organisationer/{organisation.id}")
    add_seats("Stor", 15)
    assert make.count_queries(client, f"/organisationer/{organisation.id}") == small


def test_two_secretaries_saving_at_once_get_a_conflict_message_not_an_error(client, rar, monkeypatch):
    """The hidden version passes, but another request commits between our read and our write."""
    from registry.organisations import services

    login_as(client)
    update = services.update_organisation

    def colleague_saves_first(organisation, **values):
        with db.engine.begin() as other:
            other.execute(sa.update(Organisation).where(Organisation.id == organisation.id)
                          .values(note="Kollegaens ændring", version=Organisation.version + 1))
        return update(organisation, **values)

    monkeypatch.setattr(services, "update_organisation", colleague_saves_first)
    response = client.post(f"/organisationer/{rar.id}/rediger",
                           data=form_values(name="RAR Hovedstaden", version=rar.version, note="Min ændring"))
    assert response.status_code == 409
    assert "Organisationen er ændret af en anden, mens du havde formularen åben." in response.text
    db.session.rollback()
    assert rar.note == "Kollegaens ændring"

"""Bodies as they are (issue 12): kinds of seat, pooled suppleants, other appointers' seats, organisation
nominators and offices. The rules in the services, and the database's own where it has one."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, Office, OfficeChooser, Role
from registry.auth.models import UserRole
from registry.errors import RuleViolation
from registry.extensions import db
from registry.nominations import services as nominations
from registry.nominations.models import CallReason
from registry.organisations import services as organisations
from registry.organisations.models import ElectionPeriod, SeatFiller, SeatKind
from tests import factories as make

START = date(2022, 1, 1)


@pytest.fixture
def amu(app):
    """A body with FH's pool of suppleants, ranks 1 and 2."""
    body = make.organisation("AMU-udvalget")
    ranks = [organisations.add_seat(body, label=f"FH-suppleant {rank}", kind=SeatKind.pooled_substitute,
                                    pool_rank=rank, nominated_by="FH") for rank in (1, 2)]
    return body, ranks


@pytest.mark.both_databases
def test_a_pooled_rank_has_one_holder_at_a_time_in_the_service_and_in_the_database(amu):
    _body, (first, second) = amu
    make.appoint(first, make.person("Pia Pulje"), START, role=Role.substitute)
    make.appoint(second, make.person("Poul Pulje"), START, role=Role.substitute)
    with pytest.raises(RuleViolation, match="har allerede Pia Pulje som suppleant"):
        make.appoint(first, make.person("Ulla Uden"), date(2023, 1, 1), role=Role.substitute)
    db.session.commit()
    # The database's one-holder rule, past the service: a second holder of rank 1 on the same days.
    intruder = make.person("Ib Ind")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError, match="appointments_one_holder"):
        db.session.execute(sa.insert(Appointment).values(
            seat_id=first.id, person_id=intruder.id, role=Role.substitute, start_date=date(2023, 1, 1),
            status="appointed", version=1))
    db.session.rollback()


@pytest.mark.both_databases
def test_the_database_refuses_a_seat_whose_kind_lacks_what_it_needs(app):
    seat = make.seat(make.organisation("Movia"), "Plads 1", has_substitute=False)
    db.session.commit()
    for change in ({"kind": SeatKind.ex_officio}, {"kind": SeatKind.pooled_substitute},
                   {"kind": SeatKind.voting, "pool_rank": 2}, {"kind": SeatKind.pooled_substitute, "pool_rank": 0},
                   {"kind": SeatKind.pooled_substitute, "pool_rank": 1, "has_substitute": True},
                   {"filled_by": "nobody"}):
        with pytest.raises((sa.exc.IntegrityError, sa.exc.StatementError)):
            db.session.execute(sa.update(type(seat)).where(type(seat).id == seat.id).values(**change))
        db.session.rollback()


def test_a_pooled_suppleants_seat_takes_no_member_and_no_personal_suppleant(amu):
    _body, (first, _second) = amu
    with pytest.raises(RuleViolation, match="fælles suppleantplads"):
        make.appoint(first, make.person(), START)
    with pytest.raises(RuleViolation, match="En fælles suppleantplads har ingen personlig suppleant"):
        organisations.add_seat(first.organisation, label="FH-suppleant 3", kind=SeatKind.pooled_substitute,
                               pool_rank=3, has_substitute=True)
    with pytest.raises(RuleViolation, match="nummer i rækkefølgen"):
        organisations.add_seat(first.organisation, label="FH-suppleant 4", kind=SeatKind.pooled_substitute)


def test_an_ex_officio_seat_names_its_office_and_a_seat_keeps_the_holders_its_kind_allows(app):
    body = make.organisation("Movia")
    with pytest.raises(RuleViolation, match="embede"):
        organisations.add_seat(body, label="Borgmesteren", kind=SeatKind.ex_officio)
    mayor = organisations.add_seat(body, label="Borgmesteren", kind=SeatKind.ex_officio,
                                   ex_officio="borgmester i Gentofte Kommune")
    assert (mayor.kind, mayor.ex_officio) == (SeatKind.ex_officio, "borgmester i Gentofte Kommune")
    make.appoint(mayor, make.person("Michael Mayor"), START)
    with pytest.raises(RuleViolation, match="kan ikke gøres til en fælles suppleant"):
        organisations.update_seat(mayor, kind=SeatKind.pooled_substitute, pool_rank=1)
    voting = organisations.update_seat(mayor, kind=SeatKind.voting)
    assert voting.ex_officio is None


def test_other_appointers_and_organisation_nominated_seats_take_no_calls_nominations_or_party(app):
    body = make.organisation("Sundhedskoordinationsudvalget", appointing_authority="KKR Hovedstaden")
    region = organisations.add_seat(body, label="Regionen 1", filled_by=SeatFiller.other,
                                    appointing_authority="Regionsrådet")
    business = organisations.add_seat(body, label="Erhverv 1", nominated_by="Dansk Industri")
    assert (region.authority, region.kkr_fills, business.party_nominates) == ("Regionsrådet", False, False)
    party = make.party("A")
    period = ElectionPeriod(name="2022-2025", start_date=START, end_date=date(2025, 12, 31))
    db.session.add(period)
    for seat, words in ((region, "besættes af Regionsrådet"), (business, "indstilles af Dansk Industri")):
        with pytest.raises(RuleViolation, match=words):
            nominations.open_call(seat, Role.member, CallReason.other, date(2099, 1, 1), party=party)
        with pytest.raises(RuleViolation, match=words):
            nominations.submit(seat, Role.member, party, make.person())
        with pytest.raises(RuleViolation, match="fordeles derfor ikke"):
            organisations.allocate(seat, period, party)
    # The secretariat records who sits there, from the body's own list.
    seated = make.appoint(region, make.person("Rikke Region"), START)
    assert seated.seat.authority == "Regionsrådet"


@pytest.mark.both_databases
def test_a_body_has_one_chair_at_a_time_and_an_office_lies_within_the_appointment(app):
    body = make.organisation("Erhvervshus Hovedstaden")
    first, second = make.seat(body, "Plads 1"), make.seat(body, "Plads 2")
    anne = make.appoint(first, make.person("Anne Formand"), START, date(2025, 12, 31))
    bo = make.appoint(second, make.person("Bo Næst"), START)
    appointments.set_office(anne, Office.chair, chosen_by=OfficeChooser.kkr)
    with pytest.raises(RuleViolation, match="Anne Formand er allerede formand"):
        appointments.set_office(bo, Office.chair, chosen_by=OfficeChooser.body, start=date(2024, 1, 1))
    # From the day after Anne's appointment ends, Bo may chair.
    appointments.set_office(bo, Office.chair, chosen_by=OfficeChooser.body, start=date(2026, 1, 1))
    assert (bo.office_on(date(2025, 12, 31)), bo.office_on(date(2026, 1, 1))) == (None, "formand")
    with pytest.raises(RuleViolation, match="inden for udpegningen"):
        appointments.set_office(anne, Office.vice_chair, chosen_by=OfficeChooser.body, start=date(2021, 1, 1))
    with pytest.raises(RuleViolation, match="hvervets navn"):
        appointments.set_office(anne, Office.other, chosen_by=OfficeChooser.body)
    treasurer = appointments.set_office(anne, Office.other, chosen_by=OfficeChooser.body, title="kasserer")
    assert treasurer.office_name == "kasserer"
    suppleant = make.appoint(first, make.person("Sif Suppleant"), START, role=Role.substitute)
    with pytest.raises(RuleViolation, match="Kun et medlem"):
        appointments.set_office(suppleant, Office.vice_chair, chosen_by=OfficeChooser.body)
    db.session.commit()
    # The database keeps an office's fields together.
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(Appointment).where(Appointment.id == anne.id).values(office_chosen_by=None))
    db.session.rollback()


def test_the_secretariat_gives_a_member_an_office_on_the_page_and_the_roster_shows_it(client, app):
    body = make.organisation("Erhvervshus Hovedstaden")
    seat = make.seat(body, "Formand", has_substitute=False)
    held = make.appoint(seat, make.person("Frida Formand"), START)
    make.user("sek", UserRole.secretariat)
    db.session.commit()
    make.login(client, "sek")
    form = client.get(f"/udpegninger/{held.id}/hverv")
    assert "Hverv for Frida Formand i Erhvervshus Hovedstaden" in form.text
    refused = client.post(f"/udpegninger/{held.id}/hverv", data={
        "office": "other", "chosen_by": "body", "version": held.version})
    assert "Skriv hvervets navn." in refused.text
    saved = client.post(f"/udpegninger/{held.id}/hverv", data={
        "office": "chair", "chosen_by": "kkr", "version": held.version}, follow_redirects=True)
    assert "Frida Formand er formand." in saved.text
    roster = " ".join(client.get(f"/organisationer/{body.id}").text.split())
    assert '<strong class="office">Formand</strong> <span class="meta">(udpeget af KKR)</span>' in roster
    person = " ".join(client.get(f"/personer/{held.person_id}").text.split())
    assert "<td>Medlem, formand</td>" in person


def test_the_roster_labels_observers_ex_officio_other_appointers_and_the_pool(client, amu):
    body, (first, _second) = amu
    observer = organisations.add_seat(body, label="Tilforordnet", kind=SeatKind.observer)
    make.appoint(observer, make.person("Otto Observatør"), START)
    mayor = organisations.add_seat(body, label="Borgmesteren", kind=SeatKind.ex_officio,
                                   ex_officio="borgmester i Gentofte Kommune")
    organisations.add_seat(body, label="DA 1", filled_by=SeatFiller.other,
                           appointing_authority="Dansk Arbejdsgiverforening")
    make.appoint(first, make.person("Pia Pulje"), START, role=Role.substitute)
    assert mayor.kind is SeatKind.ex_officio
    db.session.commit()
    page = " ".join(client.get(f"/organisationer/{body.id}").text.split())
    assert "Observatør" in page
    assert "Født medlem: borgmester i Gentofte Kommune" in page
    assert "udpeget af Dansk Arbejdsgiverforening" in page
    assert "Fælles suppleanter, der træder til i rækkefølge" in page
    assert re.search(r'<td>1</td> <th scope="row">FH-suppleant 1<br><span class="meta">indstilles af FH</span></th> '
                     r'<td><a href="/personer/\d+">Pia Pulje \(F\)</a>', page)


def test_the_dashboard_lists_kkrs_vacancies_with_the_pool_and_not_other_appointers_seats(client, amu):
    body, (first, _second) = amu
    make.appoint(first, make.person("Pia Pulje"), START, role=Role.substitute)
    organisations.add_seat(body, label="DA 1", filled_by=SeatFiller.other, appointing_authority="DA")
    make.user("sek", UserRole.secretariat)
    db.session.commit()
    make.login(client, "sek")
    page = " ".join(client.get("/sekretariat").text.split())
    # The vacancies, not the recent changes below them (which tell of the seats just made).
    page = page.split("Ledige pladser i dag", 1)[1].split("Seneste ændringer", 1)[0]
    assert "<td>FH-suppleant 2</td> <td>suppleant</td>" in page
    assert "FH-suppleant 1" not in page
    assert "DA 1" not in page

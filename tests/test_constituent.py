"""The constituent meeting of a round (issue 13, steps 7 and 8): every submitted nomination of the round onto
one agenda, one item per body; KKR's decisions for the whole meeting with the exceptions marked; one date of
an outside authority's appointment for all its pending recommendations. All or nothing."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment
from registry.auth.models import UserRole
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import constituent
from registry.meetings.models import AgendaItem, Meeting, Outcome
from registry.nominations.models import Nomination, NominationStatus
from registry.notifications.models import Message
from tests import factories as make
from tests import nomination_factories as nominate

# Both databases: bulk writes, all or nothing, and the order of the items.
pytestmark = pytest.mark.both_databases

MEETING = date(2026, 1, 26)
COUNCIL = "KKR Hovedstaden"


def round_of(bodies: int, per_body: int = 1) -> list[Nomination]:
    """Bodies named Organ 1, Organ 2, …, each with seats A and F nominate for, every nomination submitted."""
    made = []
    for body in range(1, bodies + 1):
        for number in range(per_body):
            letter = "A" if number % 2 == 0 else "F"
            seat = nominate.allocated_seat(letter, f"Organ {body}", has_substitute=False)
            made.append(nominate.nomination(seat, nominate.candidate(f"Kandidat {body}-{number}", letter)))
    return made


@pytest.fixture
def contacts(app):
    """The party groups' users, with the addresses their messages go to."""
    nominate.party_user("sd", "A").email = "sd@example.org"
    nominate.party_user("sf", "F").email = "sf@example.org"


def test_the_round_goes_onto_one_agenda_one_item_per_body_in_the_bodies_order(contacts):
    round_of(3, per_body=2)
    period = nominate.current_period()
    found = constituent.round_nominations(period)
    assert len(found) == 6
    items = constituent.place_round(found, MEETING, "5", council=COUNCIL)
    assert [(item.number, item.title) for item in items] == [
        ("5.1", "Udpegning til Organ 1"), ("5.2", "Udpegning til Organ 2"), ("5.3", "Udpegning til Organ 3")]
    assert {(n.status, n.item.number) for n in found if n.seat.organisation.name == "Organ 2"} == {
        (NominationStatus.on_agenda, "5.2")}
    # One message to each party group listing its nominations, not one per nomination.
    messages = db.session.scalars(sa.select(Message).where(Message.subject.startswith("Indstillinger sat på"))
                                  .order_by(Message.recipient)).all()
    assert [message.recipient for message in messages] == ["sd@example.org", "sf@example.org"]
    assert messages[0].body.count("Punkt 5.") == 3


def test_placing_the_round_takes_the_same_queries_for_few_and_many(contacts):
    def placed(bodies: int, day: date) -> int:
        round_of(bodies, per_body=2)
        db.session.commit()
        with make.queries() as statements:
            period = db.session.get(type(nominate.current_period()), nominate.current_period().id)
            constituent.place_round(constituent.round_nominations(period), day, "5", council=COUNCIL)
        db.session.commit()
        return len(statements)
    assert placed(2, date(2026, 1, 26)) == placed(8, date(2026, 2, 26))


def test_the_round_is_placed_whole_or_not_at_all(contacts):
    found = round_of(2)
    found[1].status = NominationStatus.withdrawn
    db.session.flush()
    with pytest.raises(RuleViolation, match="er trukket tilbage; intet er sat på dagsordenen"):
        constituent.place_round(found, MEETING, "5", council=COUNCIL)
    found[1].status = NominationStatus.submitted
    constituent.place_round(found[:1], MEETING, "5", council=COUNCIL)
    with pytest.raises(RuleViolation, match="Mødet har allerede punkt 5.1"):
        constituent.place_round(found[1:], MEETING, "5", council=COUNCIL)
    assert found[1].status is NominationStatus.submitted


def test_kkr_decides_the_whole_meeting_with_an_exception_and_the_minister_appoints_all_at_once(contacts):
    own = round_of(2)
    external = nominate.allocated_seat("F", "RAR Hovedstaden", has_substitute=False,
                                       appointing_authority="Beskæftigelsesministeren", authority_is_external=True)
    recommended = nominate.nomination(external, nominate.candidate("Rikke Rådsmedlem", "F"))
    constituent.place_round([*own, recommended], MEETING, "5", council=COUNCIL)
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.date == MEETING))
    constituent.decide_meeting(meeting, {own[1].id: Outcome.not_supported}, date(2026, 2, 1))
    assert [n.status for n in (*own, recommended)] == [NominationStatus.appointed, NominationStatus.not_supported,
                                                       NominationStatus.pending]
    seated = db.session.scalars(sa.select(Appointment).where(Appointment.person_id == own[0].person_id)).one()
    assert (seated.start_date, seated.decision_id) == (date(2026, 2, 1), own[0].decision_id)
    assert list(constituent.pending_by_authority()) == ["Beskæftigelsesministeren"]
    constituent.record_authoritys_appointments("Beskæftigelsesministeren", date(2026, 3, 15))
    assert recommended.status is NominationStatus.appointed
    assert db.session.scalars(sa.select(Appointment.start_date).where(
        Appointment.person_id == recommended.person_id)).one() == date(2026, 3, 15)


def test_deciding_the_meeting_and_the_authoritys_appointment_take_the_same_queries_for_few_and_many(contacts):
    def decided(bodies: int, day: date) -> tuple[int, int]:
        own = round_of(bodies, per_body=2)
        for number, nomination in enumerate(own):
            # A sitting member for every other seat, who leaves when the new one is seated.
            if number % 2:
                make.appoint(nomination.seat, make.person(f"Siddende {day} {number}"), date(2022, 1, 1))
        external = [nominate.nomination(
            nominate.allocated_seat("F", f"Råd {day} {number}", has_substitute=False,
                                    appointing_authority=f"Ministeren {day}", authority_is_external=True),
            nominate.candidate(f"Rådsmedlem {day} {number}", "F")) for number in range(bodies)]
        constituent.place_round([*own, *external], day, "5", council=COUNCIL)
        db.session.commit()
        with make.queries() as decisions:
            meeting = db.session.scalar(sa.select(Meeting).where(Meeting.date == day))
            constituent.decide_meeting(meeting, {}, day)
        db.session.commit()
        with make.queries() as appointments:
            constituent.record_authoritys_appointments(f"Ministeren {day}", day)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination).where(
            Nomination.status == NominationStatus.appointed, Nomination.appointed_on == day)) == 3 * bodies
        return len(decisions), len(appointments)
    assert decided(2, date(2026, 1, 26)) == decided(8, date(2026, 2, 26))


def test_a_refusal_in_the_middle_of_the_meeting_saves_no_decision(client, contacts):
    first, second, third = round_of(3)
    # The second candidate already holds the seat in the new term: KKR cannot appoint her twice.
    make.appoint(second.seat, second.person, date(2026, 1, 1))
    constituent.place_round([first, second, third], MEETING, "5", council=COUNCIL)
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.date == MEETING))
    page = client.get(f"/moeder/{meeting.id}/beslutninger")
    assert "Udfald for Kandidat 1-0" in page.text
    response = client.post(f"/moeder/{meeting.id}/beslutninger", data={"effective_date": "2026-02-01"})
    assert "Kandidat 2-0 er allerede medlem på pladsen." in response.text
    db.session.commit()
    assert db.session.scalars(sa.select(Nomination.status).order_by(Nomination.id)).all() == [
        NominationStatus.on_agenda] * 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Appointment)) == 1


def test_the_secretariats_round_pages(client, contacts):
    round_of(2)
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")
    page = client.get("/moeder/runde")
    assert "Kandidat 1-0" in page.text
    response = client.post("/moeder/runde", data={"period": nominate.current_period().id,
                                                  "meeting_date": "2026-01-26", "section": "5"},
                           follow_redirects=True)
    assert "2 indstillinger er sat på dagsordenen, ét punkt pr. organisation." in response.text
    db.session.commit()  # a new transaction, which sees what the request committed
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.date == MEETING))
    annex = " ".join(client.get(f"/moeder/{meeting.id}/bilag").text.split())
    assert "5.1 Udpegning til Organ 1" in annex
    assert "Kandidat 2-0 (medlem)" in annex
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 2
    assert "Ingen indstillinger afventer udpegning." in client.get("/indstillinger/afventende").text

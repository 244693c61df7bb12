"""The constituent meeting of a round (issue 13, steps 7 and 8): every submitted nomination of the round onto
one agenda, one item per body; KKR's decisions for the whole meeting with the exceptions marked; one date of
an outside authority's appointment for all its pending recommendations. All or nothing."""

import html
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment
from registry.auth.models import UserRole
from registry.dates import today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import constituent
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.nominations.models import CallReason, Nomination, NominationStatus
from registry.notifications.models import Message
from registry.organisations.models import ElectionPeriod
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
        ("5.1", "Indstilling af medlemmer til Organ 1"), ("5.2", "Indstilling af medlemmer til Organ 2"),
        ("5.3", "Indstilling af medlemmer til Organ 3")]
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
    assert "5.1 Indstilling af medlem til Organ 1" in annex
    assert "Kandidat 2-0 (medlem)" in annex
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 2
    assert "Ingen indstillinger afventer udpegning." in client.get("/indstillinger/afventende").text


# Step 8 in parts: one item at a time, nominations KKR did not deal with, and the term's first day.

def the_meeting() -> Meeting:
    return db.session.scalar(sa.select(Meeting).where(Meeting.date == MEETING))


def statuses() -> list[NominationStatus]:
    return db.session.scalars(sa.select(Nomination.status).order_by(Nomination.id)).all()


def shown(response) -> str:
    """The page's text as the reader sees it: entities read, white space as one space."""
    return " ".join(html.unescape(response.text).split())


def as_secretariat(client) -> None:
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")


def test_kkr_decides_one_item_and_the_others_stay_on_the_agenda(client, contacts):
    first, second, third = round_of(3)
    items = constituent.place_round([first, second, third], MEETING, "5", council=COUNCIL)
    as_secretariat(client)
    meeting = the_meeting()
    assert f"/moeder/{meeting.id}/beslutninger?punkt={items[1].id}" in client.get(f"/moeder/{meeting.id}").text
    assert f"/moeder/{meeting.id}/beslutninger?punkt={items[1].id}" in client.get(
        f"/moeder/punkter/{items[1].id}").text
    page = client.get(f"/moeder/{meeting.id}/beslutninger?punkt={items[1].id}").text
    assert "KKR's beslutninger på punkt 5.2" in page
    assert "Udfald for Kandidat 2-0" in page
    assert "Kandidat 1-0" not in page
    response = client.post(f"/moeder/{meeting.id}/beslutninger?punkt={items[1].id}",
                           data={"effective_date": "2026-02-01"}, follow_redirects=True)
    assert ("KKR's beslutning er registreret for 1 indstilling. Udfald: 1 udpeget. Udpegningen gælder fra 01.02.2026."
            in shown(response))
    db.session.commit()
    assert statuses() == [NominationStatus.on_agenda, NominationStatus.appointed, NominationStatus.on_agenda]
    assert "Punkt 5.2 har ingen indstillinger, der venter på en beslutning." in client.get(
        f"/moeder/{meeting.id}/beslutninger?punkt={items[1].id}").text


def test_an_item_of_another_meeting_or_of_none_is_not_found(client, contacts):
    first, second = round_of(2)
    constituent.place_round([first], MEETING, "5", council=COUNCIL)
    other = constituent.place_round([second], date(2026, 3, 2), "5", council=COUNCIL)[0]
    as_secretariat(client)
    meeting = the_meeting()
    assert client.get(f"/moeder/{meeting.id}/beslutninger?punkt={other.id}").status_code == 404
    assert client.post(f"/moeder/{meeting.id}/beslutninger?punkt={other.id}",
                       data={"effective_date": "2026-03-02"}).status_code == 404
    assert client.get(f"/moeder/{meeting.id}/beslutninger?punkt=999999").status_code == 404
    refused = client.get(f"/moeder/{meeting.id}/beslutninger?punkt=5.1")
    assert refused.status_code == 400
    assert "Ugyldigt id i punkt" in refused.text
    db.session.commit()
    assert statuses() == [NominationStatus.on_agenda] * 2


def test_a_nomination_marked_udsat_gets_no_decision_and_stays_on_the_agenda(client, contacts):
    first, second, third = round_of(3)
    constituent.place_round([first, second, third], MEETING, "5", council=COUNCIL)
    as_secretariat(client)
    meeting = the_meeting()
    assert '<option value="udsat">Udsat (ikke behandlet)</option>' in client.get(
        f"/moeder/{meeting.id}/beslutninger").text
    everything_deferred = {f"outcome-{n.id}": "udsat" for n in (first, second, third)}
    refused = client.post(f"/moeder/{meeting.id}/beslutninger",
                          data={"effective_date": "2026-02-01", **everything_deferred})
    assert "Alle indstillingerne er udsat" in refused.text
    db.session.commit()
    assert statuses() == [NominationStatus.on_agenda] * 3
    response = client.post(f"/moeder/{meeting.id}/beslutninger",
                           data={"effective_date": "2026-02-01", f"outcome-{second.id}": "udsat",
                                 f"outcome-{third.id}": "not_supported"}, follow_redirects=True)
    text = shown(response)
    assert ("KKR's beslutning er registreret for 2 indstillinger. Udfald: 1 udpeget, 1 ikke tiltrådt. Udpegningen "
            "gælder fra 01.02.2026. 1 indstilling er udsat og står stadig på dagsordenen.") in text
    db.session.commit()
    assert statuses() == [NominationStatus.appointed, NominationStatus.on_agenda, NominationStatus.not_supported]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 2
    # Still on the agenda: decided at the next meeting, or here later.
    assert "Udfald for Kandidat 2-0" in client.get(f"/moeder/{meeting.id}/beslutninger").text


def new_period_nomination(period: ElectionPeriod, deadline: date) -> Nomination:
    """A nomination answering the call to nominate for the period."""
    seat = nominate.allocated_seat("F", f"Organ {period.name}", has_substitute=False)
    nominate.call(seat, reason=CallReason.new_period, deadline=deadline)
    nomination = nominate.nomination(seat, nominate.candidate(f"Kandidat {period.name}", "F"))
    assert nomination.call.reason is CallReason.new_period
    return nomination


def test_appointments_for_a_new_period_are_seated_from_its_first_day_or_the_meeting_if_later(client, contacts):
    current = nominate.current_period()
    following = ElectionPeriod(name="2030-2033", start_date=date(2030, 1, 1), end_date=date(2033, 12, 31))
    db.session.add(following)
    db.session.flush()
    early = new_period_nomination(following, date(2029, 11, 15))
    before_the_period = date(2029, 12, 10)
    constituent.place_round([early], before_the_period, "5", council=COUNCIL)
    late = new_period_nomination(current, today() + timedelta(days=30))
    vacancy = nominate.nomination(nominate.allocated_seat("F", "Organ ledig", has_substitute=False),
                                  nominate.candidate("Kandidat ledig", "F"))
    items = constituent.place_round([late, vacancy], MEETING, "5", council=COUNCIL)
    as_secretariat(client)
    meeting_before = db.session.scalar(sa.select(Meeting).where(Meeting.date == before_the_period))
    meeting_after = the_meeting()
    # The round prepared before the election: KKR meets in December, the new members sit from 1 January.
    assert 'value="2030-01-01"' in client.get(f"/moeder/{meeting_before.id}/beslutninger").text
    # As in 2026: the constituent meeting (26 January) after the period's first day, the meeting's day.
    assert 'value="2026-01-26"' in client.get(
        f"/moeder/{meeting_after.id}/beslutninger?punkt={items[0].id}").text
    # Nominations for a vacancy: the meeting's day.
    assert 'value="2026-01-26"' in client.get(
        f"/moeder/{meeting_after.id}/beslutninger?punkt={items[1].id}").text
    constituent.decide_meeting(meeting_before, {}, None)
    constituent.decide_meeting(meeting_after, {}, None)
    assert (early.appointed_on, late.appointed_on, vacancy.appointed_on) == (
        date(2030, 1, 1), MEETING, MEETING)
    assert db.session.scalars(sa.select(Appointment.start_date).where(
        Appointment.person_id == early.person_id)).one() == date(2030, 1, 1)


def test_deciding_one_item_takes_the_same_queries_for_few_and_many(contacts):
    def decided(per_body: int, day: date) -> int:
        own = round_of(2, per_body=per_body)
        for number, nomination in enumerate(own):
            if number % 2:
                make.appoint(nomination.seat, make.person(f"Siddende {day} {number}"), date(2022, 1, 1))
        item_id = constituent.place_round(own, day, "5", council=COUNCIL)[0].id
        db.session.commit()
        with make.queries() as statements:
            meeting = db.session.scalar(sa.select(Meeting).where(Meeting.date == day))
            item = db.session.get(AgendaItem, item_id)
            constituent.decide_meeting(meeting, {}, None, item=item)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination).where(
            Nomination.status == NominationStatus.appointed, Nomination.appointed_on == day)) == per_body
        return len(statements)
    assert decided(2, date(2026, 1, 26)) == decided(8, date(2026, 2, 26))


def test_the_command_decides_one_item_from_the_default_day_and_leaves_the_udsat(app, runner, contacts):
    first, second, third = round_of(3, per_body=1)
    constituent.place_round([first, second, third], MEETING, "5", council=COUNCIL)
    db.session.commit()
    unknown = runner.invoke(args=["registry", "decide-meeting", "--meeting-date", MEETING.isoformat(),
                                  "--item", "9.9"])
    assert unknown.exit_code == 1
    assert "Mødet KKR Hovedstaden 2026-01-26 har intet punkt 9.9." in unknown.output
    elsewhere = runner.invoke(args=["registry", "decide-meeting", "--meeting-date", MEETING.isoformat(),
                                    "--item", "5.2", "--outcome", f"{first.id}=not_supported"])
    assert elsewhere.exit_code == 1
    assert f"Indstilling {first.id} venter ikke på en beslutning på punkt 5.2 på mødet" in elsewhere.output
    result = runner.invoke(args=["registry", "decide-meeting", "--meeting-date", MEETING.isoformat(),
                                 "--item", "5.2"])
    assert result.exit_code == 0, result.output
    assert "KKR's beslutning er registreret for 1 indstilling:\n" in result.output
    assert f"5.2 Kandidat 2-0 som medlem, Organ 2, Plads 1 (indstilling {second.id}): udpeget" in result.output
    assert "Udpegningen gælder fra 2026-01-26." in result.output
    result = runner.invoke(args=["registry", "decide-meeting", "--meeting-date", MEETING.isoformat(),
                                 "--outcome", f"{third.id}=udsat"])
    assert result.exit_code == 0, result.output
    assert "KKR's beslutning er registreret for 1 indstilling:\n" in result.output
    assert "1 indstilling er udsat og står stadig på dagsordenen:\n" in result.output
    assert f"5.3 Kandidat 3-0 som medlem, Organ 3, Plads 1 (indstilling {third.id})" in result.output
    db.session.rollback()
    assert statuses() == [NominationStatus.appointed, NominationStatus.appointed, NominationStatus.on_agenda]

"""The rules of nominations, on both databases: from a call to a seated member, and every refusal on the way.

The path of the seed's item 4.1 is walked whole: SF nominates its suppleant
as member of RAR Hovedstaden, KKR takes it to note on 19 April 2024, the
minister appoints later, and the registry seats her and ends Lotte Kofoed's
term the day before.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Role
from registry.appointments.services import active_on
from registry.auth.models import UserRole
from registry.dates import today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import history
from registry.meetings import services as agenda
from registry.meetings.drafting import draft
from registry.meetings.models import Meeting, Outcome
from registry.nominations import services
from registry.nominations.models import CallReason, Nomination, NominationStatus
from registry.notifications.models import Message
from registry.organisations.models import ElectionPeriod, GenderRule, SeatAllocation
from registry.people.models import Gender
from tests import factories as make

MEETING = date(2024, 4, 19)
RECOMMENDATION_4_1 = ("Det indstilles, at KKR Hovedstaden tager Socialistisk Folkepartis indstilling af nyt medlem "
                      "og ny suppleant til RAR Hovedstaden til efterretning.")


def rar():
    """RAR Hovedstaden as it stood before item 4.1: SF's seat with Kofoed as member and Peschardt as suppleant."""
    sf = make.party("F", "SF – Socialistisk Folkeparti")
    organisation = make.organisation("RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren",
                                     authority_is_external=True)
    seat = make.seat(organisation, has_substitute=True)
    period = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    db.session.add_all([period, SeatAllocation(seat=seat, period=period, party=sf)])
    kofoed = make.person("Lotte Kofoed", "Frederiksberg")
    peschardt = make.person("Marie-Louise Peschardt Jørgensen", "Hvidovre")
    make.appoint(seat, kofoed, date(2022, 1, 1))
    make.appoint(seat, peschardt, date(2022, 1, 1), role=Role.substitute)
    user = make.user("sf", UserRole.party, "F")
    user.email = "sf@example.org"
    db.session.commit()
    return seat, sf, kofoed, peschardt


def calls(seat, sf):
    member = services.open_call(seat, Role.member, CallReason.resignation, today() + timedelta(days=14), party=sf)
    substitute = services.open_call(seat, Role.substitute, CallReason.other, today() + timedelta(days=14), party=sf)
    return member, substitute


def on_agenda(nomination, number: str = "4.1", day: date = MEETING):
    return agenda.place_on_agenda(nomination, day, number, council="KKR Hovedstaden",
                                    location="Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup",
                                    case_number="SAG-2024-01064", case_worker="gitb")


def holders(seat, day: date) -> dict[Role, str]:
    """The seat's roster on the day: who is member and who suppleant."""
    held = db.session.scalars(sa.select(Appointment).where(Appointment.seat_id == seat.id, active_on(day)))
    return {appointment.role: appointment.person.name for appointment in held}


def test_item_4_1_from_nomination_to_the_ministers_appointment(app):
    seat, sf, kofoed, peschardt = rar()
    member_call, substitute_call = calls(seat, sf)

    nomination = services.submit(seat, Role.member, sf, peschardt, motivation="Nuværende suppleant.")
    assert nomination.call is member_call
    assert nomination.status is NominationStatus.submitted
    item = on_agenda(nomination)
    db.session.commit()

    drafted = draft(item)
    assert drafted.title == "Indstilling af medlem til RAR Hovedstaden"
    assert drafted.recommendation == RECOMMENDATION_4_1
    assert drafted.background.startswith(
        "Da Lotte Kofoed (F), Frederiksberg Kommune, ønsker at udtræde af RAR Hovedstaden, skal der indstilles "
        "et nyt medlem.\n\nDet er beskæftigelsesministeren, der efter indstilling fra KKR Hovedstaden varetager "
        "den endelige udpegning.\n\nSocialistisk Folkeparti indstiller, at nuværende suppleant Marie-Louise "
        "Peschardt Jørgensen (F), Hvidovre Kommune, udpeges som nyt medlem til RAR Hovedstaden. Socialistisk "
        "Folkeparti vil i forbindelse med mødet i KKR Hovedstaden indstille en ny suppleant til RAR Hovedstaden.")

    decision = agenda.decide(nomination, Outcome.noted)
    db.session.commit()
    assert nomination.status is NominationStatus.pending
    assert decision.text == ("KKR Hovedstaden tog Socialistisk Folkepartis indstilling af Marie-Louise Peschardt "
                             "Jørgensen (F), Hvidovre Kommune, som medlem af RAR Hovedstaden til efterretning.")
    # Until the minister has appointed, the current holders stay.
    assert holders(seat, date(2024, 5, 31)) == {Role.member: "Lotte Kofoed",
                                                Role.substitute: "Marie-Louise Peschardt Jørgensen"}

    agenda.record_appointment(nomination, date(2024, 6, 1))
    db.session.commit()

    assert nomination.status is NominationStatus.appointed
    assert nomination.appointed_on == date(2024, 6, 1)
    assert holders(seat, date(2024, 5, 31)) == {Role.member: "Lotte Kofoed",
                                                Role.substitute: "Marie-Louise Peschardt Jørgensen"}
    assert holders(seat, date(2024, 6, 1)) == {Role.member: "Marie-Louise Peschardt Jørgensen"}
    ended = {(a.person.name, a.role): (a.end_date, a.end_reason) for a in db.session.scalars(
        sa.select(Appointment).where(Appointment.end_date.is_not(None)))}
    assert ended == {("Lotte Kofoed", Role.member): (date(2024, 5, 31), EndReason.resigned),
                     ("Marie-Louise Peschardt Jørgensen", Role.substitute): (date(2024, 5, 31), EndReason.other)}
    seated = db.session.scalar(sa.select(Appointment).where(Appointment.start_date == date(2024, 6, 1)))
    assert (seated.decision_id, seated.party.letter) == (decision.id, "F")
    # The member call is answered; the suppleant's is still open.
    assert (member_call.closed_on, substitute_call.closed_on) == (MEETING, None)
    subjects = db.session.scalars(sa.select(Message.subject).order_by(Message.id)).all()
    assert subjects == ["Opfordring til indstilling: RAR Hovedstaden", "Opfordring til indstilling: RAR Hovedstaden",
                        "Indstilling modtaget: RAR Hovedstaden", "Indstilling sat på dagsordenen: RAR Hovedstaden",
                        "KKR har behandlet indstillingen: RAR Hovedstaden", "Udpegning registreret: RAR Hovedstaden"]


def test_kkr_appoints_directly_from_the_effective_date_with_a_personal_suppleant(app):
    a = make.party("A", "Socialdemokratiet")
    seat = make.seat(make.organisation("Movia"), has_substitute=True)
    old = make.person("Gammel Eksempel", party_letter="A")
    make.appoint(seat, old, date(2022, 1, 1))
    member, substitute = make.person("Ny Eksempel", party_letter="A"), make.person("Suppleant Eksempel",
                                                                                    party_letter="A")
    nomination = services.submit(seat, Role.member, a, member, substitute=substitute)
    on_agenda(nomination, "5.2")
    agenda.decide(nomination, Outcome.appointed, effective=date(2024, 5, 1), reason=EndReason.term_ended)
    db.session.commit()

    assert holders(seat, date(2024, 5, 1)) == {Role.member: "Ny Eksempel", Role.substitute: "Suppleant Eksempel"}
    assert holders(seat, date(2024, 4, 30)) == {Role.member: "Gammel Eksempel"}
    assert nomination.decision.text == ("KKR Hovedstaden udpegede Ny Eksempel (A), Hvidovre Kommune, som medlem og "
                                        "Suppleant Eksempel (A), Hvidovre Kommune, som suppleant af Movia "
                                        "fra 1. maj 2024.")


def test_an_outside_authoritys_body_cannot_be_appointed_to_by_kkr(app):
    seat, sf, _, peschardt = rar()
    nomination = services.submit(seat, Role.member, sf, peschardt)
    on_agenda(nomination)
    with pytest.raises(RuleViolation, match="Beskæftigelsesministeren udpeger til RAR Hovedstaden"):
        agenda.decide(nomination, Outcome.appointed, effective=date(2024, 5, 1))


def test_kkr_does_not_take_note_where_it_appoints_itself(app):
    seat = make.seat(make.organisation("Movia"))
    nomination = services.submit(seat, Role.member, make.party("A"), make.person("Ny Eksempel"))
    on_agenda(nomination)
    with pytest.raises(RuleViolation, match="KKR udpeger selv til Movia"):
        agenda.decide(nomination, Outcome.noted)
    with pytest.raises(RuleViolation, match="Angiv den dato"):
        agenda.decide(nomination, Outcome.appointed)
    with pytest.raises(RuleViolation, match="kan ikke gælde fra før mødet den 19.04.2024"):
        agenda.decide(nomination, Outcome.appointed, effective=date(2024, 4, 18))


def test_kkr_decides_only_on_nominations_on_its_agenda(app):
    seat, sf, _, peschardt = rar()
    nomination = services.submit(seat, Role.member, sf, peschardt)
    with pytest.raises(RuleViolation, match="indsendt; KKR kan kun beslutte"):
        agenda.decide(nomination, Outcome.noted)
    with pytest.raises(RuleViolation, match="ikke afventende"):
        agenda.record_appointment(nomination, date(2024, 6, 1))


def test_not_supported_seats_no_one_and_leaves_the_call_open(app):
    seat, sf, _, peschardt = rar()
    member_call, _ = calls(seat, sf)
    nomination = services.submit(seat, Role.member, sf, peschardt)
    on_agenda(nomination)
    agenda.decide(nomination, Outcome.not_supported)
    db.session.commit()
    assert nomination.status is NominationStatus.not_supported
    assert member_call.is_open
    assert holders(seat, date(2024, 6, 1)) == {Role.member: "Lotte Kofoed",
                                               Role.substitute: "Marie-Louise Peschardt Jørgensen"}
    with pytest.raises(RuleViolation, match="ikke tiltrådt"):
        agenda.record_appointment(nomination, date(2024, 6, 1))


def test_the_ministers_date_cannot_come_before_the_meeting(app):
    seat, sf, _, peschardt = rar()
    nomination = services.submit(seat, Role.member, sf, peschardt)
    on_agenda(nomination)
    agenda.decide(nomination, Outcome.noted)
    db.session.commit()
    with pytest.raises(RuleViolation, match="før mødet"):
        agenda.record_appointment(nomination, date(2024, 4, 1))
    db.session.rollback()
    assert nomination.status is NominationStatus.pending


def test_gender_rule_asks_for_a_woman_and_a_man_or_special_reasons(app):
    organisation = make.organisation("Sundhedsrådet", gender_rule=GenderRule.section_10a)
    seat = make.seat(organisation, has_substitute=True)
    a = make.party("A")
    anne, bo = make.person("Anne Eksempel", gender=Gender.woman), make.person("Bo Eksempel", gender=Gender.man)
    carla = make.person("Carla Eksempel", gender=Gender.woman)

    with pytest.raises(RuleViolation, match="omfattet af ligestillingsloven § 10a: indstil både en kvinde og en mand"):
        services.submit(seat, Role.member, a, anne, substitute=carla)
    both = services.submit(seat, Role.member, a, anne, substitute=bo)
    reasoned = services.submit(seat, Role.member, a, anne, substitute=carla,
                               gender_reason="  Partiet har kun kvindelige medlemmer i udvalget.  ")
    assert both.gender_reason is None
    assert reasoned.gender_reason == "Partiet har kun kvindelige medlemmer i udvalget."
    # The reason is shown to KKR in the drafted agenda text.
    item = on_agenda(reasoned)
    assert "særlige grunde: Partiet har kun kvindelige medlemmer i udvalget." in draft(item).background


def test_a_suppleant_needs_a_seat_with_one_and_someone_else_than_the_member(app):
    seat = make.seat(has_substitute=False)
    a, anne, bo = make.party("A"), make.person("Anne Eksempel"), make.person("Bo Eksempel")
    with pytest.raises(RuleViolation, match="har ingen personlig suppleant"):
        services.submit(seat, Role.member, a, anne, substitute=bo)
    with pytest.raises(RuleViolation, match="har ingen personlig suppleant"):
        services.submit(seat, Role.substitute, a, anne)
    with_substitute = make.seat(label="Plads 2", has_substitute=True)
    with pytest.raises(RuleViolation, match="to forskellige personer"):
        services.submit(with_substitute, Role.member, a, anne, substitute=anne)


def test_party_group_edits_and_withdraws_only_until_the_agenda(app):
    seat, sf, kofoed, peschardt = rar()
    nomination = services.submit(seat, Role.member, sf, peschardt)
    other = make.person("Anden Eksempel")
    services.update(nomination, person=other, motivation="Ny kandidat")
    assert (nomination.person.name, nomination.motivation) == ("Anden Eksempel", "Ny kandidat")
    on_agenda(nomination)
    with pytest.raises(RuleViolation, match="på dagsorden og kan ikke længere ændres"):
        services.update(nomination, person=peschardt)
    with pytest.raises(RuleViolation, match="på dagsorden og kan ikke længere ændres"):
        services.withdraw(nomination)
    agenda.take_off_agenda(nomination)
    services.withdraw(nomination)
    assert nomination.status is NominationStatus.withdrawn
    assert nomination.item_id is None


def test_returned_with_a_comment_and_submitted_again_when_changed(app):
    seat, sf, _, peschardt = rar()
    nomination = services.submit(seat, Role.member, sf, peschardt)
    with pytest.raises(RuleViolation, match="Skriv en kommentar"):
        services.return_to_party(nomination, "   ")
    services.return_to_party(nomination, "Angiv venligst en motivation.")
    assert (nomination.status, nomination.comment) == (NominationStatus.returned, "Angiv venligst en motivation.")
    with pytest.raises(RuleViolation, match="Kun en indsendt indstilling kan sættes på dagsordenen"):
        on_agenda(nomination)
    services.update(nomination, person=peschardt, motivation="Erfaren suppleant.")
    assert nomination.status is NominationStatus.submitted
    services.withdraw(nomination)
    with pytest.raises(RuleViolation, match="Kun en indsendt indstilling kan sendes retur; denne er trukket"):
        services.return_to_party(nomination, "igen")


def test_placing_on_the_agenda_reuses_the_meeting_and_its_case_number(app):
    seat, sf, _, peschardt = rar()
    first = services.submit(seat, Role.member, sf, peschardt)
    second = services.submit(make.seat(label="Plads 2"), Role.member, sf, make.person("Anden Eksempel"))
    item = on_agenda(first)
    same = agenda.place_on_agenda(second, MEETING, "4.1", council="KKR Hovedstaden", case_number="SAG-1")
    assert same.id == item.id
    meetings = db.session.scalars(sa.select(Meeting)).all()
    assert [(m.date, m.case_number) for m in meetings] == [(MEETING, "SAG-2024-01064")]
    for bad in ("", "fire", "4.a", "4..1"):
        third = services.submit(make.seat(label=f"Plads {bad}x"), Role.member, sf, make.person(f"P {bad}"))
        with pytest.raises(RuleViolation, match="Punktnummeret skal være tal"):
            agenda.place_on_agenda(third, MEETING, bad, council="KKR Hovedstaden")


def test_a_call_goes_to_the_party_holding_the_seat_this_period(app):
    seat, sf, _, _ = rar()
    with pytest.raises(RuleViolation, match="ikke fordelt til en partigruppe"):
        services.open_call(seat, Role.member, CallReason.resignation, today() + timedelta(days=7))
    period = ElectionPeriod(name="nu", start_date=today() - timedelta(days=30), end_date=today() + timedelta(days=400))
    db.session.add(SeatAllocation(seat=seat, period=period, party=sf))
    db.session.flush()
    call = services.open_call(seat, Role.member, CallReason.resignation, today() + timedelta(days=7))
    assert call.party is sf
    assert call.opened_on == today()
    with pytest.raises(RuleViolation, match="allerede en åben opfordring"):
        services.open_call(seat, Role.member, CallReason.resignation, today() + timedelta(days=7))
    with pytest.raises(RuleViolation, match="Fristen ligger før i dag"):
        services.open_call(seat, Role.substitute, CallReason.other, today() - timedelta(days=1))
    services.close_call(call)
    assert not call.is_open


def test_warnings_the_secretariat_would_catch_by_hand(app):
    seat, sf, kofoed, peschardt = rar()
    b = make.party("B", "Radikale Venstre")
    outsider = make.person("Udenfor Eksempel", "Roskilde", party_letter="B")
    outsider.municipality.in_region = False
    seat.organisation.end_date = date(2024, 12, 31)
    secretariat = make.user("haan")
    found = services.warnings(seat, Role.member, b, [peschardt, outsider], day=date(2025, 2, 1), viewer=secretariat)
    assert found == [
        "RAR Hovedstaden er nedlagt pr. 31.12.2024.",
        "Pladsen tilhører SF – Socialistisk Folkeparti i valgperioden 2022-2025.",
        "Marie-Louise Peschardt Jørgensen er allerede suppleant på pladsen.",
        "Marie-Louise Peschardt Jørgensen er registreret som medlem af SF – Socialistisk Folkeparti.",
        "Udenfor Eksempel er ikke fra en kommune i regionen.",
    ]
    first = services.submit(seat, Role.member, b, outsider)
    itself = services.warnings(seat, Role.member, b, [outsider], day=date(2024, 5, 1), viewer=secretariat,
                               nomination=first)
    assert not any("verserende" in warning for warning in itself)
    assert services.warnings(seat, Role.member, sf, [peschardt], day=date(2024, 5, 1), viewer=secretariat)[-1] == \
        "Der er 1 anden verserende indstilling til pladsen som medlem."
    # SF's own group is not told that Radikale Venstre has nominated.
    sf_group = make.user("sfgruppe", UserRole.party, "F")
    assert not any("verserende" in warning for warning in services.warnings(
        seat, Role.member, sf, [peschardt], day=date(2024, 5, 1), viewer=sf_group))


def test_party_groups_see_only_their_own_nominations(app):
    seat, sf, _, peschardt = rar()
    b = make.party("B", "Radikale Venstre")
    ours = services.submit(seat, Role.member, sf, peschardt)
    theirs = services.submit(make.seat(label="Plads 2"), Role.member, b, make.person("Radikal Eksempel"))
    sf_user = db.session.scalar(sa.select(make_user_model()).where(make_user_model().username == "sf"))
    b_user = make.user("radikale", UserRole.party, "B")
    secretariat, viewer = make.user("gitb"), make.user("lars", UserRole.viewer)
    db.session.commit()

    assert services.get_visible(ours.id, sf_user) is ours
    assert services.get_visible(theirs.id, sf_user) is None
    assert services.get_visible(ours.id, b_user) is None
    assert services.get_visible(theirs.id, secretariat) is theirs
    assert services.get_visible(ours.id, viewer) is None
    assert [n.id for n in services.nominations_for(sf_user)] == [ours.id]
    assert {n.id for n in services.nominations_for(secretariat)} == {ours.id, theirs.id}


def test_the_history_holds_decisions_never_undecided_nominations(app):
    seat, sf, _, peschardt = rar()
    decided = services.submit(seat, Role.member, sf, peschardt)
    on_agenda(decided)
    agenda.decide(decided, Outcome.noted)
    waiting = services.submit(make.seat(label="Plads 2"), Role.member, make.party("B"), make.person("Radikal E"))
    on_agenda(waiting, "4.2")
    db.session.commit()

    page = history.page(history.Selection(), 1)
    entries, more = page.items, page.has_next
    assert [(e.item.number, e.person.name, e.decision.outcome) for e in entries] == \
        [("4.1", "Marie-Louise Peschardt Jørgensen", Outcome.noted)]
    assert not more
    by_person = history.page(history.Selection(person_id=peschardt.id), 1).items
    assert len(by_person) == 1
    assert history.page(history.Selection(organisation_id=seat.organisation_id + 1000), 1).items == []


def make_user_model():
    from registry.auth.models import User
    return User


def test_nomination_rows_are_audited_like_every_change(app):
    from registry.audit.models import AuditEntry
    seat, sf, _, peschardt = rar()
    nomination = services.submit(seat, Role.member, sf, peschardt)
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity == "nominations",
                                                          AuditEntry.entity_id == nomination.id))
    assert entry.action == "create"
    assert db.session.scalar(sa.select(sa.func.count(Nomination.id))) == 1

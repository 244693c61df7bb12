"""The round from the command line (issue 13: every step from the web and from the command line, for a whole
round at once): the composition, the allocation grid, the seated whose mandate has ended, the constituent
meeting's agenda, KKR's decisions and an outside authority's appointments. Each command calls the page's
service and saves all or nothing; a refusal says why, exits non-zero and leaves everything as it was.

Only the refusals that come after part of the change was written run on both databases: the rollback is
what they test."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason
from registry.audit.models import AuditEntry
from registry.dates import today
from registry.extensions import db
from registry.mandates import services as mandates
from registry.meetings import constituent
from registry.meetings.models import AgendaItem, Decision, Meeting
from registry.nominations.models import NominationStatus
from registry.organisations import services as organisations
from registry.organisations.models import SeatAllocation
from registry.rounds import services as rounds
from registry.rounds.models import ElectoralGroup
from tests import factories as make
from tests import nomination_factories as nominate
from tests.test_constituent import COUNCIL, MEETING, round_of
from tests.test_mandates import lapsed_world
from tests.test_rounds import allocations, bodies, composed, period


def registry(runner, *args: str):
    return runner.invoke(args=["registry", *args])


def composition() -> list[tuple[str, int, str | None]]:
    db.session.rollback()
    return [(row.party.letter, row.members, row.group.name if row.group else None)
            for row in rounds.composition(organisations.period_named("2026-2029"))]


def acted(actor: str) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.actor == actor)) > 0


# The KKR's composition and valggrupper.

def test_the_composition_is_recorded_and_replaced_as_the_form_does(app, runner):
    period()
    for letter in ("A", "F", "Ø", "V", "C"):
        make.party(letter)
    db.session.commit()
    result = registry(runner, "set-composition", "--period", "2026-2029", "--members", "A=6", "--members", "F=2",
                      "--members", "ø=1", "--members", "V=6", "--members", "C=3", "--group", "A+F+Ø=A,F,Ø")
    assert result.exit_code == 0, result.output
    assert "KKR's sammensætning i 2026-2029 er gemt (18 medlemmer):" in result.output
    assert composition() == [("A", 6, "A+F+Ø"), ("V", 6, None), ("C", 3, None), ("F", 2, "A+F+Ø"),
                             ("Ø", 1, "A+F+Ø")]
    assert acted("cli:set-composition")

    # A party not named is no longer in KKR; a group named by its letters alone.
    result = registry(runner, "set-composition", "--members", "A=9", "--members", "V=6", "--members", "F=3",
                      "--group", "A+F")
    assert result.exit_code == 0, result.output
    assert composition() == [("A", 9, "A+F"), ("V", 6, None), ("F", 3, "A+F")]


@pytest.mark.both_databases
def test_a_composition_that_drops_a_valggruppe_holding_seats_saves_nothing(app, runner):
    new = period()
    composed(new)
    movia, seats = bodies()
    group = db.session.scalar(sa.select(ElectoralGroup))
    db.session.add(SeatAllocation(seat_id=seats[0].id, period_id=new.id, party_id=make.party("A").id,
                                  group_id=group.id))
    db.session.commit()
    before = composition()
    result = registry(runner, "set-composition", "--members", "A=7", "--members", "F=2", "--members", "V=6")
    assert result.exit_code == 1
    assert "Valggruppen A+F+Ø har 1 plads i fordelingen." in result.output
    assert "Intet er gemt." in result.output
    assert composition() == before


# The allocation grid.

def test_the_grid_is_filled_from_a_saved_share_out(app, runner):
    new = period()
    parties = composed(new)
    movia, seats = bodies()
    share = rounds.record_share_out(new, 3, organisation=movia)
    group = db.session.scalar(sa.select(ElectoralGroup))
    db.session.commit()
    result = registry(runner, "allocate-seats", "--period", "2026-2029", "--share-out", str(share.id),
                      "--organisation-id", str(movia.id))
    assert result.exit_code == 0, result.output
    assert "Pladsfordelingen for 2026-2029 er gemt (3 ændret)." in result.output
    # Seats 1 and 3 to A+F+Ø (A, its largest party, nominates), seat 2 to V: the order the seats were won.
    assert allocations() == [(seats[0].id, parties["A"].id, group.id), (seats[1].id, parties["V"].id, None),
                             (seats[2].id, parties["A"].id, group.id)]
    assert acted("cli:allocate-seats")


def test_single_seats_are_given_by_party_letter_and_valggruppe(app, runner):
    new = period()
    parties = composed(new)
    movia, seats = bodies()
    group = db.session.scalar(sa.select(ElectoralGroup))
    db.session.commit()
    result = registry(runner, "allocate-seats", "--seat", f"{seats[0].id}=C", "--seat", f"{seats[1].id}=A+F+Ø:F")
    assert result.exit_code == 0, result.output
    assert "(2 ændret)" in result.output
    assert allocations() == [(seats[0].id, parties["C"].id, None), (seats[1].id, parties["F"].id, group.id)]

    result = registry(runner, "allocate-seats", "--seat", f"{seats[0].id}=")
    assert result.exit_code == 0, result.output
    assert allocations() == [(seats[1].id, parties["F"].id, group.id)]


@pytest.mark.both_databases
def test_a_refused_seat_saves_none_of_the_grid(app, runner):
    new = period()
    composed(new)
    movia, seats = bodies()
    db.session.commit()
    result = registry(runner, "allocate-seats", "--seat", f"{seats[0].id}=C", "--seat", f"{seats[1].id}=A+F+Ø:V")
    assert result.exit_code == 1
    assert f"Movia, Plads 2 (plads {seats[1].id}): " in result.output
    assert "V er ikke med i valggruppen A+F+Ø" in result.output
    assert "Intet er gemt." in result.output
    assert allocations() == []


@pytest.mark.parametrize(("args", "message"), [
    (["allocate-seats"], "Angiv enten --share-out eller --seat."),
    (["allocate-seats", "--seat", "999=F"], "Plads 999 er ikke i pladsfordelingen for 2026-2029"),
    (["allocate-seats", "--share-out", "999"], "Fordelingen 999 findes ikke."),
    (["set-composition", "--members", "Q=3"], "Partiet 'Q' findes ikke."),
    (["set-composition", "--members", "A=3", "--members", "F=2", "--group", "A+F", "--group", "F+V"],
     "F er med i både A+F og F+V"),
    (["decide-meeting", "--meeting-date", "2026-03-01", "--effective", "2026-03-01"],
     "KKR Hovedstaden har intet møde den 2026-03-01."),
    (["record-authority-appointments", "--authority", "Ministeren"], "Angiv --day"),
])
def test_what_a_command_cannot_read_is_refused_before_anything_is_written(app, runner, args, message):
    new = period()
    composed(new)
    make.party("V")
    db.session.commit()
    result = registry(runner, *args)
    assert result.exit_code != 0
    assert message in result.output
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.actor.startswith("cli:"))) == 0


# Seated people whose council mandate has ended.

def test_the_seated_whose_mandate_ended_are_listed_then_ended_at_once(app, runner):
    held = lapsed_world(2)
    last_week = today() - timedelta(days=7)
    listed = registry(runner, "end-lapsed-mandates", "--dry-run")
    assert listed.exit_code == 0, listed.output
    assert f"Udtrådt 1, RAR Hovedstaden, Plads 1 (medlem): mandatet i Hvidovre har sidste dag {last_week}" \
        in listed.output
    assert "Genvalgt" not in listed.output
    assert "Prøvekørsel: 2 udpegninger ville blive afsluttet; intet er gemt." in listed.output
    db.session.rollback()
    assert len(mandates.lapsed(today())) == 2

    result = registry(runner, "end-lapsed-mandates")
    assert result.exit_code == 0, result.output
    assert "2 udpegninger er afsluttet på mandatets sidste dag (udtrådt)." in result.output
    db.session.rollback()
    for appointment in held:
        db.session.refresh(appointment)
        assert (appointment.end_date, appointment.end_reason) == (last_week, EndReason.resigned)
        assert appointment.note == mandates.LEFT_THE_COUNCIL
    assert acted("cli:end-lapsed-mandates")
    assert "Ingen siddende har et mandat, der er ophørt." in registry(runner, "end-lapsed-mandates").output


@pytest.mark.both_databases
def test_one_that_cannot_be_ended_ends_none_of_them(app, runner):
    """The second began after the mandate ended: it cannot end on the mandate's last day."""
    first, second, third = lapsed_world(3)
    second.start_date = today()
    db.session.commit()
    result = registry(runner, "end-lapsed-mandates")
    assert result.exit_code == 1
    assert "Udtrådt 1, RAR Hovedstaden: Slutdatoen ligger før startdatoen." in result.output
    assert "Intet er gemt." in result.output
    db.session.rollback()
    assert db.session.scalars(sa.select(Appointment.end_date).where(
        Appointment.id.in_([first.id, second.id, third.id]))).all() == [None, None, None]


# The constituent meeting.

def test_the_round_goes_onto_the_meetings_agenda_one_item_per_body(app, runner):
    found = round_of(2)
    db.session.commit()
    result = registry(runner, "place-round", "--period", "2026-2029", "--meeting-date", MEETING.isoformat(),
                      "--location", "Kommunernes Hus", "--case-number", "SAG-2026-00012")
    assert result.exit_code == 0, result.output
    assert (f"2 indstillinger fra valgperioden 2026-2029 er sat på dagsordenen for {COUNCIL} 2026-01-26, "
            "ét punkt pr. organisation:") in result.output
    assert "  5.1 Udpegning til Organ 1\n  5.2 Udpegning til Organ 2" in result.output
    db.session.rollback()
    assert {(n.status, n.item.number, n.item.meeting.case_number) for n in found} == {
        (NominationStatus.on_agenda, "5.1", "SAG-2026-00012"), (NominationStatus.on_agenda, "5.2", "SAG-2026-00012")}
    assert acted("cli:place-round")


@pytest.mark.both_databases
def test_a_section_the_meeting_already_has_places_nothing(app, runner):
    first = round_of(1)
    constituent.place_round(first, MEETING, "5", council=COUNCIL)
    seat = nominate.allocated_seat("F", "Organ 2", has_substitute=False)
    late = nominate.nomination(seat, nominate.candidate("Sen Kandidat", "F"))
    db.session.commit()
    result = registry(runner, "place-round", "--meeting-date", MEETING.isoformat(), "--section", "5")
    assert result.exit_code == 1
    assert "Mødet har allerede punkt 5.1" in result.output
    db.session.rollback()
    db.session.refresh(late)
    assert (late.status, late.item_id) == (NominationStatus.submitted, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 1


def on_the_agenda():
    """Two nominations KKR appoints to, and one it recommends to Beskæftigelsesministeren, on the meeting."""
    own = round_of(2)
    external = nominate.allocated_seat("F", "RAR Hovedstaden", has_substitute=False,
                                       appointing_authority="Beskæftigelsesministeren", authority_is_external=True)
    recommended = nominate.nomination(external, nominate.candidate("Rikke Rådsmedlem", "F"))
    constituent.place_round([*own, recommended], MEETING, "5", council=COUNCIL)
    db.session.commit()
    return own, recommended


def test_kkr_decides_the_whole_meeting_with_an_exception(app, runner):
    own, recommended = on_the_agenda()
    result = registry(runner, "decide-meeting", "--meeting-date", MEETING.isoformat(), "--effective", "2026-02-01",
                      "--outcome", f"{own[1].id}=not_supported")
    assert result.exit_code == 0, result.output
    assert "KKR's beslutning er registreret for 3 indstillinger:" in result.output
    assert f"Kandidat 2-0 som medlem, Organ 2, Plads 1 (indstilling {own[1].id}): ikke tiltrådt" in result.output
    assert f"Rikke Rådsmedlem som medlem, RAR Hovedstaden, Plads 1 (indstilling {recommended.id}): indstillet" \
        in result.output
    db.session.rollback()
    assert [n.status for n in (*own, recommended)] == [
        NominationStatus.appointed, NominationStatus.not_supported, NominationStatus.pending]
    assert db.session.scalars(sa.select(Appointment.start_date).where(
        Appointment.person_id == own[0].person_id)).one() == date(2026, 2, 1)
    assert acted("cli:decide-meeting")


@pytest.mark.both_databases
def test_a_decision_kkr_cannot_make_records_none_of_the_meeting(app, runner):
    own, recommended = on_the_agenda()
    result = registry(runner, "decide-meeting", "--meeting-date", MEETING.isoformat(), "--effective", "2026-02-01",
                      "--outcome", f"{recommended.id}=appointed")
    assert result.exit_code == 1
    assert "Beskæftigelsesministeren udpeger til RAR Hovedstaden" in result.output
    assert "Intet er gemt." in result.output
    db.session.rollback()
    assert {n.status for n in (*own, recommended)} == {NominationStatus.on_agenda}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Appointment)) == 0


def test_the_authoritys_appointment_seats_all_its_recommendations(app, runner):
    own, recommended = on_the_agenda()
    constituent.decide_meeting(db.session.scalar(sa.select(Meeting)), {}, date(2026, 2, 1))
    db.session.commit()
    listed = registry(runner, "record-authority-appointments")
    assert listed.exit_code == 0, listed.output
    assert "Beskæftigelsesministeren (1 indstilling):" in listed.output
    assert f"  Rikke Rådsmedlem som medlem, RAR Hovedstaden, Plads 1 (indstilling {recommended.id})" in listed.output

    result = registry(runner, "record-authority-appointments", "--authority", "Beskæftigelsesministeren",
                      "--day", "2026-03-15")
    assert result.exit_code == 0, result.output
    assert "Beskæftigelsesministeren har udpeget 1 fra 2026-03-15." in result.output
    db.session.rollback()
    assert recommended.status is NominationStatus.appointed
    assert db.session.scalars(sa.select(Appointment.start_date).where(
        Appointment.person_id == recommended.person_id)).one() == date(2026, 3, 15)
    assert acted("cli:record-authority-appointments")


def test_an_authority_with_nothing_pending_is_refused(app, runner):
    on_the_agenda()
    result = registry(runner, "record-authority-appointments", "--authority", "Transportministeren",
                      "--day", "2026-03-15")
    assert result.exit_code == 1
    assert "Der er ingen afventende indstillinger til Transportministeren." in result.output
    assert "Ingen indstillinger venter" in registry(runner, "record-authority-appointments").output

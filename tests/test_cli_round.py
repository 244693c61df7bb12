"""The round from the command line (issue 13: every step from the web and from the command line, for a whole
round at once): the composition, the allocation grid, the seated whose mandate has ended, the constituent
meeting's agenda, KKR's decisions and an outside authority's appointments. Each command calls the page's
service and saves all or nothing; a refusal says why, exits non-zero and leaves everything as it was.

Only the refusals that come after part of the change was written run on both databases: the rollback is
what they test."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Role
from registry.audit.models import AuditEntry
from registry.dates import today
from registry.exchange.csv_export import HEADER
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
    (["edit-period", "2026-2029"], "Angiv mindst én af --name, --start og --end."),
    (["edit-period", "1999", "--end", "2030-01-01"], "Valgperioden 1999 findes ikke."),
    (["edit-period", "2026-2029", "--name", "2026-2029 (den lange periode)"], "Højst 20 tegn."),
    (["add-period", " ", "2030-01-01", "2033-12-31"], "Skriv valgperiodens navn."),
    (["agree-share-out", "999", "--share", "V=1"], "Fordelingen 999 findes ikke."),
    (["propose", "--party", "Q", "--by", "haan"], "Partiet 'Q' findes ikke."),
    (["propose", "--party", "F", "--by", "ingen"], "Brugeren 'ingen' findes ikke eller er deaktiveret."),
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
def test_one_appointed_after_the_mandate_ended_is_not_ended(app, runner):
    """The second began after the mandate ended, knowing there was none (a seat that needs none): it is not on
    the list, and the others are ended without it."""
    first, second, third = lapsed_world(3)
    second.start_date = today()
    db.session.commit()
    result = registry(runner, "end-lapsed-mandates")
    assert result.exit_code == 0, result.output
    assert "2 udpegninger er afsluttet" in result.output
    db.session.rollback()
    assert db.session.scalars(sa.select(Appointment.end_date).where(
        Appointment.id.in_([first.id, second.id, third.id])).order_by(Appointment.id)).all() == [
        today() - timedelta(days=7), None, today() - timedelta(days=7)]



@pytest.mark.both_databases
def test_one_that_cannot_be_ended_ends_none_of_them(app, runner, monkeypatch):
    """The list changed between the command reading it and ending it (the second holder re-elected meanwhile):
    the first, already ended in the same transaction, is put back, and nothing is saved."""
    first, second, third = lapsed_world(3)
    read = mandates.lapsed

    def read_then_reelect(day, appointment_ids=None):
        monkeypatch.setattr(mandates, "lapsed", read)
        entries = read(day, appointment_ids)
        mandates.record(second.person, make.municipality("Hvidovre"), today() - timedelta(days=6))
        return entries

    monkeypatch.setattr(mandates, "lapsed", read_then_reelect)
    result = registry(runner, "end-lapsed-mandates")
    assert result.exit_code == 1
    assert "En af udpegningerne er ikke længere på listen" in result.output
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
    assert "  5.1 Indstilling af medlem til Organ 1\n  5.2 Indstilling af medlem til Organ 2" in result.output
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


# Election periods.

def test_a_period_is_renamed_and_its_days_changed_as_the_form_does(app, runner):
    period()
    db.session.commit()
    result = registry(runner, "edit-period", "2026-2029", "--name", "2026-2030", "--end", "2030-12-31")
    assert result.exit_code == 0, result.output
    assert "Valgperioden 2026-2030 er gemt (2026-01-01 til 2030-12-31)." in result.output
    db.session.rollback()
    renamed = organisations.period_named("2026-2030")
    assert (renamed.start_date, renamed.end_date) == (date(2026, 1, 1), date(2030, 12, 31))
    assert acted("cli:edit-period")


def test_a_period_may_not_be_moved_over_another(app, runner):
    period()
    period("2030-2033", date(2030, 1, 1), date(2033, 12, 31))
    db.session.commit()
    result = registry(runner, "edit-period", "2026-2029", "--end", "2030-06-30")
    assert result.exit_code == 1
    assert "Perioden overlapper valgperioden 2030-2033 (01.01.2030–31.12.2033)." in result.output
    assert "Intet er gemt." in result.output
    result = registry(runner, "edit-period", "2026-2029", "--name", "2030-2033")
    assert result.exit_code == 1
    assert "Der findes allerede en valgperiode med navnet 2030-2033." in result.output
    db.session.rollback()
    assert organisations.period_named("2026-2029").end_date == date(2029, 12, 31)


@pytest.mark.parametrize(("dates", "chosen"), [
    # None contains today: the next to begin, which has no seats allocated yet.
    ([(2090, 2093), (2094, 2097)], "Ingen pladser er fordelt til partigrupperne i valgperioden 2090-2093."),
    # None to come: the last, whose last day has passed.
    ([(1990, 1993), (1994, 1997)], "Fristen ligger efter valgperiodens sidste dag, 31.12.1997."),
])
def test_the_round_commands_without_a_period_take_the_next_or_else_the_last(app, runner, dates, chosen):
    for first, last in dates:
        period(f"{first}-{last}", date(first, 1, 1), date(last, 12, 31))
    db.session.commit()
    progress = registry(runner, "round-progress")
    assert progress.exit_code == 0, progress.output
    assert progress.output.lstrip("\ufeff").startswith("Organisation;Plads;Partigruppe")
    reminded = registry(runner, "remind-late")
    assert reminded.exit_code == 0, reminded.output
    assert "Ingen partigrupper har overskredet fristen." in reminded.output
    calls = registry(runner, "open-period-calls", "--deadline", (today() + timedelta(days=30)).isoformat())
    assert calls.exit_code == 1
    assert chosen in calls.output


def test_open_period_calls_without_a_period_asks_for_the_seats_of_the_next(app, runner):
    future = period("2090-2093", date(2090, 1, 1), date(2093, 12, 31))
    movia, seats = bodies()
    db.session.add(SeatAllocation(seat_id=seats[0].id, period_id=future.id, party_id=make.party("F").id))
    db.session.commit()
    result = registry(runner, "open-period-calls", "--deadline", (today() + timedelta(days=30)).isoformat())
    assert result.exit_code == 0, result.output
    assert "2 opfordringer sendt til 1 partigruppe i valgperioden 2090-2093." in result.output


# Share-outs "efter aftale".

def saved_share_out():
    """3 seats of KKR 2026-2029 by d'Hondt: A+F+Ø 2, V 1, C 0."""
    composed(period())
    share = rounds.record_share_out(organisations.period_named("2026-2029"), 3)
    db.session.commit()
    return share


def agreed(share) -> dict[str, tuple[int, int]]:
    db.session.rollback()
    return {row["name"]: (row["share"], row["agreed"]) for row in rounds.stored(share)["rows"]}


def test_the_shares_agreed_are_recorded_with_a_note(app, runner):
    share = saved_share_out()
    result = registry(runner, "agree-share-out", str(share.id), "--share", "a+f+ø=1", "--share", "V=2",
                      "--note", "V og A+F+Ø har aftalt, at V tager den tredje plads.")
    assert result.exit_code == 0, result.output
    assert f"Fordelingen {share.id} efter aftale er gemt:" in result.output
    assert "  A+F+Ø: 1 (beregnet 2)\n  V: 2 (beregnet 1)\n  C: 0 (beregnet 0)" in result.output
    assert agreed(share) == {"A+F+Ø": (2, 1), "V": (1, 2), "C": (0, 0)}
    assert share.note == "V og A+F+Ø har aftalt, at V tager den tredje plads."
    assert acted("cli:agree-share-out")

    # The note stays when only the shares change; back to the calculation.
    result = registry(runner, "agree-share-out", str(share.id), "--share", "A+F+Ø=2", "--share", "V=1")
    assert result.exit_code == 0, result.output
    assert agreed(share) == {"A+F+Ø": (2, 2), "V": (1, 1), "C": (0, 0)}
    assert share.note == "V og A+F+Ø har aftalt, at V tager den tredje plads."


@pytest.mark.parametrize(("args", "message"), [
    (["--share", "V=2"], "Fordelingen efter aftale giver 4 pladser, men der fordeles 3."),
    (["--share", "V=2", "--share", "A+F+Ø=1"],
     "Skriv i noten, hvad der er aftalt, når fordelingen afviger fra beregningen."),
    (["--share", "Q=1", "--note", "x"], "har ingen række Q; den har A+F+Ø, V, C."),
    (["--share", "V=1", "--share", "v=1"], "V er nævnt mere end én gang."),
    (["--share", "V=to"], "'to' er ikke et helt tal"),
    ([], "Angiv --share, --note eller begge."),
])
def test_shares_the_web_refuses_are_refused(app, runner, args, message):
    share = saved_share_out()
    result = registry(runner, "agree-share-out", str(share.id), *args)
    assert result.exit_code != 0
    assert message in result.output
    assert agreed(share) == {"A+F+Ø": (2, 2), "V": (1, 1), "C": (0, 0)}
    assert share.note is None


def test_the_draws_record_is_danish_whatever_the_pages_language(app):
    """The share-out keeps the draw's text; an English page must not put English words into it."""
    from fractions import Fraction

    from registry.rounds.dhondt import Lot

    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert Lot(("V", "C"), Fraction(3), 1, ("C",)).text() == (
            "Lodtrækning om 1 plads mellem V, C (kvotient 3): udtrukket C.")


# A party group's proposal, entered by the secretariat.

def proposal_world():
    """F holds two seats on Movia (ligestillingsloven § 10a) in the period; the secretariat's haan enters."""
    from registry.auth.models import UserRole
    from registry.organisations.models import GenderRule
    from registry.people.models import Gender

    first, second = (nominate.allocated_seat("F", "Movia", gender_rule=GenderRule.section_10a) for _ in range(2))
    women = [nominate.candidate(f"Kvinde {n}", "F", Gender.woman) for n in range(4)]
    men = [nominate.candidate(f"Mand {n}", "F", Gender.man) for n in range(2)]
    sf = nominate.party_user("sf", "F")
    sf.email = "sf@example.org"
    haan = make.user("haan", UserRole.secretariat)
    db.session.commit()
    return {"seats": (first, second), "women": women, "men": men, "haan": haan}


def nominations() -> list:
    from registry.nominations.models import Nomination

    db.session.rollback()
    return db.session.scalars(sa.select(Nomination).order_by(Nomination.seat_id)).all()


def test_a_proposal_is_saved_as_drafts_then_submitted_all_at_once(app, runner):
    from registry.notifications.models import Message

    world = proposal_world()
    first, second = world["seats"]
    women, men = world["women"], world["men"]
    result = registry(runner, "propose", "--party", "f", "--by", "haan", "--period", nominate.current_period().name,
                      "--seat", f"{first.id}={women[0].id}/{men[0].id}", "--seat", f"{second.id}={women[1].id}")
    assert result.exit_code == 0, result.output
    assert "Kladden er gemt." in result.output
    assert f"Plads 1 (plads {first.id}): Kvinde 0 (medlem) / Mand 0 (suppleant) – kladde" in result.output
    drafts = nominations()
    assert [(n.person_id, n.substitute_id, n.status) for n in drafts] == [
        (women[0].id, men[0].id, NominationStatus.draft), (women[1].id, None, NominationStatus.draft)]
    assert {n.submitted_by_id for n in drafts} == {world["haan"].id}
    assert acted("cli:propose")

    # The second seat's pair changed, the first kept as drafted, and all of it submitted.
    result = registry(runner, "propose", "--party", "F", "--by", "haan", "--submit",
                      "--seat", f"{second.id}={men[1].id}/{women[1].id}")
    assert result.exit_code == 0, result.output
    assert "2 indstillinger er sendt til sekretariatet." in result.output
    sent = nominations()
    assert [n.id for n in sent] == [n.id for n in drafts]
    assert [(n.person_id, n.substitute_id, n.status) for n in sent] == [
        (women[0].id, men[0].id, NominationStatus.submitted), (men[1].id, women[1].id, NominationStatus.submitted)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 1


def test_a_proposed_person_without_a_mandate_on_the_periods_first_day_is_warned_about_not_refused(app, runner):
    world = proposal_world()
    first, _second = world["seats"]
    first_day = nominate.current_period().start_date
    left = world["women"][0]
    mandates.record(left, make.municipality("Hvidovre"), date(2022, 1, 1), end=first_day - timedelta(days=1))
    db.session.commit()
    result = registry(runner, "propose", "--party", "F", "--by", "haan", "--seat", f"{first.id}={left.id}")
    assert result.exit_code == 0, result.output
    assert (f"Advarsel: {left.name} har ikke mandat i kommunalbestyrelsen fra {first_day:%d.%m.%Y}."
            in result.output)

@pytest.mark.both_databases
def test_a_proposal_that_breaks_the_gender_rule_submits_nothing_until_særlige_grunde_are_given(app, runner):
    world = proposal_world()
    first, second = world["seats"]
    women = world["women"]
    body = first.organisation_id
    args = ["propose", "--party", "F", "--by", "haan", "--submit", "--seat", f"{first.id}={women[0].id}/{women[1].id}",
            "--seat", f"{second.id}={women[2].id}/{women[3].id}"]
    refused = registry(runner, *args)
    assert refused.exit_code == 1
    assert f"Movia (organisation {body}): " in refused.output
    assert "indstillet 4 kvinder og 0 mænd" in refused.output
    assert "Intet er gemt." in refused.output
    assert nominations() == []

    result = registry(runner, *args, "--reason", f"{body}=Kun kvinder med den faglige baggrund.")
    assert result.exit_code == 0, result.output
    assert [(n.status, n.gender_reason) for n in nominations()] == [
        (NominationStatus.submitted, "Kun kvinder med den faglige baggrund.")] * 2


def test_the_current_holders_are_reappointed_in_one_step(app, runner):
    world = proposal_world()
    first, second = world["seats"]
    women, men = world["women"], world["men"]
    make.appoint(first, women[0], date(2022, 1, 1))
    make.appoint(first, men[0], date(2022, 1, 1), role=Role.substitute)
    db.session.commit()
    result = registry(runner, "propose", "--party", "F", "--by", "haan", "--reappoint-all")
    assert result.exit_code == 0, result.output
    # Only the seat with holders: the other has no one to reappoint.
    assert [(n.seat_id, n.person_id, n.substitute_id, n.status) for n in nominations()] == [
        (first.id, women[0].id, men[0].id, NominationStatus.draft)]

    refused = registry(runner, "propose", "--party", "F", "--by", "haan", "--reappoint", str(second.id))
    assert refused.exit_code == 1
    assert f"Movia, Plads 2 (plads {second.id}) har ingen nuværende indehaver at genindstille." in refused.output

    # An empty --seat drops the draft, as leaving the seat empty on the page does.
    result = registry(runner, "propose", "--party", "F", "--by", "haan", "--seat", f"{first.id}=")
    assert result.exit_code == 0, result.output
    assert [n.status for n in nominations()] == [NominationStatus.withdrawn]


def test_what_the_page_would_not_offer_is_refused(app, runner):
    from registry.auth.models import UserRole

    world = proposal_world()
    first, _second = world["seats"]
    women = world["women"]
    stranger = nominate.candidate("Anden Partis", "A")
    other = nominate.allocated_seat("A", "Movia")
    make.user("sf2", UserRole.party, "F")
    db.session.commit()
    cases = [
        (["--seat", f"{first.id}={stranger.id}"], f"Person {stranger.id} kan ikke vælges"),
        (["--seat", f"{other.id}={women[0].id}"], f"Plads {other.id} er ikke fordelt til F i valgperioden"),
        (["--seat", f"{first.id}={women[0].id}", "--seat", f"{first.id}={women[1].id}"],
         f"Plads {first.id} er nævnt mere end én gang."),
        (["--reason", f"{first.organisation_id}={'x' * 2001}"], "Højst 2000 tegn."),
    ]
    for args, message in cases:
        result = registry(runner, "propose", "--party", "F", "--by", "haan", *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    result = registry(runner, "propose", "--party", "F", "--by", "sf2", "--seat", f"{first.id}={women[0].id}")
    assert result.exit_code == 1
    assert "forslaget indtastes af sekretariatet" in result.output
    assert nominations() == []


# The imports' counts in the singular and the plural.

@pytest.mark.parametrize(("command", "header"), [
    ("import-mandates", "navn;parti;kommune;startdato"),
    ("import-csv", ";".join(HEADER)),
])
def test_a_line_of_one_cell_is_told_in_the_singular(app, runner, tmp_path, command, header):
    columns = len(header.split(";"))
    file = tmp_path / "fil.csv"
    file.write_text(f"{header}\r\nEnlig\r\nTo;celler\r\n", encoding="utf-8")
    result = registry(runner, command, str(file))
    assert result.exit_code == 1
    assert f"linje 2: linjen har 1 celle, men overskriften har {columns}" in result.output
    assert f"linje 3: linjen har 2 celler, men overskriften har {columns}" in result.output

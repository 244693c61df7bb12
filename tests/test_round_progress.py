"""The round page: how far the election period's round has got, per body, party group and seat."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.auth.services import create_user
from registry.dates import today
from registry.extensions import db
from registry.nominations import period as round_rules
from registry.nominations import progress as round_progress
from registry.nominations.models import Call, Nomination, NominationStatus
from registry.notifications.models import Message
from registry.organisations.models import ElectionPeriod, GenderRule
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate

Stage = round_progress.Stage


def contact(username: str, letter: str) -> None:
    create_user(username, make.PASSWORD, UserRole.party, make.party(letter), email=f"{username}@example.org")


def login_secretariat(client) -> None:
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    assert make.login(client, "haan").status_code == 302


def open_round(days: int = 30) -> list[Call]:
    return round_rules.open_period_calls(nominate.current_period(), today() + timedelta(days=days))


def overdue(calls: list[Call]) -> None:
    """The deadline passed yesterday (a call cannot be opened with a deadline in the past)."""
    for call in calls:
        call.deadline = today() - timedelta(days=1)
    db.session.flush()


def a_round() -> dict:
    """F holds two RAR seats with suppleants, A one Movia seat without. F has nominated member and suppleant for
    its first seat; A has not, and its deadline has passed."""
    rar_1 = nominate.allocated_seat("F", label="Plads 1")
    rar_2 = nominate.allocated_seat("F", label="Plads 2")
    movia = nominate.allocated_seat("A", "Movia", label="Plads 1", has_substitute=False)
    contact("sf", "F")
    contact("soc", "A")
    calls = open_round()
    overdue([call for call in calls if call.party.letter == "A"])
    full = nominate.nomination(rar_1, nominate.candidate("Anna Andersen"),
                               substitute=nominate.candidate("Bo Bendtsen", gender=Gender.man))
    nominate.nomination(rar_2, nominate.candidate("Cecilie Carlsen"))
    db.session.commit()
    return dict(rar_1=rar_1, rar_2=rar_2, movia=movia, full=full)


def tally(progress, body: str, letter: str):
    return next(t for t in progress.groups if t.organisation.name == body and t.party.letter == letter)


@pytest.mark.both_databases
def test_counts_per_body_and_party_group(app):
    a_round()

    progress = round_progress.progress(nominate.current_period())

    rar = tally(progress, "RAR Hovedstaden", "F")
    assert [len(rar.seats), *(rar.count(stage) for stage in round_progress.COUNTED)] == [2, 2, 1, 0, 0, 0]
    movia = tally(progress, "Movia", "A")
    assert [len(movia.seats), *(movia.count(stage) for stage in round_progress.COUNTED)] == [1, 1, 0, 0, 0, 0]
    assert movia.overdue == 1
    assert rar.overdue == 0
    assert [t.party.letter for t in progress.parties] == ["A", "F"]
    assert progress.total.count(Stage.called) == 3


@pytest.mark.both_databases
def test_a_seat_moves_on_to_the_agenda_the_decision_and_the_seat(app):
    seats = a_round()
    full, period = seats["full"], nominate.current_period()

    def stage() -> Stage:
        found = round_progress.progress(period)
        return next(seat for seat in found.seats if seat.seat.id == seats["rar_1"].id).stage

    assert stage() is Stage.nominated
    full.status = NominationStatus.on_agenda
    db.session.commit()
    assert stage() is Stage.on_agenda
    full.status = NominationStatus.appointed
    db.session.commit()
    assert stage() is Stage.decided
    make.appoint(seats["rar_1"], full.person, period.start_date)
    make.appoint(seats["rar_1"], full.substitute, period.start_date, role=Role.substitute)
    db.session.commit()
    assert stage() is Stage.seated


def test_a_holder_seated_before_the_period_does_not_count(app):
    seat = nominate.allocated_seat("F", has_substitute=False)
    period = nominate.current_period()
    make.appoint(seat, make.person("Gammel Holder"), period.start_date - timedelta(days=400))
    db.session.commit()

    [found] = round_progress.progress(period).seats
    assert found.stage is Stage.allocated
    assert not found.reached(Stage.seated)


def test_drafts_and_withdrawn_nominations_count_for_nothing(app):
    seat = nominate.allocated_seat("F", has_substitute=False)
    open_round()
    nomination = nominate.nomination(seat)
    nomination.status = NominationStatus.draft
    db.session.commit()

    [found] = round_progress.progress(nominate.current_period()).seats
    assert found.stage is Stage.called
    nomination.status = NominationStatus.withdrawn
    db.session.commit()
    [found] = round_progress.progress(nominate.current_period()).seats
    assert found.stage is Stage.called


def test_a_nomination_from_another_party_does_not_fill_the_seat(app):
    seat = nominate.allocated_seat("F", has_substitute=False)
    nominate.nomination(seat, party_letter="A")
    db.session.commit()

    [found] = round_progress.progress(nominate.current_period()).seats
    assert found.stage is Stage.allocated


# The page.

def test_the_page_shows_counts_states_and_passed_deadlines(client, app):
    a_round()
    login_secretariat(client)

    page = client.get("/runde").text

    assert f"Valgperiodens runde: {nominate.current_period().name}" in page
    assert "Partigrupper med overskredet frist" in page
    assert "A – Parti A: 1 opfordring" in page
    assert page.count("Frist overskredet</strong>") == 1
    assert "Indstillet" in page
    assert "Cecilie Carlsen" not in page  # the page counts; the nominations are on their own pages


def test_the_page_defaults_to_todays_period_and_offers_the_others(client, app):
    nominate.allocated_seat("F")
    db.session.add(ElectionPeriod(name="2030-2033", start_date=nominate.current_period().end_date + timedelta(1),
                                  end_date=nominate.current_period().end_date + timedelta(days=4 * 365)))
    login_secretariat(client)

    page = client.get("/runde").text
    assert f"<strong>{nominate.current_period().name}</strong>" in page
    assert 'href="/runde?periode=2030-2033"' in page
    assert "Ingen pladser er fordelt til partigrupperne i valgperioden." in client.get("/runde?periode=2030-2033").text
    assert client.get("/runde?periode=1999-2002").status_code == 404


@pytest.mark.both_databases
def test_the_page_is_exported_as_csv(client, app):
    seats = a_round()
    login_secretariat(client)

    response = client.get("/runde.csv")

    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:5] == ["Organisation", "Plads", "Partigruppe", "Roller", "Status"]
    by_seat = {(row[0], row[1]): row for row in rows[1:]}
    assert by_seat[("RAR Hovedstaden", seats["rar_1"].label)][3:7] == [
        "medlem og suppleant", "indstilling modtaget", "ja", "ja"]
    movia = by_seat[("Movia", "Plads 1")]
    assert movia[4] == "opfordret"
    assert movia[11] == "ja"


def test_the_csv_neutralises_formulas(client, app):
    nominate.allocated_seat("F", "=HYPERLINK(\"x\")", label="+1")
    login_secretariat(client)

    text = client.get("/runde.csv").data.decode("utf-8")
    assert "'=HYPERLINK" in text
    assert ";'+1;" in text


@pytest.mark.both_databases
def test_the_page_takes_the_same_number_of_queries_however_many_seats(client, app):
    login_secretariat(client)
    for number in range(2):
        nominate.allocated_seat("FA"[number % 2], f"Organisation {number}", label=f"Plads {number}")
    open_round()
    db.session.commit()
    few, few_csv = make.count_queries(client, "/runde"), make.count_queries(client, "/runde.csv")
    for number in range(2, 30):
        seat = nominate.allocated_seat("FAV"[number % 3], f"Organisation {number % 5}", label=f"Plads {number}",
                                       gender_rule=GenderRule.section_10a)
        if number % 2:
            nominate.nomination(seat, nominate.candidate(f"Kandidat {number}"),
                                substitute=nominate.candidate(f"Suppleant {number}", gender=Gender.man))
        if number % 4 == 0:
            make.appoint(seat, make.person(f"Holder {number}"), nominate.current_period().start_date)
    open_round()
    db.session.commit()

    assert make.count_queries(client, "/runde") == few
    assert make.count_queries(client, "/runde.csv") == few_csv


# Reminders.

@pytest.mark.both_databases
def test_a_reminder_goes_only_to_the_late_party_groups(client, app):
    a_round()
    login_secretariat(client)

    response = client.post("/runde/paamindelse")

    assert response.status_code == 302
    db.session.rollback()
    [message] = db.session.scalars(sa.select(Message).where(Message.subject.like("Påmindelse%")))
    assert message.recipient == "soc@example.org"
    assert "- Movia, Plads 1: medlem (frist" in message.body
    assert "Fristen er overskredet." in message.body
    assert "Der er sendt en påmindelse til 1 partigruppe: Parti A." in client.get("/runde").text


def test_a_group_that_has_nominated_is_not_late(client, app):
    seat = nominate.allocated_seat("F", has_substitute=False)
    contact("sf", "F")
    overdue(open_round())
    nominate.nomination(seat)
    db.session.commit()
    login_secretariat(client)

    client.post("/runde/paamindelse")

    assert "Ingen partigrupper har overskredet fristen." in client.get("/runde").text
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)
                             .where(Message.subject.like("Påmindelse%"))) == 0


def test_the_reminder_command(app, runner):
    a_round()

    result = runner.invoke(args=["registry", "remind-late"])

    assert result.exit_code == 0, result.output
    assert "Påmindelse sendt til 1 partigruppe." in result.output


def test_the_progress_command_writes_the_csv(app, runner):
    a_round()

    result = runner.invoke(args=["registry", "round-progress", "--period", nominate.current_period().name])

    assert result.exit_code == 0, result.output
    assert "Movia;Plads 1;A – Parti A;medlem;opfordret" in result.output


@pytest.mark.parametrize("role", [UserRole.viewer, UserRole.party])
def test_the_round_is_the_secretariats(client, app, role):
    make.user("bruger", role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    make.login(client, "bruger")
    assert client.get("/runde").status_code == 403
    assert client.get("/runde.csv").status_code == 403
    assert client.post("/runde/paamindelse").status_code == 403


def test_nominations_of_an_earlier_round_do_not_count(app):
    seat = nominate.allocated_seat("F", has_substitute=False)
    old = nominate.nomination(seat)
    period = nominate.current_period()
    old.submitted_at = old.submitted_at.replace(year=period.start_date.year - 4)
    db.session.commit()

    [found] = round_progress.progress(period).seats
    assert found.stage is Stage.allocated
    assert db.session.get(Nomination, old.id) is not None


def test_without_periods_the_pages_say_so(client, app):
    login_secretariat(client)

    assert "Der er ingen valgperioder endnu." in client.get("/runde").text
    assert client.get("/opfordringer/valgperiode").status_code == 200
    assert client.get("/runde.csv").status_code == 404

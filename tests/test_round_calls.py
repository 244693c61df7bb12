"""Bulk calls for a new election period: one step asks every party group to nominate for all its seats."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.auth.services import create_user
from registry.dates import today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.nominations import period as round_rules
from registry.nominations.models import Call, CallReason
from registry.notifications import services as notifications
from registry.notifications.models import Message
from registry.organisations.models import ElectionPeriod, SeatAllocation, SeatFiller, SeatKind
from tests import factories as make
from tests import nomination_factories as nominate


def contact(username: str, letter: str) -> None:
    """A party group user with an e-mail address, so the group gets the messages."""
    create_user(username, make.PASSWORD, UserRole.party, make.party(letter), email=f"{username}@example.org")


def pooled_seat(letter: str, organisation_name: str = "AMU Hovedstaden", rank: int = 1):
    seat = make.seat(make.organisation(organisation_name), label=f"Suppleant {rank}", has_substitute=False,
                     kind=SeatKind.pooled_substitute, pool_rank=rank)
    db.session.add(SeatAllocation(seat_id=seat.id, period_id=nominate.current_period().id,
                                  party_id=make.party(letter).id))
    db.session.flush()
    return seat


def asked() -> set[tuple[str, Role, str]]:
    return {(call.seat.label, call.role, call.party.letter) for call in db.session.scalars(sa.select(Call))}


def outbox() -> list[Message]:
    return list(db.session.scalars(sa.select(Message).order_by(Message.recipient, Message.id)))


def deadline():
    return today() + timedelta(days=30)


@pytest.mark.both_databases
def test_one_step_calls_every_allocated_seat_member_and_suppleant(app):
    with_substitute = nominate.allocated_seat("F", label="Med suppleant")
    alone = nominate.allocated_seat("F", label="Uden suppleant", has_substitute=False)
    pooled = pooled_seat("A")
    other = nominate.allocated_seat("A", label="Anden udpeger", has_substitute=False)
    other.filled_by = SeatFiller.other
    nominate.organisation_seat("Dansk Industri")
    db.session.commit()

    calls = round_rules.open_period_calls(nominate.current_period(), deadline())
    db.session.commit()

    assert len(calls) == 4
    assert asked() == {(with_substitute.label, Role.member, "F"), (with_substitute.label, Role.substitute, "F"),
                       (alone.label, Role.member, "F"), (pooled.label, Role.substitute, "A")}
    rows = list(db.session.scalars(sa.select(Call)))
    assert {(row.reason, row.deadline, row.closed_on) for row in rows} == {(CallReason.new_period, deadline(), None)}


@pytest.mark.both_databases
def test_each_party_group_gets_one_message_listing_its_seats(app):
    nominate.allocated_seat("F", label="Plads 1")
    nominate.allocated_seat("F", "Movia", label="Plads 2", has_substitute=False)
    pooled_seat("A")
    contact("sf", "F")
    contact("sf2", "F")
    contact("soc", "A")
    db.session.commit()

    round_rules.open_period_calls(nominate.current_period(), deadline(), note="Husk kønsbalancen.")
    db.session.commit()

    messages = outbox()
    assert [message.recipient for message in messages] == ["sf2@example.org", "sf@example.org", "soc@example.org"]
    sf = messages[1]
    assert sf.subject == f"Opfordring til indstilling: valgperioden {nominate.current_period().name}"
    assert "- RAR Hovedstaden, Plads 1: medlem og suppleant" in sf.body
    assert "- Movia, Plads 2: medlem (frist" in sf.body
    assert "Husk kønsbalancen." in sf.body
    assert "AMU Hovedstaden" not in sf.body
    assert "- AMU Hovedstaden, Suppleant 1: suppleant" in messages[2].body


@pytest.mark.both_databases
def test_running_again_opens_only_what_is_missing(app):
    first = nominate.allocated_seat("F", label="Plads 1")
    contact("sf", "F")
    db.session.commit()
    round_rules.open_period_calls(nominate.current_period(), deadline())
    db.session.commit()
    # The secretariat closed the suppleant's call by hand: it stays closed.
    suppleant = db.session.scalar(sa.select(Call).where(Call.role == Role.substitute))
    suppleant.closed_on = today()
    later = nominate.allocated_seat("F", label="Plads 2", has_substitute=False)
    db.session.commit()

    again = round_rules.open_period_calls(nominate.current_period(), deadline())
    db.session.commit()

    assert [(call.seat.label, call.role) for call in again] == [(later.label, Role.member)]
    assert len(asked()) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Call).where(
        Call.seat_id == first.id, Call.closed_on.is_(None))) == 1
    latest = outbox()[-1]
    assert "Plads 2" in latest.body
    assert "Plads 1" not in latest.body
    assert round_rules.open_period_calls(nominate.current_period(), deadline()) == []


def test_an_open_call_from_before_the_round_is_not_opened_twice(app):
    seat = nominate.allocated_seat("F", has_substitute=False)
    nominate.call(seat)
    db.session.commit()

    assert round_rules.open_period_calls(nominate.current_period(), deadline()) == []


@pytest.mark.parametrize(("days", "words"), [(-1, "Fristen ligger før i dag."),
                                             (5000, "Fristen ligger efter valgperiodens sidste dag")])
def test_a_deadline_outside_the_period_is_refused(app, days, words):
    nominate.allocated_seat("F")
    db.session.commit()

    with pytest.raises(RuleViolation, match=words):
        round_rules.open_period_calls(nominate.current_period(), today() + timedelta(days=days))


def test_a_period_without_allocations_is_refused(app):
    with pytest.raises(RuleViolation, match="Ingen pladser er fordelt"):
        round_rules.open_period_calls(nominate.current_period(), deadline())


def seats_for(first: int, last: int) -> None:
    """Seats numbered first..last-1 across four bodies and three party groups, every other with a suppleant."""
    for number in range(first, last):
        nominate.allocated_seat("FAV"[number % 3], f"Organisation {number % 4}", label=f"Plads {number}",
                                has_substitute=number % 2 == 0)


def statements_for_calls() -> int:
    with make.queries() as statements:
        round_rules.open_period_calls(nominate.current_period(), deadline())
        db.session.rollback()
    return len(statements)


@pytest.mark.both_databases
def test_the_number_of_queries_does_not_grow_with_the_seats(app):
    for letter in "FAV":
        contact(f"kontakt{letter.lower()}", letter)
    seats_for(0, 3)
    db.session.commit()
    few = statements_for_calls()
    seats_for(3, 40)
    db.session.commit()

    assert statements_for_calls() == few


# The page and the command.

def login_secretariat(client) -> None:
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    assert make.login(client, "haan").status_code == 302


def test_the_page_shows_what_is_missing_and_opens_it(client, app):
    nominate.allocated_seat("F")
    pooled_seat("A")
    period = nominate.current_period()
    login_secretariat(client)

    page = client.get(f"/opfordringer/valgperiode?periode={period.name}").text
    assert f"3 opfordringer mangler i valgperioden {period.name}, til 2 partigrupper" in page

    response = client.post("/opfordringer/valgperiode", data={"period": period.id,
                                                              "deadline": deadline().isoformat()})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/runde?periode={period.name}"
    db.session.rollback()  # the test's own transaction began before the request
    assert len(asked()) == 3
    assert "Der er sendt 3 opfordringer til 2 partigrupper." in client.get("/runde").text


@pytest.mark.both_databases
def test_the_page_keeps_nothing_when_a_step_fails_midway(client, app, monkeypatch):
    nominate.allocated_seat("F")
    period = nominate.current_period()
    login_secretariat(client)

    def refuse(*args):
        raise RuleViolation("Udbakken er lukket.")

    monkeypatch.setattr(notifications, "period_calls_opened", refuse)
    response = client.post("/opfordringer/valgperiode", data={"period": period.id,
                                                              "deadline": deadline().isoformat()})

    assert response.status_code == 200
    assert "Udbakken er lukket." in response.text
    db.session.rollback()
    assert asked() == set()


def test_a_party_group_cannot_open_the_rounds_calls(client, app):
    nominate.party_user("sf", "F")
    db.session.commit()
    make.login(client, "sf")
    assert client.get("/opfordringer/valgperiode").status_code == 403


def test_the_command_opens_the_calls_and_says_how_many(app, runner):
    nominate.allocated_seat("F")
    period = nominate.current_period()
    db.session.commit()
    args = ["registry", "open-period-calls", "--period", period.name, "--deadline", deadline().isoformat()]

    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert f"2 opfordringer sendt til 1 partigruppe i valgperioden {period.name}." in result.output

    again = runner.invoke(args=args)
    assert "0 opfordringer sendt" in again.output
    db.session.rollback()
    assert len(asked()) == 2


def test_the_command_refuses_an_unknown_period(app, runner):
    result = runner.invoke(args=["registry", "open-period-calls", "--period", "1999-2002",
                                 "--deadline", deadline().isoformat()])
    assert result.exit_code != 0
    assert "Valgperioden '1999-2002' findes ikke." in result.output


@pytest.mark.both_databases
def test_a_new_period_call_belongs_to_one_round_also_on_the_day_before_the_next_round_starts(app):
    """The next period's round starts ROUND_LEAD before its first day: a call due the day before belongs to this
    period's round, a call due that day to the next's, and no day falls between the two."""
    old = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    new = ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1), end_date=date(2029, 12, 31))
    db.session.add_all([old, new])
    seat = nominate.allocated_seat("F")
    next_round = round_rules.round_start(new)
    for deadline in (next_round - timedelta(days=1), next_round):
        db.session.add(Call(seat=seat, role=Role.member, party=make.party("F"), reason=CallReason.new_period,
                            deadline=deadline, opened_on=deadline - timedelta(days=30)))
    db.session.flush()
    for period, deadline in ((old, next_round - timedelta(days=1)), (new, next_round)):
        assert db.session.scalars(sa.select(Call.deadline).where(round_rules.call_in_round(period))).all() == [
            deadline]
        [call] = db.session.scalars(sa.select(Call).where(Call.deadline == deadline)).all()
        assert round_rules.period_asked_for(call, [old, new]) is period

"""Many users at once: the one-holder rule holds under a race, and no edit silently overwrites another.

The races run on PostgreSQL, where requests really run side by side: 20 threads, each with its own app
context and database session (as 20 requests in 20 workers), start together at a barrier and commit
through registry.http.commit, as a view does. The service's own check cannot see what the others have
not committed yet; the database's exclusion constraint (appointments_one_holder) is the backstop, and
its refusal must reach the user as the same Danish one-holder message. SQLite lets one writer at a time
and answers the rest "database is locked", which commit turns into a conflict: a reduced variant there
proves only that exactly one wins and nothing else is written.

The lost update: two secretaries (or two people of a party group) open the same form, both save; the
second save is a conflict (409, a Danish message) and the first one's change stands.
"""

import html.parser
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from registry import create_app
from registry.appointments import services as appointments
from registry.appointments.models import Appointment, Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.http import commit
from registry.meetings import services as agenda
from registry.meetings.models import Decision, Outcome
from registry.nominations.models import Nomination, NominationStatus
from registry.organisations.models import Organisation, Seat
from registry.people.models import Person
from tests import factories as make
from tests import nomination_factories as nominate
from tests.conftest import OwnContextClient

# Both databases: each database's locking.
pytestmark = pytest.mark.both_databases

RACERS = 20


def racing_app(database_url: str):
    """The app with a connection for every racer, so none waits for the pool instead of the database."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                       "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": RACERS + 2, "max_overflow": 0,
                                                     "pool_timeout": 60, "hide_parameters": True}})


def race(database_url: str, attempt) -> list[tuple[str, str]]:
    """Run attempt(i) in RACERS threads, each in an app context and session of its own, released together.

    attempt(i) returns a function that does the change; the thread loads what it needs before the barrier,
    and commits after it the way a view does. Each outcome is ("ok", "") or (exception name, message).
    """
    app = racing_app(database_url)
    barrier = threading.Barrier(RACERS, timeout=60)
    outcomes: list[tuple[str, str] | None] = [None] * RACERS

    def run(i: int) -> None:
        with app.app_context():
            try:
                change = attempt(i)
                barrier.wait()
                commit(change)
                outcomes[i] = ("ok", "")
            except Exception as error:  # noqa: BLE001 - anything but a refusal is what the test looks for
                outcomes[i] = (type(error).__name__, str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with app.app_context():
        db.engine.dispose()
    assert all(outcome is not None for outcome in outcomes), outcomes
    return outcomes


def assert_one_winner(outcomes, dialect: str, *refusals: str) -> None:
    winners = [outcome for outcome in outcomes if outcome[0] == "ok"]
    losers = [outcome for outcome in outcomes if outcome[0] != "ok"]
    assert len(winners) == 1, outcomes
    if dialect == "postgresql":
        assert {name for name, _ in losers} == {RuleViolation.__name__}, losers
        assert all(any(refusal in message for refusal in refusals) for _, message in losers), losers
    else:
        # SQLite: one writer at a time; a racer whose snapshot is older than the winner's commit is a conflict.
        assert {name for name, _ in losers} <= {RuleViolation.__name__, Conflict.__name__}, losers


@pytest.fixture
def seat(app):
    """A KKR-appointed body's seat, allocated to SF this election period."""
    row = nominate.allocated_seat("F", "Movia", appointing_authority="KKR Hovedstaden")
    db.session.commit()
    return row


def test_twenty_secretaries_appointing_to_one_seat_at_once_seat_exactly_one(app, database_url, dialect, seat):
    people = [make.person(f"Kandidat {i:02d}").id for i in range(RACERS)]
    seat_id = seat.id  # read here: the test's own session must not be touched by the racers
    db.session.commit()

    def attempt(i: int):
        seat_row, person = db.session.get(Seat, seat_id), db.session.get(Person, people[i])
        start, end = date(2024, 1, 1 + i), date(2025, 12, 31 - i)  # overlapping, never the same
        return lambda: appointments.appoint(seat_row, person, Role.member, start, end=end)

    outcomes = race(database_url, attempt)
    assert_one_winner(outcomes, dialect, "har allerede")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Appointment.id))) == 1


def test_twenty_nominations_decided_at_once_seat_exactly_one_and_leave_the_rest_on_the_agenda(
        app, database_url, dialect, seat):
    sent = []
    for i in range(RACERS):
        nomination = nominate.nomination(seat, nominate.candidate(f"Kandidat {i:02d}"))
        agenda.place_on_agenda(nomination, today(), f"4.{i + 1}", council="KKR Hovedstaden")
        sent.append(nomination.id)
    db.session.commit()

    def attempt(i: int):
        nomination = db.session.get(Nomination, sent[i])
        return lambda: agenda.decide(nomination, Outcome.appointed, effective=today())

    outcomes = race(database_url, attempt)
    # Refused by the database's constraint or by the service's check (the one-holder message), or, for a
    # racer that reads the seat after the winner committed, because the seat is taken from that very day.
    assert_one_winner(outcomes, dialect, "har allerede", "udpegningen skal gælde fra en senere dag")
    db.session.commit()
    statuses = dict(db.session.execute(sa.select(Nomination.id, Nomination.status)).all())
    won = [i for i, outcome in enumerate(outcomes) if outcome[0] == "ok"]
    assert statuses[sent[won[0]]] is NominationStatus.appointed
    assert sorted(status.value for status in statuses.values()) == sorted(
        ["appointed"] + ["on_agenda"] * (RACERS - 1))
    # Nothing half-written for the refused: no decision without its seated appointment.
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Appointment.id))) == 1
    assert db.session.scalar(sa.select(Appointment.decision_id)) == db.session.scalar(sa.select(Decision.id))
    assert db.session.scalar(sa.select(sa.func.count(Nomination.id))
                             .where(Nomination.decision_id.is_not(None))) == 1


# The lost update, through the pages.

class FormValues(html.parser.HTMLParser):
    """The values a POST form shows: what the browser would send back unchanged."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.values: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # The page's own form: posting back to the page (no action, or the page's path).
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and attrs.get("action") in (None, "",
                                                                                                      self.path):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def browser_for(app, username: str):
    app.test_client_class = OwnContextClient
    client = app.test_client()
    assert make.login(client, username).status_code == 302
    return client


def open_form(client, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = FormValues(path)
    parser.feed(response.text)
    # A textarea's first newline is the template's, not the value's (as browsers read it).
    values = {name: value[1:] if value.startswith("\n") else value for name, value in parser.values.items()}
    assert "version" in values, f"{path} has no version field: {values}"
    return values


CONFLICT_MESSAGES = ("ændret af en anden", "ændret, mens du havde formularen åben")


def both_save(first, second, path: str, field: str, first_value: str, second_value: str):
    mine, theirs = open_form(first, path), open_form(second, path)
    assert mine["version"] == theirs["version"]
    saved = first.post(path, data=dict(mine, **{field: first_value}))
    assert saved.status_code == 302, saved.text[:2000]
    return second.post(path, data=dict(theirs, **{field: second_value}))


def assert_conflict(response) -> None:
    """The second save is refused with the Danish conflict message, as a 409 like every form of the app."""
    page = response.text
    assert any(message in page for message in CONFLICT_MESSAGES), page[:3000]
    assert response.status_code == 409, f"the conflict message is shown, but as {response.status_code}"


@pytest.fixture
def secretaries(app):
    make.user("haan", UserRole.secretariat)
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    return browser_for(app, "haan"), browser_for(app, "gitb")


def test_two_secretaries_editing_one_organisation_lose_no_update(app, secretaries, seat):
    organisation_id = seat.organisation_id
    response = both_save(*secretaries, f"/organisationer/{organisation_id}/rediger", "note",
                         "Haans ændring", "Gitbs ændring")
    db.session.commit()
    assert db.session.get(Organisation, organisation_id).note == "Haans ændring"
    assert_conflict(response)


def test_two_secretaries_editing_one_person_lose_no_update(app, secretaries):
    person_id = make.person("Lotte Kofoed", "Frederiksberg").id
    db.session.commit()
    response = both_save(*secretaries, f"/personer/{person_id}/rediger", "phone", "11111111", "22222222")
    db.session.commit()
    assert db.session.get(Person, person_id).phone == "11111111"
    assert_conflict(response)


def test_two_members_of_a_party_group_editing_one_nomination_lose_no_update(app, seat):
    nominate.party_user("sf", "F")
    nominate.party_user("sf2", "F")
    nomination_id = nominate.nomination(seat, nominate.candidate("Anna Andersen")).id
    db.session.commit()
    response = both_save(browser_for(app, "sf"), browser_for(app, "sf2"), f"/indstillinger/{nomination_id}/ret",
                         "motivation", "Den første motivation.", "Den anden motivation.")
    db.session.commit()
    assert db.session.get(Nomination, nomination_id).motivation == "Den første motivation."
    assert_conflict(response)

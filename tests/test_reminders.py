"""Reminders that go out by themselves (`flask notifications remind`, from cron): deadlines within 7 days and
passed to the party group, terms ending to the secretariat and the party group holding the seat, recommendations
waiting for an outside authority to the secretariat, and the weekly digest; each sent once.

A real SMTP server (aiosmtpd, as in test_notifications.py) receives what the command sends.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from registry import create_app
from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.auth.services import create_user
from registry.cli import notifications as command
from registry.dates import today
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from registry.nominations import services as nominations
from registry.notifications import reminders
from registry.notifications.models import Message, MessageKind, Reminder
from tests import factories as make
from tests.conftest import make_app
from tests.factories import PASSWORD, login
from tests.nomination_factories import allocated_seat, call, candidate, nomination
from tests.test_notifications import Inbox, body_of, start_server

MONDAY = date(2031, 3, 3)  # a Monday in a period without election periods: only what each test makes is due


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = start_server(app, handler)
    yield handler
    controller.stop()


@pytest.fixture
def no_mail_server(app):
    app.config["MAIL_SERVER"] = None


def contact(username: str, role: UserRole, address: str, letter: str | None = None):
    return create_user(username, PASSWORD, role, make.party(letter) if letter else None, email=address)


def sf_and_secretariat():
    contact("sf", UserRole.party, "sf@example.org", "F")
    contact("gitb", UserRole.secretariat, "gitb@example.org")


def reminded(kind: MessageKind) -> list[Message]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(Message).where(Message.kind == kind).order_by(Message.id)))


def run(day: date) -> reminders.Report:
    report = reminders.remind(day)
    db.session.commit()
    return report


def kinds(report: reminders.Report) -> list[tuple[MessageKind, str]]:
    return sorted(((batch.kind, batch.audience) for batch in report.batches), key=lambda pair: (pair[0].value, pair[1]))


def a_call(deadline_in: int, *, opened_days_before: int = 30, letter: str = "F", **values):
    """An open call to the party, due `deadline_in` days after MONDAY, opened a while before."""
    seat = allocated_seat(letter, **values)
    opened = call(seat, deadline=today() + timedelta(days=60))
    opened.deadline = MONDAY + timedelta(days=deadline_in)
    opened.opened_on = opened.deadline - timedelta(days=opened_days_before)
    db.session.flush()
    return opened


# Calls for nominations.

def test_a_deadline_within_7_days_is_told_to_the_party_group_once(app):
    sf_and_secretariat()
    due = a_call(7)
    db.session.commit()

    assert kinds(run(MONDAY - timedelta(days=1))) == [(MessageKind.weekly_digest, "sekretariatet")]
    assert kinds(run(MONDAY)) == [(MessageKind.call_due, "Parti F"), (MessageKind.weekly_digest, "sekretariatet")]

    [message] = reminded(MessageKind.call_due)
    assert message.recipient == "sf@example.org"
    assert message.subject == "Påmindelse: frist for indstilling om højst 7 dage"
    assert f"- RAR Hovedstaden, {due.seat.label}: medlem (frist 10.03.2031)" in message.body
    # Again the same day, and the next days: nothing more about it.
    for later in range(3):
        assert run(MONDAY + timedelta(days=later)).batches == []
    assert len(reminded(MessageKind.call_due)) == 1


def test_a_passed_deadline_is_told_once_more_after_the_deadline(app):
    sf_and_secretariat()
    a_call(2)
    db.session.commit()
    run(MONDAY)

    assert [batch.kind for batch in run(MONDAY + timedelta(days=2)).batches] == []  # the deadline day itself
    assert [batch.kind for batch in run(MONDAY + timedelta(days=3)).batches] == [MessageKind.call_overdue]
    assert run(MONDAY + timedelta(days=4)).batches == []
    [message] = reminded(MessageKind.call_overdue)
    assert message.subject == "Påmindelse: fristen for indstilling er overskredet"
    assert "sekretariatet mangler stadig en indstilling fra Parti F til disse pladser" in message.body


def test_a_call_opened_within_the_week_before_its_deadline_gets_only_the_overdue_reminder(app):
    sf_and_secretariat()
    a_call(5, opened_days_before=6)
    db.session.commit()

    assert [batch.kind for batch in run(MONDAY).batches] == [MessageKind.weekly_digest]
    assert [batch.kind for batch in run(MONDAY + timedelta(days=6)).batches] == [MessageKind.call_overdue]


def test_a_moved_deadline_is_a_new_reminder(app):
    sf_and_secretariat()
    moved = a_call(3)
    db.session.commit()
    run(MONDAY)
    moved.deadline = MONDAY + timedelta(days=20)
    db.session.commit()

    assert MessageKind.call_due in [batch.kind for batch in run(MONDAY + timedelta(days=14)).batches]
    assert len(reminded(MessageKind.call_due)) == 2


def test_a_call_answered_by_a_nomination_is_not_reminded_until_the_nomination_is_withdrawn(app):
    sf_and_secretariat()
    answered = a_call(-1)
    sent = nomination(answered.seat, candidate("Anna Andersen", "F"))
    db.session.commit()
    assert [batch.kind for batch in run(MONDAY).batches] == [MessageKind.weekly_digest]

    nominations.withdraw(sent)
    db.session.commit()
    assert [batch.kind for batch in run(MONDAY + timedelta(days=1)).batches] == [MessageKind.call_overdue]


def test_a_member_nomination_naming_the_suppleant_answers_both_calls(app):
    sf_and_secretariat()
    member = a_call(-1)
    suppleant = nominations.open_call(member.seat, Role.substitute, member.reason, today() + timedelta(days=60))
    suppleant.deadline = member.deadline
    nomination(member.seat, candidate("Anna Andersen", "F"), substitute=candidate("Bo Berg", "F"))
    db.session.commit()

    assert [batch.kind for batch in run(MONDAY).batches] == [MessageKind.weekly_digest]


def test_each_party_group_gets_one_message_listing_its_own_calls(app):
    sf_and_secretariat()
    contact("radikale", UserRole.party, "radikale@example.org", "B")
    first, second = a_call(3), a_call(5)
    other = a_call(4, letter="B", organisation_name="Movia")
    db.session.commit()

    run(MONDAY)

    messages = {message.recipient: message for message in reminded(MessageKind.call_due)}
    assert sorted(messages) == ["radikale@example.org", "sf@example.org"]
    assert first.seat.label in messages["sf@example.org"].body
    assert second.seat.label in messages["sf@example.org"].body
    assert "Movia" not in messages["sf@example.org"].body
    assert f"Movia, {other.seat.label}" in messages["radikale@example.org"].body


def test_a_party_group_without_an_address_is_reminded_once_it_has_one(app):
    contact("gitb", UserRole.secretariat, "gitb@example.org")
    a_call(3)
    db.session.commit()
    assert [batch.kind for batch in run(MONDAY).batches] == [MessageKind.weekly_digest]

    contact("sf", UserRole.party, "sf@example.org", "F")
    db.session.commit()
    assert [batch.kind for batch in run(MONDAY + timedelta(days=1)).batches] == [MessageKind.call_due]


# Terms ending.

def test_a_term_ending_is_told_to_the_secretariat_and_the_party_group_holding_the_seat(app):
    sf_and_secretariat()
    seat = allocated_seat("F", warning_days=30)
    make.appoint(seat, candidate("Anna Andersen", "F"), today() - timedelta(days=100), today() + timedelta(days=30))
    db.session.commit()

    assert kinds(run(today())) == [(MessageKind.term_ending, "Parti F"), (MessageKind.term_ending, "sekretariatet"),
                                   (MessageKind.weekly_digest, "sekretariatet")]
    assert run(today()).batches == []

    by_recipient = {message.recipient: message for message in reminded(MessageKind.term_ending)}
    last_day = (today() + timedelta(days=30)).strftime("%d.%m.%Y")
    assert by_recipient["gitb@example.org"].subject == "Påmindelse: perioder, der udløber"
    assert (f"- RAR Hovedstaden, {seat.label}: Anna Andersen (medlem, F), sidste dag {last_day}; "
            "partigruppe: Parti F") in by_recipient["gitb@example.org"].body
    assert by_recipient["sf@example.org"].subject == "Påmindelse: pladser, der snart bliver ledige"
    assert f"Anna Andersen (medlem, F), sidste dag {last_day}" in by_recipient["sf@example.org"].body


def test_a_term_outside_the_warning_or_with_its_successor_known_is_not_told(app):
    sf_and_secretariat()
    later = allocated_seat("F", warning_days=10)
    make.appoint(later, candidate("Anna Andersen", "F"), today() - timedelta(days=100), today() + timedelta(days=30))
    followed = allocated_seat("F", "Movia")
    make.appoint(followed, candidate("Bo Berg", "F"), today() - timedelta(days=100), today() + timedelta(days=20))
    make.appoint(followed, candidate("Carl Carlsen", "F"), today() + timedelta(days=21))
    db.session.commit()

    assert [batch.kind for batch in run(today()).batches] == [MessageKind.weekly_digest]


# Recommendations waiting for an outside authority.

def pending(meeting_day: date):
    seat = allocated_seat("F", appointing_authority="Beskæftigelsesministeren", authority_is_external=True)
    waiting = nomination(seat, candidate("Anna Andersen", "F"))
    agenda.place_on_agenda(waiting, meeting_day, "4.1", council="KKR Hovedstaden")
    agenda.decide(waiting, Outcome.noted)
    return waiting


def test_a_recommendation_waiting_over_30_days_is_told_to_the_secretariat_once(app):
    sf_and_secretariat()
    waiting = pending(MONDAY - timedelta(days=30))
    db.session.commit()

    assert [batch.kind for batch in run(MONDAY).batches] == [MessageKind.weekly_digest]
    assert kinds(run(MONDAY + timedelta(days=1))) == [(MessageKind.awaiting_authority, "sekretariatet")]
    assert run(MONDAY + timedelta(days=2)).batches == []

    [message] = reminded(MessageKind.awaiting_authority)
    assert message.recipient == "gitb@example.org"
    assert (f"- Indstilling nr. {waiting.id}: Anna Andersen som medlem, RAR Hovedstaden, {waiting.seat.label}; "
            "KKR's beslutning 01.02.2031, 31 dage siden; udpeges af Beskæftigelsesministeren") in message.body


# The weekly digest.

def test_the_digest_goes_to_the_secretariat_once_per_iso_week_with_what_is_due_overdue_and_pending(app):
    sf_and_secretariat()
    contact("ascm", UserRole.admin, "ascm@example.org")
    contact("laeser", UserRole.viewer, "laeser@example.org")
    a_call(3)
    a_call(-2, organisation_name="Movia")
    pending(MONDAY - timedelta(days=10))
    db.session.commit()

    run(MONDAY - timedelta(days=1))  # Sunday: last week's
    run(MONDAY + timedelta(days=2))  # Wednesday: this week's
    run(MONDAY + timedelta(days=6))  # Sunday: nothing
    run(MONDAY + timedelta(days=7))  # next Monday: the next week's

    digests = reminded(MessageKind.weekly_digest)
    assert [message.subject for message in digests] == [
        "Ugens overblik: uge 9, 2031", "Ugens overblik: uge 9, 2031",
        "Ugens overblik: uge 10, 2031", "Ugens overblik: uge 10, 2031",
        "Ugens overblik: uge 11, 2031", "Ugens overblik: uge 11, 2031"]
    assert {message.recipient for message in digests} == {"ascm@example.org", "gitb@example.org"}
    body = digests[2].body
    assert "Ugens overblik fra udpegningsregistret, 05.03.2031." in body
    assert "Frister inden for 7 dage (1):\n- RAR Hovedstaden, Plads 1: medlem, Parti F (frist 06.03.2031)" in body
    assert "Overskredne frister (1):\n- Movia, Plads 1: medlem, Parti F (frist 01.03.2031)" in body
    assert "Perioder, der udløber (0):\nIngen." in body
    assert "Afventer udpegende myndighed (1):\n- Indstilling nr." in body


# The outbox, the command and the mail server.

def test_the_outbox_says_why_each_message_was_sent(app, client, no_mail_server):
    sf_and_secretariat()
    a_call(3)
    db.session.commit()
    run(MONDAY)

    login(client, "gitb")
    page = client.get("/udbakke").text
    assert "Anledning" in page
    assert "Påmindelse: frist inden for 7 dage" in page
    assert "Ugens overblik" in page
    assert "Opfordring til indstilling" in page  # the call's own message, when it was opened


def test_the_command_sends_the_reminders_once_by_smtp(app, runner, inbox):
    sf_and_secretariat()
    seat = allocated_seat("F")
    opened = call(seat, deadline=today() + timedelta(days=30))
    opened.opened_on, opened.deadline = today() - timedelta(days=20), today() + timedelta(days=3)
    db.session.commit()
    inbox.received.clear()

    result = runner.invoke(args=["notifications", "remind"])

    assert result.exit_code == 0, result.output
    assert "Parti F: Påmindelse: frist for indstilling om højst 7 dage (1 modtager)" in result.output
    assert "2 beskeder sendt." in result.output
    by_subject = {message["Subject"]: (recipients, message) for recipients, message in inbox.received}
    recipients, message = by_subject["Påmindelse: frist for indstilling om højst 7 dage"]
    assert recipients == ["sf@example.org"]
    assert f"RAR Hovedstaden, {seat.label}: medlem" in body_of(message)
    assert by_subject[next(subject for subject in by_subject if subject.startswith("Ugens overblik"))][0] == [
        "gitb@example.org"]
    assert all(row.sent_at is not None for row in reminded(MessageKind.call_due))

    again = runner.invoke(args=["notifications", "remind"])
    assert again.exit_code == 0, again.output
    assert "Ingen påmindelser i dag." in again.output
    assert len(inbox.received) == 2


def test_a_reminder_links_to_the_registry_at_its_public_address(app, database_url):
    public = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                         "PUBLIC_URL": "https://udpegninger.example.dk/"})
    with public.app_context():
        sf_and_secretariat()
        a_call(3)
        db.session.commit()
        run(MONDAY)

    [due] = reminded(MessageKind.call_due)
    assert due.body.endswith("Indstil i udpegningsregistret: https://udpegninger.example.dk/partigruppe")
    [digest] = reminded(MessageKind.weekly_digest)
    assert digest.body.endswith("Se mere i udpegningsregistret: https://udpegninger.example.dk/sekretariat")


def test_without_a_mail_server_the_reminders_wait_in_the_outbox(app, runner, no_mail_server):
    sf_and_secretariat()
    db.session.commit()

    result = runner.invoke(args=["notifications", "remind"])

    assert result.exit_code == 0, result.output
    assert "MAIL_SERVER er ikke sat" in result.output
    [digest] = reminded(MessageKind.weekly_digest)
    assert digest.sent_at is None


def test_a_dry_run_writes_nothing(app, runner, no_mail_server):
    sf_and_secretariat()
    db.session.commit()

    result = runner.invoke(args=["notifications", "remind", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "sekretariatet: Ugens overblik" in result.output
    assert "Prøvekørsel: intet er skrevet." in result.output
    assert reminded(MessageKind.weekly_digest) == []
    assert db.session.scalars(sa.select(Reminder)).all() == []


# Sent once, also when two runs meet.

@pytest.mark.both_databases
def test_the_database_refuses_a_reminder_another_run_has_sent(app, monkeypatch):
    sf_and_secretariat()
    a_call(3)
    db.session.commit()
    run(MONDAY)
    # A second run that read before the first one wrote: it sees no keys, and its own are refused.
    monkeypatch.setattr(reminders, "already_sent", lambda keys: set())

    with pytest.raises(IntegrityError):
        reminders.remind(MONDAY)
    db.session.rollback()

    assert len(reminded(MessageKind.call_due)) == 1
    assert len(reminded(MessageKind.weekly_digest)) == 1


@pytest.mark.both_databases
def test_two_runs_at_once_send_each_reminder_once(app, dialect, monkeypatch, no_mail_server):
    sf_and_secretariat()
    a_call(3)
    a_call(-1, organisation_name="Movia")
    db.session.commit()
    if dialect == "postgresql":
        # Both read before either writes; then the later one's keys meet the first one's. (On SQLite the
        # second run waits for the first one's commit before it reads: reminders._one_run_at_a_time.)
        read = reminders.already_sent
        both_read = threading.Barrier(2)
        first_time = threading.local()

        def read_together(keys):
            found = read(keys)
            if not getattr(first_time, "done", False):  # only the first attempt: a retry reads alone
                first_time.done = True
                both_read.wait(timeout=10)
            return found

        monkeypatch.setattr(reminders, "already_sent", read_together)

    def cron() -> int:
        with app.app_context():
            try:
                return len(command.write(MONDAY).messages)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(2) as pool:
        counts = sorted(future.result() for future in [pool.submit(cron), pool.submit(cron)])

    assert counts == [0, 3]  # the overdue and the due reminder to SF, the digest to the secretariat
    assert len(reminded(MessageKind.call_due)) == 1
    assert len(reminded(MessageKind.call_overdue)) == 1
    assert len(reminded(MessageKind.weekly_digest)) == 1


def test_the_reminders_take_the_same_number_of_queries_however_much_is_due(app):
    def queries_for(count: int, day: date) -> int:
        for number in range(count):
            letter = "FB"[number % 2]
            a_call(3 + (day - MONDAY).days, letter=letter, organisation_name=f"Organisation {day} {number}")
            a_call(-1 + (day - MONDAY).days, letter=letter, organisation_name=f"Anden {day} {number}")
        db.session.commit()
        with make.queries() as statements:
            reminders.remind(day)
        db.session.rollback()
        return len(statements)

    sf_and_secretariat()
    contact("radikale", UserRole.party, "radikale@example.org", "B")
    assert queries_for(2, MONDAY) == queries_for(8, MONDAY + timedelta(days=7))


# The migration.

@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("new_postgres_database")()


def test_the_messages_before_the_upgrade_get_the_kind_their_writer_gives_them_now(empty_database_url):
    """0015 adds messages.kind, filled in from what each message is, and the reminders with their unique key."""
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0014")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO messages (recipient, subject, body, created_at, attempts) "
                                 "VALUES ('sf@example.org', :subject, 'Tekst', '2026-01-05 10:00:00', 0)"),
                         [{"subject": subject} for subject in (
                             "Opfordring til indstilling: RAR Hovedstaden",
                             "Påmindelse: indstillinger til valgperioden 2026-2029",
                             "Nyt om 2 indstillinger")])
        upgrade(revision="0015")
        with db.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT kind FROM messages ORDER BY id")).scalars().all() == [
                "call", "round_reminder", "status"]
            conn.execute(sa.text("INSERT INTO reminders (key, kind, sent_on) "
                                 "VALUES ('weekly-digest:2026-W02', 'weekly_digest', '2026-01-05')"))
        for broken in ("UPDATE messages SET kind = 'nonsense'",
                       "INSERT INTO reminders (key, kind, sent_on) "
                       "VALUES ('weekly-digest:2026-W02', 'weekly_digest', '2026-01-06')"):
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.exec_driver_sql(broken)
        downgrade(revision="0014")
        with db.engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM messages").scalar() == 3
        db.engine.dispose()

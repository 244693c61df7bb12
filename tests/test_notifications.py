"""E-mail to a party group when its nomination changes status: the outbox, delivery over SMTP, the outbox page.

A real SMTP server (aiosmtpd) listens on 127.0.0.1 for the delivery tests.
"""

import email
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from registry import config
from registry.auth.models import UserRole
from registry.auth.services import create_user
from registry.extensions import db
from registry.nominations import services as nominations
from registry.nominations.models import Nomination, NominationStatus
from registry.notifications import services
from registry.notifications.models import Message
from tests import factories
from tests.factories import PASSWORD, login
from tests.nomination_factories import allocated_seat, candidate, nomination


class Inbox:
    """What the SMTP server received; it refuses every recipient while `refuse` is set."""

    def __init__(self, delay: float = 0):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse = False
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Modtageren findes ikke"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # holds the server's loop: a slow server, so two workers overlap
        self.received.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [message for _, message in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(app, handler, **options) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_TIMEOUT=5,
                      MAIL_USE_TLS=False, MAIL_USE_SSL=False, MAIL_USERNAME=None, MAIL_PASSWORD=None,
                      MAIL_SENDER="KKR Hovedstaden <udpegninger@example.org>")
    return controller


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = start_server(app, handler)
    yield handler
    controller.stop()


@pytest.fixture
def no_mail_server(app):
    app.config["MAIL_SERVER"] = None


def party_group(letter: str = "F", username: str = "sf", address: str = "sf@example.org"):
    return create_user(username, PASSWORD, UserRole.party, factories.party(letter), email=address)


def submitted() -> Nomination:
    """SF's contact exists; SF nominates Anna Andersen for a seat on RAR Hovedstaden; committed."""
    party_group()
    sent = nomination(allocated_seat("F"), candidate("Anna Andersen", "F"))
    db.session.commit()
    return sent


def outbox() -> list[Message]:
    db.session.rollback()  # a fresh read: what the requests and workers have committed meanwhile
    return list(db.session.scalars(sa.select(Message).order_by(Message.id)))


def body_of(message: email.message.EmailMessage) -> str:
    return message.get_content()


# Delivery over SMTP.

def test_submitted_nomination_is_mailed_to_the_party_group(app, inbox):
    sent = submitted()

    assert services.deliver() == 1

    [(recipients, message)] = inbox.received
    assert recipients == ["sf@example.org"]
    assert message["To"] == "sf@example.org"
    assert message["From"] == "KKR Hovedstaden <udpegninger@example.org>"
    assert message["Subject"] == "Indstilling modtaget: RAR Hovedstaden"
    body = body_of(message)
    assert f"Indstilling nr. {sent.id}: Anna Andersen som medlem" in body
    assert "Status: indsendt" in body
    [row] = outbox()
    assert row.sent_at is not None
    assert row.error is None
    assert row.attempts == 1


@pytest.mark.parametrize(("change", "subject", "words"), [
    (lambda n: nominations.return_to_party(n, "Husk den personlige suppleant."), "Indstilling sendt retur",
     ["Status: sendt retur", "Sekretariatets kommentar:", "Husk den personlige suppleant."]),
    (nominations.withdraw, "Indstilling trukket tilbage", ["Status: trukket tilbage"]),
])
def test_a_change_of_status_is_mailed(app, inbox, change, subject, words):
    sent = submitted()
    services.deliver()
    change(db.session.get(Nomination, sent.id))
    db.session.commit()

    assert services.deliver() == 1

    assert len(inbox.messages) == 2
    message = inbox.messages[-1]
    assert message["Subject"] == f"{subject}: RAR Hovedstaden"
    for word in words:
        assert word in body_of(message)


def test_every_contact_of_the_party_group_and_nobody_else_gets_it(app, inbox):
    party_group("F", "sf", "sf@example.org")
    party_group("F", "sf2", "formand@sf.example.org")
    create_user("sf3", PASSWORD, UserRole.party, factories.party("F"))  # no e-mail address
    party_group("B", "radikale", "radikale@example.org")
    nomination(allocated_seat("F"), candidate("Anna Andersen", "F"))
    db.session.commit()

    assert services.deliver() == 2

    assert sorted(to for recipients, _ in inbox.received for to in recipients) == [
        "formand@sf.example.org", "sf@example.org"]


def test_a_message_is_never_sent_twice(app, inbox):
    submitted()

    assert services.deliver() == 1
    assert services.deliver() == 0
    services.deliver_after_commit()

    assert len(inbox.messages) == 1


def test_a_message_another_worker_has_claimed_is_left_to_it(app, client, inbox):
    submitted()
    factories.user("haan")
    db.session.commit()
    [row] = outbox()
    assert services._claim(row.id, 0) is not None
    assert services._claim(row.id, 0) is None  # the other worker's UPDATE hits no row

    # The first worker died while sending: whether the message went out is unknown, so it is not sent again.
    assert services.deliver() == 0
    assert inbox.messages == []
    login(client, "haan")
    assert "Afsendelsen er begyndt, men ikke meldt færdig" in client.get("/udbakke").text


def test_two_workers_at_once_send_each_message_once(app, database_url):
    handler = Inbox(delay=0.05)
    controller = start_server(app, handler)
    try:
        db.session.add_all(Message(recipient=f"kontakt{number}@example.org", subject="Indstilling modtaget: RAR",
                                   body="Status: indsendt") for number in range(12))
        db.session.commit()
        start = threading.Barrier(2)

        def worker() -> int:
            with app.app_context():
                start.wait()
                try:
                    return services.deliver()
                finally:
                    db.session.remove()

        with ThreadPoolExecutor(2) as pool:
            counts = [future.result() for future in [pool.submit(worker), pool.submit(worker)]]
    finally:
        controller.stop()

    assert sum(counts) == 12
    recipients = sorted(to for received, _ in handler.received for to in received)
    assert recipients == sorted(f"kontakt{number}@example.org" for number in range(12))
    assert all(row.sent_at is not None and row.attempts == 1 for row in outbox())


# Failures: the change is kept, the message waits with its error.

def test_refused_message_stays_unsent_with_the_reason_and_the_change_is_kept(app, inbox):
    inbox.refuse = True
    sent = submitted()

    assert services.deliver() == 0

    [row] = outbox()
    assert row.sent_at is None
    assert row.attempts == 1
    assert "Mailserveren afviste modtageren" in row.error
    assert "550 5.1.1 Modtageren findes ikke" in row.error
    assert db.session.get(Nomination, sent.id).status is NominationStatus.submitted


def test_refused_message_is_given_up_after_a_few_attempts(app, inbox):
    inbox.refuse = True
    submitted()
    for _ in range(services.MAX_ATTEMPTS + 2):
        services.deliver()
    [row] = outbox()
    assert row.attempts == services.MAX_ATTEMPTS

    inbox.refuse = False
    assert services.deliver() == 0
    assert inbox.messages == []


def test_unreachable_server_leaves_the_message_waiting_without_using_an_attempt(app, no_mail_server):
    sent = submitted()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=5)  # nobody listens there

    with pytest.raises(services.MailServerUnavailable):
        services.deliver()

    [row] = outbox()
    assert row.sent_at is None
    assert row.attempts == 0
    assert "tog ikke imod forbindelsen" in row.error
    assert db.session.get(Nomination, sent.id).status is NominationStatus.submitted


def test_after_commit_delivery_swallows_an_unreachable_server(app, no_mail_server, caplog):
    party_group()
    nomination(allocated_seat("F"), candidate("Anna Andersen", "F"))
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=5)

    services.deliver_after_commit()

    [row] = outbox()
    assert row.sent_at is None
    assert "tog ikke imod forbindelsen" in row.error
    assert "left in the outbox" in caplog.text


def test_a_line_break_in_an_address_never_becomes_a_header(app, inbox):
    db.session.add(Message(recipient="sf@example.org\r\nBcc: andre@example.org", subject="Indstilling\r\nmodtaget",
                           body="Status: indsendt"))
    db.session.commit()

    assert services.deliver() == 0

    assert inbox.received == []
    [row] = outbox()
    assert row.sent_at is None
    assert "Beskeden kunne ikke opbygges" in row.error


def test_the_password_is_never_in_the_error(app):
    class Refuse:
        def __call__(self, server, session, envelope, mechanism, auth_data):
            return AuthResult(success=False, handled=False)

    controller = start_server(app, Inbox(), authenticator=Refuse(), auth_require_tls=False)
    app.config.update(MAIL_USERNAME="kkr", MAIL_PASSWORD="hemmelig-kode-42")
    try:
        submitted()
        with pytest.raises(services.MailServerUnavailable) as raised:
            services.deliver()
    finally:
        controller.stop()

    [row] = outbox()
    assert "afviste brugernavn eller adgangskode" in row.error
    assert "hemmelig-kode-42" not in row.error
    assert "hemmelig-kode-42" not in str(raised.value)


# Without SMTP, and after the commit.

def test_without_mail_server_messages_stay_in_the_outbox(app, client, no_mail_server):
    sent = submitted()
    factories.user("haan")
    db.session.commit()

    assert services.deliver() == 0
    services.deliver_after_commit()

    [row] = outbox()
    assert row.sent_at is None
    assert row.error is None
    assert row.attempts == 0
    login(client, "haan")
    page = client.get("/udbakke").text
    assert "sf@example.org" in page
    assert "Indstilling modtaget: RAR Hovedstaden" in page
    assert f"Indstilling nr. {sent.id}: Anna Andersen som medlem" in page
    assert "Ikke sendt" in page
    assert "Registret er ikke sat op til at sende e-mail" in page
    assert "MAIL_SERVER" not in page

    response = client.post("/udbakke/send", follow_redirects=True)
    assert response.status_code == 200
    assert "beskederne bliver her i udbakken" in response.text


def test_after_commit_delivery_is_free_without_mail_server(app, no_mail_server):
    submitted()
    with factories.queries() as statements:
        services.deliver_after_commit()
    assert statements == []


def test_a_view_delivers_after_its_response(app, client, inbox):
    party_group()
    seat = allocated_seat("F")
    person = candidate("Anna Andersen", "F")
    db.session.commit()
    seat_id, person_id = seat.id, person.id

    def change():  # a view as the nomination views are written: one commit, then delivery
        from registry.organisations.models import Seat
        from registry.people.models import Person

        nomination(db.session.get(Seat, seat_id), db.session.get(Person, person_id))
        db.session.commit()
        services.deliver_after_commit()
        return "ok"

    app.add_url_rule("/test/change", "test_change", change, methods=["POST"])

    assert client.post("/test/change").status_code == 200

    [message] = inbox.messages
    assert message["Subject"] == "Indstilling modtaget: RAR Hovedstaden"
    [row] = outbox()
    assert row.sent_at is not None
    assert f"Se indstillingen i udpegningsregistret: http://localhost/indstillinger/{row.nomination_id}" in \
        body_of(message)


def test_a_change_made_on_an_english_page_is_told_in_danish(app, client, no_mail_server):
    party_group()
    seat = allocated_seat("F")
    person = candidate("Anna Andersen", "F")
    db.session.commit()
    seat_id, person_id = seat.id, person.id

    def change():
        from registry.organisations.models import Seat
        from registry.people.models import Person

        nomination(db.session.get(Seat, seat_id), db.session.get(Person, person_id))
        db.session.commit()
        return "ok"

    app.add_url_rule("/test/change", "test_change", change, methods=["POST"])
    client.set_cookie("lang", "en")

    assert client.post("/test/change").status_code == 200

    [row] = outbox()
    assert row.subject == "Indstilling modtaget: RAR Hovedstaden"
    assert "Anna Andersen som medlem" in row.body
    assert "Status: indsendt" in row.body


def test_a_view_survives_an_unreachable_server(app, client, no_mail_server):
    party_group()
    seat = allocated_seat("F")
    db.session.commit()
    seat_id = seat.id
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=5)

    def change():
        from registry.organisations.models import Seat

        nomination(db.session.get(Seat, seat_id), candidate("Anna Andersen", "F"))
        db.session.commit()
        services.deliver_after_commit()
        return "ok"

    app.add_url_rule("/test/change", "test_change", change, methods=["POST"])

    assert client.post("/test/change").status_code == 200
    [row] = outbox()
    assert row.sent_at is None
    assert row.error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 1


# The outbox page.

def test_secretariat_sends_waiting_messages_from_the_outbox(app, client, inbox):
    inbox.refuse = True
    submitted()
    services.deliver()
    factories.user("haan")
    db.session.commit()
    login(client, "haan")
    assert "Mailserveren afviste modtageren" in client.get("/udbakke").text

    inbox.refuse = False
    page = client.post("/udbakke/send", follow_redirects=True).text

    assert "1 besked er sendt." in page
    assert "Sendt " in page
    assert len(inbox.messages) == 1


def test_outbox_button_says_when_the_server_cannot_be_reached(app, client, no_mail_server):
    submitted()
    factories.user("haan")
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=5)
    login(client, "haan")

    response = client.post("/udbakke/send", follow_redirects=True)

    assert response.status_code == 200
    assert "Mailserveren kunne ikke nås" in response.text


def test_outbox_is_newest_first_in_danish_time_and_paginated(app, client, no_mail_server):
    for number in range(30):
        db.session.add(Message(recipient=f"kontakt{number:02}@example.org", subject=f"Emne {number:02}", body="Tekst",
                               created_at=datetime(2026, 7, 1, 10, number)))
    factories.user("haan")
    db.session.commit()
    login(client, "haan")

    first = client.get("/udbakke").text
    second = client.get("/udbakke?side=2").text

    assert first.index("kontakt29@example.org") < first.index("kontakt28@example.org")
    assert "01.07.2026 12:29" in first  # 10:29 UTC is 12:29 summer time in Copenhagen
    assert "kontakt04@example.org" not in first
    assert "kontakt04@example.org" in second
    assert client.get("/udbakke?side=x").status_code == 400


@pytest.mark.parametrize("who", ["party", "viewer", "anonymous"])
def test_only_the_secretariat_sees_the_outbox(app, client, no_mail_server, who):
    submitted()
    if who == "viewer":
        factories.user("laeser", UserRole.viewer)
    db.session.commit()
    if who == "party":
        login(client, "sf")
    elif who == "viewer":
        login(client, "laeser")

    for response in (client.get("/udbakke"), client.post("/udbakke/send")):
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert "sf@example.org" not in response.text
    assert outbox()[0].attempts == 0


# The command for cron.

def test_send_mail_command_sends_what_waits(app, runner, inbox):
    submitted()

    result = runner.invoke(args=["notifications", "send-mail"])

    assert result.exit_code == 0, result.output
    assert "1 sendt." in result.output
    assert len(inbox.messages) == 1


def test_send_mail_command_without_mail_server_says_so(app, runner, no_mail_server):
    submitted()

    result = runner.invoke(args=["notifications", "send-mail"])

    assert result.exit_code == 1
    assert "MAIL_SERVER er ikke sat" in result.output
    assert outbox()[0].sent_at is None


# The settings.

def test_mail_settings_come_from_the_environment(monkeypatch, tmp_path):
    for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_USE_SSL", "true")
    monkeypatch.setenv("MAIL_SENDER", "KKR Hovedstaden <udpegninger@example.org>")

    settings = config.load(str(tmp_path))

    assert settings["MAIL_SERVER"] == "smtp.example.org"
    assert settings["MAIL_PORT"] == 465
    assert settings["MAIL_USE_SSL"]
    assert not settings["MAIL_USE_TLS"]
    assert settings["MAIL_SENDER"] == "KKR Hovedstaden <udpegninger@example.org>"
    assert settings["MAIL_TIMEOUT"] == 10

    monkeypatch.setenv("MAIL_USE_TLS", "true")
    with pytest.raises(RuntimeError, match="MAIL_USE_SSL and MAIL_USE_TLS"):
        config.load(str(tmp_path))

"""Telling party groups when their nominations change status (organisations, which have no login, are not told).

A message is written to the outbox (messages) in the same transaction as
the change, so nothing is told that did not happen and nothing that happened
goes untold. After the commit, deliver() sends what is waiting when SMTP is
configured (MAIL_SERVER); without it, messages stay in the outbox, where the
secretariat reads them. Each message says why it was written (its kind); the
reminders that go out by themselves (reminders.py) are written here too.

Several workers on several hosts may deliver at once, sharing only the
database. Each message is claimed before it is sent, with an UPDATE that
only one of them can win (attempts = attempts + 1 where attempts is still
what it read), and committed before the SMTP conversation, so no lock is
held while the mail server talks. A message is sent at most once: one that
was claimed but neither marked sent nor failed (the worker died while
sending) is not tried again, because it may well have gone out.
"""

import logging
from collections.abc import Iterable

import sqlalchemy as sa
from flask import after_this_request, current_app, g, has_request_context
from sqlalchemy.exc import OperationalError
from werkzeug.routing import BuildError

from registry.auth.models import User, UserRole
from registry.dates import danish_date, utcnow
from registry.extensions import db
from registry.http import external_url
from registry.notifications import smtp as mail
from registry.notifications.models import Message, MessageKind

log = logging.getLogger(__name__)

# A message the mail server refuses this many times is given up; it stays in the outbox with its error.
# A server that cannot be reached at all costs no attempt: the messages wait until it is back.
MAX_ATTEMPTS = 5
# Where a request keeps the ids of the messages it queued, for deliver_after_commit().
QUEUED = "queued_messages"

SUBJECTS = {
    "submitted": "Indstilling modtaget",
    "returned": "Indstilling sendt retur",
    "withdrawn": "Indstilling trukket tilbage",
    "on_agenda": "Indstilling sat på dagsordenen",
    "pending": "KKR har behandlet indstillingen",
    "appointed": "Udpegning registreret",
    "not_supported": "KKR har ikke tiltrådt indstillingen",
    "not_appointed": "Indstillingen er ikke beskikket",
}


def contacts(party_id: int) -> list[str]:
    """The party group's contact addresses: its active users' e-mail addresses."""
    return list(db.session.scalars(
        sa.select(User.email).where(User.party_id == party_id, User.role == UserRole.party, User.active,
                                    User.email.is_not(None), User.email != "")
        .order_by(User.email).distinct()))


def describe(nomination) -> str:
    """The message body: what the nomination is, where it stands, and what to do next."""
    seat = nomination.seat
    lines = [f"Indstilling nr. {nomination.id}: {nomination.person.name} som {nomination.role.danish}",
             f"Organisation: {seat.organisation.name}, {seat.label}"]
    if nomination.substitute is not None:
        lines.append(f"Personlig suppleant: {nomination.substitute.name}")
    lines.append(f"Status: {nomination.status.danish}")
    if nomination.status.value == "returned" and nomination.comment:
        lines += ["", "Sekretariatets kommentar:", nomination.comment]
    if nomination.item is not None and nomination.status.value in ("on_agenda", "pending", "appointed",
                                                                   "not_supported", "not_appointed"):
        meeting = nomination.item.meeting
        lines.append(f"Møde: {meeting.council_name} {danish_date(meeting.date)}, punkt {nomination.item.number}")
    if nomination.decision is not None and nomination.decision.text:
        lines += ["", "Beslutning:", nomination.decision.text]
    if nomination.appointed_on is not None:
        lines.append(f"Udpeget fra: {danish_date(nomination.appointed_on)}")
    if nomination.not_appointed_on is not None:
        lines.append(f"Ikke beskikket: {danish_date(nomination.not_appointed_on)} "
                     f"({nomination.seat.organisation.appointing_authority})")
    if link := _link(nomination):
        lines += ["", f"Se indstillingen i udpegningsregistret: {link}"]
    else:
        lines += ["", "Se indstillingen i udpegningsregistret."]
    return "\n".join(lines)


def _link(nomination) -> str | None:
    """The nomination's page, when a request tells the address the registry is reached at."""
    try:
        return external_url("nominations.detail", nomination_id=nomination.id)
    except BuildError:
        return None


def nomination_changed(nomination) -> list[Message]:
    """Queue a message to the party group's contacts about the nomination's new status.

    None for an organisation's nomination: the organisation has no login, and the secretariat, which recorded
    the nomination on its behalf, tells it by its own means."""
    return nominations_changed([nomination])


def nominations_changed(nominations) -> list[Message]:
    """nomination_changed() for many nominations at once (a whole meeting decided): one message to each party
    group listing its nominations, contacts read in one query. A group with one nomination gets the same
    message as nomination_changed() would send."""
    by_party: dict[int, list] = {}
    for nomination in nominations:
        if nomination.party_id is not None:
            by_party.setdefault(nomination.party_id, []).append(nomination)
    addresses = contacts_of(by_party)
    messages = []
    for party_id, own in by_party.items():
        one = own[0] if len(own) == 1 else None
        subject = (f"{SUBJECTS[one.status.value]}: {one.seat.organisation.name}" if one
                   else f"Nyt om {len(own)} indstillinger")
        body = "\n\n".join(describe(nomination) for nomination in own)
        messages += [Message(recipient=address, subject=subject, body=body, nomination_id=one.id if one else None,
                             kind=MessageKind.status) for address in addresses.get(party_id, [])]
    return queue(messages)


def call_opened(call) -> list[Message]:
    """Queue a message to the party group's contacts: the secretariat asks for a nomination."""
    seat = call.seat
    lines = [f"KKR-sekretariatet opfordrer {call.party.name} til at indstille en {call.role.danish} til "
             f"{seat.organisation.name}, {seat.label}.",
             f"Anledning: {call.reason.danish}", f"Frist: {danish_date(call.deadline)}"]
    if call.note:
        lines += ["", call.note]
    try:
        link = external_url("nominations.create", plads=seat.id, rolle=call.role.value)
    except BuildError:
        link = None
    lines += ["", f"Indstil i udpegningsregistret: {link}" if link else "Indstil i udpegningsregistret."]
    return queue([Message(recipient=address, subject=f"Opfordring til indstilling: {seat.organisation.name}",
                          body="\n".join(lines), kind=MessageKind.call) for address in contacts(call.party_id)])


def secretariat_contacts() -> list[str]:
    """The secretariat's addresses: its active users' (roles admin and secretariat) e-mail addresses."""
    return list(db.session.scalars(
        sa.select(User.email).where(User.role.in_([UserRole.admin, UserRole.secretariat]), User.active,
                                    User.email.is_not(None), User.email != "")
        .order_by(User.email).distinct()))


def contacts_of(party_ids: Iterable[int]) -> dict[int, list[str]]:
    """contacts() for several party groups in one query."""
    found: dict[int, list[str]] = {}
    for party_id, address in db.session.execute(
            sa.select(User.party_id, User.email).where(
                User.party_id.in_(list(party_ids)), User.role == UserRole.party, User.active,
                User.email.is_not(None), User.email != "").order_by(User.email).distinct()):
        found.setdefault(party_id, []).append(address)
    return found


def seat_lines(calls) -> list[str]:
    """One line per seat, its roles together: "- RAR Hovedstaden, Plads 1: medlem og suppleant (frist ...)"."""
    roles: dict = {}
    for call in calls:
        roles.setdefault(call.seat, []).append(call)
    lines = []
    for seat, asked in roles.items():
        asked.sort(key=lambda call: call.role.value != "member")
        names = " og ".join(call.role.danish for call in asked)
        deadline = danish_date(min(call.deadline for call in asked))
        lines.append(f"- {seat.organisation.name}, {seat.label}: {names} (frist {deadline})")
    return lines


def to_party_groups(subject: str, bodies: dict[int, str], kind: MessageKind = MessageKind.status) -> list[Message]:
    """Queue one message per contact of each party group (party id -> body), contacts read in one query."""
    addresses = contacts_of(bodies)
    return queue([Message(recipient=address, subject=subject, body=body, kind=kind)
                  for party_id, body in bodies.items() for address in addresses.get(party_id, [])])


def queue(messages: list[Message]) -> list[Message]:
    """Write the messages to the outbox, to be sent once the change is committed (deliver_after_commit)."""
    db.session.add_all(messages)
    db.session.flush()
    g.setdefault(QUEUED, []).extend(message.id for message in messages)
    return messages


def _party_page_line() -> str:
    """Where the party group nominates for a round's seats: its period page, all seats in one form."""
    try:
        link = external_url("nominations.period_proposal")
    except BuildError:
        link = None
    return f"Indstil i udpegningsregistret: {link}" if link else "Indstil i udpegningsregistret."


def period_calls_opened(period_name: str, calls) -> list[Message]:
    """One message to each party group asked in a round (nominations/period.py): every seat it is asked to
    nominate for, rather than one message per seat and role."""
    by_party: dict[int, list] = {}
    for call in calls:
        by_party.setdefault(call.party_id, []).append(call)
    bodies = {}
    for party_id, asked in by_party.items():
        first = asked[0]
        lines = [f"KKR-sekretariatet opfordrer {first.party.name} til at indstille til de pladser, partigruppen "
                 f"har i valgperioden {period_name}.", f"Anledning: {first.reason.danish}", "",
                 "Pladserne:", *seat_lines(asked)]
        if first.note:
            lines += ["", first.note]
        bodies[party_id] = "\n".join([*lines, "", _party_page_line()])
    return to_party_groups(f"Opfordring til indstilling: valgperioden {period_name}", bodies, MessageKind.call)


def round_reminder(period_name: str, calls) -> list[Message]:
    """One message to each party group whose calls in the round have passed their deadline unanswered."""
    by_party: dict[int, list] = {}
    for call in calls:
        by_party.setdefault(call.party_id, []).append(call)
    bodies = {party_id: "\n".join([
        f"Påmindelse: KKR-sekretariatet mangler indstillinger fra {asked[0].party.name} til disse pladser i "
        f"valgperioden {period_name}. Fristen er overskredet.", "", *seat_lines(asked), "", _party_page_line()])
        for party_id, asked in by_party.items()}
    return to_party_groups(f"Påmindelse: indstillinger til valgperioden {period_name}", bodies,
                           MessageKind.round_reminder)


# Delivery.

class MailServerUnavailable(Exception):
    """The mail server could not be reached, or broke off; the messages wait in the outbox with the reason."""

    def __init__(self, reason: str, sent: int = 0):
        super().__init__(reason)
        self.sent = sent


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _waiting() -> sa.ColumnElement[bool]:
    """Messages to try: not sent, not given up, and not claimed by a worker that has yet to report.

    A claim counts an attempt and clears the error; a failure writes the error back. So a message with
    attempts but neither error nor sent_at is being sent right now, or its worker died while sending it.
    """
    return (Message.sent_at.is_(None) & (Message.attempts < MAX_ATTEMPTS)
            & ((Message.attempts == 0) | Message.error.is_not(None)))


def deliver(limit: int = 100, *, ids: Iterable[int] | None = None) -> int:
    """Send up to `limit` waiting messages (oldest first; only `ids` when given); the number sent.

    Nothing happens without MAIL_SERVER. Commits as it goes (claim, then the outcome, per message),
    so call it after the change's own commit. A message the server refuses keeps the server's reason
    in `error` and is tried again later, up to MAX_ATTEMPTS times. A server that cannot be reached
    raises MailServerUnavailable after writing the reason on the messages it was to send.
    """
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0
    stmt = sa.select(Message.id, Message.attempts).where(_waiting()).order_by(Message.id).limit(limit)
    if ids is not None:
        stmt = stmt.where(Message.id.in_(list(ids)))
    candidates = db.session.execute(stmt).all()
    db.session.commit()  # ends the read: each claim below is a transaction of its own
    if not candidates:
        return 0
    try:
        smtp = mail.connect(config)
    except OSError as error:  # smtplib.SMTPException is an OSError, as are refused connections and timeouts
        reason = mail.explain(error, config)
        _note([message_id for message_id, _ in candidates], reason)
        raise MailServerUnavailable(reason) from error
    sent = 0
    try:
        for message_id, seen in candidates:
            message = _claim(message_id, seen)
            if message is None:
                continue  # another worker has it
            try:
                smtp.send_message(mail.compose(message, config))
            except (OSError, ValueError) as error:
                reason = mail.explain(error, config)
                _finish(message_id, error=reason)
                if mail.connection_lost(error):
                    raise MailServerUnavailable(reason, sent) from error
                continue
            _finish(message_id)
            sent += 1
    finally:
        mail.close(smtp)
    return sent


def deliver_after_commit() -> None:
    """Send the messages this request (or command) queued, once its change is committed.

    Free when MAIL_SERVER is not set. In a request the sending happens after the response has gone
    to the user, so nobody waits for the mail server; a failure is logged and the message waits in
    the outbox with its error, for `flask notifications send-mail` or the secretariat's button.
    """
    ids = g.pop(QUEUED, None)
    if not ids or not mail_configured():
        return
    if not has_request_context():
        _deliver_quietly(ids)
        return
    app = current_app._get_current_object()

    def send_in_own_context() -> None:
        with app.app_context():
            _deliver_quietly(ids)

    @after_this_request
    def send_after_response(response):
        response.call_on_close(send_in_own_context)
        return response


def _deliver_quietly(ids: list[int]) -> None:
    try:
        deliver(limit=len(ids), ids=ids)
    except MailServerUnavailable as error:
        log.warning("E-mail not sent, left in the outbox: %s", error)
    except Exception:  # the change is committed; nothing after it may fail the request
        db.session.rollback()
        log.exception("E-mail not sent, left in the outbox")


def _claim(message_id: int, seen: int) -> sa.Row | None:
    """Take the message for this worker and read it; None when another worker took it first.

    Committed before the mail server is spoken to, so no transaction (on SQLite: no snapshot
    that a later write could not build on) stays open meanwhile.
    """
    try:
        claimed = db.session.execute(
            sa.update(Message)
            .where(Message.id == message_id, Message.attempts == seen, _waiting())
            .values(attempts=Message.attempts + 1, error=None)
            .execution_options(synchronize_session=False))
        message = None
        if claimed.rowcount == 1:
            message = db.session.execute(
                sa.select(Message.id, Message.recipient, Message.subject, Message.body, Message.created_at)
                .where(Message.id == message_id)).one()
        db.session.commit()
    except OperationalError:  # SQLite busy past its busy_timeout: the message waits for a later run
        db.session.rollback()
        return None
    return message


def _finish(message_id: int, *, error: str | None = None) -> None:
    values = {"error": error} if error else {"sent_at": utcnow(), "error": None}
    db.session.execute(sa.update(Message).where(Message.id == message_id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _note(message_ids: list[int], reason: str) -> None:
    """Write why the server could not be reached on the messages that wait for it, without using an attempt."""
    try:
        db.session.execute(sa.update(Message).where(Message.id.in_(message_ids), _waiting())
                           .values(error=reason).execution_options(synchronize_session=False))
        db.session.commit()
    except OperationalError:
        db.session.rollback()

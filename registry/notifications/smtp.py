"""Talking to the mail server: connecting as configured, composing a message, and saying in Danish what went wrong."""

import smtplib
import socket
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from registry.dates import COPENHAGEN


def connect(config) -> smtplib.SMTP:
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def close(smtp: smtplib.SMTP) -> None:
    """Say goodbye; a server that has gone already is no error."""
    try:
        smtp.quit()
    except OSError:
        smtp.close()


def compose(message, config) -> EmailMessage:
    """The e-mail for an outbox message (a Message, or a row with its id, recipient, subject, body, created_at)."""
    email = EmailMessage()
    sender = config.get("MAIL_SENDER") or "udpegninger@localhost"
    email["From"] = sender
    email["To"] = message.recipient
    # A body's name with a line break must not become a second header.
    email["Subject"] = " ".join(message.subject.split())
    email["Date"] = format_datetime(datetime.now(COPENHAGEN))
    # The same Message-ID on every attempt, so a receiving system can tell a repeat.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = f"<udbakke-{message.id}-{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email.set_content(message.body)
    return email


def connection_lost(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421  # the server is closing the session
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def explain(error: Exception, config) -> str:
    """Danish words for the secretariat, with the server's own words after them; never the password."""
    server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        what = f"Mailserveren {server} afviste brugernavn eller adgangskode (MAIL_USERNAME, MAIL_PASSWORD)"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        what = "Mailserveren afviste modtageren"
    elif isinstance(error, smtplib.SMTPSenderRefused):
        what = "Mailserveren afviste afsenderen (MAIL_SENDER)"
    elif isinstance(error, smtplib.SMTPDataError):
        what = "Mailserveren afviste beskeden"
    elif isinstance(error, smtplib.SMTPNotSupportedError):
        what = f"Mailserveren {server} understøtter ikke STARTTLS eller login, som indstillingerne kræver"
    elif isinstance(error, smtplib.SMTPServerDisconnected):
        what = f"Mailserveren {server} afbrød forbindelsen"
    elif isinstance(error, smtplib.SMTPException):
        what = f"Fejl fra mailserveren {server}"
    elif isinstance(error, ssl.SSLError):
        what = f"Den krypterede forbindelse til mailserveren {server} mislykkedes"
    elif isinstance(error, TimeoutError):
        what = f"Mailserveren {server} svarede ikke inden for {config['MAIL_TIMEOUT']:g} sekunder"
    elif isinstance(error, ConnectionRefusedError):
        what = f"Mailserveren {server} tog ikke imod forbindelsen"
    elif isinstance(error, socket.gaierror):
        what = f"Mailserveren {config['MAIL_SERVER']} findes ikke (navnet kunne ikke slås op)"
    elif isinstance(error, ValueError):
        what = "Beskeden kunne ikke opbygges"
    else:
        what = f"Kunne ikke forbinde til mailserveren {server}"
    text = f"{what}. ({type(error).__name__}: {_detail(error)})"
    if password := config.get("MAIL_PASSWORD"):
        text = text.replace(password, "***")
    return text[:1000]


def _detail(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {_text(reply)}" for address, (code, reply) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return str(error) or "ingen nærmere forklaring"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)

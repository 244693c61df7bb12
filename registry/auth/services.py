import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.security import check_password_hash

from registry.audit.services import record
from registry.auth.models import LoginDelay, LoginFailure, User, UserRole, hash_password
from registry.errors import RuleViolation
from registry.extensions import db
from registry.people.models import Party

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128  # ASVS 2.1.2; the login form takes no more either


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the session holds 'id:token'; a stale token logs out."""
    id_part, _, token = user_id.partition(":")
    if not (id_part.isascii() and id_part.isdigit()):
        return None
    user = db.session.get(User, int(id_part))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(_l("Adgangskoden skal være mindst %(num)d tegn.", num=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise RuleViolation(_l("Adgangskoden må højst være %(num)d tegn.", num=MAX_PASSWORD_LENGTH))


def create_user(username: str, password: str, role: UserRole, party: Party | None = None,
                name: str | None = None, email: str | None = None) -> User:
    username = username.strip()
    if not username:
        raise RuleViolation(_l("Brugernavnet må ikke være tomt."))
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise RuleViolation(_l("Brugernavnet '%(username)s' er allerede i brug.", username=username))
    if (role is UserRole.party) != (party is not None):
        raise RuleViolation(_l("En partigruppebruger skal høre til et parti, og kun den."))
    email = (email or "").strip() or None
    if email is not None and (len(email) > 254 or " " in email or email.count("@") != 1
                              or not all(email.split("@"))):
        raise RuleViolation(_l("'%(email)s' er ikke en gyldig e-mailadresse.", email=email))
    check_password_rules(password)
    user = User(username=username, name=name, email=email, role=role, party=party)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    check_password_rules(password)
    user.set_password(password)
    db.session.flush()


# --- Logging in, with throttling kept in the database ---------------------------------------------------
#
# Several workers on several hosts share nothing but the database, so that is where the counts live: per
# username and address the rows of login_delays, per address the rows of login_failures. An attempt is
# counted against its (username, address) pair *before* the password is checked, by one conditional upsert
# (failures + 1, only while the pair is not delayed), so parallel guesses cannot slip past the limit between
# a check and a count. A successful login forgets the pair.
#
# Why per pair and not per account (OWASP ASVS 5.0 V6.1.1, V6.3.1): a hard lock per account lets anyone
# lock out anyone by typing a username and five wrong passwords. Delaying the pair slows the guesser as
# much and leaves the owner, from their own address, untouched. A guesser's attempts while delayed are
# refused without lengthening the delay, but each counts against their address's limit, so waiting out a
# delay is never free. Unknown usernames are delayed exactly as known ones: the answers and their timing
# do not tell which usernames exist.


@dataclass(frozen=True)
class Throttle:
    lock_after: int             # failed logins in a row for one username from one address before a delay
    lock_minutes: float         # the first delay; each further failure doubles it ...
    lock_max_minutes: float     # ... up to this
    address_limit: int          # failed (or refused) logins from one address within the window
    address_window: timedelta

    @classmethod
    def from_config(cls, config) -> "Throttle":
        return cls(lock_after=config["LOGIN_LOCK_AFTER"], lock_minutes=config["LOGIN_LOCK_MINUTES"],
                   lock_max_minutes=config["LOGIN_LOCK_MAX_MINUTES"], address_limit=config["LOGIN_ADDRESS_LIMIT"],
                   address_window=timedelta(minutes=config["LOGIN_ADDRESS_WINDOW_MINUTES"]))

    def lock_for(self, failures: int) -> timedelta | None:
        """How long the pair is delayed after this many failed logins in a row (None: not delayed).

        With the defaults: 5 failures delay it 1 minute, the 6th 2, the 7th 4, ... at most 60.
        """
        if failures < self.lock_after:
            return None
        doublings = min(failures - self.lock_after, 32)
        return timedelta(minutes=min(self.lock_minutes * 2 ** doublings, self.lock_max_minutes))


@dataclass(frozen=True)
class LoginAttempt:
    """One attempt to log in, counted against its username and address."""

    key: str                           # the keyed hash of the username as typed (LoginDelay.username_key)
    remote_addr: str
    user_id: int | None = None         # only when the account exists
    username: str | None = None        # as stored, only when the account exists
    password_hash: str | None = None
    active: bool = False
    failures: int = 0                  # failed logins in a row for the pair, this attempt included
    locked_until: datetime | None = None  # set when the pair was already delayed: no password is checked

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


_users = User.__table__
_failures = LoginFailure.__table__
_delays = LoginDelay.__table__


def username_key(username: str) -> str:
    """The typed username as the throttle keeps it: folded, and hashed with the app's secret."""
    folded = " ".join(username.split()).casefold()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"login-delay:" + folded.encode(), hashlib.sha256).hexdigest()


def address_refused_until(remote_addr: str, throttle: Throttle, now: datetime) -> datetime | None:
    """When the address may try again, if it has used up its failed logins within the sliding window."""
    since = now - throttle.address_window
    in_window = sa.and_(_failures.c.remote_addr == remote_addr, _failures.c.at > since)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(_failures).where(in_window))
    if count < throttle.address_limit:
        return None
    # It may try again once enough of its failures have left the window.
    leaving = db.session.scalar(sa.select(_failures.c.at).where(in_window).order_by(_failures.c.at)
                                .offset(count - throttle.address_limit).limit(1))
    return leaving + throttle.address_window


def _upsert():
    dialect = db.session.get_bind().dialect.name
    return postgresql.insert(_delays) if dialect == "postgresql" else sqlite.insert(_delays)


def begin_login(username: str, remote_addr: str, throttle: Throttle, now: datetime) -> LoginAttempt:
    """Count the attempt against the username and address, unless that pair is delayed; delay it when this
    is one too many. The same for a username that does not exist.

    Begins with a write, so on SQLite it waits for the database's write lock instead of failing on a
    stale read. The caller commits before checking the password, so parallel attempts see the count.
    """
    key = username_key(username)
    not_delayed = sa.or_(_delays.c.delayed_until.is_(None), _delays.c.delayed_until <= now)
    insert = _upsert().values(username_key=key, remote_addr=remote_addr, failures=1, last_at=now)
    counted = db.session.execute(insert.on_conflict_do_update(
        index_elements=[_delays.c.username_key, _delays.c.remote_addr],
        set_={"failures": _delays.c.failures + 1, "last_at": now, "delayed_until": None}, where=not_delayed,
    ).returning(_delays.c.failures)).first()
    if counted is None:
        until = db.session.scalar(sa.select(_delays.c.delayed_until).where(
            _delays.c.username_key == key, _delays.c.remote_addr == remote_addr))
        return LoginAttempt(key, remote_addr, locked_until=until, **_account(username))
    if lock := throttle.lock_for(counted.failures):
        # Delayed already now, while the password is checked: a parallel attempt finds it delayed.
        db.session.execute(sa.update(_delays).where(_delays.c.username_key == key, _delays.c.remote_addr == remote_addr)
                           .values(delayed_until=now + lock))
    return LoginAttempt(key, remote_addr, failures=counted.failures, **_account(username))


def _account(username: str) -> dict:
    row = db.session.execute(sa.select(_users.c.id, _users.c.username, _users.c.password_hash, _users.c.active)
                             .where(_users.c.username == username)).first()
    if row is None:
        return {}
    return {"user_id": row.id, "username": row.username, "password_hash": row.password_hash, "active": row.active}


@functools.cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def password_matches(attempt: LoginAttempt, password: str) -> bool:
    """Whether the password is right for an active account; as slow for an unknown username, so the time
    taken does not tell which usernames exist."""
    if attempt.password_hash is None:
        check_password_hash(_decoy_hash(), password)
        return False
    try:
        matches = check_password_hash(attempt.password_hash, password)
    except ValueError:  # a hash this Werkzeug cannot read
        matches = False
    return matches and attempt.active


def login_succeeded(attempt: LoginAttempt, password: str) -> User:
    """Forget the pair's failures, rehash the password if its parameters are old, and audit the login."""
    db.session.execute(sa.delete(_delays).where(_delays.c.username_key == attempt.key,
                                                _delays.c.remote_addr == attempt.remote_addr))
    user = db.session.get(User, attempt.user_id)
    if user.password_needs_rehash:
        user.rehash_password(password)
    record(db.session, "login", "users", user.id)
    db.session.flush()
    return user


def login_failed(attempt: LoginAttempt, throttle: Throttle, now: datetime) -> None:
    """A wrong password or an unknown username: counted for the address, audited, and a new delay audited.

    An unknown username is not kept, here nor in the audit trail: it may be a password typed in the
    wrong field.
    """
    _count_against_address(attempt, now)
    record(db.session, "login_failed", "users" if attempt.user_id else None, attempt.user_id,
           _who(attempt) | {"failures": attempt.failures})
    if lock := throttle.lock_for(attempt.failures):
        record(db.session, "lockout", "users" if attempt.user_id else None, attempt.user_id,
               _who(attempt) | {"failures": attempt.failures, "until": (now + lock).isoformat(),
                                "remote_addr": attempt.remote_addr})
    # Failures older than a day count for nothing any more (the audit trail keeps its own entries).
    forget = now - max(throttle.address_window, timedelta(days=1))
    db.session.execute(sa.delete(_failures).where(_failures.c.at < forget))
    db.session.execute(sa.delete(_delays).where(_delays.c.last_at < forget, sa.or_(
        _delays.c.delayed_until.is_(None), _delays.c.delayed_until < now)))
    db.session.flush()


def login_refused(attempt: LoginAttempt | None, reason: str, now: datetime) -> None:
    """An attempt refused before any password was checked: the pair is delayed ("locked"), or the address
    has used up its failed logins ("address"). A refused attempt counts against the address too, so that
    trying on through a delay is not free."""
    if attempt is None:  # refused for the address before the username was even looked at
        record(db.session, "login_failed", None, None, {"unknown_user": True, "refused": reason})
    else:
        _count_against_address(attempt, now)
        record(db.session, "login_failed", "users" if attempt.user_id else None, attempt.user_id,
               _who(attempt) | {"refused": reason})
    db.session.flush()


def _count_against_address(attempt: LoginAttempt, now: datetime) -> None:
    db.session.execute(sa.insert(_failures).values(at=now, remote_addr=attempt.remote_addr,
                                                   username=attempt.username))


def _who(attempt: LoginAttempt) -> dict:
    return {"username": attempt.username} if attempt.username else {"unknown_user": True}


def logout(user: User) -> None:
    """Logging out ends the session on the server too: a copy of the cookie stops working. That is every
    session of the user, as the token is one per user."""
    record(db.session, "logout", "users", user.id)
    user.end_sessions()
    db.session.flush()


def disable_user(user: User) -> None:
    """A disabled user cannot log in and is logged out everywhere at once."""
    user.active = False
    user.end_sessions()
    db.session.flush()


def enable_user(user: User) -> None:
    """Let the user log in again, and lift any delay after failed logins, from every address."""
    user.active = True
    db.session.execute(sa.delete(_delays).where(_delays.c.username_key == username_key(user.username)))
    db.session.flush()

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from registry.audit.services import record
from registry.auth.models import LoginFailure, User, UserRole, hash_password
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
# Several workers on several hosts share nothing but the database, so that is where the counts live:
# per account users.failed_logins and users.locked_until, per address the rows of login_failures.
# An attempt is counted against its account *before* the password is checked, by one conditional UPDATE
# (failed_logins = failed_logins + 1, only while the account is not locked), so parallel guesses cannot
# slip past the limit between a check and a count; a successful login sets the count back to 0.


@dataclass(frozen=True)
class Throttle:
    lock_after: int             # failed logins in a row before the account is locked
    lock_minutes: float         # the first lock; each further failure doubles it ...
    lock_max_minutes: float     # ... up to this
    address_limit: int          # failed logins from one address within the window
    address_window: timedelta

    @classmethod
    def from_config(cls, config) -> "Throttle":
        return cls(lock_after=config["LOGIN_LOCK_AFTER"], lock_minutes=config["LOGIN_LOCK_MINUTES"],
                   lock_max_minutes=config["LOGIN_LOCK_MAX_MINUTES"], address_limit=config["LOGIN_ADDRESS_LIMIT"],
                   address_window=timedelta(minutes=config["LOGIN_ADDRESS_WINDOW_MINUTES"]))

    def lock_for(self, failures: int) -> timedelta | None:
        """How long the account is locked after this many failed logins in a row (None: not locked).

        With the defaults: 5 failures lock it for 1 minute, the 6th for 2, the 7th for 4, ... at most 60.
        """
        if failures < self.lock_after:
            return None
        doublings = min(failures - self.lock_after, 32)
        return timedelta(minutes=min(self.lock_minutes * 2 ** doublings, self.lock_max_minutes))


@dataclass(frozen=True)
class LoginAttempt:
    """One attempt to log in, counted against its account (if the username exists)."""

    user_id: int | None = None
    username: str | None = None        # as stored, only when the account exists
    password_hash: str | None = None
    active: bool = False
    failures: int = 0                  # failed logins in a row, this attempt included
    locked_until: datetime | None = None  # set when the account was already locked: no password is checked

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


_users = User.__table__
_failures = LoginFailure.__table__


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


def begin_login(username: str, throttle: Throttle, now: datetime) -> LoginAttempt:
    """Count the attempt against the account, unless it is locked; lock it when this is one too many.

    Begins with a write, so on SQLite it waits for the database's write lock instead of failing on a
    stale read. The caller commits before checking the password, so parallel attempts see the count.
    """
    not_locked = sa.or_(_users.c.locked_until.is_(None), _users.c.locked_until <= now)
    row = db.session.execute(
        sa.update(_users).where(_users.c.username == username, not_locked)
        .values(failed_logins=_users.c.failed_logins + 1)
        .returning(_users.c.id, _users.c.username, _users.c.password_hash, _users.c.active, _users.c.failed_logins)
    ).first()
    if row is None:
        locked = db.session.execute(sa.select(_users.c.id, _users.c.username, _users.c.failed_logins,
                                              _users.c.locked_until).where(_users.c.username == username)).first()
        if locked is None:
            return LoginAttempt()
        return LoginAttempt(user_id=locked.id, username=locked.username, failures=locked.failed_logins,
                            locked_until=locked.locked_until)
    if lock := throttle.lock_for(row.failed_logins):
        # Locked already now, while the password is checked: a parallel attempt finds it locked.
        db.session.execute(sa.update(_users).where(_users.c.id == row.id).values(locked_until=now + lock))
    return LoginAttempt(user_id=row.id, username=row.username, password_hash=row.password_hash,
                        active=row.active, failures=row.failed_logins)


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
    """Set the count back, lift any lock, rehash the password if its parameters are old, and audit the login."""
    db.session.execute(sa.update(_users).where(_users.c.id == attempt.user_id)
                       .values(failed_logins=0, locked_until=None))
    user = db.session.get(User, attempt.user_id)
    db.session.expire(user, ["failed_logins", "locked_until"])
    if user.password_needs_rehash:
        user.rehash_password(password)
    record(db.session, "login", "users", user.id)
    db.session.flush()
    return user


def login_failed(attempt: LoginAttempt, remote_addr: str, throttle: Throttle, now: datetime) -> None:
    """A wrong password or an unknown username: counted for the address, audited, and a lockout audited.

    An unknown username is not kept, here nor in the audit trail: it may be a password typed in the
    wrong field.
    """
    db.session.execute(sa.insert(_failures).values(at=now, remote_addr=remote_addr, username=attempt.username))
    record(db.session, "login_failed", "users" if attempt.user_id else None, attempt.user_id,
           _who(attempt) | ({"failures": attempt.failures} if attempt.user_id else {}))
    if lock := (attempt.user_id and throttle.lock_for(attempt.failures)):
        record(db.session, "lockout", "users", attempt.user_id,
               {"username": attempt.username, "failures": attempt.failures, "until": (now + lock).isoformat()})
    # Failures older than a day count for nothing any more (the audit trail keeps its own entries).
    db.session.execute(sa.delete(_failures).where(_failures.c.at < now - max(throttle.address_window,
                                                                             timedelta(days=1))))
    db.session.flush()


def login_refused(attempt: LoginAttempt | None, reason: str) -> None:
    """An attempt refused before any password was checked: the account is locked ("locked"), or the
    address has used up its failed logins ("address")."""
    attempt = attempt or LoginAttempt()
    record(db.session, "login_failed", "users" if attempt.user_id else None, attempt.user_id,
           _who(attempt) | {"refused": reason})
    db.session.flush()


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
    """Let the user log in again, and lift a lock after failed logins."""
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from registry.dates import utcnow
from registry.extensions import db
from registry.people.models import Party
from registry.types import N_, LabelledEnum, enum_column

# How passwords are hashed: scrypt with these parameters, the one place they are set. A stored hash made
# with another method or other parameters (an old "pbkdf2:...", or scrypt with another n, r or p) is
# replaced on the next successful login, when the password is at hand (see User.password_needs_rehash).
# n = 2**15, r = 8, p = 1: about 32 MB and 50-100 ms per hash, OWASP's recommended minimum or above.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
PASSWORD_METHOD = f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}"
SALT_LENGTH = 16


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD, salt_length=SALT_LENGTH)


def new_session_token() -> str:
    return secrets.token_hex(32)


class UserRole(LabelledEnum):
    admin = "admin", N_("administrator")
    secretariat = "secretariat", N_("sekretariat")
    # A party group user belongs to one party and sees its own nominations only.
    party = "party", N_("partigruppe")
    viewer = "viewer", N_("læser")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("(role = 'party') = (party_id IS NOT NULL)", name="party_user_has_party"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254), info={"private": True})
    password_hash: Mapped[str] = mapped_column(sa.String(300), info={"private": True})
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole))
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Changing it logs the user out everywhere: the session carries it and
    # is accepted only while it matches.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), default=new_session_token, info={"private": True}
    )

    party: Mapped[Party | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        """A new password logs the user out everywhere."""
        self.password_hash = hash_password(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        try:
            return check_password_hash(self.password_hash, password)
        except ValueError:  # a hash this Werkzeug cannot read: no password matches it
            return False

    @property
    def password_needs_rehash(self) -> bool:
        """Whether the stored hash was made with another method or other parameters than PASSWORD_METHOD."""
        return self.password_hash.partition("$")[0] != PASSWORD_METHOD

    def rehash_password(self, password: str) -> None:
        """The same password hashed anew with the current parameters; the sessions stay (unlike set_password)."""
        self.password_hash = hash_password(password)

    def end_sessions(self) -> None:
        """Log the user out everywhere: every session carries the old token, which no longer matches."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class LoginDelay(db.Model):
    """Failed logins in a row for one username from one address, and the time before which that pair's
    next attempt is refused without checking a password (auth/services.py). Per pair, not per account, so
    that a stranger's wrong guesses cannot lock the account's owner out from elsewhere; and kept for typed
    usernames whether or not they exist, so that the answers cannot tell which do.

    The username is kept as a keyed hash (HMAC with the SECRET_KEY), never as typed: what was typed may be
    a password in the wrong field.
    """

    __tablename__ = "login_delays"
    __table_args__ = (sa.UniqueConstraint("username_key", "remote_addr", name="uq_login_delays_username_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username_key: Mapped[str] = mapped_column(sa.String(64))
    remote_addr: Mapped[str] = mapped_column(sa.String(64))
    failures: Mapped[int] = mapped_column(default=0)
    delayed_until: Mapped[datetime | None]
    last_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginFailure(db.Model):
    """A failed login from an address: the per-address limit counts these within a window, across all
    workers. Old rows may be deleted; they are not the audit trail (that has its own entries)."""

    __tablename__ = "login_failures"
    __table_args__ = (sa.Index("ix_login_failures_address_at", "remote_addr", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    remote_addr: Mapped[str] = mapped_column(sa.String(64))
    username: Mapped[str | None] = mapped_column(sa.String(80))

import secrets

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from registry.extensions import db
from registry.people.models import Party
from registry.types import LabelledEnum, enum_column


class UserRole(LabelledEnum):
    admin = "admin", "administrator"
    secretariat = "secretariat", "sekretariat"
    # A party group user belongs to one party and sees its own nominations only.
    party = "party", "partigruppe"
    viewer = "viewer", "læser"


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
        sa.String(64), default=lambda: secrets.token_hex(32), info={"private": True}
    )

    party: Mapped[Party | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_token = secrets.token_hex(32)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"

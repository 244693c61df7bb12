import sqlalchemy as sa

from registry.auth.models import User, UserRole
from registry.errors import RuleViolation
from registry.extensions import db
from registry.people.models import Party

MIN_PASSWORD_LENGTH = 12


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the session holds 'id:token'; a stale token logs out."""
    id_part, _, token = user_id.partition(":")
    if not id_part.isdigit():
        return None
    user = db.session.get(User, int(id_part))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.")


def create_user(username: str, password: str, role: UserRole, party: Party | None = None,
                name: str | None = None, email: str | None = None) -> User:
    username = username.strip()
    if not username:
        raise RuleViolation("Brugernavnet må ikke være tomt.")
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise RuleViolation(f"Brugernavnet '{username}' er allerede i brug.")
    if (role is UserRole.party) != (party is not None):
        raise RuleViolation("En partigruppebruger skal høre til et parti, og kun den.")
    check_password_rules(password)
    user = User(username=username, name=name, email=email or None, role=role, party=party)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    check_password_rules(password)
    user.set_password(password)
    db.session.flush()

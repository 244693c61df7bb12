"""Settings from the environment.

DATABASE_URL   the database; default: SQLite in instance/registry.db.
               PostgreSQL in production: postgresql+psycopg://user:pass@host/db
SECRET_KEY     signs sessions; if unset, one is generated on first run and
               kept in instance/secret_key (never a fixed key in the code).
COUNCIL_NAME   the KKR this registry belongs to; default "KKR Hovedstaden".
TRUSTED_PROXIES how many reverse proxies stand in front (X-Forwarded-For is
               believed from that many); default 0.
SESSION_COOKIE_SECURE  "true" when served over https.
"""

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Written with O_EXCL so two workers starting at once agree on one key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'registry.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load(instance_path: str) -> dict:
    path = Path(instance_path)
    return {
        "SECRET_KEY": _secret_key(path),
        "SQLALCHEMY_DATABASE_URI": _database_url(path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "KKR Hovedstaden"),
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "false").lower() == "true",
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # An import file of a national registry (100,000 rows is about 10 MB) must fit,
        # also when the preview carries it back base64-encoded in a form field.
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 32 * 1024 * 1024,
    }

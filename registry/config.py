"""Settings from the environment.

DATABASE_URL   the database; default: SQLite in instance/registry.db.
               PostgreSQL in production: postgresql+psycopg://user:pass@host/db
SECRET_KEY     signs sessions; if unset, one is generated on first run and
               kept in instance/secret_key (never a fixed key in the code).
COUNCIL_NAME   the KKR this registry belongs to; default "KKR Hovedstaden".
TRUSTED_PROXIES how many reverse proxies stand in front (X-Forwarded-For is
               believed from that many); default 0.
SESSION_COOKIE_SECURE  "true" when served over https.
SESSION_LIFETIME_HOURS how long a login lasts at most, however active the user; default 8.
LOGIN_ADDRESS_LIMIT    failed logins allowed from one address within LOGIN_ADDRESS_WINDOW_MINUTES
LOGIN_ADDRESS_WINDOW_MINUTES   before that address is refused for a while; defaults 20 and 15.
               Behind a reverse proxy set TRUSTED_PROXIES, or every client shares the proxy's address.
PUBLIC_URL     the address the registry is reached at, e.g. https://udpegninger.kkr.dk: the base of
               every link in an e-mail and in the API, and the only Host a request may name
               (others get 400). Unset (development), links follow the request's own Host.
TRUSTED_HOSTS  more host names to accept besides PUBLIC_URL's, comma-separated.
IMPORT_MAX_MB  the largest CSV file the import page takes, in MB; default 32.
IMPORT_CHECK_SECONDS   how long the import page may spend checking a file; default 20.
ANONYMISE_AFTER_DAYS   days after a person's last day on a seat (or in a nomination) before the
               person may be anonymised (registry/people/privacy.py); default 1826 (5 years).

E-mail to party groups (registry/notifications); without MAIL_SERVER nothing is
sent and the messages wait in the outbox (/udbakke):
MAIL_SERVER    the SMTP host.
MAIL_PORT      default 25 (465 with MAIL_USE_SSL).
MAIL_USE_TLS   "true": STARTTLS after connecting.
MAIL_USE_SSL   "true": TLS from the start (SMTPS). Not together with MAIL_USE_TLS.
MAIL_USERNAME, MAIL_PASSWORD  log in when MAIL_USERNAME is set.
MAIL_SENDER    the From address, e.g. "KKR Hovedstaden <udpegninger@kl.dk>".
MAIL_TIMEOUT   seconds to wait for the SMTP server; default 10.

The OpenAPI document of the JSON API (/api/v1/openapi.json, shown at /api/v1/docs):
API_SERVERS    the API's addresses (the site's root: the paths start with /api/v1), comma-separated;
               default PUBLIC_URL, else http://127.0.0.1:5000, where `make run` serves it.
API_CONTACT_NAME, API_CONTACT_URL, API_CONTACT_EMAIL   whom a consumer asks; default "The secretariat
               of <COUNCIL_NAME>" with the KKR's page on kl.dk, and no e-mail address.
API_DATA_LICENSE, API_DATA_LICENSE_URL   the licence of the data, e.g. "CC BY 4.0" and
               https://creativecommons.org/licenses/by/4.0/; default: none given yet (see api()).
"""

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


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


def _flag(name: str) -> bool:
    return os.environ.get(name, "false").strip().lower() in ("1", "true", "yes", "on")


def _mail() -> dict:
    use_ssl, use_tls = _flag("MAIL_USE_SSL"), _flag("MAIL_USE_TLS")
    if use_ssl and use_tls:
        raise RuntimeError("MAIL_USE_SSL and MAIL_USE_TLS exclude each other: SSL is TLS from the start, "
                           "TLS (STARTTLS) upgrades a plain connection.")
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "").strip() or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or (465 if use_ssl else 25)),
        "MAIL_USE_TLS": use_tls,
        "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_SENDER": os.environ.get("MAIL_SENDER") or "udpegninger@localhost",
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT") or 10),
    }


def _number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        raise RuntimeError(f"{name} must be a number, not {text!r}.") from None
    if value <= 0:
        raise RuntimeError(f"{name} must be more than 0.")
    return value


def _security() -> dict:
    """Sessions, cookies, CSRF and login throttling (see registry/security.py and registry/auth/services.py)."""
    lifetime_hours = _number("SESSION_LIFETIME_HOURS", 8)
    return {
        # The session cookie: never readable from scripts, not sent with cross-site subrequests or POSTs.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        # A login lasts at most this long, counted from the login (registry/security.py checks it on
        # every request); the cookie's signature expires with it too.
        "SESSION_LIFETIME_HOURS": lifetime_hours,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=lifetime_hours),
        # A form's CSRF token lasts as long as a login, so a form left open for an hour can still be sent.
        "WTF_CSRF_TIME_LIMIT": int(lifetime_hours * 3600),
        # Per account: after LOGIN_LOCK_AFTER failed logins in a row the account is locked for
        # LOGIN_LOCK_MINUTES, doubled with each further failure, at most LOGIN_LOCK_MAX_MINUTES.
        "LOGIN_LOCK_AFTER": 5,
        "LOGIN_LOCK_MINUTES": 1,
        "LOGIN_LOCK_MAX_MINUTES": 60,
        # Per address: at most this many failed logins within the window (sliding).
        "LOGIN_ADDRESS_LIMIT": int(_number("LOGIN_ADDRESS_LIMIT", 20)),
        "LOGIN_ADDRESS_WINDOW_MINUTES": _number("LOGIN_ADDRESS_WINDOW_MINUTES", 15),
        # Strict-Transport-Security's max-age when served over https: one year.
        "HSTS_SECONDS": 365 * 24 * 3600,
    }


def public_url(url: str | None, extra_hosts: str | None = None) -> dict:
    """Flask's settings for links and hosts from PUBLIC_URL: links are built on it, never on the
    request's Host header, which an attacker chooses; and a request naming another host is refused."""
    if not url:
        return {"PUBLIC_URL": None}
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"PUBLIC_URL must be like https://udpegninger.example.dk, not {url!r}.")
    hosts = [parts.hostname] + [host.strip() for host in (extra_hosts or "").split(",") if host.strip()]
    return {
        "PUBLIC_URL": f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}",
        "SERVER_NAME": parts.netloc,
        "PREFERRED_URL_SCHEME": parts.scheme,
        "APPLICATION_ROOT": parts.path.rstrip("/") or "/",
        "TRUSTED_HOSTS": hosts,
    }


# Where `make run` serves the registry: the API's address in its OpenAPI document unless API_SERVERS or
# PUBLIC_URL says otherwise.
DEVELOPMENT_URL = "http://127.0.0.1:5000"
DEFAULT_COUNCIL_NAME = "KKR Hovedstaden"


def _kl_page(council_name: str) -> str:
    """The KKR's own page on KL's website (kl.dk/politik/kkr/kkr-sjaelland), else KL's front page."""
    if not council_name.startswith("KKR "):
        return "https://www.kl.dk"
    slug = council_name.lower().replace(" ", "-")
    for letter, spelt in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        slug = slug.replace(letter, spelt)
    return f"https://www.kl.dk/politik/kkr/{slug}"


def api(environ: Mapping[str, str], council_name: str = DEFAULT_COUNCIL_NAME) -> dict:
    """What the API's OpenAPI document says of itself: where the API is, whom to ask, and on what terms its
    data may be reused. API_SERVERS empty: PUBLIC_URL, else DEVELOPMENT_URL (registry/api/docs.py)."""
    servers = []
    for url in environ.get("API_SERVERS", "").split(","):
        parts = urlsplit(url.strip())
        if not url.strip():
            continue
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise RuntimeError(f"API_SERVERS must be addresses like https://udpegninger.example.dk, not {url!r}.")
        servers.append(url.strip().rstrip("/"))
    contact = {"name": environ.get("API_CONTACT_NAME") or f"The secretariat of {council_name}",
               "url": environ.get("API_CONTACT_URL") or _kl_page(council_name)}
    if email := environ.get("API_CONTACT_EMAIL"):
        contact["email"] = email
    # Who sits on which public body by whose decision is public, but the licence of the data is KL's to give:
    # until one is set the document says so and points to whom to ask, rather than claim a licence.
    if name := environ.get("API_DATA_LICENSE"):
        data_license = {"name": name}
        if url := environ.get("API_DATA_LICENSE_URL"):
            data_license["url"] = url
    else:
        data_license = {"name": "No licence given yet: ask the secretariat", "url": contact["url"]}
    return {"API_SERVERS": servers, "API_CONTACT": contact, "API_DATA_LICENSE": data_license}


def load(instance_path: str) -> dict:
    path = Path(instance_path)
    import_max_mb = int(_number("IMPORT_MAX_MB", 32))
    council_name = os.environ.get("COUNCIL_NAME", DEFAULT_COUNCIL_NAME)
    return {
        "SECRET_KEY": _secret_key(path),
        "SQLALCHEMY_DATABASE_URI": _database_url(path),
        # hide_parameters: SQL logs and errors never show the values (password hashes, personal data).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "COUNCIL_NAME": council_name,
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # The one size limit of an import file, stated on the upload page; a national registry's file of
        # 100,000 rows is about 11 MB. A request may be a little larger: the form around the file.
        "IMPORT_MAX_MB": import_max_mb,
        "MAX_CONTENT_LENGTH": (import_max_mb + 1) * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        # How long the web's check of an uploaded file may take before the file is refused as too big to
        # check there (the command line has no limit); well inside gunicorn's worker timeout.
        "IMPORT_CHECK_SECONDS": _number("IMPORT_CHECK_SECONDS", 20),
        "ANONYMISE_AFTER_DAYS": int(_number("ANONYMISE_AFTER_DAYS", 1826)),
        **public_url(os.environ.get("PUBLIC_URL"), os.environ.get("TRUSTED_HOSTS")),
        **_mail(),
        **_security(),
        **api(os.environ, council_name),
    }

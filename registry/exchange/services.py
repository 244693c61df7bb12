"""The uploaded file between the import's preview and its confirmation.

The app keeps nothing of its own between requests (several workers on several hosts share one database),
so the file is kept in the database under a random token. The confirmation names the token and the SHA-256
the preview was made from: only that very file, uploaded by the same user within UPLOAD_LIFETIME, is imported.
"""

import hashlib
import secrets
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.dates import utcnow
from registry.errors import RuleViolation
from registry.exchange.models import Upload
from registry.extensions import db

# Long enough to read a preview of a large file and think it over; the file is then deleted unconfirmed.
UPLOAD_HOURS = 2
UPLOAD_LIFETIME = timedelta(hours=UPLOAD_HOURS)


def read_upload(field) -> bytes | None:
    """The uploaded file's bytes, or None with the refusal on the field when it is larger than IMPORT_MAX_MB:
    the appointments import and the councils' import take files alike."""
    data = field.data.read()
    limit = current_app.config["IMPORT_MAX_MB"]
    if len(data) > limit * 1024 * 1024:
        field.errors.append(_("Filen er for stor: %(size)s MB; højst %(limit)d MB.",
                              size=format_decimal(len(data) / 1024 / 1024, "0.0"), limit=limit))
        return None
    return data


def check_deadline() -> float:
    """When a page's check of an uploaded file must stop (IMPORT_CHECK_SECONDS from now)."""
    return time.monotonic() + current_app.config["IMPORT_CHECK_SECONDS"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def keep(data: bytes, filename: str, user) -> Upload:
    """Keep the file for its confirmation; files left unconfirmed past their lifetime go at the same time."""
    db.session.execute(sa.delete(Upload).where(Upload.created_at < utcnow() - UPLOAD_LIFETIME))
    upload = Upload(token=secrets.token_urlsafe(32), user_id=user.id, filename=filename[:255] or "import.csv",
                    sha256=sha256(data), size=len(data), data=data)
    db.session.add(upload)
    db.session.flush()
    return upload


def kept(token: str, digest: str, user) -> Upload:
    """The file the user's preview was made from; refused when it has expired, or is another file."""
    upload = db.session.scalar(sa.select(Upload).where(Upload.token == token, Upload.user_id == user.id))
    if upload is None or upload.created_at < utcnow() - UPLOAD_LIFETIME:
        raise RuleViolation(lazy_ngettext("Filen er ikke længere gemt til importen (den gemmes i %(num)d time). "
                                          "Upload den igen.",
                                          "Filen er ikke længere gemt til importen (den gemmes i %(num)d timer). "
                                          "Upload den igen.", UPLOAD_HOURS))
    if upload.sha256 != digest:
        raise RuleViolation(_l("Filen er ikke den, kontrollen blev lavet på. Upload den igen."))
    return upload


def discard(upload: Upload) -> None:
    db.session.delete(upload)
    db.session.flush()

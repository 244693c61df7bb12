from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.dates import utcnow
from registry.extensions import db


class Upload(db.Model):
    """A CSV file uploaded for import, kept between the preview and the confirmation.

    Kept in the database, not in memory or on one host's disk, so that the confirmation may reach any
    worker on any host. The token in the confirmation form finds it, and the SHA-256 the preview was
    made from must still match. It is deleted when imported, and when it expires unconfirmed.
    """

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Private: whoever has the token (and the hash) may have the file imported in the uploader's name.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, info={"private": True})
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    # Masked in the audit trail like the private columns: the trail keeps who uploaded what (its hash), not the file.
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, info={"private": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

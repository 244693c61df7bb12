from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.dates import utcnow
from registry.extensions import db


class AuditEntry(db.Model):
    """One change or event: who, when, what, from where.

    Append-only: the database refuses UPDATE and DELETE on this table
    (triggers in the first migration). The user is kept by id and by name so
    an entry stays readable whatever happens to the user later.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(sa.String(100))
    action: Mapped[str] = mapped_column(sa.String(30))
    entity: Mapped[str | None] = mapped_column(sa.String(50))
    entity_id: Mapped[int | None]
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (sa.Index("ix_audit_entries_entity", "entity", "entity_id"),)

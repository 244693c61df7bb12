from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from registry.extensions import db
from registry.types import N_, LabelledEnum, SearchKey, SortKey, enum_column, search_key, search_key_default, sort_key

if TYPE_CHECKING:
    from registry.appointments.models import Appointment


def search_name_index(table: str) -> sa.Index:
    """The search key's index: on PostgreSQL trigrams (GIN, pg_trgm, migration 0017), which serve the
    LIKE '%…%' of a search by part of a name (registry/search/services.py); on SQLite a plain btree, as before."""
    return sa.Index(f"ix_{table}_search_name", "search_name", postgresql_using="gin",
                    postgresql_ops={"search_name": "gin_trgm_ops"})


class Gender(LabelledEnum):
    woman = "woman", N_("kvinde")
    man = "man", N_("mand")
    other = "other", N_("andet")


class Municipality(db.Model):
    """Kommune, with its kommunekode and the regionskode of its region. All 98 are in every database
    (migration 0010); one the registry met only in an import has neither. Whether it lies in the council's
    region depends on the KKR the registry serves (people/services.py: in_council_region)."""

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    region_code: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<Municipality {self.name}>"


class Party(db.Model):
    """A party or a party group (valggruppe) by its list letter (A, B, F, Ø, ...)."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)

    def __repr__(self) -> str:
        return f"<Party {self.letter}>"


class Person(db.Model):
    """A politician who holds or has held a seat.

    Gender and contact details are private: never shown publicly, never
    exported, and masked in the audit trail (info={"private": True}).
    """

    __tablename__ = "persons"
    __table_args__ = (sa.Index("ix_persons_name_municipality", "name", "municipality_id"),
                      search_name_index("persons"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    sort_name: Mapped[str] = mapped_column(SortKey, index=True)
    search_name: Mapped[str] = mapped_column(SearchKey, default=search_key_default)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender), info={"private": True})
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    # The party the person belongs to now; each appointment keeps the party
    # the person represented then (people change party).
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"), index=True)
    office: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254), info={"private": True})
    phone: Mapped[str | None] = mapped_column(sa.String(50), info={"private": True})
    # Set when the person's name and private details were erased after the retention period (GDPR);
    # the history of seats stays, under "Tidligere medlem".
    anonymised_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    municipality: Mapped[Municipality | None] = relationship()
    party: Mapped[Party | None] = relationship()
    appointments: Mapped[list["Appointment"]] = relationship(back_populates="person")

    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _keep_sort_name(self, key: str, name: str) -> str:
        self.sort_name = sort_key(name)
        self.search_name = search_key(name)
        return name

    def __repr__(self) -> str:
        return f"<Person {self.name}>"

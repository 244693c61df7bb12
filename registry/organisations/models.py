from datetime import date
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from registry.extensions import db
from registry.types import N_, LabelledEnum, SearchKey, SortKey, enum_column, search_key, search_key_default, sort_key

if TYPE_CHECKING:
    from registry.appointments.models import Appointment
    from registry.people.models import Party


class OrganisationKind(LabelledEnum):
    board = "board", N_("bestyrelse")
    council = "council", N_("råd")
    committee = "committee", N_("udvalg")
    forum = "forum", N_("forum")
    other = "other", N_("andet")


class GenderRule(LabelledEnum):
    """Whether the Gender Equality Act (ligestillingsloven) covers the body."""

    none = "none", N_("ikke omfattet")
    section_9 = "section_9", N_("ligestillingsloven § 9")
    section_10a = "section_10a", N_("ligestillingsloven § 10a")


class ElectionPeriod(db.Model):
    """Valgperiode: the municipal term, e.g. 2022-2025 (1 January to 31 December)."""

    __tablename__ = "election_periods"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(20), unique=True)
    start_date: Mapped[date]
    end_date: Mapped[date]

    def __repr__(self) -> str:
        return f"<ElectionPeriod {self.name}>"


class Organisation(db.Model):
    """An external body with seats that KKR fills (råd, bestyrelse, udvalg).

    A body that ends keeps its history: it gets an end date and, where the
    law replaced it (RAR → regionalt beskæftigelsesråd), a successor.
    """

    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        sa.CheckConstraint("term_years IS NULL OR term_years BETWEEN 1 AND 20", name="term_years"),
        sa.CheckConstraint("max_terms IS NULL OR max_terms >= 1", name="max_terms"),
        sa.CheckConstraint("warning_days BETWEEN 0 AND 730", name="warning_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    sort_name: Mapped[str] = mapped_column(SortKey, index=True)
    search_name: Mapped[str] = mapped_column(SearchKey, index=True, default=search_key_default)
    short_name: Mapped[str | None] = mapped_column(sa.String(50))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind), default=OrganisationKind.other)
    legal_basis: Mapped[str | None] = mapped_column(sa.Text)
    # Udpegende myndighed: KKR itself, or e.g. "Beskæftigelsesministeren".
    appointing_authority: Mapped[str] = mapped_column(sa.String(200))
    # True when KKR only recommends (indstiller) and someone else formally
    # appoints (beskikker); the appointment then waits for that authority.
    authority_is_external: Mapped[bool] = mapped_column(default=False)
    gender_rule: Mapped[GenderRule] = mapped_column(enum_column(GenderRule), default=GenderRule.none)
    follows_election_period: Mapped[bool] = mapped_column(default=True)
    # Term rules (organisations/terms.py), where the body does not follow the election period: a term of so
    # many years, counted from term_start and every term_years after it (KommuneKredit: from 1 June), or
    # from each appointment's own first day when term_start is empty (Danmarks Erhvervsfremmebestyrelse).
    term_years: Mapped[int | None]
    term_start: Mapped[date | None]
    # At most this many terms in a row for one person (a warning on a nomination, not a refusal); none: no limit.
    max_terms: Mapped[int | None]
    # How long before a term ends it is listed as ending (the dashboard, the party groups' seats).
    warning_days: Mapped[int] = mapped_column(default=90, server_default="90")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    successor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    successor: Mapped[Optional["Organisation"]] = relationship(remote_side=[id])
    seats: Mapped[list["Seat"]] = relationship(
        back_populates="organisation", order_by=lambda: [Seat.position, Seat.label]
    )

    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _keep_sort_name(self, key: str, name: str) -> str:
        self.sort_name = sort_key(name)
        self.search_name = search_key(name)
        return name

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class Seat(db.Model):
    """Plads: a seat on a body. It exists independently of who holds it."""

    __tablename__ = "seats"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "label", name="uq_seats_organisation_label"),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)
    # Whether the seat has a personal suppleant (not every body has them).
    has_substitute: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date | None]
    # The seat was retired after this day.
    end_date: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship(back_populates="seats")
    allocations: Mapped[list["SeatAllocation"]] = relationship(back_populates="seat")
    appointments: Mapped[list["Appointment"]] = relationship(back_populates="seat")

    __mapper_args__ = {"version_id_col": version}

    def is_open_on(self, day: date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )

    def __repr__(self) -> str:
        return f"<Seat {self.organisation_id}/{self.label}>"


class SeatAllocation(db.Model):
    """Which party group holds a seat in an election period (by agreement or d'Hondt)."""

    __tablename__ = "seat_allocations"
    __table_args__ = (sa.UniqueConstraint("seat_id", "period_id", name="uq_seat_allocations_seat_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("election_periods.id"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)

    seat: Mapped[Seat] = relationship(back_populates="allocations")
    period: Mapped[ElectionPeriod] = relationship()
    party: Mapped["Party"] = relationship()

from datetime import date
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from registry.extensions import db
from registry.people.models import search_name_index
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


class SeatKind(LabelledEnum):
    """What a seat is on its body (DOMAIN.md, "Bodies as they are")."""

    voting = "voting", N_("stemmeberettiget")
    # Observatør or tilforordnet: attends, no vote.
    observer = "observer", N_("observatør")
    # Født medlem: held by whoever holds a stated office ("til enhver tid siddende borgmester").
    ex_officio = "ex_officio", N_("født medlem")
    # One rank of a pool of suppleants who step in by turn for any member of their side (AMU-loven).
    pooled_substitute = "pooled_substitute", N_("fælles suppleant")


# Seats whose holders vote: the ones the balance counts.
VOTING_KINDS = (SeatKind.voting, SeatKind.ex_officio)


class SeatFiller(LabelledEnum):
    """Who fills a seat: KKR (appointing, or recommending to an outside authority), or another appointer
    whose holders the registry records only so that the body's whole roster is there."""

    kkr = "kkr", N_("KKR")
    other = "other", N_("anden udpeger")


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
        search_name_index("organisations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    sort_name: Mapped[str] = mapped_column(SortKey, index=True)
    search_name: Mapped[str] = mapped_column(SearchKey, default=search_key_default)
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
        sa.CheckConstraint("(kind = 'ex_officio') = (ex_officio IS NOT NULL)", name="ex_officio"),
        sa.CheckConstraint("(kind = 'pooled_substitute') = (pool_rank IS NOT NULL) AND (pool_rank IS NULL OR "
                           "pool_rank >= 1)", name="pool_rank"),
        sa.CheckConstraint("kind <> 'pooled_substitute' OR NOT has_substitute", name="pool_no_substitute"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)
    # Whether the seat has a personal suppleant (not every body has them).
    has_substitute: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[SeatKind] = mapped_column(enum_column(SeatKind), default=SeatKind.voting,
                                           server_default=SeatKind.voting.value)
    # The office that holds an ex officio seat, e.g. "borgmester i Gentofte Kommune".
    ex_officio: Mapped[str | None] = mapped_column(sa.String(200))
    # A pooled suppleant seat's rank: 1 steps in first. Each rank is a seat, so the one-holder rule of
    # appointments (the database's too) keeps one holder per rank at a time.
    pool_rank: Mapped[int | None]
    filled_by: Mapped[SeatFiller] = mapped_column(enum_column(SeatFiller), default=SeatFiller.kkr,
                                                  server_default=SeatFiller.kkr.value)
    # Where the seat differs from its body: its own appointing authority (empty: the body's), whether that
    # authority is outside KKR (empty: as the body), and the organisation that nominates instead of a party
    # group (Dansk Industri, FH, Praksisudvalget; empty: the party group holding the seat).
    appointing_authority: Mapped[str | None] = mapped_column(sa.String(200))
    authority_is_external: Mapped[bool | None]
    nominated_by: Mapped[str | None] = mapped_column(sa.String(200))
    start_date: Mapped[date | None]
    # The seat was retired after this day. Indexed for the terms ending (rosters.py): the few seats retiring soon.
    end_date: Mapped[date | None] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship(back_populates="seats")
    allocations: Mapped[list["SeatAllocation"]] = relationship(back_populates="seat")
    appointments: Mapped[list["Appointment"]] = relationship(back_populates="seat")

    __mapper_args__ = {"version_id_col": version}

    @property
    def authority(self) -> str:
        """Who appoints to the seat: its own authority, or its body's."""
        return self.appointing_authority or self.organisation.appointing_authority

    @property
    def external(self) -> bool:
        """Whether KKR only recommends and an outside authority appoints."""
        if self.authority_is_external is None:
            return self.organisation.authority_is_external
        return self.authority_is_external

    @property
    def kkr_fills(self) -> bool:
        """Whether the seat takes part in calls, nominations and decisions."""
        return self.filled_by is SeatFiller.kkr

    @property
    def party_nominates(self) -> bool:
        """Whether a party group nominates for the seat (not an organisation, not another appointer)."""
        return self.kkr_fills and not self.nominated_by

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
    # The valggruppe holding the seat (rounds/models.py), if a group holds it: party_id is then the member
    # party the group agreed should nominate.
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("electoral_groups.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)

    seat: Mapped[Seat] = relationship(back_populates="allocations")
    period: Mapped[ElectionPeriod] = relationship()
    party: Mapped["Party"] = relationship()

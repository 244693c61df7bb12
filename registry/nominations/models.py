from datetime import date, datetime, timedelta
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.appointments.models import Role
from registry.dates import today, utcnow
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision
from registry.organisations.models import Seat
from registry.people.models import Party, Person
from registry.types import N_, LabelledEnum, enum_column


class CallReason(LabelledEnum):
    """Why a seat needs a nomination."""

    resignation = "resignation", N_("udtræden")
    new_period = "new_period", N_("ny valgperiode")
    new_body = "new_body", N_("ny organisation")
    other = "other", N_("andet")


class Call(db.Model):
    """Opfordring til indstilling: the secretariat asks a party group to nominate for a seat and role by a deadline.

    A call is open until it is closed: by the secretariat, or when KKR has
    decided on a nomination made for it.
    """

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # The party group asked: the one holding the seat this election period.
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id"), index=True)
    reason: Mapped[CallReason] = mapped_column(enum_column(CallReason))
    deadline: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.Text)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    seat: Mapped[Seat] = relationship()
    party: Mapped[Party] = relationship()
    nominations: Mapped[list["Nomination"]] = relationship(back_populates="call")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def past_deadline(self) -> bool:
        """Open after its deadline (whether a nomination has answered it is the lists' question)."""
        return self.is_open and self.deadline < today()

    def __repr__(self) -> str:
        return f"<Call seat={self.seat_id} {self.role.value}>"


class NominationStatus(LabelledEnum):
    """Where a nomination is on its way from the party group to a seated member."""

    # Saved by the party group on its period page, not yet submitted: the group's own, the secretariat's not.
    draft = "draft", N_("kladde")
    submitted = "submitted", N_("indsendt")
    returned = "returned", N_("sendt retur")
    withdrawn = "withdrawn", N_("trukket tilbage")
    on_agenda = "on_agenda", N_("på dagsorden")
    # KKR has recommended it to (or taken it to note for) an outside authority that has yet to appoint.
    pending = "pending", N_("afventer udpegning")
    appointed = "appointed", N_("udpeget")
    not_supported = "not_supported", N_("ikke tiltrådt")
    # KKR recommended it, but the outside authority did not appoint (e.g. ligestillingsloven § 9, stk. 3:
    # the minister lets the body work without members whose proposal broke the gender rule).
    not_appointed = "not_appointed", N_("ikke beskikket")


# The party group may change or withdraw its nomination until the secretariat has put it on an agenda.
EDITABLE = (NominationStatus.draft, NominationStatus.submitted, NominationStatus.returned)
# KKR has decided: from here on the nomination is part of the public history.
DECIDED = (NominationStatus.pending, NominationStatus.appointed, NominationStatus.not_supported,
           NominationStatus.not_appointed)
# On its way to the seat: with the secretariat or the party group, on an agenda, or recommended by KKR and waiting
# for the outside authority. Not a draft (the party group's own), nor one withdrawn or decided against.
UNDER_WAY = (NominationStatus.submitted, NominationStatus.returned, NominationStatus.on_agenda,
             NominationStatus.pending)
# A recommendation waiting longer than this for the outside authority is marked on every list that shows it.
LONG_PENDING = timedelta(days=90)


class Nomination(db.Model):
    """Indstilling: a party group proposes a person for a seat and role, optionally with a personal suppleant.

    On a seat an organisation nominates for (Dansk Industri, FH, Praksisudvalget), the organisation proposes
    instead; it has no login, and the secretariat records the nomination on its behalf, with no party group.
    Before KKR has decided, only the party group that made it and the secretariat may see it.
    """

    __tablename__ = "nominations"
    __table_args__ = (
        sa.CheckConstraint("substitute_id IS NULL OR substitute_id <> person_id", name="two_people"),
        # A party group or an organisation nominates, never both, never neither.
        sa.CheckConstraint("(party_id IS NULL) <> (nominated_by IS NULL)", name="one_nominator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"), index=True)
    # The organisation that nominates, as the seat named it when the secretariat recorded the nomination.
    nominated_by: Mapped[str | None] = mapped_column(sa.String(200))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    # The personal suppleant nominated with a member, where the seat has one.
    substitute_id: Mapped[int | None] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(sa.ForeignKey("calls.id"), index=True)
    motivation: Mapped[str | None] = mapped_column(sa.Text)
    # Særlige grunde for not naming both a woman and a man (ligestillingsloven); shown to KKR.
    gender_reason: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[NominationStatus] = mapped_column(enum_column(NominationStatus),
                                                    default=NominationStatus.submitted, index=True)
    # The secretariat's comment to the party group, e.g. why it was returned.
    comment: Mapped[str | None] = mapped_column(sa.Text)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    # The first day in office, once KKR or the outside authority has appointed.
    appointed_on: Mapped[date | None]
    # The day the outside authority decided not to appoint (status not_appointed).
    not_appointed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    seat: Mapped[Seat] = relationship()
    party: Mapped[Party | None] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    substitute: Mapped[Person | None] = relationship(foreign_keys=[substitute_id])
    call: Mapped[Optional[Call]] = relationship(back_populates="nominations")
    item: Mapped[Optional[AgendaItem]] = relationship()
    decision: Mapped[Optional[Decision]] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def candidates(self) -> list[tuple[Person, Role]]:
        """Who the nomination would seat, in which role: the person, then the suppleant."""
        named = [(self.person, self.role)]
        if self.substitute is not None:
            named.append((self.substitute, Role.substitute))
        return named

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def pending_since(self) -> date | None:
        """The day of the KKR meeting that recommended it, while the outside authority has yet to appoint."""
        if self.status is not NominationStatus.pending or self.item is None:
            return None
        return self.item.meeting.date

    @property
    def pending_days(self) -> int | None:
        """How many days it has waited for the outside authority since KKR's meeting."""
        since = self.pending_since
        return (today() - since).days if since is not None else None

    @property
    def waits_long(self) -> bool:
        """Waiting for the outside authority for more than LONG_PENDING."""
        days = self.pending_days
        return days is not None and days > LONG_PENDING.days

    @property
    def nominator(self) -> str:
        """Who nominates, for display: the party group's name, or the organisation's."""
        return self.party.name if self.party is not None else self.nominated_by or ""

    def __repr__(self) -> str:
        return f"<Nomination seat={self.seat_id} {self.role.value} {self.status.value}>"

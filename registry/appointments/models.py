from datetime import date
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.meetings.models import Decision
from registry.organisations.models import Seat
from registry.people.models import Party, Person
from registry.types import N_, LabelledEnum, enum_column


class Role(LabelledEnum):
    # Declared in the order the registry lists them: the member before the suppleant.
    member = "member", N_("medlem")
    substitute = "substitute", N_("suppleant")


class Status(LabelledEnum):
    """An appointment is *recommended* while an outside authority has yet to
    appoint (beskikke); only *appointed* ones hold the seat."""

    recommended = "recommended", N_("indstillet")
    appointed = "appointed", N_("udpeget")


class EndReason(LabelledEnum):
    resigned = "resigned", N_("udtrådt")
    term_ended = "term_ended", N_("periode udløbet")
    body_dissolved = "body_dissolved", N_("organisation nedlagt")
    replaced = "replaced", N_("erstattet")
    deceased = "deceased", N_("afgået ved døden")
    other = "other", N_("andet")


# The one-holder rule in the database: an exclusion constraint on PostgreSQL, triggers on SQLite
# (migrations/versions/0001_*.py). Like a unique constraint, it guards what the service checks first.
ONE_HOLDER_CONSTRAINT = "appointments_one_holder"


class Appointment(db.Model):
    """A person holding a seat as member or personal suppleant from start to end.

    The end date is the last day in office (inclusive); none means still
    serving. No two appointed rows of one role on one seat may overlap: the
    service checks it for a clear message, and the database enforces it
    (an exclusion constraint on PostgreSQL, triggers on SQLite; see the
    first migration).
    """

    __tablename__ = "appointments"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        sa.CheckConstraint("end_reason IS NULL OR end_date IS NOT NULL", name="reason_needs_end"),
        sa.Index("ix_appointments_seat_role_start", "seat_id", "role", "start_date"),
        {"info": {"race_constraints": [ONE_HOLDER_CONSTRAINT]}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # The party the person represented in this appointment (Popolo on_behalf_of).
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    end_reason: Mapped[EndReason | None] = mapped_column(enum_column(EndReason))
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.appointed)
    # The KKR decision the appointment rests on, if recorded.
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    seat: Mapped[Seat] = relationship(back_populates="appointments")
    person: Mapped[Person] = relationship(back_populates="appointments")
    party: Mapped[Party | None] = relationship()
    decision: Mapped[Optional[Decision]] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Appointment {self.role.value} seat={self.seat_id} person={self.person_id}>"

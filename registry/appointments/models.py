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


class Office(LabelledEnum):
    """An office held on the body besides the seat: formand, næstformand, or another named one."""

    chair = "chair", N_("formand")
    vice_chair = "vice_chair", N_("næstformand")
    other = "other", N_("andet hverv")


class OfficeChooser(LabelledEnum):
    kkr = "kkr", N_("udpeget af KKR")
    body = "body", N_("valgt af organisationen")


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
        sa.CheckConstraint(
            "(office IS NULL AND office_chosen_by IS NULL AND office_title IS NULL AND office_start IS NULL "
            "AND office_end IS NULL) OR (office IS NOT NULL AND office_chosen_by IS NOT NULL "
            "AND (office = 'other') = (office_title IS NOT NULL))", name="office_fields"),
        sa.CheckConstraint("office_end IS NULL OR office_start IS NULL OR office_end >= office_start",
                           name="office_dates"),
        sa.Index("ix_appointments_seat_role_start", "seat_id", "role", "start_date"),
        # A decision's appointments in the order its pages list them (meetings/history.py): the first few of
        # a decision of hundreds come from the index alone.
        sa.Index("ix_appointments_decision_role", "decision_id", "role", "id"),
        # The terms ending (organisations/rosters.py): end dates within the warning, and the holders without
        # one who began in an election period that ends within it, as ranges of one index.
        sa.Index("ix_appointments_end_start", "end_date", "start_date"),
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
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    # An office on the body (formand), who chose it, and its first and last day within the appointment
    # (empty: from the appointment's start, to its end). The title names an "other" office ("kasserer").
    office: Mapped[Office | None] = mapped_column(enum_column(Office))
    office_title: Mapped[str | None] = mapped_column(sa.String(100))
    office_chosen_by: Mapped[OfficeChooser | None] = mapped_column(enum_column(OfficeChooser))
    office_start: Mapped[date | None]
    office_end: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    seat: Mapped[Seat] = relationship(back_populates="appointments")
    person: Mapped[Person] = relationship(back_populates="appointments")
    party: Mapped[Party | None] = relationship()
    decision: Mapped[Optional[Decision]] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def office_name(self) -> str | None:
        """The office as a roster shows it: "formand", or an other office's own title."""
        if self.office is None:
            return None
        return self.office_title if self.office is Office.other else self.office.label

    def office_on(self, day: date) -> str | None:
        """The office held on the day, if any."""
        first, last = self.office_start or self.start_date, self.office_end or self.end_date
        if self.office is None or day < first or (last is not None and day > last):
            return None
        return self.office_name

    def __repr__(self) -> str:
        return f"<Appointment {self.role.value} seat={self.seat_id} person={self.person_id}>"

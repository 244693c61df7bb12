from datetime import date
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.people.models import Municipality, Party, Person


class CouncilMandate(db.Model):
    """A person's seat on a municipal council (kommunalbestyrelse) from the first to the last day, for a party,
    with a chair role such as borgmester. A person keeps every mandate they have had. Public information."""

    __tablename__ = "council_mandates"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "municipality_id", "start_date", name="uq_council_mandates_person_start"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("persons.id"))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id"))
    start_date: Mapped[date]
    # The last day on the council; none: still on it.
    end_date: Mapped[date | None] = mapped_column(index=True)
    # Borgmester, viceborgmester, udvalgsformand …; none: a member of the council.
    office: Mapped[str | None] = mapped_column(sa.String(100))
    version: Mapped[int] = mapped_column(default=1)

    person: Mapped[Person] = relationship()
    municipality: Mapped[Municipality] = relationship()
    party: Mapped[Optional[Party]] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def held_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def __repr__(self) -> str:
        return f"<CouncilMandate person={self.person_id} {self.municipality_id} {self.start_date}>"

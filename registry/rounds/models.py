from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.dates import utcnow
from registry.extensions import db
from registry.organisations.models import ElectionPeriod, Organisation
from registry.people.models import Party


class ElectoralGroup(db.Model):
    """Valggruppe: parties that join together for the sharing-out of seats in one election period ("A+F+Ø").

    A seat the group holds is nominated for by the member party the group agrees on (SeatAllocation.party).
    """

    __tablename__ = "electoral_groups"
    __table_args__ = (sa.UniqueConstraint("period_id", "name", name="uq_electoral_groups_period_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("election_periods.id"))
    name: Mapped[str] = mapped_column(sa.String(50))
    note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    period: Mapped[ElectionPeriod] = relationship()
    parties: Mapped[list["PeriodParty"]] = relationship(back_populates="group")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<ElectoralGroup {self.name}>"


class PeriodParty(db.Model):
    """The KKR's composition in an election period: how many of its members a party has, and its valggruppe."""

    __tablename__ = "period_parties"
    __table_args__ = (
        sa.UniqueConstraint("period_id", "party_id", name="uq_period_parties_period_party"),
        sa.CheckConstraint("members >= 0", name="members"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("election_periods.id"))
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id"))
    members: Mapped[int]
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("electoral_groups.id"))
    version: Mapped[int] = mapped_column(default=1)

    period: Mapped[ElectionPeriod] = relationship()
    party: Mapped[Party] = relationship()
    group: Mapped[Optional[ElectoralGroup]] = relationship(back_populates="parties")

    __mapper_args__ = {"version_id_col": version}


class ShareOut(db.Model):
    """A sharing-out of seats by d'Hondt as the secretariat made it: the quotient table and the shares (JSON in
    `result`), what was drawn by lot (stated), and any note ("efter aftale"). Kept as the record of the round."""

    __tablename__ = "share_outs"
    __table_args__ = (sa.CheckConstraint("seats >= 1", name="seats"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("election_periods.id"), index=True)
    # The body whose seats were shared; none: seats of several bodies at once.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    seats: Mapped[int]
    result: Mapped[str] = mapped_column(sa.Text)
    lot: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    period: Mapped[ElectionPeriod] = relationship()
    organisation: Mapped[Optional[Organisation]] = relationship()




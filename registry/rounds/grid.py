"""The allocation grid: every seat of the period that a party group fills, with who holds it, saved at once.

The rows are the seats KKR fills on a party group's nomination (Seat.party_nominates, ex officio seats aside:
an office holds them) on bodies that follow the election period and are open in it, body by body. A value is
"p<party id>" (the party group holds the seat) or "g<group id>:<party id>" (a valggruppe holds it and that
member party nominates); the empty value: not allocated.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.organisations import services as organisations
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation, SeatFiller, SeatKind
from registry.people.models import Party
from registry.rounds import dhondt, services
from registry.rounds.models import ElectoralGroup, PeriodParty, ShareOut
from registry.types import danish_order


@dataclass
class GridRow:
    seat: Seat
    allocation: SeatAllocation | None

    @property
    def value(self) -> str:
        return value_of(self.allocation)


class GridRefused(RuleViolation):
    """Refusals of some of the grid's rows, by field name (seat_<id>): nothing of the grid was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def value_of(allocation: SeatAllocation | None) -> str:
    if allocation is None:
        return ""
    if allocation.group_id is not None:
        return f"g{allocation.group_id}:{allocation.party_id}"
    return f"p{allocation.party_id}"


def _open_in(columns, period: ElectionPeriod):
    start, end = columns
    return sa.and_(sa.or_(start.is_(None), start <= period.end_date), sa.or_(end.is_(None), end >= period.start_date))


def _grid_seats(period: ElectionPeriod) -> sa.Select:
    return (sa.select(Seat).join(Seat.organisation)
            .where(Organisation.follows_election_period, Seat.filled_by == SeatFiller.kkr, Seat.nominated_by.is_(None),
                   Seat.kind != SeatKind.ex_officio, _open_in((Seat.start_date, Seat.end_date), period),
                   _open_in((Organisation.start_date, Organisation.end_date), period)))


def rows(period: ElectionPeriod, organisation: Organisation | None = None) -> list[GridRow]:
    """The grid's rows in body and seat order, each with its allocation in the period: two queries."""
    stmt = (_grid_seats(period).options(joinedload(Seat.organisation))
            .order_by(Organisation.sort_name, Organisation.id, Seat.position, Seat.label))
    if organisation is not None:
        stmt = stmt.where(Seat.organisation_id == organisation.id)
    seats = list(db.session.scalars(stmt))
    held = {allocation.seat_id: allocation for allocation in db.session.scalars(
        sa.select(SeatAllocation).where(SeatAllocation.period_id == period.id,
                                        SeatAllocation.seat_id.in_([seat.id for seat in seats]))
        .options(joinedload(SeatAllocation.party)))} if seats else {}
    return [GridRow(seat, held.get(seat.id)) for seat in seats]


def bodies(period: ElectionPeriod) -> list[Organisation]:
    """The bodies with rows in the grid, for its filter."""
    return list(db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(_grid_seats(period).with_only_columns(Seat.organisation_id)))
        .order_by(Organisation.sort_name, Organisation.id)))


def grid_fingerprint(grid: list[GridRow]) -> str:
    return services.fingerprint([(row.seat.id, row.value) for row in grid])


@dataclass(frozen=True)
class Holder:
    """One choice of the grid's values."""

    value: str
    label: object  # str, or a lazy translation


def holders(period: ElectionPeriod) -> list[Holder]:
    """What a seat can be given: each valggruppe with each of its parties as nominator, then every party."""
    members = db.session.execute(
        sa.select(ElectoralGroup, Party).join(PeriodParty, PeriodParty.group_id == ElectoralGroup.id)
        .join(Party, PeriodParty.party_id == Party.id).where(ElectoralGroup.period_id == period.id)
        .order_by(danish_order(ElectoralGroup.name), PeriodParty.members.desc(),
                  danish_order(Party.letter))).all()
    parties = db.session.scalars(sa.select(Party).order_by(danish_order(Party.letter))).all()
    return ([Holder(f"g{group.id}:{party.id}", _l("%(group)s (%(party)s indstiller)", group=group.name,
                                                  party=party.letter))
             for group, party in members]
            + [Holder(f"p{party.id}", f"{party.letter} – {party.name}") for party in parties])


def save(period: ElectionPeriod, grid: list[GridRow], values: dict[int, str], *, seen: str | None = None) -> int:
    """Give each of the grid's seats its value (by seat id), all or nothing. Returns how many rows changed.

    Each row is checked by organisations.allocate(); where rows are refused, GridRefused names every one of
    them and nothing is saved (the caller's commit rolls back).
    """
    if seen is not None and seen != grid_fingerprint(grid):
        raise Conflict()
    errors: dict[str, str] = {}
    changed = 0
    for row in grid:
        value = values.get(row.seat.id, row.value)
        if value == row.value:
            continue
        try:
            party, group = _parse(value)
            organisations.allocate(row.seat, period, party, row.allocation.note if row.allocation else None,
                                   group=group)
        except RuleViolation as refused:
            errors[f"seat_{row.seat.id}"] = str(refused)
        changed += 1
    if errors:
        raise GridRefused(errors)
    return changed


def _parse(value: str) -> tuple[Party | None, ElectoralGroup | None]:
    if not value:
        return None, None
    group = None
    if value.startswith("g"):
        group_id, _, party_id = value[1:].partition(":")
        group = db.session.get(ElectoralGroup, int(group_id))
        party = db.session.get(Party, int(party_id))
    else:
        party = db.session.get(Party, int(value[1:]))
    if party is None or (value.startswith("g") and group is None):
        raise RuleViolation(_l("Vælg en af mulighederne."))
    return party, group


def filled_from(share: ShareOut, grid: list[GridRow]) -> dict[int, str]:
    """The grid's values as the share-out gives them: its shares (as agreed) seat by seat in the order the seats
    were won, over the rows in body and seat order; a valggruppe's seat nominated by its largest party. Only the
    body's rows where the share-out was for one body. Rows beyond the shared seats keep their values."""
    data = services.stored(share)
    result = dhondt.from_json(data)
    agreed = {row["name"]: row["agreed"] for row in data["rows"]}
    # Shares agreed below the calculation give up their last seats; those above take seats at the end.
    taken: dict[str, int] = {}
    winners = []
    for contestant in result.order():
        if taken.get(contestant.name, 0) < agreed[contestant.name]:
            taken[contestant.name] = taken.get(contestant.name, 0) + 1
            winners.append(contestant)
    for row in result.rows:
        winners += [row.contestant] * (agreed[row.contestant.name] - taken.get(row.contestant.name, 0))
    targets = [row for row in grid
               if share.organisation_id is None or row.seat.organisation_id == share.organisation_id]
    nominator = _largest_parties(share.period_id)
    values = {}
    for row, contestant in zip(targets, winners, strict=False):
        if contestant.ref.startswith("g"):
            group_id = int(contestant.ref[1:])
            values[row.seat.id] = f"g{group_id}:{nominator[group_id]}" if group_id in nominator else row.value
        else:
            values[row.seat.id] = contestant.ref
    return values


def _largest_parties(period_id: int) -> dict[int, int]:
    largest: dict[int, int] = {}
    for group_id, party_id in db.session.execute(
            sa.select(PeriodParty.group_id, PeriodParty.party_id).join(Party, PeriodParty.party_id == Party.id)
            .where(PeriodParty.period_id == period_id, PeriodParty.group_id.is_not(None))
            .order_by(PeriodParty.members.desc(), danish_order(Party.letter))):
        largest.setdefault(group_id, party_id)
    return largest

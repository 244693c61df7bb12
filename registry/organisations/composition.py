"""A body's members by party on a day against the election period's allocation, as a picture: where each
square of the server-rendered SVG goes (templates/organisations/_composition_chart.html draws it, without
script).

One row per party, in the balance's order (balance.py): a square per seat, filled for each member the party
has on the day, empty for a seat of its allocation it has no member on, hatched for a member beyond its
allocation. A last row, "ikke fordelt", holds KKR's seats no party group has in the period (vacant or not) and
the members who represent no party, so that the seats add up to KKR's voting seats on the body and the members
to its members. The count is written beside the squares, so nothing is told by colour alone. No query of its
own: it draws the balance and the roster the page has already read.
"""

from dataclasses import dataclass, field
from datetime import date

from registry.organisations.balance import Balance
from registry.organisations.models import VOTING_KINDS, ElectionPeriod
from registry.organisations.rosters import OrganisationPage
from registry.people.models import Party

WIDTH = 480
ROW_LABEL = 22       # the party's name above its squares
ROW_GAP = 14
SQUARE = 24          # the largest square; many seats make them smaller
SQUARE_GAP = 4
COUNT = 90           # room for the count beside the squares


@dataclass
class Square:
    x: float
    kind: str        # "held", "free" (allocated, no member) or "over" (a member beyond the allocation)


@dataclass
class Row:
    party: Party | None  # None: the seats no party group has, and the members of no party
    held: int
    allocated: int
    y: float = 0         # the top of the squares; the name stands above
    squares: list[Square] = field(default_factory=list)
    count_x: float = 0


@dataclass
class Composition:
    day: date
    period: ElectionPeriod | None
    rows: list[Row]
    size: float      # each square's side
    width: int = WIDTH

    @property
    def held(self) -> int:
        return sum(row.held for row in self.rows)

    @property
    def allocated(self) -> int:
        """KKR's voting seats on the body on the day (with any seat of another kind a party group has)."""
        return sum(row.allocated for row in self.rows)

    @property
    def height(self) -> float:
        return (self.rows[-1].y + self.size + 4) if self.rows else 0

    @property
    def any_over(self) -> bool:
        return any(square.kind == "over" for row in self.rows for square in row.squares)

    @property
    def any_free(self) -> bool:
        return any(square.kind == "free" for row in self.rows for square in row.squares)


def composition(balance: Balance, page: OrganisationPage, day: date,
                periods: list[ElectionPeriod]) -> Composition | None:
    """None when the body has no member on KKR's seats and nothing allocated on the day: nothing to compare."""
    period = next((period for period in periods if period.start_date <= day <= period.end_date), None)
    allocated = {history.seat.id for history in page.histories for allocation in history.allocations
                 if period is not None and allocation.period_id == period.id}
    kkrs = [held for held in page.roster.seats if held.seat.kkr_fills and held.seat.kind in VOTING_KINDS]
    rows = [Row(share.party, share.held, share.allocated) for share in balance.parties]
    no_party = Row(None, held=sum(held.member is not None and held.member.party_id is None for held in kkrs),
                   allocated=sum(held.seat.id not in allocated for held in kkrs))
    if not rows and not no_party.held:
        return None
    if no_party.held or no_party.allocated:
        rows.append(no_party)
    most = max(max(row.held, row.allocated) for row in rows)
    step = min(SQUARE + SQUARE_GAP, (WIDTH - COUNT) / most)
    size = round(step - min(SQUARE_GAP, step / 5), 1)
    for index, row in enumerate(rows):
        row.y = index * (ROW_LABEL + SQUARE + ROW_GAP) + ROW_LABEL
        kinds = (["held"] * min(row.held, row.allocated) + ["free"] * max(row.allocated - row.held, 0)
                 + ["over"] * max(row.held - row.allocated, 0))
        row.squares = [Square(round(number * step, 1), kind) for number, kind in enumerate(kinds)]
        row.count_x = round(len(kinds) * step + 6, 1)
    return Composition(day, period, rows, size)

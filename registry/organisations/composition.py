"""A body's members by party on a day against the election period's allocation, as a picture: where each
square of the server-rendered SVG goes (templates/organisations/_composition_chart.html draws it, without
script).

One row per party, in the balance's order (balance.py): a square per seat, filled for each member the party
has on the day, empty for a seat of its allocation it has no member on, hatched for a member beyond its
allocation. The count is written beside the squares, so nothing is told by colour alone. No query of its own:
it draws the balance the page has already read.
"""

from dataclasses import dataclass, field
from datetime import date

from registry.organisations.balance import Balance, PartyShare
from registry.organisations.models import ElectionPeriod

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
    share: PartyShare
    y: float         # the top of the squares; the name stands above
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
    def height(self) -> float:
        return (self.rows[-1].y + self.size + 4) if self.rows else 0

    @property
    def any_over(self) -> bool:
        return any(square.kind == "over" for row in self.rows for square in row.squares)

    @property
    def any_free(self) -> bool:
        return any(square.kind == "free" for row in self.rows for square in row.squares)


def composition(balance: Balance, day: date, periods: list[ElectionPeriod]) -> Composition | None:
    """None when the body has no party's member on KKR's seats and no allocation on the day."""
    if not balance.parties:
        return None
    most = max(max(share.held, share.allocated) for share in balance.parties)
    step = min(SQUARE + SQUARE_GAP, (WIDTH - COUNT) / most)
    size = round(step - min(SQUARE_GAP, step / 5), 1)
    rows = []
    for index, share in enumerate(balance.parties):
        row = Row(share, index * (ROW_LABEL + SQUARE + ROW_GAP) + ROW_LABEL)
        kinds = (["held"] * min(share.held, share.allocated) + ["free"] * max(share.allocated - share.held, 0)
                 + ["over"] * max(share.held - share.allocated, 0))
        row.squares = [Square(round(number * step, 1), kind) for number, kind in enumerate(kinds)]
        row.count_x = round(len(kinds) * step + 6, 1)
        rows.append(row)
    period = next((period for period in periods if period.start_date <= day <= period.end_date), None)
    return Composition(day, period, rows, size)

"""A seat's holders over time, member and suppleant, as a picture: where each bar of the server-rendered SVG
goes (templates/appointments/_timeline.html draws it, without script).

One lane per role. Each appointment is a bar from its first to its last day, in up to three parts: the time
served; carried-over time, where the body's term rules (terms.py) say the term ended before the holder left
("fungerer, indtil nye er udpeget"), hatched; and what is still to come, after today, in outline: a known end
date ahead, or an open appointment's expected rest of term. The election periods are marked at the top with
their names, the years below, today with a line. Two queries whatever the history: the seat's appointments
and the election periods.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role, Status
from registry.extensions import db
from registry.organisations import terms
from registry.organisations.models import ElectionPeriod, Seat, SeatKind
from registry.organisations.services import election_periods

# The drawing's own units (the viewBox): the page scales it to its width.
WIDTH = 800
LEFT = 96            # the lanes' names
RIGHT = 12
TOP = 30             # the periods' names
LANE = 34
LANE_GAP = 10
AXIS = 44            # the years and today's label
FONT = 13
# An average letter's width as a share of the font size, on the generous side, so a name said to fit does.
LETTER = 0.6
ONE_DAY = timedelta(days=1)


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * LETTER


@dataclass
class Part:
    """A run of days of one bar: "served", "carried" (carried over past the term) or "ahead" (after today)."""

    kind: str
    first: date
    last: date
    x: float = 0
    width: float = 0


@dataclass
class Bar:
    appointment: Appointment
    last: date | None           # the last day, entered or expected; None: open, nothing says how long
    expected: date | None       # the term's last day by the body's rules, whatever the end date says
    carried_from: date | None   # the first day past the term, if the holder stayed on
    parts: list[Part] = field(default_factory=list)
    x: float = 0
    width: float = 0
    label: str | None = None    # what of the name fits in the bar; None when nothing does

    @property
    def name(self) -> str:
        appointment = self.appointment
        return appointment.person.name + (f" ({appointment.party.letter})" if appointment.party else "")


@dataclass
class Lane:
    role: Role
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class PeriodMark:
    period: ElectionPeriod
    x: float                    # the middle of the period's visible part
    width: float
    show_name: bool


@dataclass
class Tick:
    x: float
    year: int
    show_year: bool
    label_x: float              # the middle of the year


@dataclass
class Timeline:
    seat: Seat
    first: date
    last: date
    today: date
    lanes: list[Lane]
    periods: list[PeriodMark]
    boundaries: list[float]     # the x of each period's first day and of the day after its last
    ticks: list[Tick]
    today_x: float
    width: int = WIDTH
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    top: int = TOP
    lane_height: int = LANE

    @property
    def height(self) -> float:
        return self.axis_y + AXIS

    @property
    def axis_y(self) -> float:
        return TOP + len(self.lanes) * (LANE + LANE_GAP)

    @property
    def any_carried(self) -> bool:
        return any(part.kind == "carried" for lane in self.lanes for bar in lane.bars for part in bar.parts)

    @property
    def any_ahead(self) -> bool:
        return any(part.kind == "ahead" for lane in self.lanes for bar in lane.bars for part in bar.parts)


def seat_timeline(seat: Seat, today: date) -> Timeline | None:
    """The seat's appointed holders over time; None when no one has held it."""
    appointments = list(db.session.scalars(
        sa.select(Appointment).where(Appointment.seat_id == seat.id, Appointment.status == Status.appointed)
        .options(joinedload(Appointment.person), joinedload(Appointment.party))
        .order_by(Appointment.start_date, Appointment.id)))
    if not appointments:
        return None
    return draw(seat, appointments, election_periods(), today)


def draw(seat: Seat, appointments: list[Appointment], periods: list[ElectionPeriod], today: date) -> Timeline:
    bars = [_bar(seat, appointment, periods, today) for appointment in appointments]
    first = date(min([today] + [appointment.start_date for appointment in appointments]).year, 1, 1)
    last = date(max([today] + [bar.last or bar.appointment.start_date for bar in bars]).year, 12, 31)
    scale = (WIDTH - LEFT - RIGHT) / ((last - first).days + 1)

    def x(day: date) -> float:
        return round(LEFT + (day - first).days * scale, 1)

    lanes = [Lane(role, TOP + index * (LANE + LANE_GAP)) for index, role in enumerate(_roles(seat, appointments))]
    by_role = {lane.role: lane for lane in lanes}
    for bar in bars:
        _split(bar, today, last)
        for part in bar.parts:
            part.x, part.width = x(part.first), round(x(part.last + ONE_DAY) - x(part.first), 1)
        bar.x, bar.width = bar.parts[0].x, round(sum(part.width for part in bar.parts), 1)
        bar.label = _fitting(bar)
        by_role[bar.appointment.role].bars.append(bar)

    marks, boundaries = [], set()
    for period in periods:
        if period.end_date < first or period.start_date > last:
            continue
        start, end = max(period.start_date, first), min(period.end_date, last)
        width = x(end + ONE_DAY) - x(start)
        marks.append(PeriodMark(period, round(x(start) + width / 2, 1), width,
                                text_width(period.name, FONT - 1) + 8 <= width))
        if period.start_date > first:
            boundaries.add(x(period.start_date))
        if period.end_date < last:
            boundaries.add(x(period.end_date + ONE_DAY))

    year_width = 365 * scale
    step = next((step for step in (1, 2, 5, 10, 25) if year_width * step >= 44), 50)
    ticks = [Tick(x(date(year, 1, 1)), year, year % step == 0,
                  round(x(date(year, 1, 1)) + year_width / 2, 1)) for year in range(first.year, last.year + 1)]
    return Timeline(seat, first, last, today, lanes, marks, sorted(boundaries), ticks, x(today))


def _roles(seat: Seat, appointments: list[Appointment]) -> list[Role]:
    """The member's lane unless the seat is a pooled suppleant's; the suppleant's where the seat has one."""
    held = {appointment.role for appointment in appointments}
    pooled = seat.kind is SeatKind.pooled_substitute
    wanted = {Role.member: not pooled, Role.substitute: seat.has_substitute or pooled}
    return [role for role in Role if wanted[role] or role in held]


def _bar(seat: Seat, appointment: Appointment, periods: list[ElectionPeriod], today: date) -> Bar:
    expected = terms.open_end(seat.organisation, appointment.start_date, seat.end_date, periods)
    if appointment.end_date is not None:
        last = appointment.end_date
    elif expected is not None:
        # A holder past the term's end carries on until a successor is seated: up to today, as far as we know.
        last = max(expected, today)
    else:
        last = None
    if last is not None:
        last = max(last, appointment.start_date)  # data that says otherwise still gets a day's bar
    stayed = expected is not None and expected < (last or today)
    carried_from = expected + ONE_DAY if stayed else None
    return Bar(appointment, last, expected, carried_from)


def _split(bar: Bar, today: date, edge: date) -> None:
    """The bar's parts: served, carried over (from the day after the term's end), ahead (after today)."""
    start, last = bar.appointment.start_date, bar.last or edge

    def kind(day: date) -> str:
        if bar.carried_from is not None and day >= bar.carried_from:
            return "carried"
        return "ahead" if day > today else "served"

    cuts = sorted({day for day in (bar.carried_from, today + ONE_DAY) if day is not None and start < day <= last})
    for first, end in zip([start, *cuts], [*(day - ONE_DAY for day in cuts), last], strict=True):
        if bar.parts and bar.parts[-1].kind == kind(first):
            bar.parts[-1].last = end
        else:
            bar.parts.append(Part(kind(first), first, end))


def _fitting(bar: Bar) -> str | None:
    """The longest of the name with the party, the name, and the surname that fits inside the bar."""
    name = bar.appointment.person.name
    for text in (bar.name, name, name.split()[-1]):
        if text_width(text) + 8 <= bar.width:
            return text
    return None

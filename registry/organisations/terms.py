"""Term rules: the last day of the term an appointment falls in, and terms in a row.

A body follows the municipal election period (a term ends with the period), or has terms of its own of so
many years: counted from a first day and every so many years after it (KommuneKredit's run from 1 June),
or from each appointment's own first day (Danmarks Erhvervsfremmebestyrelse: up to 4 years). An
appointment without an end date is expected to last to the end of its term, or to the body's or the
seat's last day if that comes first. Nothing here changes data; rosters, the dashboard and the nomination
warnings read it.
"""

from datetime import date, timedelta

from registry.appointments.models import Appointment
from registry.organisations.models import ElectionPeriod, Organisation


def add_years(day: date, years: int) -> date:
    """The same day so many years later; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_end(organisation: Organisation, start: date, periods: list[ElectionPeriod]) -> date | None:
    """The last day of the term that the day `start` falls in; None when the body has no term rule (or
    follows the election period and no period covers the day)."""
    if organisation.follows_election_period:
        return next((period.end_date for period in periods if period.start_date <= start <= period.end_date), None)
    years = organisation.term_years
    if not years:
        return None
    anchor = organisation.term_start
    if anchor is None:
        return add_years(start, years) - timedelta(days=1)
    terms = (start.year - anchor.year) // years
    first = add_years(anchor, terms * years)
    if first > start:
        terms -= 1
    elif add_years(anchor, (terms + 1) * years) <= start:
        terms += 1
    return add_years(anchor, (terms + 1) * years) - timedelta(days=1)


def expected_end(appointment: Appointment, periods: list[ElectionPeriod]) -> date | None:
    """The appointment's last day: its end date, or else the first of its term's end, the body's last day
    and the seat's last day; None when nothing says."""
    if appointment.end_date is not None:
        return appointment.end_date
    seat = appointment.seat
    return open_end(seat.organisation, appointment.start_date, seat.end_date, periods)


def open_end(organisation: Organisation, start: date, seat_end: date | None,
             periods: list[ElectionPeriod]) -> date | None:
    """The last day of an appointment without an end date from start: the first of its term's end, the
    body's last day and the seat's. organisation: anything with the body's term columns (the CSV export
    passes them from its rows, without loading the body)."""
    ends = [term_end(organisation, start, periods), organisation.end_date, seat_end]
    return min((day for day in ends if day is not None), default=None)


def terms_in_a_row(organisation: Organisation, held: list[tuple[date, date | None]], day: date,
                   periods: list[ElectionPeriod]) -> int:
    """How many terms in a row someone who holds (or held until the day before) the spans `held` on the
    body has served by the day: the terms their unbroken run of appointments touches."""
    run_start = None
    for start, end in sorted(held, reverse=True):
        reaches = end is None or end >= (run_start or day) - timedelta(days=1)
        if start < (run_start or day) and reaches:
            run_start = start
        elif run_start is not None:
            break
    if run_start is None:
        return 0
    terms, cursor = 0, run_start
    while cursor < day:
        end = term_end(organisation, cursor, periods)
        if end is None:
            return terms + 1
        terms += 1
        cursor = end + timedelta(days=1)
    return terms

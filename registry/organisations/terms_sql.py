"""terms.open_end in PostgreSQL's SQL, for the CSV export that PostgreSQL writes itself (exchange/csv_postgres.py).

The same rule as terms.py, line by line; tests/test_export_postgres.py compares the two on every kind of term
rule. organisation: anything with the body's term columns as SQL (Organisation itself, or a subquery's).
"""

import sqlalchemy as sa

from registry.organisations.models import ElectionPeriod


def _add_years(day, years) -> sa.ColumnElement:
    """terms.add_years: PostgreSQL also makes 29 February the 28th in a year without one."""
    return sa.cast(day + sa.func.make_interval(years), sa.Date)


def _term_end(organisation, start) -> sa.ColumnElement:
    """terms.term_end: the last day of the body's term that the day start falls in."""
    period_end = (sa.select(ElectionPeriod.end_date)
                  .where(ElectionPeriod.start_date <= start, ElectionPeriod.end_date >= start)
                  .order_by(ElectionPeriod.start_date).limit(1).scalar_subquery())
    years, anchor = organisation.term_years, organisation.term_start
    # Python's // rounds down, also for a start before the anchor; integer division in SQL rounds towards 0.
    counted = sa.cast(sa.func.floor(sa.cast(sa.extract("year", start) - sa.extract("year", anchor), sa.Numeric)
                                    / years), sa.Integer)
    terms = counted + sa.case((_add_years(anchor, counted * years) > start, -1),
                              (_add_years(anchor, (counted + 1) * years) <= start, 1), else_=0)
    return sa.case(
        (organisation.follows_election_period, period_end),
        (sa.func.coalesce(years, 0) == 0, None),
        (anchor.is_(None), _add_years(start, years) - 1),
        else_=_add_years(anchor, (terms + 1) * years) - 1,
    )


def open_end(organisation, start, seat_end) -> sa.ColumnElement:
    """terms.open_end: the last day of an appointment without an end date from start, the first of its term's
    end, the body's last day and the seat's (LEAST passes over NULLs as min() over the days there are)."""
    return sa.func.least(_term_end(organisation, start), organisation.end_date, seat_end)

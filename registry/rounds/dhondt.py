"""Sharing out seats by d'Hondt over the valggrupper, the way KKR's calculator helps with it.

Each contestant (a valggruppe, or a party in none) has its members in KKR divided by 1, 2, 3, …; the seats go
to the highest quotients, seat 1 to the highest. Equal quotients that all win are numbered in the table's row
order. Where equal quotients compete for the last seat(s), lot decides (as kommunalvalgloven does for an equal
count): the draw uses the operating system's randomness and the result says who was drawn.

A pure function: no database, no request. KKR is not bound by it (DOMAIN.md, "The election-period round").
"""

import secrets
from dataclasses import dataclass
from fractions import Fraction
from random import Random

from flask_babel import force_locale, ngettext

from registry.i18n import DEFAULT_LANGUAGE
from registry.types import sort_key


@dataclass(frozen=True)
class Contestant:
    """A valggruppe ("A+F+Ø") or a party on its own ("V"); ref says which (rounds/services.py)."""

    name: str
    members: int
    ref: str = ""
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quotient:
    divisor: int
    value: Fraction
    # The seat number it won (1 is the highest quotient); None: no seat.
    seat: int | None = None
    # In the tie for the last seat(s): won or lost by lot.
    by_lot: bool = False


@dataclass(frozen=True)
class Row:
    contestant: Contestant
    quotients: tuple[Quotient, ...]

    @property
    def share(self) -> int:
        return sum(1 for quotient in self.quotients if quotient.seat is not None)


@dataclass(frozen=True)
class Lot:
    """A draw: `seats` seat(s) among the contestants `tied` at the same quotient; `drawn` won, in draw order."""

    tied: tuple[str, ...]
    quotient: Fraction
    seats: int
    drawn: tuple[str, ...]

    def text(self) -> str:
        """The draw as the record states it, in Danish like the agenda texts, whatever the page's language: the
        share-out keeps this text."""
        with force_locale(DEFAULT_LANGUAGE):
            return ngettext("Lodtrækning om %(num)d plads mellem %(tied)s (kvotient %(quotient)s): udtrukket "
                            "%(drawn)s.",
                            "Lodtrækning om %(num)d pladser mellem %(tied)s (kvotient %(quotient)s): udtrukket "
                            "%(drawn)s.", self.seats, tied=", ".join(self.tied),
                            quotient=format_quotient(self.quotient), drawn=", ".join(self.drawn))


@dataclass(frozen=True)
class Result:
    seats: int
    rows: tuple[Row, ...]
    lot: Lot | None

    @property
    def divisors(self) -> tuple[int, ...]:
        return tuple(quotient.divisor for quotient in self.rows[0].quotients) if self.rows else ()

    @property
    def shares(self) -> dict[str, int]:
        return {row.contestant.name: row.share for row in self.rows}

    def order(self) -> list[Contestant]:
        """The contestants in the order they won the seats: seat 1's first."""
        won = [(quotient.seat, row.contestant) for row in self.rows for quotient in row.quotients
               if quotient.seat is not None]
        return [contestant for _, contestant in sorted(won, key=lambda pair: pair[0])]


def format_quotient(value: Fraction) -> str:
    """A quotient as a printed table shows it: 7, 3,5, 2,33 (Danish decimal comma, at most two decimals)."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").replace(".", ",")


def share_out(contestants: list[Contestant], seats: int, rng: Random | None = None) -> Result:
    """Share `seats` out by d'Hondt. ValueError when there is nothing to share or nobody to share it among."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    if len({contestant.name for contestant in contestants}) != len(contestants):
        raise ValueError("contestants need distinct names")
    ordered = sorted(contestants, key=lambda contestant: (-contestant.members, sort_key(contestant.name)))
    ranked = sorted(((Fraction(contestant.members, divisor), index, divisor)
                     for index, contestant in enumerate(ordered) if contestant.members > 0
                     for divisor in range(1, seats + 1)), key=lambda q: (-q[0], q[1], q[2]))
    if not ranked:
        raise ValueError("no contestant has members")
    cut = ranked[seats - 1][0]
    won = [q for q in ranked if q[0] > cut]
    tied = [q for q in ranked if q[0] == cut]
    open_seats = seats - len(won)
    lot = None
    if len(tied) > open_seats:
        drawn = (rng or secrets.SystemRandom()).sample(tied, open_seats)
        lot = Lot(tuple(ordered[q[1]].name for q in tied), cut, open_seats,
                  tuple(ordered[q[1]].name for q in drawn))
    else:
        drawn = tied
    seat_of = {(q[1], q[2]): number for number, q in enumerate(won + drawn, start=1)}
    by_lot = {(q[1], q[2]) for q in tied} if lot else set()
    # As printed: the divisors up to one past the last that won a seat, so the runners-up show.
    columns = min(seats, max(divisor for _, divisor in seat_of) + 1)
    rows = tuple(Row(contestant, tuple(
        Quotient(divisor, Fraction(contestant.members, divisor), seat_of.get((index, divisor)),
                 (index, divisor) in by_lot)
        for divisor in range(1, columns + 1))) for index, contestant in enumerate(ordered))
    return Result(seats, rows, lot)


def to_json(result: Result, agreed: dict[str, int] | None = None) -> dict:
    """The result as ShareOut.result stores it, with the shares agreed where they differ ("efter aftale")."""
    return {
        "seats": result.seats,
        "rows": [{"name": row.contestant.name, "ref": row.contestant.ref, "members": row.contestant.members,
                  "parties": list(row.contestant.parties),
                  "quotients": [[q.divisor, q.value.numerator, q.value.denominator, q.seat, q.by_lot]
                                for q in row.quotients],
                  "share": row.share, "agreed": (agreed or {}).get(row.contestant.name, row.share)}
                 for row in result.rows],
        "lot": None if result.lot is None else {
            "tied": list(result.lot.tied), "quotient": [result.lot.quotient.numerator, result.lot.quotient.denominator],
            "seats": result.lot.seats, "drawn": list(result.lot.drawn)},
    }


def from_json(data: dict) -> Result:
    rows = tuple(Row(Contestant(row["name"], row["members"], row["ref"], tuple(row["parties"])),
                     tuple(Quotient(divisor, Fraction(numerator, denominator), seat, by_lot)
                           for divisor, numerator, denominator, seat, by_lot in row["quotients"]))
                 for row in data["rows"])
    lot = data["lot"]
    return Result(data["seats"], rows, lot and Lot(tuple(lot["tied"]), Fraction(*lot["quotient"]), lot["seats"],
                                                   tuple(lot["drawn"])))

"""The sharing-out calculator against tables computed by hand: d'Hondt over valggrupper, ties drawn by lot."""

import secrets
from fractions import Fraction

import pytest

from registry.rounds import dhondt
from registry.rounds.dhondt import Contestant, share_out


class Draw:
    """A lot whose outcome the test chooses: picks are positions in the tied list, in the order drawn."""

    def __init__(self, *picks: int):
        self.picks = picks
        self.asked: list[tuple[list, int]] = []

    def sample(self, population, k):
        self.asked.append((list(population), k))
        return [population[pick] for pick in self.picks]


# KKR with a valggruppe A+F+Ø (6 + 2 + 1 = 9 members), V 6 and C 3; 5 seats. By hand:
#
#              ÷1     ÷2     ÷3     ÷4
#   A+F+Ø   9 (1)  4,5 (3)   3 *   2,25
#   V       6 (2)    3 *     2     1,5
#   C       3 *    1,5       1     0,75
#
# Three seats are clear; the quotient 3 is shared by A+F+Ø ÷3, V ÷2 and C ÷1, who draw lots for seats 4 and 5.
GROUPED = [Contestant("V", 6, "p2", ("V",)), Contestant("C", 3, "p3", ("C",)),
           Contestant("A+F+Ø", 9, "g1", ("A", "F", "Ø"))]


def test_the_table_by_hand_with_a_valggruppe_and_a_tie_drawn_by_lot():
    draw = Draw(2, 0)  # C first, then A+F+Ø
    result = share_out(GROUPED, 5, draw)

    assert [row.contestant.name for row in result.rows] == ["A+F+Ø", "V", "C"]
    assert result.divisors == (1, 2, 3, 4)
    table = {row.contestant.name: [(dhondt.format_quotient(q.value), q.seat, q.by_lot) for q in row.quotients]
             for row in result.rows}
    assert table == {
        "A+F+Ø": [("9", 1, False), ("4,5", 3, False), ("3", 5, True), ("2,25", None, False)],
        "V": [("6", 2, False), ("3", None, True), ("2", None, False), ("1,5", None, False)],
        "C": [("3", 4, True), ("1,5", None, False), ("1", None, False), ("0,75", None, False)],
    }
    assert result.shares == {"A+F+Ø": 3, "V": 1, "C": 1}
    # The draw was for two seats among the three at quotient 3, and says so.
    assert [(len(tied), k) for tied, k in draw.asked] == [(3, 2)]
    assert result.lot == dhondt.Lot(("A+F+Ø", "V", "C"), Fraction(3), 2, ("C", "A+F+Ø"))
    assert result.lot.text() == ("Lodtrækning om 2 pladser mellem A+F+Ø, V, C (kvotient 3): "
                                 "udtrukket C, A+F+Ø.")
    assert [contestant.name for contestant in result.order()] == ["A+F+Ø", "V", "A+F+Ø", "C", "A+F+Ø"]


def test_the_same_parties_without_the_valggruppe_share_otherwise():
    alone = [Contestant("A", 6), Contestant("F", 2), Contestant("Ø", 1), Contestant("V", 6), Contestant("C", 3)]
    # A 6 (1), V 6 (2), A 3, V 3, C 3 (3-5): all three win, so no lot; F's 2 is the next.
    result = share_out(alone, 5, Draw())
    assert result.shares == {"A": 2, "V": 2, "C": 1, "F": 0, "Ø": 0}
    assert result.lot is None
    seats = {row.contestant.name: [q.seat for q in row.quotients if q.seat] for row in result.rows}
    # Equal quotients that all win are numbered in the table's row order (members, then name).
    assert seats == {"A": [1, 3], "V": [2, 4], "C": [5], "F": [], "Ø": []}


def test_no_lot_when_the_tie_is_not_for_the_last_seat():
    # A and B tie at 4 for seats 1 and 2, and both win them.
    result = share_out([Contestant("A", 4), Contestant("B", 4), Contestant("C", 1)], 2, Draw())
    assert result.shares == {"A": 1, "B": 1, "C": 0}
    assert result.lot is None


def test_the_lot_uses_the_systems_randomness_by_default(monkeypatch):
    used = []

    class Recorded(secrets.SystemRandom):
        def sample(self, population, k):
            used.append(k)
            return super().sample(population, k)

    monkeypatch.setattr(dhondt.secrets, "SystemRandom", Recorded)
    result = share_out(GROUPED, 5)
    assert used == [2]
    assert sum(result.shares.values()) == 5
    assert result.shares["A+F+Ø"] >= 2
    assert result.shares["V"] >= 1
    assert len(result.lot.drawn) == 2
    assert set(result.lot.drawn) <= {"A+F+Ø", "V", "C"}


def test_the_result_keeps_as_json():
    result = share_out(GROUPED, 5, Draw(1, 2))
    assert dhondt.from_json(dhondt.to_json(result)) == result
    assert [row["agreed"] for row in dhondt.to_json(result, {"C": 0, "V": 3})["rows"]] == [2, 3, 0]


@pytest.mark.parametrize(("contestants", "seats", "message"), [
    ([Contestant("A", 0)], 2, "no contestant has members"),
    ([Contestant("A", 3)], 0, "seats must be at least 1"),
    ([Contestant("A", 3), Contestant("A", 2)], 1, "distinct names"),
])
def test_nothing_to_share_is_an_error(contestants, seats, message):
    with pytest.raises(ValueError, match=message):
        share_out(contestants, seats)

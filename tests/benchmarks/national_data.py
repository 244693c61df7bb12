"""A national registry as an appointments CSV file, made up deterministically (tests/benchmarks/national.py).

The shapes are those of all five KKRs over twenty years: six election periods (2006-2009 … 2026-2029),
about ROWS/90 bodies of 2 to 16 seats (every 500th a council of 120), a member and a suppleant on every
seat in every period, the earlier periods ended ("periode udløbet"), one holder in twelve leaving midway
("udtrådt") for a successor who sits out the period. About ROWS/5 people from the body's own region,
four in ten reappointed to their seat for the next period, so that people hold several seats at once and
over time. One KKR decision per body and period ("KKR Sjælland 2022-02-12 pkt. 4.7") is cited by every
appointment made at the period's start. Plads 1's member is formand, Plads 2's næstformand.

The lines come in the export's order (body, seat, role, start) and are written as they are made, so
memory stays flat however many there are.
"""

import csv
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from math import gcd
from typing import BinaryIO

from registry.exchange.csv_export import HEADER
from registry.people.reference import DENMARK

# The municipal election periods: 1 January to 31 December four years later. The last is the current one.
PERIODS = [(date(year, 1, 1), date(year + 3, 12, 31)) for year in range(2006, 2030, 4)]
# A holder may leave midway in the current period too, but not after this day, so that the file does not
# depend on the day it is imported.
LAST_LEAVING = date(2026, 10, 31)
COUNCILS = {1084: "KKR Hovedstaden", 1085: "KKR Sjælland", 1083: "KKR Syddanmark", 1082: "KKR Midtjylland",
            1081: "KKR Nordjylland"}
REGIONS = list(COUNCILS)
# Seats per body, in turn: 6.7 on average, 90 lines per body over six periods with the successors.
BODY_SEATS = [2, 3, 4, 5, 6, 6, 7, 8, 10, 16]
LARGE_BODY_SEATS = 120
KINDS = ["Bestyrelsen for", "Rådet for", "Udvalget for", "Repræsentantskabet for", "Samarbejdsforum for",
         "Styregruppen for", "Nævnet for"]
TOPICS = ["erhvervsuddannelse", "beskæftigelse", "sundhed", "psykiatri", "kollektiv trafik", "affald og genbrug",
          "turisme", "vand og klima", "uddannelse", "ældrepleje", "kultur", "natur og friluftsliv",
          "socialområdet", "digitalisering", "landdistrikter", "planlægning"]
FIRST_NAMES = ["Anders", "Anne", "Bente", "Bjørn", "Camilla", "Christian", "Dorthe", "Erik", "Frederik", "Gitte",
               "Hanne", "Hans", "Helle", "Henrik", "Ida", "Jakob", "Jens", "Jette", "Jørgen", "Karen", "Kirsten",
               "Lars", "Lene", "Louise", "Mads", "Maria", "Martin", "Mette", "Michael", "Niels", "Nina", "Ole",
               "Peter", "Pia", "Rasmus", "Rikke", "Søren", "Susanne", "Thomas", "Tina", "Torben", "Ulla",
               "Vibeke", "Åse", "Ayşe", "Mehmet", "Fatima", "Ali"]
MIDDLE_NAMES = ["", "Marie", "Louise", "Juul", "Holm", "Bech", "Kjær", "Lund", "Dahl", "Krogh", "Friis", "Skov",
                "Munk", "Bak", "Vestergaard", "Østergaard", "Brix", "Lykke", "Steen", "Gram", "Buch", "Ravn",
                "Kofoed", "Bloch", "Winther", "Nørgaard", "Højer", "Mølgaard", "Vinther", "Due"]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
              "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
              "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Frederiksen",
              "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm", "Kristiansen", "Clausen", "Simonsen",
              "Svendsen", "Andreasen", "Iversen", "Jeppesen", "Mogensen", "Jacobsen", "Nissen", "Lauridsen",
              "Kjær", "Østergaard", "Bang", "Dam", "Thygesen", "Ærenlund", "Şentürk", "Yılmaz", "Hussein"]
# Party letters weighted roughly as the municipal councils have them.
PARTY_WEIGHTS = {"A": 6, "V": 5, "C": 3, "F": 3, "Ø": 2, "O": 2, "B": 1, "I": 1, "K": 1, "M": 1, "Æ": 1,
                 "Å": 1, "D": 1}
PARTY_OF = [letter for letter, weight in PARTY_WEIGHTS.items() for _ in range(weight)]
REAPPOINTED = 0.4
LEAVES_MIDWAY = 1 / 12
TERM_ENDED, RESIGNED = "periode udløbet", "udtrådt"


class Registry:
    """The people and bodies of a file of `rows` lines, and what has been written of it so far."""

    def __init__(self, rows: int) -> None:
        self.random = random.Random(15)
        self.municipalities = {region: [name for _, name, code in DENMARK if code == region] for region in REGIONS}
        # Person i lives in region i % 5; each region draws its people in a fixed, even cycle.
        self.per_region = max(rows // 5 // len(REGIONS), 2)
        self.step = next(step for step in range(7919, 10**6) if gcd(step, self.per_region) == 1)
        self.drawn = dict.fromkeys(REGIONS, 0)
        self.bodies = self.seats = 0
        self.people: set[int] = set()
        self.decisions: set[str] = set()

    def draw(self, region: int) -> int:
        """A person of the region, everybody in turn before anybody again."""
        k = (self.drawn[region] * self.step) % self.per_region
        self.drawn[region] += 1
        person = REGIONS.index(region) + len(REGIONS) * k
        self.people.add(person)
        return person

    def person(self, person: int) -> tuple[str, str, str]:
        """Name, party letter and municipality: one name per person, so the import finds each once."""
        first, rest = person % len(FIRST_NAMES), person // len(FIRST_NAMES)
        last, rest = rest % len(LAST_NAMES), rest // len(LAST_NAMES)
        middle, rest = rest % len(MIDDLE_NAMES), rest // len(MIDDLE_NAMES)
        # Past the single names' combinations (72,000), double surnames: "Jensen-Holm".
        surname = LAST_NAMES[last] + (f"-{LAST_NAMES[(rest - 1) % len(LAST_NAMES)]}" if rest else "")
        municipalities = self.municipalities[REGIONS[person % len(REGIONS)]]
        name = " ".join(part for part in (FIRST_NAMES[first], MIDDLE_NAMES[middle], surname) if part)
        return (name, PARTY_OF[(person * 31 + 7) % len(PARTY_OF)],
                municipalities[(person // len(REGIONS)) % len(municipalities)])


def body_name(region: int, k: int, cities: list[str]) -> str:
    """The k-th body of a region's KKR: "Rådet for sundhed, Holbæk", numbered once the names run out."""
    kind, rest = k % len(KINDS), k // len(KINDS)
    topic, rest = rest % len(TOPICS), rest // len(TOPICS)
    city, rest = rest % len(cities), rest // len(cities)
    return f"{KINDS[kind]} {TOPICS[topic]}, {cities[city]}" + (f" {rest + 1}" if rest else "")


def decision(council: str, k: int, period: int) -> str:
    """The KKR decision appointing the k-th body's holders at the period's start: eight meetings in the
    period's first months, items 4.1 to 4.50, 5.1 …"""
    meeting, item = k % 8, k // 8
    day = PERIODS[period][0] + timedelta(days=14 + 14 * meeting)
    return f"{council} {day.isoformat()} pkt. {4 + item // 50}.{1 + item % 50}"


def registry_lines(rows: int, registry: Registry | None = None) -> Iterator[list[str]]:
    """Exactly `rows` lines of cells in HEADER's order."""
    registry = registry or Registry(rows)
    written = 0
    while True:
        body = registry.bodies
        region = REGIONS[body % len(REGIONS)]
        k = body // len(REGIONS)
        council = COUNCILS[region]
        organisation = body_name(region, k, registry.municipalities[region])
        seats = LARGE_BODY_SEATS if body % 500 == 7 else BODY_SEATS[body % len(BODY_SEATS)]
        registry.bodies += 1
        for seat in range(1, seats + 1):
            registry.seats += 1
            for role in ("medlem", "suppleant"):
                office = {1: "formand", 2: "næstformand"}.get(seat, "") if role == "medlem" else ""
                holder = None
                for period, (first, last) in enumerate(PERIODS):
                    current = period == len(PERIODS) - 1
                    if holder is None or registry.random.random() >= REAPPOINTED:
                        holder = registry.draw(region)
                    cited = decision(council, k, period)
                    registry.decisions.add(cited)
                    terms = [(first, None if current else last, "" if current else TERM_ENDED, cited)]
                    leaving = first + timedelta(days=registry.random.randrange(180, 1260))
                    if registry.random.random() < LEAVES_MIDWAY and leaving < last and leaving <= LAST_LEAVING:
                        terms = [(first, leaving, RESIGNED, cited), (leaving + timedelta(days=1), *terms[0][1:3], "")]
                    for number, (start, end, reason, reference) in enumerate(terms):
                        if number:
                            holder = registry.draw(region)
                        if written == rows:
                            return
                        name, party, municipality = registry.person(holder)
                        yield [organisation, f"Plads {seat}", role, name, party, municipality, start.isoformat(),
                               end.isoformat() if end else "", reason, council, reference,
                               office, "valgt af organisationen" if office else "", "", "",
                               "stemmeberettiget", "", "", "KKR", "", "", "", ""]
                        written += 1


def write_registry_csv(rows: int, out: BinaryIO) -> Registry:
    """Writes the file (UTF-8 with BOM, ';', CRLF, the export's header) to `out` as it is made; returns what
    it holds (bodies, seats, people, decisions)."""
    registry = Registry(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    for count, cells in enumerate(registry_lines(rows, registry), start=1):
        writer.writerow(cells)
        if count % 1000 == 0:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))
    return registry

"""Every body's balance on a day as CSV (organisations/balance.py): the gender counts, empty where they are
withheld, and each party's members against its seats in the election period. The registry's CSV format
(registry/csvfiles.py)."""

from collections.abc import Iterator
from datetime import date

from registry.csvfiles import neutralise, write
from registry.organisations.balance import Balance, GenderCount, balances_on

# KKR's own voting members first, then the whole body's (with the seats other appointers fill) at the end.
HEADER = ["Organisation", "Medlemmer", "Kvinder", "Mænd", "Andet", "Ikke oplyst", "Partier (medlemmer/pladser)",
          "Hele organet: medlemmer", "Hele organet: kvinder", "Hele organet: mænd", "Hele organet: andet",
          "Hele organet: ikke oplyst"]


def _genders(counts: GenderCount) -> list[str]:
    if counts.withheld:
        return [""] * 4
    return [str(counts.women), str(counts.men), str(counts.other), str(counts.unknown)]


def _cells(balance: Balance) -> list[str]:
    parties = ", ".join(f"{share.party.letter} {share.held}/{share.allocated}" for share in balance.parties)
    return [neutralise(balance.organisation.name), str(balance.genders.total), *_genders(balance.genders),
            neutralise(parties), str(balance.whole.total), *_genders(balance.whole)]


def rows(day: date) -> Iterator[list[str]]:
    """The CSV's lines, and the Excel file's (exchange/xlsx.py)."""
    return (_cells(balance) for balance in balances_on(day))


def export(day: date, delimiter: str = ";") -> Iterator[str]:
    return write(HEADER, rows(day), delimiter)

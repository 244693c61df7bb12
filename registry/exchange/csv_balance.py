"""Every body's balance on a day as CSV (organisations/balance.py): the gender counts, empty where they are
withheld, and each party's members against its seats in the election period. The registry's CSV format
(registry/csvfiles.py)."""

from collections.abc import Iterator
from datetime import date

from registry.csvfiles import neutralise, write
from registry.organisations.balance import Balance, balances_on

HEADER = ["Organisation", "Medlemmer", "Kvinder", "Mænd", "Andet", "Ikke oplyst", "Partier (medlemmer/pladser)"]


def _cells(balance: Balance) -> list[str]:
    counts = balance.genders
    genders = ([""] * 4 if counts.withheld
               else [str(counts.women), str(counts.men), str(counts.other), str(counts.unknown)])
    parties = ", ".join(f"{share.party.letter} {share.held}/{share.allocated}" for share in balance.parties)
    return [neutralise(balance.organisation.name), str(counts.total), *genders, neutralise(parties)]


def export(day: date, delimiter: str = ";") -> Iterator[str]:
    return write(HEADER, (_cells(balance) for balance in balances_on(day)), delimiter)

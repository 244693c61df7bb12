"""Parties (and municipalities) are listed the Danish way everywhere: æ, ø and å after z, in that order, the
same on SQLite and PostgreSQL."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from registry.auth.models import UserRole
from registry.extensions import db
from registry.organisations import services as organisations
from registry.people import services as people
from registry.people.models import Municipality, Party
from registry.people.reference import PARTIES
from registry.rounds import dhondt, grid
from registry.rounds import services as rounds
from registry.rounds.services import Member
from registry.types import danish_order, sort_key
from tests import factories as make

DANISH = ["A", "B", "C", "D", "F", "I", "K", "M", "O", "V", "Æ", "Ø", "Å"]


def all_parties() -> dict[str, Party]:
    """Every party of the reference list, made in an order that is not the Danish one (Å first)."""
    return {letter: make.party(letter, name) for letter, name in sorted(PARTIES, key=lambda pair: pair[0])}


def letters_in(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


def login(client) -> None:
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    assert make.login(client, "haan").status_code == 302


@pytest.mark.both_databases
def test_the_database_orders_party_letters_and_names_the_danish_way(app):
    all_parties()
    make.party("z", "lille z")
    make.party("ø2", "Øresundslisten")
    db.session.commit()
    letters = list(db.session.scalars(sa.select(Party.letter).order_by(danish_order(Party.letter), Party.id)))
    assert letters == sorted(letters, key=sort_key)
    assert letters[-6:] == ["V", "z", "Æ", "Ø", "ø2", "Å"]
    names = list(db.session.scalars(sa.select(Party.name).order_by(danish_order(Party.name))))
    assert names == sorted(names, key=sort_key)
    assert names[-1] == "Øresundslisten"


@pytest.mark.both_databases
def test_municipalities_are_listed_the_danish_way(app):
    names = [municipality.name for municipality in people.municipalities()]
    assert names == sorted(names, key=sort_key)
    assert names.index("Tønder") < names.index("Tårnby")
    assert names[-1] == "Ærø"
    assert len(names) == db.session.scalar(sa.select(sa.func.count()).select_from(Municipality))


@pytest.mark.both_databases
def test_every_list_of_parties_puts_ae_oe_aa_last(app, client):
    parties = all_parties()
    period = organisations.create_period("2026-2029", date(2026, 1, 1), date(2029, 12, 31))
    seat = make.seat(make.organisation("Movia"), "Plads 1", has_substitute=False)
    db.session.commit()

    assert [party.letter for party in people.parties()] == DANISH
    assert [holder.value for holder in grid.holders(period)] == [f"p{parties[letter].id}" for letter in DANISH]

    login(client)
    form = client.get(f"/organisationer/{seat.organisation_id}/pladser/{seat.id}/partigrupper").text
    assert letters_in(form, r"<option value=\"\d+\">(\w) – ") == DANISH
    composition = client.get(f"/valgperioder/sammensaetning/rediger?periode={period.id}").text
    shown = [letter for letter in letters_in(composition, r">(\w) – ") if letter in DANISH]
    assert shown[:len(DANISH)] == DANISH


@pytest.mark.both_databases
def test_the_composition_lists_parties_of_equal_size_the_danish_way(app):
    parties = all_parties()
    period = organisations.create_period("2026-2029", date(2026, 1, 1), date(2029, 12, 31))
    rounds.set_composition(period, [Member(parties[letter], 2, None) for letter in ("Å", "Ø", "Æ", "V")]
                           + [Member(parties["A"], 5, None)])
    assert [row.party.letter for row in rounds.composition(period)] == ["A", "V", "Æ", "Ø", "Å"]


def test_the_quotient_table_lists_contestants_of_equal_size_the_danish_way():
    result = dhondt.share_out([dhondt.Contestant(name, 3) for name in ("Å", "Ø", "Æ", "V")], 4)
    assert [row.contestant.name for row in result.rows] == ["V", "Æ", "Ø", "Å"]


@pytest.mark.both_databases
def test_a_valggruppes_seat_goes_to_the_first_of_its_equal_largest_parties_the_danish_way(app):
    """Ø and Å have as many members each in the valggruppe Ø+Å: Ø nominates, as Ø comes before Å in Danish
    (by code point Å comes first)."""
    parties = all_parties()
    period = organisations.create_period("2026-2029", date(2026, 1, 1), date(2029, 12, 31))
    movia = make.organisation("Movia")
    seat = make.seat(movia, "Plads 1", has_substitute=False)
    rounds.set_composition(period, [Member(parties["Å"], 4, "Ø+Å"), Member(parties["Ø"], 4, "Ø+Å"),
                                    Member(parties["V"], 3, None)])
    share = rounds.record_share_out(period, 1, organisation=movia)
    db.session.commit()
    values = grid.filled_from(share, grid.rows(period))
    group_id = int(values[seat.id][1:].partition(":")[0])
    assert values[seat.id] == f"g{group_id}:{parties['Ø'].id}"

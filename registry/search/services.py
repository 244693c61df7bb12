"""Finding people and bodies by part of the name, with or without the Danish letters.

Names and the query are folded alike (registry.types.search_key: æ → ae,
ø → oe, å → aa, other accents stripped), and then loosened alike on both
sides (oe → o, ae → a, aa → a), so that `jorgensen` and `joergensen` both
find Jørgensen, and `taarbaek` and `tarbaek` both find Taarbæk. One query a
page, whatever the number of matches.
"""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from registry.extensions import db
from registry.organisations.models import Organisation
from registry.paging import Page, numbered
from registry.people.models import Municipality, Party, Person
from registry.people.services import has_held_a_seat
from registry.types import search_key, sort_key

PER_PAGE = 20

# Spellings of æ, ø, å without a Danish keyboard, reduced to one letter on both sides of the LIKE.
LOOSE = (("oe", "o"), ("ae", "a"), ("aa", "a"))


@dataclass(frozen=True)
class Hit:
    kind: str  # "person" or "organisation"
    id: int
    name: str
    # A person's party letter and municipality; a body's short name.
    detail: str | None
    place: str | None


@dataclass(frozen=True)
class Results:
    query: str
    page: Page[Hit]
    municipalities: list[Municipality] = field(default_factory=list)

    @property
    def hits(self) -> list[Hit]:
        return self.page.items


def loosen(text: str) -> str:
    for spelled, letter in LOOSE:
        text = text.replace(spelled, letter)
    return text


def _loosen_column(column) -> sa.ColumnElement[str]:
    for spelled, letter in LOOSE:
        column = sa.func.replace(column, spelled, letter)
    return column


def _name_contains(column, needle: str) -> sa.ColumnElement[bool]:
    """The loosened key contains the loosened needle. On PostgreSQL, each stretch of the needle without an
    a or an o (which loosening may have shortened) is in the key itself as it stands, so those of three letters
    or more are asked of the key too: its trigram index (migration 0017) finds the few candidates, and the
    loosened comparison decides."""
    found = _loosen_column(column).contains(needle, autoescape=True)
    if db.session.get_bind().dialect.name != "postgresql":
        return found
    stretches = [part for part in re.split("[ao]", needle) if len(part) >= 3]
    return sa.and_(*(column.contains(part, autoescape=True) for part in stretches), found)


def matching_municipalities(needle: str) -> list[Municipality]:
    """Municipalities whose name contains the (folded, loosened) query: `lyngby` finds Lyngby-Taarbæk.

    There are at most 98, so they are folded here rather than given a column: one query, always.
    """
    every = db.session.scalars(sa.select(Municipality)).all()
    found = [m for m in every if needle in loosen(search_key(m.name))]
    return sorted(found, key=lambda m: sort_key(m.name))


def search(query: str, page: int = 1, *, public: bool = True) -> Results:
    """People and bodies whose name contains the query, by Danish name order, a page at a time.

    The public finds only people who hold or have held a seat.
    """
    needle = loosen(search_key(" ".join(query.split())))
    if not needle:
        return Results(query, Page([]))
    persons = (
        sa.select(sa.literal_column("'person'", sa.String).label("kind"), Person.id, Person.name, Person.sort_name,
                  Party.letter.label("detail"), Municipality.name.label("place"))
        .outerjoin(Party, Person.party_id == Party.id)
        .outerjoin(Municipality, Person.municipality_id == Municipality.id)
        .where(_name_contains(Person.search_name, needle))
    )
    if public:
        persons = persons.where(has_held_a_seat())
    organisations = (
        sa.select(sa.literal_column("'organisation'", sa.String).label("kind"), Organisation.id, Organisation.name,
                  Organisation.sort_name, Organisation.short_name.label("detail"),
                  sa.cast(sa.null(), sa.String).label("place"))
        .where(_name_contains(Organisation.search_name, needle))
    )
    both = sa.union_all(persons, organisations).subquery()
    found = numbered(sa.select(both.c.kind, both.c.id, both.c.name, both.c.detail, both.c.place)
                     .order_by(both.c.sort_name, both.c.kind, both.c.id), page, PER_PAGE, rows=True)
    places = matching_municipalities(needle) if page == 1 else []
    return Results(query, Page([Hit(*row) for row in found.items], found.number, found.has_next), places)

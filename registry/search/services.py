"""Finding people and bodies by part of the name, with or without the Danish letters.

Names and the query are folded alike (registry.types.search_key: æ → ae,
ø → oe, å → aa, other accents stripped), and then loosened alike on both
sides (oe → o, ae → a, aa → a), so that `jorgensen` and `joergensen` both
find Jørgensen, and `taarbaek` and `tarbaek` both find Taarbæk.

A short query matches thousands (`an`), so the hits come a page at a time by a stable key, the Danish name
then the kind and id, and each page reads only its own: people and bodies are each read in name order from
the key on, a page's worth, and merged. Three queries a page, whatever the number of matches.
"""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from registry.extensions import db
from registry.organisations.models import Organisation
from registry.paging import Page
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
    # The last hit shown ("person-12", "organisation-3") when more follow: the next page starts after it.
    after: str | None = None
    # Whether this is the first page.
    first: bool = True

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


def parse_mark(text: str | None) -> tuple[str, int] | None:
    """?efter=person-12 as ("person", 12); None when absent or not of that shape."""
    kind, _, number = (text or "").partition("-")
    if kind not in KINDS or not (number.isascii() and number.isdigit() and len(number) <= 10):
        return None
    return kind, int(number)


KINDS = ("organisation", "person")


def search(query: str, *, after: tuple[str, int] | None = None, public: bool = True) -> Results | None:
    """People and bodies whose name contains the query, by Danish name order, a page at a time: the first,
    or the one after the hit `after` (kind, id). None when that hit is unknown.

    The public finds only people who hold or have held a seat.
    """
    needle = loosen(search_key(" ".join(query.split())))
    if not needle:
        return Results(query, Page([]))
    mark = None
    if after is not None:
        model = Person if after[0] == "person" else Organisation
        marked = sa.select(model.sort_name).where(model.id == after[1])
        if public and model is Person:
            marked = marked.where(has_held_a_seat())  # nor where a private person would sort
        mark = db.session.scalar(marked)
        if mark is None:
            return None
    # The page's people first, then their party and municipality: joined before the limit, a misestimate of
    # the LIKE's selectivity made PostgreSQL join every match to every municipality.
    chosen = (sa.select(Person.id, Person.name, Person.sort_name, Person.party_id, Person.municipality_id)
              .where(_name_contains(Person.search_name, needle), _after(Person, "person", mark, after))
              .order_by(Person.sort_name, Person.id).limit(PER_PAGE + 1))
    if public:
        chosen = chosen.where(has_held_a_seat())
    chosen = chosen.subquery()
    persons = (
        sa.select(sa.literal_column("'person'", sa.String).label("kind"), chosen.c.id, chosen.c.name,
                  chosen.c.sort_name, Party.letter.label("detail"), Municipality.name.label("place"))
        .outerjoin(Party, chosen.c.party_id == Party.id)
        .outerjoin(Municipality, chosen.c.municipality_id == Municipality.id)
    )
    organisations = (
        sa.select(sa.literal_column("'organisation'", sa.String).label("kind"), Organisation.id, Organisation.name,
                  Organisation.sort_name, Organisation.short_name.label("detail"),
                  sa.cast(sa.null(), sa.String).label("place"))
        .where(_name_contains(Organisation.search_name, needle), _after(Organisation, "organisation", mark, after))
        .order_by(Organisation.sort_name, Organisation.id).limit(PER_PAGE + 1)
    )
    # Each list is read in name order up to a page and one; the page is the first of the two merged.
    rows = sorted([*db.session.execute(persons), *db.session.execute(organisations)],
                  key=lambda row: (row.sort_name, row.kind, row.id))
    shown = [Hit(row.kind, row.id, row.name, row.detail, row.place) for row in rows[:PER_PAGE]]
    more = len(rows) > PER_PAGE
    places = matching_municipalities(needle) if after is None else []
    return Results(query, Page(shown, 1, more), places, after=f"{shown[-1].kind}-{shown[-1].id}" if more else None,
                   first=after is None)


def _after(model, kind: str, mark: str | None, after: tuple[str, int] | None) -> sa.ColumnElement[bool]:
    """The model's rows after the hit `after` in the order (sort name, kind, id); `mark` is that hit's sort name.
    The kind is the same for every row of one model, so the comparison is on the sort name and the id alone."""
    if mark is None or after is None:
        return sa.true()
    if kind > after[0]:
        return model.sort_name >= mark
    if kind < after[0]:
        return model.sort_name > mark
    # The plain `>=` lets the database start its scan of the name index at the key.
    return sa.and_(model.sort_name >= mark,
                   sa.or_(model.sort_name > mark, sa.and_(model.sort_name == mark, model.id > after[1])))

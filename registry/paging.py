"""A page of a list, the one shape every list of the registry comes in.

Pages read one row more than they show, to know whether another page follows without counting the whole
list. The pages for people go by number (?side=2); the API goes by the last id seen (?after=), which costs
the same on the hundredth page as on the first.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa

from registry.extensions import db

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int = 1
    has_next: bool = False

    @property
    def has_prev(self) -> bool:
        return self.number > 1


def _read(stmt: sa.Select, rows: bool) -> list:
    # unique(): a collection loaded by join (a seat's allocations) comes as one row per member.
    result = db.session.execute(stmt).unique()
    return list(result.all() if rows else result.scalars().all())


def numbered(stmt: sa.Select, number: int, size: int, *, rows: bool = False) -> Page:
    """Page `number` (from 1) of `size` items; rows=True for rows of several columns rather than objects."""
    found = _read(stmt.limit(size + 1).offset((number - 1) * size), rows)
    return Page(found[:size], number, len(found) > size)


def after(stmt: sa.Select, id_column, after_id: int, size: int, *, rows: bool = False) -> Page:
    """The `size` items after the id `after_id`, in the order of `id_column`."""
    found = _read(stmt.where(id_column > after_id).order_by(id_column).limit(size + 1), rows)
    return Page(found[:size], 1, len(found) > size)

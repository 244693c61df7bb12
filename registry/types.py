"""Column types and helpers shared by the feature packages."""

import enum
import unicodedata

import sqlalchemy as sa
from flask_babel import LazyString, gettext, lazy_gettext
from sqlalchemy.ext.compiler import compiles

# Danish alphabetical order puts æ, ø, å after z. Mapping them to the three
# ASCII characters after "z" gives that order under a plain byte comparison,
# which is what both SQLite (BINARY) and PostgreSQL (COLLATE "C") do, so
# sorted lists and exports are identical on both databases.
_DANISH_TAIL = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|"})


def sort_key(text: str) -> str:
    """A byte-comparable key that sorts Danish names the Danish way."""
    folded = text.casefold().translate(_DANISH_TAIL)
    # Other accents (ü, é) sort with their base letter.
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class danish_order(sa.sql.functions.FunctionElement):
    """An ORDER BY key for a column without a sort key column (a party's letter, a municipality's name): æ, ø
    and å after z, as sort_key() orders them, the same on both databases. Only ASCII letters are folded to
    lower case, and other accents are not removed: for names and codes of Danish letters.

        sa.select(Party).order_by(danish_order(Party.letter))
    """

    type = sa.String()
    name = "danish_order"
    inherit_cache = True


# What sort_key's _DANISH_TAIL does, in SQL, for both cases of each letter.
_SQL_TAIL = [(letter, key) for source, key in _DANISH_TAIL.items() for letter in (chr(source), chr(source).upper())]


def _danish_key(element: danish_order, collation: str | None):
    (column,) = element.clauses
    if collation:
        column = sa.collate(column, collation)
    for letter, key in _SQL_TAIL:
        column = sa.func.replace(column, letter, key)
    return sa.func.lower(column)


@compiles(danish_order)
def _compile_danish_order(element, compiler, **kw):
    return compiler.process(_danish_key(element, None), **kw)


@compiles(danish_order, "postgresql")
def _compile_danish_order_postgresql(element, compiler, **kw):
    # Compared byte by byte, as SQLite's BINARY does; lower() then folds only A-Z on both.
    return compiler.process(_danish_key(element, "C"), **kw)


# The search key spells out æ, ø and å the way people type them without a
# Danish keyboard. The search (registry/search/services.py) then loosens key
# and query alike (oe → o, ...), so that `jorgensen` finds Jørgensen too.
_DANISH_SPELLED_OUT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def search_key(text: str) -> str:
    """A lowercase ASCII-ish key for searching by part of a name: Ærø → aeroe, Sentürk → senturk.

    Names and queries are folded alike, so `taarbaek` finds Lyngby-Taarbæk.
    """
    folded = text.casefold().translate(_DANISH_SPELLED_OUT)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key_default(context) -> str:
    """The column default for rows inserted with Core (the CSV import), which the ORM validators never see."""
    return search_key(context.get_current_parameters()["name"])


# Folding may double a letter (æ → ae): room for a 200-character name.
SearchKey = sa.String(400)

# A sort key column compares bytes on both databases.
SortKey = sa.String(300).with_variant(sa.String(300, collation="C"), "postgresql")


def N_(text: str) -> str:
    """Mark a text for the catalogue without translating it here (gettext_noop; Babel extracts N_ by default).

    For words that are data as well as text: an enum's Danish word is what the CSV files write, and is
    translated where it is shown.
    """
    return text


def capitalised(text: str) -> str:
    """The first letter upper case, the rest as it is ("section 9 of the Gender Equality Act" stays so)."""
    return text[:1].upper() + text[1:]


class LabelledEnum(enum.Enum):
    """An enum whose members carry a Danish word: `member = "member", N_("medlem")`.

    `danish` is the word itself, for what is Danish whatever the page's language: the CSV files (which write
    it, and from_label reads it back), the e-mails to party groups, the agenda text drafted for a Danish agenda.
    `label` is the word in the reader's language, through the catalogue, lower case as it stands in a sentence.
    """

    def __new__(cls, value: str, danish: str):
        member = object.__new__(cls)
        member._value_ = value
        member.danish = danish
        return member

    @property
    def label(self) -> LazyString:
        """Lazy, so that a list made when a module is imported is translated for each page."""
        return lazy_gettext(self.danish)

    @property
    def capitalised(self) -> LazyString:
        """The label with a capital first letter, for a choice in a list; lazy like the label."""
        return LazyString(lambda: capitalised(gettext(self.danish)))

    @classmethod
    def from_label(cls, danish: str):
        """The member whose Danish word this is (as the CSV files write it); ValueError for any other."""
        for member in cls:
            if member.danish == danish:
                return member
        raise ValueError(danish)


def enum_column(enum_cls: type[enum.Enum]) -> sa.Enum:
    """Stored as its value in a VARCHAR with a CHECK, the same on both databases."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda e: [m.value for m in e],
        name=enum_cls.__name__.lower(),
        validate_strings=True,
    )

"""Column types and helpers shared by the feature packages."""

import enum
import unicodedata

import sqlalchemy as sa

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


class LabelledEnum(enum.Enum):
    """An enum whose members carry the Danish word users see."""

    def __new__(cls, value: str, label: str):
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def from_label(cls, label: str):
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(label)


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

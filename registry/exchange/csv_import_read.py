"""Reading an appointments CSV back: bytes → checked rows, or errors per line in the page's language.

What the export writes is read exactly; besides that, what Danish Excel writes
when a user saves "CSV (semikolonsepareret)" (Windows-1252, no BOM) and ','
between cells. Nothing here touches the database: whether a row fits the
registry is csv_import's question.
"""

import csv
import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from flask_babel import get_translations

from registry.appointments.models import EndReason, Role
from registry.csvfiles import undo_neutralise
from registry.dates import local_dates
from registry.exchange.csv_export import HEADER
from registry.forms import control_character
from registry.meetings.models import ITEM_NUMBER, reference
from registry.people.models import Gender

OPTIONAL = ["køn", "email"]
UTF8_BOM = b"\xef\xbb\xbf"

# The columns' lengths in the database: PostgreSQL refuses a longer value
# (SQLite would keep it), so it is refused here first, with its line.
MAX_LENGTH = {"organisation": 200, "plads": 100, "navn": 200, "kommune": 100, "parti": 10,
              "udpegende_myndighed": 200, "email": 254}
REQUIRED_CELLS = {"organisation": "organisation", "plads": "plads", "navn": "navn",
                  "udpegende_myndighed": "udpegende myndighed"}
REFERENCE = re.compile(r"(?P<council>.+) (?P<date>\d{4}-\d{2}-\d{2}) pkt\. (?P<number>\S{1,20})")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A list letter (A, F, Ø) or a short code of letters and digits: it becomes part of the party's address.
PARTY_LETTER = re.compile(r"[^\W_]{1,10}")


# An import writes a text for each of up to 100,000 lines, and flask_babel's gettext and format_date look
# the page's language up on every call (20-25 µs each). Within in_page_language() it is looked up once.
_catalogue = ContextVar("csv_import_catalogue", default=None)
_dates = ContextVar("csv_import_dates", default=None)


@contextmanager
def in_page_language() -> Iterator[None]:
    """The import's texts within, in the page's language (Danish from the command line)."""
    catalogue, dates = _catalogue.set(get_translations()), _dates.set(local_dates())
    try:
        yield
    finally:
        _catalogue.reset(catalogue)
        _dates.reset(dates)


def _(message: str, /, **values) -> str:
    """gettext for the import's texts: marked for the catalogue as any `_`, translated at once."""
    translated = (_catalogue.get() or get_translations()).gettext(message)
    return translated % values if values else translated


def pgettext(context: str, message: str, /) -> str:
    """_ for a word the catalogue translates otherwise elsewhere ("intet": no party, or nothing imported)."""
    return (_catalogue.get() or get_translations()).pgettext(context, message)


def day(value: date | None) -> str:
    """A date as the page writes it: 19.04.2024, or 19 Apr 2024."""
    return (_dates.get() or local_dates())(value)


class FileRefused(Exception):
    """The file as a whole cannot be read; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class Reference:
    """The KKR decision an appointment rests on: 'KKR Hovedstaden 2024-04-19 pkt. 4.1'."""

    council: str
    date: date
    number: str

    def __str__(self) -> str:
        return reference(self.council, self.date, self.number)


@dataclass(slots=True)
class Row:
    line: int
    organisation: str
    seat: str
    role: Role
    name: str
    party: str | None
    municipality: str | None
    start: date
    end: date | None
    reason: EndReason | None
    authority: str
    reference: Reference | None
    gender: Gender | None
    email: str | None


@dataclass
class ReadFile:
    rows: list[Row]
    errors: list[tuple[int, str]]   # (line, message) for lines that could not be read
    lines: int                      # data lines read, blank ones not counted


def decode(data: bytes) -> str:
    if not data.strip():
        raise FileRefused(_("Filen er tom."))
    if data.startswith(b"PK\x03\x04"):
        raise FileRefused(_("Filen er et Excel-regneark (eller en anden zip-fil), ikke en CSV-fil. Gem den i Excel "
                            "som 'CSV (semikolonsepareret)'."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_("Filen er gemt som UTF-16 ('Unicode-tekst'). Gem den i Excel som "
                            "'CSV (semikolonsepareret)' eller 'CSV UTF-8'."))
    if b"\x00" in data:
        raise FileRefused(_("Filen er ikke en CSV-fil: den indeholder binære data."))
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM):].decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            raise FileRefused(_("linje %(line)d: filen begynder som UTF-8, men har tegn, der ikke er UTF-8.",
                                line=line)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: what Danish Excel writes for "CSV (semikolonsepareret)". Five
    # byte values are unassigned in Windows-1252; a file with them is neither.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused(_("Filen er hverken UTF-8 eller Windows-1252; den kan ikke læses som tekst.")) from None


def delimiter_of(text: str) -> str:
    """';' or ',', whichever separates the header's cells (no column name holds either)."""
    first = re.split(r"[\r\n]", text, maxsplit=1)[0]
    return "," if first.count(",") > first.count(";") else ";"


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [name.replace("\ufeff", "").strip().casefold() for name in header]
    errors = []
    for number, name in enumerate(names, start=1):
        if not name:
            errors.append(_("kolonne %(number)d har ingen overskrift", number=number))
        elif name not in HEADER and name not in OPTIONAL:
            errors.append(_("ukendt kolonne '%(name)s'", name=name[:40]))
    for name in dict.fromkeys(names):
        if name and names.count(name) > 1:
            errors.append(_("kolonnen '%(name)s' står flere gange", name=name))
    missing = [name for name in HEADER if name not in names]
    if len(missing) == len(HEADER):
        return {}, [_("filen er ikke en liste over udpegninger: overskriften skal være %(header)s",
                      header=";".join(HEADER))]
    errors += [_("kolonnen '%(name)s' mangler", name=name) for name in missing]
    return {name: index for index, name in enumerate(names)}, errors


def check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise FileRefused(_("Filen er for stor til at blive kontrolleret her. Del den i mindre filer, eller bed "
                            "den, der driver registret, om at indlæse den (kommandoen flask registry import-csv)."))


def read(data: bytes, deadline: float | None = None) -> ReadFile:
    """Every data line as a Row, or its errors. Raises FileRefused for a file that is not one at all,
    or that could not be read by the deadline (a time.monotonic())."""
    text = decode(data)
    delimiter = delimiter_of(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    columns: dict[str, int] | None = None
    count = 0
    line_end = 0
    try:
        for cells in reader:
            # A quoted cell may hold line breaks: a row is numbered by the line it begins on.
            line, line_end = line_end + 1, reader.line_num
            if columns is None:
                columns, header_errors = _columns(cells)
                if header_errors:
                    return ReadFile([], [(1, message) for message in header_errors], 0)
                continue
            if not any(cell.strip() for cell in cells):
                continue  # Excel leaves empty rows, or rows of bare delimiters, at the end
            count += 1
            if count % 1000 == 0:
                check_deadline(deadline)
            row, row_errors = _row(line, cells, columns)
            if row is not None:
                rows.append(row)
            errors += [(line, message) for message in row_errors]
    except csv.Error:
        errors.append((line_end + 1, _("linjen kan ikke læses som CSV (et citationstegn er måske ikke lukket, "
                                       "eller en celle er for lang)")))
    if columns is None:
        raise FileRefused(_("Filen er tom."))
    if count == 0 and not errors:
        raise FileRefused(_("Filen har kun overskriften og ingen udpegninger."))
    return ReadFile(rows, errors, count)


# Danish Excel rewrites the export's ISO dates as 19-04-2024 when the file is
# saved again; with the year last and four digits, that form is unambiguous.
DANISH_DATE = re.compile(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})")


def _date(cells: dict[str, str], column: str, errors: list[str]) -> date | None:
    text = cells[column].strip()
    if not text:
        return None
    try:
        if danish := DANISH_DATE.fullmatch(text):
            day, month, year = (int(part) for part in danish.groups())
            return date(year, month, day)
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        errors.append(_("ugyldig %(column)s '%(text)s' (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)", column=column,
                        text=text[:40]))
        return None


def _label(enum_cls, cells: dict[str, str], column: str, errors: list[str]):
    text = cells[column].strip()
    if not text:
        return None
    try:
        return enum_cls.from_label(text.casefold())
    except ValueError:
        allowed = ", ".join(member.danish for member in enum_cls)  # the file's words, whatever the page's
        errors.append(_("ukendt %(column)s '%(text)s' (brug %(allowed)s)", column=column, text=text[:40],
                        allowed=allowed))
        return None


def _reference(text: str, errors: list[str]) -> Reference | None:
    if not text:
        return None
    match = REFERENCE.fullmatch(text)
    # The item number as the agenda has it (4.1, 3.10), and a council name that fits its column.
    if match and ITEM_NUMBER.fullmatch(match["number"]) and len(match["council"]) <= 100:
        try:
            return Reference(match["council"], date.fromisoformat(match["date"]), match["number"])
        except ValueError:
            pass
    errors.append(_("ugyldig indstilling '%(text)s' (skrives som 'KKR Hovedstaden 2024-04-19 pkt. 4.1')",
                    text=text[:80]))
    return None


def _row(line: int, raw: list[str], columns: dict[str, int]) -> tuple[Row | None, list[str]]:
    if len(raw) != len(columns):
        return None, [_cell_count(raw, columns)]
    cells = {name: undo_neutralise(raw[index]) for name, index in columns.items()}
    cells.setdefault("køn", "")
    cells.setdefault("email", "")
    errors = _missing_or_too_long(cells)
    errors += [_("kolonnen '%(name)s' indeholder linjeskift, tabulatorer eller andre kontroltegn", name=name)
               for name, text in cells.items() if control_character(text, multiline=False)]
    party = cells["parti"].strip().upper() or None
    if party and not PARTY_LETTER.fullmatch(party):
        errors.append(_("ugyldigt parti '%(text)s' (et listebogstav eller en kort kode af bogstaver og tal, "
                        "højst 10 tegn)", text=party[:40]))
    role = _label(Role, cells, "rolle", errors)
    if role is None and not cells["rolle"].strip():
        errors.append(_("rolle mangler (medlem eller suppleant)"))
    start, end, reason = _term(cells, errors)
    gender = _label(Gender, cells, "køn", errors)
    email = cells["email"].strip() or None
    if email and not EMAIL.fullmatch(email):
        errors.append(_("ugyldig email '%(email)s'", email=email[:80]))
    reference = _reference(cells["indstilling"].strip(), errors)
    if errors:
        return None, errors
    assert role is not None
    assert start is not None
    municipality = cells["kommune"] if cells["kommune"].strip() else None
    return Row(line=line, organisation=cells["organisation"], seat=cells["plads"], role=role, name=cells["navn"],
               party=party, municipality=municipality, start=start, end=end,
               reason=reason, authority=cells["udpegende_myndighed"], reference=reference, gender=gender,
               email=email), []


def _cell_count(raw: list[str], columns: dict[str, int]) -> str:
    if any("\n" in c or "\r" in c for c in raw):
        return _("linjen har %(cells)d celler, men overskriften har %(columns)d (et citationstegn er "
                 "måske ikke lukket)", cells=len(raw), columns=len(columns))
    return _("linjen har %(cells)d celler, men overskriften har %(columns)d", cells=len(raw), columns=len(columns))


def _missing_or_too_long(cells: dict[str, str]) -> list[str]:
    errors = [_("%(column)s mangler", column=what) for column, what in REQUIRED_CELLS.items()
              if not cells[column].strip()]
    errors += [_("%(column)s er for lang (%(length)d tegn; højst %(limit)d)", column=column,
                 length=len(cells[column]), limit=limit)
               for column, limit in MAX_LENGTH.items() if len(cells[column]) > limit]
    return errors


def _term(cells: dict[str, str], errors: list[str]) -> tuple[date | None, date | None, EndReason | None]:
    """The start, the last day and why it ended, checked together."""
    start = _date(cells, "startdato", errors)
    if start is None and not cells["startdato"].strip():
        errors.append(_("%(column)s mangler", column="startdato"))
    end = _date(cells, "slutdato", errors)
    reason = _label(EndReason, cells, "ophørsårsag", errors)
    if reason is not None and not cells["slutdato"].strip():
        errors.append(_("en ophørsårsag kræver en slutdato"))
    if start and end and end < start:
        errors.append(_("Slutdatoen ligger før startdatoen."))
    return start, end, reason

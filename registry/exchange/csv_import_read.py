"""Reading an appointments CSV back: bytes → checked rows, or errors per line in the page's language.

What the export writes is read exactly; besides that, what Danish Excel writes
when a user saves "CSV (semikolonsepareret)" (Windows-1252, no BOM) and ','
between cells. Nothing here touches the database: whether a row fits the
registry is csv_import's question.
"""

import codecs
import csv
import io
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from flask_babel import get_translations

from registry.appointments.models import EndReason, Office, OfficeChooser, Role
from registry.csvfiles import undo_neutralise
from registry.dates import local_dates
from registry.exchange.csv_export import BASE_HEADER, BODY_HEADER, DERIVED_HEADER, HEADER
from registry.forms import control_character
from registry.meetings.models import ITEM_NUMBER, reference
from registry.organisations.models import SeatFiller, SeatKind
from registry.people.models import Gender

# A file needs the first export's columns; the later ones, and a person's private fields, it may leave out.
REQUIRED = BASE_HEADER
OPTIONAL = [*BODY_HEADER, "køn", "email"]
# What the export derives from the registry on the file's day (carrying over, the council mandate): known, so
# that an exported file reads back, and read past, as the registry works them out itself.
DERIVED = DERIVED_HEADER
UTF8_BOM = b"\xef\xbb\xbf"

# The columns' lengths in the database: PostgreSQL refuses a longer value
# (SQLite would keep it), so it is refused here first, with its line.
MAX_LENGTH = {"organisation": 200, "plads": 100, "navn": 200, "kommune": 100, "parti": 10,
              "udpegende_myndighed": 200, "email": 254, "hverv": 100, "embede": 200, "indstilles_af": 200}
# The seat's columns, by the Seat attribute each gives. A file without one of them leaves that attribute of a
# known seat as it is, and gives a new seat the ordinary value (SEAT_DEFAULTS); a file with it says what the
# seat is, an empty cell included (as the export writes an ordinary seat).
SEAT_COLUMNS = {"pladstype": "kind", "embede": "ex_officio", "suppleant_nr": "pool_rank",
                "besættes_af": "filled_by", "indstilles_af": "nominated_by"}
SEAT_DEFAULTS = {"kind": SeatKind.voting, "ex_officio": None, "pool_rank": None, "filled_by": SeatFiller.kkr,
                 "nominated_by": None}
# A hand-made file may name the office as the role: "formand" is a member who is formand.
ROLE_OFFICES = {"formand": Office.chair, "næstformand": Office.vice_chair}
# Whoever made such a file did not say who chose the office. Most bodies elect their own formand and
# næstformand among the members (they "konstituerer sig selv"); where KKR appoints the formand, that is a KKR
# decision the secretariat records as such, in the hverv_valgt_af column.
IMPLIED_CHOOSER = OfficeChooser.body
OFFICE_WORDS = {office.danish: office for office in (Office.chair, Office.vice_chair)}
POOL_RANK = re.compile(r"[0-9]{1,6}")
REQUIRED_CELLS = {"organisation": "organisation", "plads": "plads", "navn": "navn",
                  "udpegende_myndighed": "udpegende myndighed"}
REFERENCE = re.compile(r"(?P<council>.+) (?P<date>\d{4}-\d{2}-\d{2}) pkt\. (?P<number>\S{1,20})")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A list letter (A, F, Ø) or a short code of letters and digits: it becomes part of the party's address.
PARTY_LETTER = re.compile(r"[^\W_]{1,10}")


# Every character forms.control_character may refuse (category Cc, the bidirectional controls), in one search
# per line: most lines have none, and only a line with one is looked at cell by cell.
MAYBE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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


def ngettext(singular: str, plural: str, num: int, /, **values) -> str:
    """_ for a text with a number in it (%(num)d), in the singular or plural the language's rule says."""
    translated = (_catalogue.get() or get_translations()).ngettext(singular, plural, num)
    return translated % dict(values, num=num)


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
    # The member's office on the body, who chose it, and its first and last day (empty: as the appointment).
    # A file without the hverv column says nothing of offices (office_stated False): a known appointment keeps
    # its own. A role of formand or næstformand states it all the same.
    office_stated: bool = False
    office: Office | None = None
    office_title: str | None = None
    office_chosen_by: OfficeChooser | None = None
    office_start: date | None = None
    office_end: date | None = None
    # What the file says the seat is, by Seat attribute: only the SEAT_COLUMNS the file has.
    seat_terms: dict[str, object] = field(default_factory=dict)


def decode(data: bytes) -> str:
    """The file as text (see text_of: read as a stream, never decoded whole)."""
    return text_of(data).read()


# Bytes decoded at a time when the encoding is checked: the check holds this much, not the file.
DECODE_CHUNK = 1 << 16


def text_of(data: bytes) -> io.TextIOWrapper:
    """The file as a stream of text, in the encoding it is in. The whole file is checked first, a chunk at
    a time, so an undecodable byte anywhere refuses the file before a line of it is looked at, and the
    text is never held whole (a national file is a hundred megabytes of it)."""
    if not data or data.isspace():
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
        if (error := _undecodable(data, "utf-8", len(UTF8_BOM))) is not None:
            line = data.count(b"\n", 0, error) + 1  # as the first check counted it, from the file's start
            raise FileRefused(_("linje %(line)d: filen begynder som UTF-8, men har tegn, der ikke er UTF-8.",
                                line=line)) from None
        return _stream(data, "utf-8-sig")
    if _undecodable(data, "utf-8") is None:
        return _stream(data, "utf-8")
    # Not UTF-8: what Danish Excel writes for "CSV (semikolonsepareret)". Five
    # byte values are unassigned in Windows-1252; a file with them is neither.
    if _undecodable(data, "cp1252") is not None:
        raise FileRefused(_("Filen er hverken UTF-8 eller Windows-1252; den kan ikke læses som tekst."))
    return _stream(data, "cp1252")


def _undecodable(data: bytes, encoding: str, start: int = 0) -> int | None:
    """The offset from start of the first byte that does not decode, or None: a chunk at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for offset in range(start, len(data), DECODE_CHUNK):
        pending = len(decoder.getstate()[0])  # the start of a character the chunk before ended within
        try:
            decoder.decode(view[offset:offset + DECODE_CHUNK], final=offset + DECODE_CHUNK >= len(data))
        except UnicodeDecodeError as error:
            return offset - start - pending + error.start
    return None


def _stream(data: bytes, encoding: str) -> io.TextIOWrapper:
    # BytesIO shares the bytes until written to; newline="" leaves line ends to the csv module.
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


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
        elif name not in REQUIRED and name not in OPTIONAL and name not in DERIVED:
            errors.append(_("ukendt kolonne '%(name)s'", name=name[:40]))
    for name in dict.fromkeys(names):
        if name and names.count(name) > 1:
            errors.append(_("kolonnen '%(name)s' står flere gange", name=name))
    missing = [name for name in REQUIRED if name not in names]
    if len(missing) == len(REQUIRED):
        return {}, [_("filen er ikke en liste over udpegninger: overskriften skal være %(header)s",
                      header=";".join(HEADER))]
    errors += [_("kolonnen '%(name)s' mangler", name=name) for name in missing]
    return {name: index for index, name in enumerate(names)}, errors


def check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise FileRefused(_("Filen er for stor til at blive kontrolleret her. Del den i mindre filer, eller bed "
                            "den, der driver registret, om at indlæse den (kommandoen flask registry import-csv)."))


def rows_of(data: bytes, deadline: float | None, errors: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for the header and then every data row that is not blank, from a file's bytes (decoded and
    split as Danish Excel writes them). A row is numbered by the line it begins on (a quoted cell may hold line
    breaks). A row the csv module cannot read ends the file, with its error added to `errors`. Raises
    FileRefused for a file that is not text, or that could not be read by the deadline (a time.monotonic())."""
    text = text_of(data)
    delimiter = delimiter_of(text.readline())
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter)
    count = line_end = 0
    try:
        for cells in reader:
            line, line_end = line_end + 1, reader.line_num
            if line > 1 and not any(cell.strip() for cell in cells):
                continue  # Excel leaves empty rows, or rows of bare delimiters, at the end
            count += 1
            if count % 1000 == 0:
                check_deadline(deadline)
            yield line, cells
    except csv.Error:
        errors.append((line_end + 1, _("linjen kan ikke læses som CSV (et citationstegn er måske ikke lukket, "
                                       "eller en celle er for lang)")))


def lines(data: bytes, deadline: float | None = None) -> Iterator[tuple[int, Row | None, list[str]]]:
    """(line, row, errors) for every data line in file order, one at a time: a Row, or None and why it cannot
    be read. A header that cannot be read is line 1's errors, and nothing more. Raises FileRefused for a file
    that is not one at all, or that could not be read by the deadline (a time.monotonic())."""
    unread: list[tuple[int, str]] = []
    columns: dict[str, int] | None = None
    count = 0
    for line, cells in rows_of(data, deadline, unread):
        if columns is None:
            columns, header_errors = _columns(cells)
            if header_errors:
                yield 1, None, header_errors
                return
            continue
        count += 1
        yield line, *_row(line, cells, columns)
    for line, message in unread:  # the line the csv module could not read, which ends the file
        yield line, None, [message]
    if columns is None:
        raise FileRefused(_("Filen er tom."))
    if count == 0 and not unread:
        raise FileRefused(_("Filen har kun overskriften og ingen udpegninger."))


def rows_where(data: bytes, deadline: float | None, wanted: Callable[[str], bool]) -> Iterator[Row]:
    """The rows that can be read of the lines whose organisation is wanted(name), asked line by line: a
    quick pass over the file that reads in full only the lines it is asked for."""
    columns: dict[str, int] | None = None
    for line, cells in rows_of(data, deadline, []):
        if columns is None:
            columns, header_errors = _columns(cells)
            if header_errors:
                return
            continue
        if len(cells) == len(columns) and wanted(undo_neutralise(cells[columns["organisation"]])):
            row, _errors = _row(line, cells, columns)
            if row is not None:
                yield row


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


def _label(enum_cls, cells: dict[str, str], column: str, errors: list[str], also: tuple[str, ...] = ()):
    """The member whose Danish word the cell holds, in any case ("kkr" is KKR); None for an empty cell or an
    unknown word (an error, which names the members' words and `also`, words the caller reads itself)."""
    text = cells[column].strip()
    if not text:
        return None
    folded = text.casefold()
    for member in enum_cls:
        if member.danish.casefold() == folded:
            return member
    allowed = ", ".join([*(member.danish for member in enum_cls), *also])  # the file's words, whatever the page's
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
    controlled = [_("kolonnen '%(name)s' indeholder linjeskift, tabulatorer eller andre kontroltegn", name=name)
                  for name, text in cells.items() if text and control_character(text, multiline=False)] \
        if MAYBE_CONTROL.search("".join(raw)) else []
    for name in OPTIONAL:  # a column the file does not have reads as empty
        cells.setdefault(name, "")
    errors = _missing_or_too_long(cells) + controlled
    party = cells["parti"].strip().upper() or None
    if party and not PARTY_LETTER.fullmatch(party):
        errors.append(_("ugyldigt parti '%(text)s' (et listebogstav eller en kort kode af bogstaver og tal, "
                        "højst 10 tegn)", text=party[:40]))
    role_office = ROLE_OFFICES.get(cells["rolle"].strip().casefold())
    role = Role.member if role_office else _label(Role, cells, "rolle", errors, also=tuple(ROLE_OFFICES))
    if role is None and not cells["rolle"].strip():
        errors.append(_("rolle mangler (medlem eller suppleant)"))
    start, end, reason = _term(cells, errors)
    office, title, chooser, office_start, office_end = _office(cells, role, role_office, errors)
    if start and office:
        _office_within(start, end, office_start, office_end, errors)
    seat_terms = _seat_terms(cells, columns, errors)
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
               email=email, office_stated="hverv" in columns or role_office is not None, office=office,
               office_title=title, office_chosen_by=chooser, office_start=office_start,
               office_end=office_end, seat_terms=seat_terms), []


def _cell_count(raw: list[str], columns: dict[str, int]) -> str:
    if any("\n" in c or "\r" in c for c in raw):
        return ngettext("linjen har %(num)d celle, men overskriften har %(columns)d (et citationstegn er måske "
                        "ikke lukket)", "linjen har %(num)d celler, men overskriften har %(columns)d (et "
                        "citationstegn er måske ikke lukket)", len(raw), columns=len(columns))
    return cell_count(raw, columns)


def cell_count(raw: list[str], columns: dict) -> str:
    """A line with another number of cells than the header has columns."""
    return ngettext("linjen har %(num)d celle, men overskriften har %(columns)d",
                    "linjen har %(num)d celler, men overskriften har %(columns)d", len(raw), columns=len(columns))


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


def _office(cells: dict[str, str], role: Role | None, role_office: Office | None,
            errors: list[str]) -> tuple[Office | None, str | None, OfficeChooser | None, date | None, date | None]:
    """The member's office: hverv is formand, næstformand, or another office by its own title ("kasserer")."""
    text = cells["hverv"]
    office = OFFICE_WORDS.get(text.strip().casefold(), Office.other) if text.strip() else None
    if role_office is not None:
        if office is not None and office is not role_office:
            errors.append(_("rolle '%(role)s' og hverv '%(office)s' passer ikke sammen", role=role_office.danish,
                            office=text.strip()[:40]))
        office = role_office
    title = text if office is Office.other else None
    chooser = _label(OfficeChooser, cells, "hverv_valgt_af", errors)
    start, end = _date(cells, "hverv_start", errors), _date(cells, "hverv_slut", errors)
    if office is None:
        if any(cells[column].strip() for column in ("hverv_valgt_af", "hverv_start", "hverv_slut")):
            errors.append(_("hverv_valgt_af, hverv_start og hverv_slut hører til et hverv, men hverv er tomt"))
        return None, None, None, None, None
    if role is Role.substitute:
        errors.append(_("Kun et medlem kan have et hverv i organisationen."))
    if chooser is None and not cells["hverv_valgt_af"].strip():
        if role_office is not None:
            chooser = IMPLIED_CHOOSER
        else:
            errors.append(_("%(column)s mangler (brug %(allowed)s)", column="hverv_valgt_af",
                            allowed=", ".join(member.danish for member in OfficeChooser)))
    return office, title, chooser, start, end


def _office_within(start: date, end: date | None, office_start: date | None, office_end: date | None,
                   errors: list[str]) -> None:
    """The office lies within the appointment: the wording of appointments/services.py set_office."""
    if office_start and (office_start < start or (end and office_start > end)):
        errors.append(_("Hvervet skal begynde inden for udpegningen (fra %(day)s).", day=day(start)))
    if office_end and (office_end < (office_start or start) or (end and office_end > end)):
        errors.append(_("Hvervet skal slutte inden for udpegningen og efter sin første dag."))


def _seat_terms(cells: dict[str, str], columns: dict[str, int], errors: list[str]) -> dict[str, object]:
    """What the line says the seat is, for the SEAT_COLUMNS the file has. Whether the values fit together
    (an ex officio seat names its office, …) is checked once per seat, with what the registry knows of it."""
    terms: dict[str, object] = {}
    if "pladstype" in columns:
        terms["kind"] = _label(SeatKind, cells, "pladstype", errors) or SEAT_DEFAULTS["kind"]
    if "embede" in columns:
        terms["ex_officio"] = cells["embede"] if cells["embede"].strip() else None
    if "suppleant_nr" in columns:
        text = cells["suppleant_nr"].strip()
        terms["pool_rank"] = int(text) if POOL_RANK.fullmatch(text) and int(text) >= 1 else None
        if text and terms["pool_rank"] is None:
            errors.append(_("ugyldigt suppleant_nr '%(text)s' (et helt tal fra 1: den fælles suppleants plads i "
                            "rækkefølgen)", text=text[:40]))
    if "besættes_af" in columns:
        terms["filled_by"] = _label(SeatFiller, cells, "besættes_af", errors) or SEAT_DEFAULTS["filled_by"]
    if "indstilles_af" in columns:
        terms["nominated_by"] = cells["indstilles_af"] if cells["indstilles_af"].strip() else None
    return terms

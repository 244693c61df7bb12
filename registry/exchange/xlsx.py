"""Every CSV export as an Excel workbook: the appointments, KKR's decisions, the balance, the round's progress and
the audit trail.

The CSV stays the contract; the workbook is for people. Its rows are the CSV's own (each CSV module's `rows`),
so the two files cannot say different things, and the queries are theirs: one export, one set of queries. Here
the cells get their types back: dates as dates (shown 19.04.2024), the trail's times as date and time in
Copenhagen (shown 19.04.2024 10:05:00), counts, ranks and ids as numbers, everything else as text, so an item
number such as 4.10 stays 4.10 and no cell needs the CSV's apostrophe. A text that begins with = is written as
text, never as a formula (openpyxl would otherwise take it for one).

One sheet named after what it holds, the header row frozen, filtered and repeated on every printed page.
openpyxl's write-only mode writes the rows to a temporary file as they come, and the workbook is zipped into
another, so memory stays flat however many rows there are. The same rows on the same day give the same bytes,
from the web and from the command line.
"""

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from registry.audit import trail
from registry.csvfiles import undo_neutralise
from registry.dates import danish_date, today
from registry.exchange import csv_balance, csv_decisions, csv_export
from registry.nominations import progress as round_progress

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The registry's short Danish date, as the pages write it.
DATE_FORMAT = "dd.mm.yyyy"
TIME_FORMAT = "dd.mm.yyyy hh:mm:ss"
# Excel's limit on a sheet's name.
TITLE_LENGTH = 31
# Excel's limit on a cell's text; a longer one makes Excel call the file damaged.
CELL_LENGTH = 32_767
CREATOR = "KKR-udpegninger"
HEADER_FONT = Font(bold=True)


@dataclass(frozen=True)
class Sheet:
    """A CSV file's columns as a sheet: its name (Danish, at most 31 characters), the CSV's header, and which
    columns hold dates (YYYY-MM-DD in the CSV), times (ISO 8601 with the offset) and whole numbers. Every other
    column is text."""

    title: str
    header: list[str]
    dates: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    # Column widths in characters where the header's own length is too narrow for what the column holds.
    widths: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        if not 0 < len(self.title) <= TITLE_LENGTH:
            raise ValueError(f"A sheet's name has 1 to {TITLE_LENGTH} characters: {self.title!r}")

    def width(self, column: str) -> int:
        return max(self.widths.get(column, 10), len(column) + 3)


def appointments(selection: csv_export.Selection) -> IO[bytes]:
    title = ("Udpegninger, hele historikken" if selection.as_of is None
             else f"Udpegninger pr. {danish_date(selection.as_of)}")
    sheet = Sheet(title, csv_export.HEADER,
                  dates=frozenset({"startdato", "slutdato", "hverv_start", "hverv_slut"}),
                  numbers=frozenset({"suppleant_nr"}),
                  widths={"organisation": 40, "plads": 14, "navn": 28, "kommune": 16, "udpegende_myndighed": 30,
                          "indstilling": 34, "kommunalbestyrelse": 18})
    return workbook(sheet, csv_export.rows(selection))


def decisions(selection: csv_decisions.Selection) -> IO[bytes]:
    # Punkt stays text: 4.10 is not 4.1.
    sheet = Sheet("Beslutninger", csv_decisions.HEADER, dates=frozenset({"Dato", "Udpeget fra"}),
                  widths={"Møde": 18, "Sagsnummer": 16, "Titel": 40, "Organisation": 40, "Plads": 14,
                          "Person": 28, "Kommune": 16, "Udfald": 14, "Beslutning": 60})
    return workbook(sheet, csv_decisions.rows(selection))


def balance(day: date) -> IO[bytes]:
    numbers = frozenset(column for column in csv_balance.HEADER
                        if column not in ("Organisation", "Partier (medlemmer/pladser)"))
    sheet = Sheet(f"Balance pr. {danish_date(day)}", csv_balance.HEADER, numbers=numbers,
                  widths={"Organisation": 40, "Partier (medlemmer/pladser)": 30})
    return workbook(sheet, csv_balance.rows(day))


def round_(found: round_progress.RoundProgress) -> IO[bytes]:
    # By the period's years, not its name, which the secretariat types (and which may hold what a sheet's
    # name may not).
    period = found.period
    sheet = Sheet(f"Runde {period.start_date.year}-{period.end_date.year}", round_progress.HEADER,
                  dates=frozenset({"Frist"}),
                  widths={"Organisation": 40, "Plads": 14, "Partigruppe": 24, "Status": 20, "Ligestilling": 40})
    return workbook(sheet, round_progress.rows(found))


def audit_trail(filters: trail.Filters) -> IO[bytes]:
    """The trail's CSV rows (audit/trail.py, newest first, with the page's filters)."""
    sheet = Sheet("Revisionsspor", trail.CSV_HEADER, times=frozenset({"tidspunkt"}),
                  numbers=frozenset({"bruger_id", "id"}),
                  widths={"tidspunkt": 20, "bruger": 16, "adresse": 16, "hvad": 16, "ændringer": 80})
    return workbook(sheet, trail.csv_lines(filters))


def download(file: IO[bytes], name: str) -> Response:
    """The workbook as an attachment under its name. The temporary file is closed (and so gone) once it has
    been sent, or when the response is closed unsent."""
    response = Response(_chunks(file), mimetype=MIMETYPE,
                        headers={"Content-Length": str(os.fstat(file.fileno()).st_size)})
    # The exports' names are plain ASCII (exchange/views.py, file_stem).
    response.headers.set("Content-Disposition", "attachment", filename=name)
    # Also when nothing is sent (HEAD): the server closes the response.
    response.call_on_close(file.close)
    return response


def _chunks(file: IO[bytes]) -> Iterator[bytes]:
    with file:
        while chunk := file.read(1 << 16):
            yield chunk


# Writing.

def workbook(sheet: Sheet, rows: Iterable[list[str]]) -> IO[bytes]:
    """The sheet with the CSV's rows, as an open temporary file at its start; the caller closes it."""
    made = _day_made()
    book = Workbook(write_only=True)
    book.properties.creator = CREATOR
    book.properties.title = sheet.title
    # Dated the day it is made, at midnight, rather than to the second: the same rows give the same bytes.
    book.properties.created = book.properties.modified = made
    worksheet = book.create_sheet(sheet.title)
    target = tempfile.TemporaryFile()
    try:
        count = _write_rows(worksheet, sheet, rows)
        last = get_column_letter(len(sheet.header))
        worksheet.auto_filter.ref = f"A1:{last}{count + 1}"
        with _DatedZip(target, made, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).write_data()
    except BaseException:
        _discard(worksheet)
        target.close()
        raise
    target.seek(0)
    return target


def _write_rows(worksheet: WriteOnlyWorksheet, sheet: Sheet, rows: Iterable[list[str]]) -> int:
    """The header (bold, frozen, repeated on every printed page) and the rows; how many rows."""
    for number, column in enumerate(sheet.header, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = sheet.width(column)
    worksheet.freeze_panes = "A2"
    worksheet.print_title_rows = "1:1"
    worksheet.page_setup.orientation = "landscape"
    worksheet.append([_header_cell(worksheet, column) for column in sheet.header])
    typed = [_typer(worksheet, sheet, column) for column in sheet.header]
    count = 0
    for cells in rows:
        worksheet.append([to_cell(cell) for to_cell, cell in zip(typed, cells, strict=True)])
        count += 1
    return count


def _header_cell(worksheet: WriteOnlyWorksheet, column: str) -> Cell:
    cell = WriteOnlyCell(worksheet, value=column)
    cell.font = HEADER_FONT
    return cell


def _typer(worksheet: WriteOnlyWorksheet, sheet: Sheet, column: str) -> Callable[[str], object]:
    """How a column's CSV cell becomes a value: an empty cell stays empty."""
    if column in sheet.dates:
        return lambda cell: _date_cell(worksheet, cell) if cell else None
    if column in sheet.times:
        return lambda cell: _time_cell(worksheet, cell) if cell else None
    if column in sheet.numbers:
        return lambda cell: int(cell) if cell else None
    return lambda cell: _text(worksheet, undo_neutralise(cell)) if cell else None


def _date_cell(worksheet: WriteOnlyWorksheet, cell: str) -> Cell:
    value = WriteOnlyCell(worksheet, value=date.fromisoformat(cell))
    value.number_format = DATE_FORMAT
    return value


def _time_cell(worksheet: WriteOnlyWorksheet, cell: str) -> Cell:
    """The time as the CSV writes it, in Copenhagen: a workbook's times have no zone, so the offset goes."""
    value = WriteOnlyCell(worksheet, value=datetime.fromisoformat(cell).replace(tzinfo=None))
    value.number_format = TIME_FORMAT
    return value


def _text(worksheet: WriteOnlyWorksheet, text: str) -> str | Cell:
    """The text as text. Plain strings are written as strings, except that openpyxl takes one beginning with =
    for a formula and one such as #N/A for an error; those are written as strings by hand. The characters a
    workbook cannot hold (the control characters that the forms and the import refuse, in data older than
    that rule) become U+FFFD, rather than fail the export. A text longer than a cell holds (an audit entry's
    changes can be) is cut, ending in an ellipsis; the CSV has it whole."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    if len(text) > CELL_LENGTH:
        text = text[:CELL_LENGTH - 1] + "…"
    if not (text.startswith("=") or text in ERROR_CODES):
        return text
    cell = WriteOnlyCell(worksheet, value=text)
    cell.data_type = "s"
    return cell


def _day_made() -> datetime:
    day = today()
    return datetime(day.year, day.month, day.day)


def _discard(worksheet: WriteOnlyWorksheet) -> None:
    """The temporary file of a sheet left half written (openpyxl would keep it until the process ends)."""
    if worksheet._rows is not None:
        worksheet._rows.close()
    writer = worksheet._writer
    if writer is not None:
        writer.close()
        if os.path.exists(writer.out):
            writer.cleanup()


class _DatedZip(zipfile.ZipFile):
    """A zip file whose members are all dated the same moment, rather than the clock's time as each is
    written: the same sheet gives the same bytes."""

    def __init__(self, file, moment: datetime, *args, **kwargs):
        super().__init__(file, *args, **kwargs)
        self._moment = moment.timetuple()[:6]

    def _member(self, name: str) -> zipfile.ZipInfo:
        member = zipfile.ZipInfo(name, date_time=self._moment)
        member.compress_type = self.compression
        member.external_attr = 0o600 << 16
        return member

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._member(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """A sheet's temporary file, copied in a piece at a time."""
        member = self._member(arcname or os.path.basename(filename))
        member.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(member, "w") as target:
            shutil.copyfileobj(source, target, 1 << 16)

"""Reading a CSV of council mandates: bytes → checked lines, or errors per line in the page's language.

navn;parti;kommune;startdato, and optionally slutdato;hverv. The bytes are decoded and the delimiter found as
the appointments import does it (csv_import_read). Nothing here touches the database: whether a line fits the
registry is csv_mandates' question.
"""

from dataclasses import dataclass
from datetime import date

from registry.csvfiles import undo_neutralise
from registry.exchange.csv_import_read import (
    PARTY_LETTER,
    FileRefused,
    _,
    _date,
    cell_count,
    rows_of,
)
from registry.forms import control_character

REQUIRED = ["navn", "parti", "kommune", "startdato"]
OPTIONAL = ["slutdato", "hverv"]
MAX_LENGTH = {"navn": 200, "parti": 10, "kommune": 100, "hverv": 100}


@dataclass(slots=True)
class Line:
    line: int
    name: str
    party: str | None
    municipality: str       # as the file writes it
    start: date
    end: date | None
    office: str | None


def read(data: bytes, deadline: float | None) -> tuple[list[Line], set[str], list[tuple[int, str]]]:
    """The file's lines, the optional columns it has, and the errors of lines that could not be read."""
    lines: list[Line] = []
    errors: list[tuple[int, str]] = []
    columns: dict[str, int] | None = None
    count = 0
    for number, cells in rows_of(data, deadline, errors):
        if columns is None:
            columns, header_errors = _columns(cells)
            if header_errors:
                return [], set(), [(1, message) for message in header_errors]
            continue
        count += 1
        line, line_errors = _line(number, cells, columns)
        if line is not None:
            lines.append(line)
        errors += [(number, message) for message in line_errors]
    if columns is None:
        raise FileRefused(_("Filen er tom."))
    if count == 0 and not errors:
        raise FileRefused(_("Filen har kun overskriften og ingen mandater."))
    return lines, {name for name in OPTIONAL if name in columns}, errors


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [name.replace("\ufeff", "").strip().casefold() for name in header]
    if not set(REQUIRED) & set(names):
        return {}, [_("filen er ikke en liste over mandater: overskriften skal være %(header)s",
                      header=";".join(REQUIRED + OPTIONAL))]
    errors = [_("ukendt kolonne '%(name)s'", name=name[:40]) for name in names
              if name and name not in REQUIRED + OPTIONAL]
    errors += [_("kolonne %(number)d har ingen overskrift", number=number)
               for number, name in enumerate(names, start=1) if not name]
    errors += [_("kolonnen '%(name)s' står flere gange", name=name) for name in dict.fromkeys(names)
               if name and names.count(name) > 1]
    errors += [_("kolonnen '%(name)s' mangler", name=name) for name in REQUIRED if name not in names]
    return {name: index for index, name in enumerate(names)}, errors


def _line(number: int, raw: list[str], columns: dict[str, int]) -> tuple[Line | None, list[str]]:
    if len(raw) != len(columns):
        return None, [cell_count(raw, columns)]
    cells = {name: undo_neutralise(raw[index]) for name, index in columns.items()}
    errors = [_("kolonnen '%(name)s' indeholder linjeskift, tabulatorer eller andre kontroltegn", name=name)
              for name, text in cells.items() if text and control_character(text, multiline=False)]
    for name in OPTIONAL:
        cells.setdefault(name, "")
    errors += [_("%(column)s mangler", column=name) for name in ("navn", "kommune", "startdato")
               if not cells[name].strip()]
    errors += [_("%(column)s er for lang (%(length)d tegn; højst %(limit)d)", column=name, length=len(cells[name]),
                 limit=limit) for name, limit in MAX_LENGTH.items() if len(cells[name]) > limit]
    party = cells["parti"].strip().upper() or None
    if party and not PARTY_LETTER.fullmatch(party):
        errors.append(_("ugyldigt parti '%(text)s' (et listebogstav eller en kort kode af bogstaver og tal, "
                        "højst 10 tegn)", text=party[:40]))
    start, end = _date(cells, "startdato", errors), _date(cells, "slutdato", errors)
    if start and end and end < start:
        errors.append(_("Mandatets sidste dag ligger før den første."))
    if errors or start is None:
        return None, errors
    return Line(number, cells["navn"].strip(), party, cells["kommune"].strip(), start, end,
                cells["hverv"].strip() or None), []

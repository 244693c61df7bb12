"""The history of indstillinger as CSV: every KKR decision, one line per person it concerns.

The registry's CSV format (registry/csvfiles.py): UTF-8 with
BOM, ';' or ',' between cells, CRLF, a fixed Danish header and the
formula-injection guard; streamed a chunk of decisions at a time, the same
bytes from the web and the command line. Only decisions: a nomination KKR has
not yet decided is never in the file (the history reads decisions only).
"""

from collections.abc import Iterator

import sqlalchemy as sa

from registry.csvfiles import CHUNK_ROWS, check_delimiter, neutralise, write
from registry.extensions import db
from registry.meetings import history
from registry.meetings.history import Entry, Selection
from registry.people.models import Municipality

HEADER = ["Møde", "Dato", "Sagsnummer", "Punkt", "Titel", "Organisation", "Plads", "Rolle", "Person", "Parti",
          "Kommune", "Udfald", "Beslutning", "Udpeget fra"]


def _cells(entry: Entry, municipalities: dict[int, str]) -> list[str]:
    meeting, item, decision, person = entry.meeting, entry.item, entry.decision, entry.person
    cells = [
        meeting.council_name,
        meeting.date.isoformat(),
        meeting.case_number or "",
        item.number,
        item.title,
        entry.organisation.name if entry.organisation else "",
        entry.seat.label if entry.seat else "",
        entry.role.danish if entry.role else "",
        person.name if person else "",
        entry.party.letter if entry.party else "",
        municipalities.get(person.municipality_id, "") if person and person.municipality_id else "",
        decision.outcome.danish,
        decision.text or "",
        entry.appointed_on.isoformat() if entry.appointed_on else "",
    ]
    return [neutralise(cell) for cell in cells]


def rows(selection: Selection) -> Iterator[list[str]]:
    """The data rows, without header, newest meeting first as on the history page."""
    # A few dozen municipalities, read once, rather than one lazy load per person.
    municipalities = dict(db.session.execute(sa.select(Municipality.id, Municipality.name)).tuples().all())
    for entry in history.every(selection, chunk=CHUNK_ROWS):
        yield _cells(entry, municipalities)


def export(selection: Selection, delimiter: str = ";") -> Iterator[str]:
    """The whole file as text chunks; encode each as UTF-8."""
    check_delimiter(delimiter)
    return write(HEADER, rows(selection), delimiter)

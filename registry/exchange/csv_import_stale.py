"""Lines of an older file that would undo later work: a warning the importer must accept, line by line.

An exported file is a snapshot. Imported again after the registry has moved on, it would put back what it
held then: reopen an appointment that has since ended ("slutdato 30.11.2026 → ingen"), or give it another
last day. Such a line is still a valid change, since the file is right about end dates when it is newer,
so it is not refused; it is a warning, and the import writes nothing until the user accepts the warnings
(a tick on the preview, --accept-stale on the command line).

A line is stale when it changes the end date of an appointment (reopens, shortens or moves it) that the
registry changed on or after the file's date. The file's date is the one the user gives (the upload form,
--since), else the one in the file's name, as the export names its files (udpegninger-2026-12-01.csv,
udpegninger-alle-2026-12-01.csv). The registry's changes are the audit trail's, which every change writes,
imports included: one query for the appointments created or changed since the start of that day
(Copenhagen). The day itself counts, as the file may have been exported before a change made later that
day: a warning too many asks a tick, one too few undoes work.

Without a date nothing tells a stale file from a hand-made one that ends or moves appointments on purpose,
so only the line that reopens an appointment the registry has ended is a warning: that is what a stale file
does, and what a hand-made file hardly ever means to.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from registry.audit.models import AuditEntry
from registry.audit.trail import local_time, start_of_day
from registry.exchange.csv_import_read import Row, _, day
from registry.exchange.csv_import_state import Held
from registry.extensions import db

# The export's names: udpegninger-2026-12-01.csv, udpegninger-sf-2026-12-01.csv (the last date in the name).
DATE_IN_NAME = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")


def date_in_name(filename: str | None) -> date | None:
    """The file's date as its name gives it, the last one if it names several; None without a valid one."""
    found = DATE_IN_NAME.findall(filename or "")
    try:
        return date.fromisoformat(found[-1]) if found else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Candidate:
    """A line that changes a known appointment's end date."""

    line: int
    held: Held
    row: Row
    what: str   # the appointment as the line's text names it


def changed_since(since: date) -> dict[int, datetime]:
    """The appointments the registry created or changed on or after the day, with the last such change (UTC).
    One query, on the audit trail's indexes."""
    start = start_of_day(since)
    if start is None:
        return {}
    return dict(db.session.execute(
        sa.select(AuditEntry.entity_id, sa.func.max(AuditEntry.at))
        .where(AuditEntry.entity == "appointments", AuditEntry.entity_id.is_not(None),
               AuditEntry.action.in_(["create", "update"]), AuditEntry.at >= start)
        .group_by(AuditEntry.entity_id)).tuples().all())


@dataclass(frozen=True)
class Stale:
    line: int
    text: str
    key: str    # what the line would undo, the same in any language: for the digest


def warnings(candidates: list[Candidate], since: date | None) -> list[Stale]:
    """The candidates the registry has changed since the file's date, in the file's order."""
    if not candidates:
        return []
    if since is None:
        return [Stale(candidate.line, _("%(what)s: filen genåbner udpegningen (slutdato %(old)s → ingen), som "
                                         "registret har afsluttet", what=candidate.what, old=day(candidate.held.end)),
                      f"{candidate.line}:{candidate.held.id}:{candidate.held.end}:")
                for candidate in candidates if candidate.row.end is None and candidate.held.end is not None]
    changed = changed_since(since)
    found = []
    for candidate in candidates:
        at = changed.get(candidate.held.id)
        if at is not None:
            held, row = candidate.held, candidate.row
            found.append(Stale(candidate.line, _text(candidate, local_time(at).date(), since),
                               f"{candidate.line}:{held.id}:{held.end}:{row.end}:{at.isoformat()}"))
    return found


def _text(candidate: Candidate, changed_on: date, since: date) -> str:
    held, row = candidate.held, candidate.row
    none = _("ingen")
    if row.end is None:
        undo = _("filen genåbner udpegningen (slutdato %(old)s → ingen)", old=day(held.end))
    elif held.end is None or row.end < held.end:
        undo = _("filen forkorter udpegningen (slutdato %(old)s → %(new)s)", old=day(held.end) or none,
                 new=day(row.end))
    else:
        undo = _("filen flytter udpegningens slutdato (%(old)s → %(new)s)", old=day(held.end), new=day(row.end))
    return _("%(what)s: %(undo)s, men registret har ændret udpegningen %(changed)s, efter filens dato %(since)s",
             what=candidate.what, undo=undo, changed=day(changed_on), since=day(since))


def digest(stale: list[Stale]) -> str:
    """A short fingerprint of the warnings shown: the confirmation accepts exactly those, not others that
    appeared since the preview (nor the same line after another change in the registry)."""
    return hashlib.sha256("\n".join(found.key for found in stale).encode()).hexdigest()[:16]

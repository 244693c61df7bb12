"""Importing the appointments CSV: every line is checked first, then all of it is written or nothing.

The file is the export's format (csv_export.py), read back by csv_import_read.
Each line is compared with what the registry holds (csv_import_state) and
becomes a new appointment, a change to one, or nothing ("unchanged"), so
importing the same file twice changes nothing the second time. A line that
breaks a rule refuses the whole file. The rules are those of
appointments/services.py, checked over the whole file at once
(csv_import_rules); the database's one-holder constraint stays the backstop.

The file is read a line at a time and nothing is kept per line: what the
checks across lines (one holder, one formand) and the writing need of a line
waits in a temporary table (csv_import_staging), and only the first lines'
outcomes are kept in full (Outcomes), the rest counted. What is kept grows
with the bodies, seats and persons the file names, not with its lines.

Writing (csv_import_write) flushes and never commits: the command or view
that called import_csv commits once, so a crash midway leaves nothing behind.
"""

import contextlib
import enum
import heapq
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa

from registry.appointments.models import EndReason, Office, OfficeChooser, Role
from registry.exchange import csv_import_read, csv_import_staging, csv_import_stale, csv_import_state, csv_import_write
from registry.exchange import csv_import_rules as rules
from registry.exchange.csv_import_read import SEAT_DEFAULTS, FileRefused, Reference, Row, _, day, in_page_language
from registry.exchange.csv_import_rules import OfficeKey, Stay
from registry.exchange.csv_import_stale import Candidate
from registry.exchange.csv_import_state import SINGLE_OFFICES, Held, HoldKey, PersonKey, SeatKey, SeatState, State
from registry.organisations.models import SeatKind
from registry.people.reference import DENMARK
from registry.people.services import region_is_councils
from registry.types import N_

# What an import counts, as the import's audit entry names it; translated where a page shows it.
CREATED = (N_("organisationer"), N_("pladser"), N_("personer"), N_("partier"), N_("kommuner"), N_("møder"),
           N_("dagsordenspunkter"), N_("beslutninger"), N_("udpegninger"))
CHANGED = ("organisationer", "pladser", "personer", "udpegninger")
# A person's private fields, by the file's column.
FILE_COLUMN = {"gender": "køn", "email": "email"}
# Denmark's municipalities by name: (kommunekode, regionskode). A database has them all (migration 0010),
# unless someone deleted them; an import then makes them again as they are.
KNOWN_MUNICIPALITIES = {name: (code, region) for code, name, region in DENMARK}


@dataclass(slots=True)
class LineOutcome:
    line: int            # line number in the file; the header is line 1
    action: str          # "create" | "change" | "unchanged" | "refused"
    text: str            # what will happen to the line, or why it is refused, in the page's language
    # Why the change may undo later work in the registry (csv_import_stale): to be accepted before it is written.
    warning: str | None = None


# A file of nothing but bad lines gets the first ones told, and the rest counted: the page and the terminal
# stay readable, and the work stays linear in the file however many lines are refused.
MAX_ERRORS = 200


# The lines whose outcome an import tells in full (the preview page shows as many); the others are counted.
SHOWN = 200
ACTIONS = ("create", "change", "unchanged", "refused")


@dataclass
class ImportResult:
    lines: list[LineOutcome]     # the first lines' outcomes, in file order (import_csv's shown)
    errors: list[str]            # "linje N: ...", in file order, the first MAX_ERRORS of them
    created: dict[str, int]
    changed: dict[str, int]
    applied: bool                # True only when written (not a dry run, no errors, the warnings accepted)
    error_count: int = 0         # all of them
    line_count: int = 0          # every line's outcome, those in lines and the rest
    actions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))   # lines per action
    # Lines that would undo later work (csv_import_stale): "linje N: ...", the first MAX_ERRORS of them.
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    since: date | None = None    # the file's date the lines were checked against, if one was known
    stale_digest: str = ""       # what accepting these very warnings takes (import_csv's accept_stale)
    stale_accepted: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def needs_confirmation(self) -> bool:
        """The file is in order, but some of its lines would undo later work and nobody has accepted that."""
        return self.warning_count > 0 and not self.stale_accepted

    @property
    def untold_errors(self) -> int:
        return self.error_count - len(self.errors)


def import_csv(data: bytes, *, dry_run: bool, deadline: float | None = None, since: date | None = None,
               accept_stale: bool | str = False, shown: int | None = SHOWN) -> ImportResult:
    """Checks every line; writes (flush, no commit) only when nothing failed, not dry_run, and any line that
    would undo later work is accepted.

    deadline: a time.monotonic() by which the checking must be done, or the file is refused as too big
    to check here (the web's preview; the command line takes the time it takes).
    since: the file's date (csv_import_stale): a line that changes the end date of an appointment the registry
    has changed since is a warning. accept_stale: True accepts every such warning, a digest only the ones a
    preview showed (ImportResult.stale_digest); otherwise nothing is written while there are any.
    shown: how many lines' outcomes the result tells in full (None: all, as --verbose prints them); the
    others are counted, so the import's memory does not grow with the file.

    Raises RuleViolation, with nothing written and the session still usable,
    only if the database refuses the write because someone changed the
    registry after the lines were checked. The texts are in the page's
    language, Danish from the command line.
    """
    staging = csv_import_staging.Staging()
    try:
        return _import(data, staging, dry_run=dry_run, deadline=deadline, since=since, accept_stale=accept_stale,
                       shown=shown)
    finally:
        # Not in a transaction the database has aborted: the table goes with its rollback then.
        with contextlib.suppress(sa.exc.DBAPIError):
            staging.drop()


def _import(data: bytes, staging: csv_import_staging.Staging, *, dry_run: bool, deadline: float | None,
            since: date | None, accept_stale: bool | str, shown: int | None) -> ImportResult:
    told = Outcomes(shown)
    with in_page_language():
        try:
            csv_import_read.text_of(data)  # a file that is not text is refused before the registry is loaded
            state = csv_import_state.load()
            authorities = rules.own_authorities(
                lambda wanted: csv_import_read.rows_where(data, deadline, wanted), state)
            plan = Plan(state, told, staging, authorities=authorities)
            for count, (line, row, messages) in enumerate(csv_import_read.lines(data, deadline)):
                if count % 1000 == 0:
                    csv_import_read.check_deadline(deadline)
                if row is None:
                    told.unread(line, messages)
                else:
                    plan.add(row)
        except FileRefused as error:
            return ImportResult([], [str(error)], dict.fromkeys(CREATED, 0), dict.fromkeys(CHANGED, 0), False,
                                error_count=1)
        plan.check_one_holder()
        plan.check_one_officer()
    result = ImportResult(told.lines, told.first_errors(), plan.created(), plan.changed(), applied=False,
                          error_count=told.error_count, line_count=told.line_count, actions=dict(told.actions),
                          since=since)
    if result.ok:
        with in_page_language():
            _warn(result, csv_import_stale.warnings(plan.stale, since), accept_stale)
    if result.ok and not result.needs_confirmation and not dry_run:
        csv_import_write.write(plan, data, summary=result)
        result.applied = True
    return result


class Outcomes:
    """The lines' outcomes as the import tells them: the first `shown` in full, in file order; every line
    and error counted; the first MAX_ERRORS errors by line. Nothing here grows with the file beyond those."""

    def __init__(self, shown: int | None) -> None:
        self.shown = shown
        self.lines: list[LineOutcome] = []
        self._shown: dict[int, LineOutcome] = {}
        self.line_count = 0
        self.actions: Counter[str] = Counter(dict.fromkeys(ACTIONS, 0))
        self.error_count = 0
        self._errors: list[tuple[int, int, str]] = []   # the first errors: a heap by (-line, -order)
        self._refused: set[int] = set()                 # lines refused by the checks across lines

    def line(self, line: int, action: str, text: str) -> None:
        """A line's outcome, in file order."""
        self.line_count += 1
        self.actions[action] += 1
        if self.shown is None or len(self.lines) < self.shown:
            self._shown[line] = outcome = LineOutcome(line, action, text)
            self.lines.append(outcome)

    def unread(self, line: int, messages: list[str]) -> None:
        for message in messages:
            self.error(line, message)
        self.line(line, "refused", "; ".join(messages))

    def error(self, line: int, message: str) -> None:
        """Errors of one line are told in the order they were found."""
        self.error_count += 1
        entry = (-line, -self.error_count, message)
        if len(self._errors) < MAX_ERRORS:
            heapq.heappush(self._errors, entry)
        elif entry > self._errors[0]:
            heapq.heapreplace(self._errors, entry)

    def refuse(self, line: int, action: str, message: str) -> None:
        """A line the checks across lines refuse, which was `action` before them."""
        self.error(line, message)
        if line not in self._refused:
            self._refused.add(line)
            self.actions[action] -= 1
            self.actions["refused"] += 1
        if (outcome := self._shown.get(line)) is not None:
            outcome.text = f"{outcome.text}; {message}" if outcome.action == "refused" else message
            outcome.action = "refused"

    def first_errors(self) -> list[str]:
        return [_("linje %(line)d: %(message)s", line=-line, message=message)
                for line, _order, message in sorted(self._errors, reverse=True)]

    def shows_next(self) -> bool:
        """Whether the next line's outcome is told in full."""
        return self.shown is None or len(self.lines) < self.shown


def _warn(result: ImportResult, stale: list[csv_import_stale.Stale], accept_stale: bool | str) -> None:
    """The stale lines on their outcomes and as "linje N: ..."; accepted by True or by their very digest."""
    if not stale:
        return
    by_line = {found.line: found.text for found in stale}
    for outcome in result.lines:
        if outcome.line in by_line:
            outcome.warning = by_line[outcome.line]
    result.warnings = [_("linje %(line)d: %(message)s", line=found.line, message=found.text)
                       for found in stale[:MAX_ERRORS]]
    result.warning_count = len(stale)
    result.stale_digest = csv_import_stale.digest(stale)
    result.stale_accepted = accept_stale is True or accept_stale == result.stale_digest


@dataclass
class Plan:
    """What the file asks of the registry, line by line, before anything is written.

    What it keeps grows with the registry's seats, persons and bodies, not with the file's lines: each line's
    outcome goes to the Outcomes, and what the checks across lines and the writing need of it to the
    staging table (csv_import_staging), with the seat, person, office and reference numbered here.
    """

    state: State
    told: Outcomes
    staging: csv_import_staging.Staging
    authorities: dict[str, str] = field(default_factory=dict)   # organisation name → its own (own_authorities)
    new_municipalities: dict[str, dict] = field(default_factory=dict)
    new_parties: dict[str, dict] = field(default_factory=dict)
    new_organisations: dict[str, dict] = field(default_factory=dict)
    new_seats: dict[SeatKey, dict] = field(default_factory=dict)
    new_persons: dict[PersonKey, dict] = field(default_factory=dict)
    new_references: dict[Reference, None] = field(default_factory=dict)  # an ordered set
    new_appointment_count: int = 0
    organisation_changes: dict[int, dict[str, tuple]] = field(default_factory=dict)
    seat_changes: dict[int, dict[str, tuple]] = field(default_factory=dict)
    person_changes: dict[int, dict[str, tuple]] = field(default_factory=dict)
    # Changes of the registry's appointments, by its id: as many as it holds at most, however long the file.
    appointment_changes: dict[int, tuple[Held, Row]] = field(default_factory=dict)
    stale: list[Candidate] = field(default_factory=list)              # changes of a known appointment's end
    # The numbers the staging table gives seats and roles, persons, offices and references by.
    hold_keys: dict[HoldKey, int] = field(default_factory=dict)
    person_keys: dict[PersonKey, int] = field(default_factory=dict)
    office_keys: dict[OfficeKey, int] = field(default_factory=dict)
    reference_keys: dict[Reference | None, int | None] = field(default_factory=lambda: {None: None})
    _first: dict[tuple, tuple[int, object]] = field(default_factory=dict)
    _positions: dict[str, int] = field(default_factory=dict)
    _seats: dict[SeatKey, dict] = field(default_factory=dict)       # each seat as it will be: kind, … (SEAT_DEFAULTS)
    _in_file: set[int] = field(default_factory=set)                 # appointments the file has a line for
    _roles_held: set[tuple[int, Role]] | None = None

    def add(self, row: Row) -> None:
        errors: list[str] = []
        notes: list[str] = []
        self._organisation(row, notes)
        self._seat(row, errors, notes)
        self._municipality_and_party(row, notes)
        self._person(row, errors, notes)
        if row.reference and row.reference not in self.state.decisions and row.reference not in self.new_references:
            self.new_references[row.reference] = None
            notes.append(self._reference_note(row.reference))
        action, text, held = self._appointment(row, errors, notes, told=self.told.shows_next())
        for message in errors:
            self.told.error(row.line, message)
        self.told.line(row.line, action, text)
        self._stage(row, action, held)

    def _stage(self, row: Row, action: str, held: Held | None) -> None:
        """What the checks across lines, and the writing of a new appointment, need of the line."""
        person = (row.name, row.municipality)
        office_key = office_from = office_to = None
        if row.office in SINGLE_OFFICES:
            office_key = self._number(self.office_keys, (row.organisation, row.office))
            office_from, office_to = row.office_start or row.start, row.office_end or row.end
        new = held is None
        self.staging.add((
            row.line, action, self._number(self.hold_keys, (row.organisation, row.seat, row.role)), row.start,
            row.end, self._number(self.person_keys, person), None if new else held.id, office_key, office_from,
            office_to, _value(row.reason) if new else None, row.party if new else None,
            self._number(self.reference_keys, row.reference) if new else None,
            *((_value(row.office), row.office_title, _value(row.office_chosen_by), row.office_start, row.office_end)
              if new else (None,) * 5)))

    @staticmethod
    def _number(numbers: dict, key) -> int:
        return numbers.setdefault(key, len(numbers))

    def _reference_note(self, reference: Reference) -> str:
        meeting = self.state.meetings.get((reference.council, reference.date))
        if (meeting, reference.number) in self.state.items:
            return _("indstillingen '%(reference)s' får en beslutning (udpeget) på det kendte punkt",
                     reference=reference)
        if meeting:
            return _("indstillingen '%(reference)s' er ukendt: punktet oprettes som '%(title)s'",
                     reference=reference, title=csv_import_write.UNKNOWN_ITEM)
        return _("indstillingen '%(reference)s' er ukendt: mødet og punktet oprettes som '%(title)s'",
                 reference=reference, title=csv_import_write.UNKNOWN_ITEM)

    def _seen_first(self, key: tuple, line: int, value) -> tuple[int, object]:
        """The first line in the file that gave this value, and its value."""
        return self._first.setdefault(key, (line, value))

    def _organisation(self, row: Row, notes: list[str]) -> None:
        """Told on the organisation's first line: a new one, or another authority for a known one."""
        name = row.organisation
        if self._seen_first(("organisation", name), row.line, None)[0] != row.line:
            return
        authority = self.authorities[name]
        existing = self.state.organisations.get(name)
        if existing is None:
            self.new_organisations[name] = {"name": name, "authority": authority}
            notes.append(_("ny organisation (udpegende myndighed: %(authority)s)", authority=authority))
        elif existing.authority != authority:
            self.organisation_changes[existing.id] = {"appointing_authority": (existing.authority, authority)}
            notes.append(_("udpegende myndighed for %(name)s ændres fra '%(old)s' til '%(new)s'",
                           name=name, old=existing.authority, new=authority))

    def _seat(self, row: Row, errors: list[str], notes: list[str]) -> None:
        """The seat's first line says what it is (kind, who fills and nominates it, its authority); the others
        must say the same. A known seat the file describes otherwise is changed, as its body's authority is."""
        key = (row.organisation, row.seat)
        existing = self.state.seats.get(key)
        first_line, (authority, terms) = self._seen_first(("seat", key), row.line, (row.authority, row.seat_terms))
        if first_line == row.line:
            self._seats[key] = self._new_seat(row, errors, notes) if existing is None else \
                self._known_seat(row, existing, errors, notes)
        else:
            name = f"{row.organisation}, {row.seat}"
            if row.authority != authority:
                errors.append(_("udpegende myndighed '%(authority)s' for %(name)s afviger fra '%(first)s' på linje "
                                "%(line)d", authority=row.authority, name=name, first=authority, line=first_line))
            errors += [_("%(column)s for %(name)s afviger fra linje %(line)d", column=rules.COLUMN_OF[attribute],
                         name=name, line=first_line)
                       for attribute, value in row.seat_terms.items() if terms[attribute] != value]
        seat = self._seats[key]
        if seat["kind"] is SeatKind.pooled_substitute:
            if row.role is Role.member:  # the wording of appointments/services.py role_problem
                errors.append(_("Pladsen (%(organisation)s, %(seat)s) er en fælles suppleantplads; den besættes med "
                                "en suppleant, ikke et medlem.", organisation=row.organisation, seat=row.seat))
        elif row.role is Role.substitute and not seat["has_substitute"]:
            # A suppleant on a seat without one gives it one, rather than refusing the line.
            seat["has_substitute"] = True
            if existing is not None:
                self.seat_changes.setdefault(existing.id, {})["has_substitute"] = (False, True)
                notes.append(_("pladsen får en personlig suppleant"))

    def _described(self, row: Row, base: dict) -> dict:
        """The seat as the line describes it, on what is known of it (base); a change of kind drops what only
        the old kind has."""
        seat = base | row.seat_terms
        if "kind" in row.seat_terms:
            if seat["kind"] is not SeatKind.ex_officio and "ex_officio" not in row.seat_terms:
                seat["ex_officio"] = None
            if seat["kind"] is not SeatKind.pooled_substitute and "pool_rank" not in row.seat_terms:
                seat["pool_rank"] = None
        seat["appointing_authority"] = None if row.authority == self.authorities[row.organisation] else row.authority
        return seat

    def _new_seat(self, row: Row, errors: list[str], notes: list[str]) -> dict:
        seat = self._described(row, SEAT_DEFAULTS)
        errors += rules.seat_errors(seat)
        described = rules.seat_text(seat)
        notes.append(_("ny plads (%(what)s)", what=described) if described else _("ny plads"))
        position = self._positions.get(row.organisation, self.state.last_position.get(row.organisation, 0)) + 1
        self._positions[row.organisation] = position
        seat |= {"organisation": row.organisation, "label": row.seat, "position": position, "has_substitute": False}
        self.new_seats[(row.organisation, row.seat)] = seat
        return seat

    def _known_seat(self, row: Row, existing: SeatState, errors: list[str], notes: list[str]) -> dict:
        before = {attribute: getattr(existing, attribute) for attribute in (*SEAT_DEFAULTS, "appointing_authority")}
        seat = self._described(row, before)
        errors += rules.seat_errors(seat)
        kind = seat["kind"]
        if kind is not existing.kind:
            # Holders the new kind cannot have (organisations/services.py): members on a pooled suppleant's
            # seat, or suppleants on a seat that stops being one.
            clash = Role.member if kind is SeatKind.pooled_substitute else (
                Role.substitute if existing.kind is SeatKind.pooled_substitute else None)
            if clash is not None and (existing.id, clash) in self._holder_roles():
                errors.append(_("Pladsen har haft indehavere som %(role)s; den kan ikke gøres til en %(kind)s.",
                                role=clash.label, kind=kind.label))
        changes = {attribute: (value, seat[attribute]) for attribute, value in before.items()
                   if value != seat[attribute]}
        seat["has_substitute"] = existing.has_substitute and kind is not SeatKind.pooled_substitute
        if changes:
            organisation = self.state.organisations[row.organisation].authority
            notes.append(_("pladsen ændres: %(changes)s", changes=rules.seat_change_text(
                changes, (existing.appointing_authority or organisation, row.authority))))
        if existing.has_substitute and not seat["has_substitute"]:
            changes["has_substitute"] = (True, False)
            notes.append(_("pladsen har ikke længere en personlig suppleant (en fælles suppleant har ingen)"))
        if changes:
            self.seat_changes[existing.id] = changes
        return seat

    def _holder_roles(self) -> set[tuple[int, Role]]:
        if self._roles_held is None:
            self._roles_held = csv_import_state.roles_held()
        return self._roles_held

    def _municipality_and_party(self, row: Row, notes: list[str]) -> None:
        name = row.municipality
        if name and name not in self.state.municipalities and name not in self.new_municipalities:
            code, region = KNOWN_MUNICIPALITIES.get(name, (None, None))
            if code in self.state.municipality_codes:
                code = region = None  # the code belongs to a municipality of another name already
            self.new_municipalities[name] = {"name": name, "code": code, "region_code": region}
            notes.append(_("ny kommune '%(name)s' (i regionen)", name=name) if region_is_councils(region)
                         else _("ny kommune '%(name)s' (uden for regionen)", name=name))
        letter = row.party
        if letter and letter not in self.state.parties and letter not in self.new_parties:
            party_name = letter
            taken = self.state.party_names | {party["name"] for party in self.new_parties.values()}
            while party_name in taken:
                party_name += " (importeret)"
            self.new_parties[letter] = {"letter": letter, "name": party_name}
            notes.append(_("nyt parti '%(letter)s' med navnet '%(name)s' (ret navnet bagefter)", letter=letter,
                           name=party_name))

    def _person(self, row: Row, errors: list[str], notes: list[str]) -> None:
        key = (row.name, row.municipality)
        given = {"gender": row.gender, "email": row.email}
        for column, value in given.items():
            if value is None:
                continue
            first_line, first = self._seen_first((column, key), row.line, value)
            if first != value:
                errors.append(_("%(column)s for %(name)s afviger fra linje %(line)d", column=FILE_COLUMN[column],
                                name=row.name, line=first_line))
        existing = self.state.persons.get(key)
        if existing is None:
            new = self.new_persons.get(key)
            if new is None:
                new = self.new_persons[key] = {"name": row.name, "municipality": row.municipality, "gender": None,
                                               "email": None, "party": None, "latest": date.min}
                notes.append(_("ny person"))
            for column, value in given.items():
                new[column] = new[column] or value
            # The person's party now: the one of their latest appointment in the file.
            if row.start >= new["latest"]:
                new["party"], new["latest"] = row.party, row.start
            return
        changes = self.person_changes.setdefault(existing.id, {})
        for column, value in given.items():
            before = getattr(existing, column)
            if value is not None and value != before and column not in changes:
                changes[column] = (before, value)
                notes.append(_("%(column)s for %(name)s ændres", column=FILE_COLUMN[column], name=row.name))
        if not changes:
            del self.person_changes[existing.id]

    def _appointment(self, row: Row, errors: list[str], notes: list[str], *,
                     told: bool) -> tuple[str, str, Held | None]:
        """The line's action and text (if told: the text of a line beyond those the result shows is not
        written, a million of them take seconds), and the registry's appointment it is, if any."""
        person = (row.name, row.municipality)
        held = self.state.held_at.get((row.organisation, row.seat, row.role, row.start))
        if held is not None and held.person != person:
            held = None
        what = self._what(row) if told or (held is not None and held.end != row.end) else ""
        if held is not None and row.office_stated:
            self._in_file.add(held.id)
        if held is not None:
            differences = rules.differences(held, row)
            if differences:
                self.appointment_changes[held.id] = (held, row)
                if held.end != row.end:
                    self.stale.append(Candidate(row.line, held, row, what))
                errors += self._life(row)
                return *self._outcome(errors, "change", _("ændret udpegning: %(what)s", what=what),
                                      differences + notes), held
            return *self._outcome(errors, "change" if notes else "unchanged",
                                  _("uændret udpegning: %(what)s", what=what), notes), held
        self.new_appointment_count += 1
        errors += self._life(row)
        if row.office is not None:
            notes.insert(0, rules.office_note(row))
        return *self._outcome(errors, "create", _("ny udpegning: %(what)s", what=what), notes), None

    @staticmethod
    def _what(row: Row) -> str:
        """The appointment as a line's text names it: "Lotte Kofoed, medlem af RAR Hovedstaden, Plads 1, fra
        01.01.2022"."""
        values = dict(name=row.name, organisation=row.organisation, seat=row.seat, start=day(row.start),
                      end=day(row.end))
        if row.role is Role.member:
            if row.end:
                return _("%(name)s, medlem af %(organisation)s, %(seat)s, fra %(start)s til %(end)s", **values)
            return _("%(name)s, medlem af %(organisation)s, %(seat)s, fra %(start)s", **values)
        if row.end:
            return _("%(name)s, suppleant i %(organisation)s, %(seat)s, fra %(start)s til %(end)s", **values)
        return _("%(name)s, suppleant i %(organisation)s, %(seat)s, fra %(start)s", **values)

    def _life(self, row: Row) -> list[str]:
        return rules.life_errors(row, self.state.organisations.get(row.organisation),
                                 self.state.seats.get((row.organisation, row.seat)))

    @staticmethod
    def _outcome(errors: list[str], action: str, text: str, notes: list[str]) -> tuple[str, str]:
        if errors:
            return "refused", "; ".join(errors)
        return action, "; ".join([text, *notes]) if text else ""

    def check_one_holder(self) -> None:
        """One member and one suppleant per seat on any day, over the file and the registry together."""
        keys = list(self.hold_keys)
        for number, lines in self._stays("hold", ("start_date", "end_date")):
            key = keys[number]
            stays = [stay for stay, _action in lines.values()]
            for line, message in rules.overlaps(key, stays, self.state.held.get(key, [])):
                self.told.refuse(line, lines[line][1], message)

    def check_one_officer(self) -> None:
        """One formand and one næstformand per body on any day, over the file and the registry together."""
        keys = list(self.office_keys)
        for number, lines in self._stays("office_key", ("office_from", "office_to")):
            key = keys[number]
            stays = [stay for stay, _action in lines.values()]
            for line, message in rules.office_overlaps(key, stays, self.state.held_offices.get(key, []),
                                                       self._in_file):
                self.told.refuse(line, lines[line][1], message)

    def _stays(self, key: str, span: tuple[str, str]) -> Iterator[tuple[int, dict[int, tuple[Stay, str]]]]:
        """Each key's stays from the file, line → (stay, action), one key at a time from the staging table."""
        persons = list(self.person_keys)
        held = {h.id: h for h in self.state.held_at.values()} if self.state.held_at else {}
        rows = self.staging.rows(key, *span, "person", "line", "held", "action",
                                 where=csv_import_staging.LINES.c[key].is_not(None),
                                 order_by=(key, span[0], "line"))
        for number, group in itertools.groupby(rows, key=lambda row: row[0]):
            yield number, {line: (Stay(start, end, persons[person], line=line, held=held.get(held_id)), action)
                           for _key, start, end, person, line, held_id, action in group}

    def new_appointments(self) -> Iterator[list["NewAppointment"]]:
        """The new appointments, a batch at a time, in file order."""
        holds, persons = list(self.hold_keys), list(self.person_keys)
        references = list(self.reference_keys)
        rows = self.staging.rows("line", "hold", "person", "start_date", "end_date", "reason", "party", "reference",
                                 "office", "office_title", "office_chosen_by", "office_start", "office_end",
                                 where=csv_import_staging.LINES.c.held.is_(None), order_by=("line",))
        batch: list[NewAppointment] = []
        for (line, hold, person, start, end, reason, party, reference, office, title, chooser, office_start,
             office_end) in rows:
            organisation, seat, role = holds[hold]
            name, municipality = persons[person]
            batch.append(NewAppointment(
                line, organisation, seat, role, name, municipality, start, end, reason and EndReason(reason), party,
                references[reference] if reference is not None else None, office and Office(office), title,
                chooser and OfficeChooser(chooser), office_start, office_end))
            if len(batch) == csv_import_staging.BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def created(self) -> dict[str, int]:
        meetings = {(ref.council, ref.date) for ref in self.new_references} - set(self.state.meetings)
        items = {ref for ref in self.new_references
                 if (self.state.meetings.get((ref.council, ref.date)), ref.number) not in self.state.items}
        return dict(zip(CREATED, (len(self.new_organisations), len(self.new_seats), len(self.new_persons),
                                  len(self.new_parties), len(self.new_municipalities), len(meetings), len(items),
                                  len(self.new_references), self.new_appointment_count), strict=True))

    def changed(self) -> dict[str, int]:
        return dict(zip(CHANGED, (len(self.organisation_changes), len(self.seat_changes), len(self.person_changes),
                                  len(self.appointment_changes)), strict=True))


class NewAppointment(NamedTuple):
    """A new appointment as its line gives it, read back from the staging table for writing."""

    line: int
    organisation: str
    seat: str
    role: Role
    name: str
    municipality: str | None
    start: date
    end: date | None
    reason: EndReason | None
    party: str | None
    reference: Reference | None
    office: Office | None
    office_title: str | None
    office_chosen_by: OfficeChooser | None
    office_start: date | None
    office_end: date | None


def _value(member: enum.Enum | None) -> str | None:
    return None if member is None else member.value

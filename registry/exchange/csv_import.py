"""Importing the appointments CSV: every line is checked first, then all of it is written or nothing.

The file is the export's format (csv_export.py), read back by csv_import_read.
Each line is compared with what the registry holds (csv_import_state) and
becomes a new appointment, a change to one, or nothing ("unchanged"), so
importing the same file twice changes nothing the second time. A line that
breaks a rule refuses the whole file. The rules are those of
appointments/services.py, checked over the whole file at once
(csv_import_rules); the database's one-holder constraint stays the backstop.

Writing (csv_import_write) flushes and never commits: the command or view
that called import_csv commits once, so a crash midway leaves nothing behind.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from registry.appointments.models import Role
from registry.exchange import csv_import_read, csv_import_state, csv_import_write
from registry.exchange import csv_import_rules as rules
from registry.exchange.csv_import_read import FileRefused, Reference, Row, _, day, in_page_language
from registry.exchange.csv_import_rules import Stay
from registry.exchange.csv_import_state import Held, HoldKey, PersonKey, SeatKey, State
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


# A file of nothing but bad lines gets the first ones told, and the rest counted: the page and the terminal
# stay readable, and the work stays linear in the file however many lines are refused.
MAX_ERRORS = 200


@dataclass
class ImportResult:
    lines: list[LineOutcome]
    errors: list[str]            # "linje N: ...", in file order, the first MAX_ERRORS of them
    created: dict[str, int]
    changed: dict[str, int]
    applied: bool                # True only when written (not a dry run, no errors)
    error_count: int = 0         # all of them

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def untold_errors(self) -> int:
        return self.error_count - len(self.errors)


def import_csv(data: bytes, *, dry_run: bool, deadline: float | None = None) -> ImportResult:
    """Checks every line; writes (flush, no commit) only when nothing failed and not dry_run.

    deadline: a time.monotonic() by which the checking must be done, or the file is refused as too big
    to check here (the web's preview; the command line takes the time it takes).

    Raises RuleViolation, with nothing written and the session still usable,
    only if the database refuses the write because someone changed the
    registry after the lines were checked. The texts are in the page's
    language, Danish from the command line.
    """
    with in_page_language():
        try:
            read = csv_import_read.read(data, deadline)
            plan = Plan(csv_import_state.load())
            for count, row in enumerate(read.rows):
                if count % 1000 == 0:
                    csv_import_read.check_deadline(deadline)
                plan.add(row)
        except FileRefused as error:
            return ImportResult([], [str(error)], dict.fromkeys(CREATED, 0), dict.fromkeys(CHANGED, 0), False,
                                error_count=1)
        plan.check_one_holder()
        outcomes, errors, error_count = plan.outcomes(read.errors)
    result = ImportResult(outcomes, errors, plan.created(), plan.changed(), applied=False, error_count=error_count)
    if result.ok and not dry_run:
        csv_import_write.write(plan, data, summary=result)
        result.applied = True
    return result


@dataclass
class Plan:
    """What the file asks of the registry, line by line, before anything is written."""

    state: State
    errors: list[tuple[int, str]] = field(default_factory=list)
    texts: dict[int, tuple[str, str]] = field(default_factory=dict)     # line → (action, text)
    new_municipalities: dict[str, dict] = field(default_factory=dict)
    new_parties: dict[str, dict] = field(default_factory=dict)
    new_organisations: dict[str, dict] = field(default_factory=dict)
    new_seats: dict[SeatKey, dict] = field(default_factory=dict)
    new_persons: dict[PersonKey, dict] = field(default_factory=dict)
    new_references: dict[Reference, None] = field(default_factory=dict)  # an ordered set
    organisation_changes: dict[int, dict[str, tuple]] = field(default_factory=dict)
    seat_changes: dict[int, dict[str, tuple]] = field(default_factory=dict)
    person_changes: dict[int, dict[str, tuple]] = field(default_factory=dict)
    appointment_changes: dict[int, tuple[Held, Row]] = field(default_factory=dict)
    new_appointments: list[Row] = field(default_factory=list)
    stays: dict[HoldKey, list[Stay]] = field(default_factory=lambda: defaultdict(list))
    _first: dict[tuple, tuple[int, object]] = field(default_factory=dict)
    _positions: dict[str, int] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        errors: list[str] = []
        notes: list[str] = []
        self._organisation(row, errors, notes)
        self._seat(row, notes)
        self._municipality_and_party(row, notes)
        self._person(row, errors, notes)
        if row.reference and row.reference not in self.state.decisions and row.reference not in self.new_references:
            self.new_references[row.reference] = None
            notes.append(self._reference_note(row.reference))
        action, text = self._appointment(row, errors, notes)
        self.errors += [(row.line, message) for message in errors]
        self.texts[row.line] = (action, text)

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

    def _organisation(self, row: Row, errors: list[str], notes: list[str]) -> None:
        first_line, authority = self._seen_first(("authority", row.organisation), row.line, row.authority)
        if authority != row.authority:
            errors.append(_("udpegende myndighed '%(authority)s' for %(name)s afviger fra '%(first)s' på linje "
                            "%(line)d", authority=row.authority, name=row.organisation, first=authority,
                            line=first_line))
            return
        existing = self.state.organisations.get(row.organisation)
        if existing is None:
            if row.organisation not in self.new_organisations:
                self.new_organisations[row.organisation] = {"name": row.organisation, "authority": row.authority}
                notes.append(_("ny organisation (udpegende myndighed: %(authority)s)", authority=row.authority))
        elif existing.authority != row.authority and existing.id not in self.organisation_changes:
            self.organisation_changes[existing.id] = {"appointing_authority": (existing.authority, row.authority)}
            notes.append(_("udpegende myndighed for %(name)s ændres fra '%(old)s' til '%(new)s'",
                           name=row.organisation, old=existing.authority, new=row.authority))

    def _seat(self, row: Row, notes: list[str]) -> None:
        key = (row.organisation, row.seat)
        existing = self.state.seats.get(key)
        if existing is not None:
            if row.role is Role.substitute and not existing.has_substitute and existing.id not in self.seat_changes:
                self.seat_changes[existing.id] = {"has_substitute": (False, True)}
                notes.append(_("pladsen får en personlig suppleant"))
            return
        new = self.new_seats.get(key)
        if new is None:
            position = self._positions.get(row.organisation, self.state.last_position.get(row.organisation, 0)) + 1
            self._positions[row.organisation] = position
            new = self.new_seats[key] = {"organisation": row.organisation, "label": row.seat,
                                         "position": position, "has_substitute": False}
            notes.append(_("ny plads"))
        if row.role is Role.substitute:
            new["has_substitute"] = True

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

    def _appointment(self, row: Row, errors: list[str], notes: list[str]) -> tuple[str, str]:
        person = (row.name, row.municipality)
        held = self.state.held_at.get((row.organisation, row.seat, row.role, row.start))
        what = self._what(row)
        self.stays[(row.organisation, row.seat, row.role)].append(
            Stay(row.start, row.end, person, line=row.line, held=held if held and held.person == person else None))
        if held is not None and held.person == person:
            differences = rules.differences(held, row)
            if differences:
                self.appointment_changes[held.id] = (held, row)
                errors += self._life(row)
                return self._outcome(errors, "change", _("ændret udpegning: %(what)s", what=what),
                                     differences + notes)
            return self._outcome(errors, "change" if notes else "unchanged",
                                 _("uændret udpegning: %(what)s", what=what), notes)
        self.new_appointments.append(row)
        errors += self._life(row)
        return self._outcome(errors, "create", _("ny udpegning: %(what)s", what=what), notes)

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
        return action, "; ".join([text, *notes])

    def check_one_holder(self) -> None:
        """One member and one suppleant per seat on any day, over the file and the registry together."""
        for key, from_file in self.stays.items():
            for line, message in rules.overlaps(key, from_file, self.state.held.get(key, [])):
                self.errors.append((line, message))
                action, text = self.texts[line]
                self.texts[line] = ("refused", f"{text}; {message}" if action == "refused" else message)

    def outcomes(self, read_errors: list[tuple[int, str]]) -> tuple[list[LineOutcome], list[str], int]:
        """Every line's outcome in file order, the first MAX_ERRORS errors as "linje N: ..." and the number
        of all errors. Linear in the file: the first errors are picked, not all of them sorted."""
        unread: dict[int, list[str]] = defaultdict(list)
        for line, message in read_errors:
            unread[line].append(message)
        texts = dict(self.texts)
        for line, messages in unread.items():
            texts[line] = ("refused", "; ".join(messages))
        lines = [LineOutcome(line, action, text) for line, (action, text) in sorted(texts.items())]
        every = read_errors + self.errors
        first = heapq.nsmallest(MAX_ERRORS, every, key=lambda error: error[0])
        return lines, [_("linje %(line)d: %(message)s", line=line, message=message) for line, message in first], \
            len(every)

    def created(self) -> dict[str, int]:
        meetings = {(ref.council, ref.date) for ref in self.new_references} - set(self.state.meetings)
        items = {ref for ref in self.new_references
                 if (self.state.meetings.get((ref.council, ref.date)), ref.number) not in self.state.items}
        return dict(zip(CREATED, (len(self.new_organisations), len(self.new_seats), len(self.new_persons),
                                  len(self.new_parties), len(self.new_municipalities), len(meetings), len(items),
                                  len(self.new_references), len(self.new_appointments)), strict=True))

    def changed(self) -> dict[str, int]:
        return dict(zip(CHANGED, (len(self.organisation_changes), len(self.seat_changes), len(self.person_changes),
                                  len(self.appointment_changes)), strict=True))


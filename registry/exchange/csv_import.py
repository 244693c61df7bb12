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
from registry.exchange import csv_import_read, csv_import_stale, csv_import_state, csv_import_write
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


@dataclass
class ImportResult:
    lines: list[LineOutcome]
    errors: list[str]            # "linje N: ...", in file order, the first MAX_ERRORS of them
    created: dict[str, int]
    changed: dict[str, int]
    applied: bool                # True only when written (not a dry run, no errors, the warnings accepted)
    error_count: int = 0         # all of them
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
               accept_stale: bool | str = False) -> ImportResult:
    """Checks every line; writes (flush, no commit) only when nothing failed, not dry_run, and any line that
    would undo later work is accepted.

    deadline: a time.monotonic() by which the checking must be done, or the file is refused as too big
    to check here (the web's preview; the command line takes the time it takes).
    since: the file's date (csv_import_stale): a line that changes the end date of an appointment the registry
    has changed since is a warning. accept_stale: True accepts every such warning, a digest only the ones a
    preview showed (ImportResult.stale_digest); otherwise nothing is written while there are any.

    Raises RuleViolation, with nothing written and the session still usable,
    only if the database refuses the write because someone changed the
    registry after the lines were checked. The texts are in the page's
    language, Danish from the command line.
    """
    with in_page_language():
        try:
            read = csv_import_read.read(data, deadline)
            state = csv_import_state.load()
            plan = Plan(state, authorities=rules.own_authorities(read.rows, state))
            for count, row in enumerate(read.rows):
                if count % 1000 == 0:
                    csv_import_read.check_deadline(deadline)
                plan.add(row)
        except FileRefused as error:
            return ImportResult([], [str(error)], dict.fromkeys(CREATED, 0), dict.fromkeys(CHANGED, 0), False,
                                error_count=1)
        plan.check_one_holder()
        plan.check_one_officer()
        outcomes, errors, error_count = plan.outcomes(read.errors)
    result = ImportResult(outcomes, errors, plan.created(), plan.changed(), applied=False, error_count=error_count,
                          since=since)
    if result.ok:
        with in_page_language():
            _warn(result, csv_import_stale.warnings(plan.stale, since), accept_stale)
    if result.ok and not result.needs_confirmation and not dry_run:
        csv_import_write.write(plan, data, summary=result)
        result.applied = True
    return result


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
    """What the file asks of the registry, line by line, before anything is written."""

    state: State
    authorities: dict[str, str] = field(default_factory=dict)   # organisation name → its own (own_authorities)
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
    stale: list[Candidate] = field(default_factory=list)              # changes of a known appointment's end
    stays: dict[HoldKey, list[Stay]] = field(default_factory=lambda: defaultdict(list))
    office_stays: dict[OfficeKey, list[Stay]] = field(default_factory=lambda: defaultdict(list))
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

    def _appointment(self, row: Row, errors: list[str], notes: list[str]) -> tuple[str, str]:
        person = (row.name, row.municipality)
        held = self.state.held_at.get((row.organisation, row.seat, row.role, row.start))
        if held is not None and held.person != person:
            held = None
        what = self._what(row)
        self.stays[(row.organisation, row.seat, row.role)].append(Stay(row.start, row.end, person, line=row.line,
                                                                       held=held))
        if held is not None and row.office_stated:
            self._in_file.add(held.id)
        if row.office in SINGLE_OFFICES:
            self.office_stays[(row.organisation, row.office)].append(Stay(
                row.office_start or row.start, row.office_end or row.end, person, line=row.line, held=held))
        if held is not None:
            differences = rules.differences(held, row)
            if differences:
                self.appointment_changes[held.id] = (held, row)
                if held.end != row.end:
                    self.stale.append(Candidate(row.line, held, row, what))
                errors += self._life(row)
                return self._outcome(errors, "change", _("ændret udpegning: %(what)s", what=what),
                                     differences + notes)
            return self._outcome(errors, "change" if notes else "unchanged",
                                 _("uændret udpegning: %(what)s", what=what), notes)
        self.new_appointments.append(row)
        errors += self._life(row)
        if row.office is not None:
            notes.insert(0, rules.office_note(row))
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
                self._refuse(line, message)

    def check_one_officer(self) -> None:
        """One formand and one næstformand per body on any day, over the file and the registry together."""
        for key, from_file in self.office_stays.items():
            for line, message in rules.office_overlaps(key, from_file, self.state.held_offices.get(key, []),
                                                       self._in_file):
                self._refuse(line, message)

    def _refuse(self, line: int, message: str) -> None:
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


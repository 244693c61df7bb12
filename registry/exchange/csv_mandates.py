"""Importing the elected councils: a CSV of council mandates, checked in full, then written all or nothing.

Columns: navn;parti;kommune;startdato, and optionally slutdato;hverv (borgmester, viceborgmester …). The
file is read as the appointments import reads its own (csv_import_read: UTF-8 with or without BOM or
Windows-1252, ';' or ',', errors as "linje N: …"). A person is found by name and municipality, as the
appointments import finds them; an unknown one is created. A mandate is known by person, municipality and
first day, so the same file twice changes nothing.

The election ends the old council's term: an open mandate whose first day lies in an election period that
ended before a line of the file begins in the same municipality ends on that period's last day. So after
the councils of 2026 are imported, those not re-elected have a mandate that ended on 31 December 2025 (and
appear on /mandater/ophoert), and the re-elected have two: the old one ended, the new one open.

The registry is read in a few queries, the file is compared in Python, and the writing goes through the ORM
(a council-sized file of a few thousand lines), so the flush listener audits every row. Nothing is committed.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from registry.audit.services import record
from registry.errors import RuleViolation
from registry.exchange.csv_import import MAX_ERRORS, LineOutcome
from registry.exchange.csv_import_read import FileRefused, _, day, in_page_language
from registry.exchange.csv_mandates_read import Line, read
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.mandates.services import overlaps
from registry.organisations.models import ElectionPeriod
from registry.people.models import Municipality, Party, Person
from registry.types import N_

# What an import counts, as its audit entry names it; translated where a page shows it.
CREATED = (N_("mandater"), N_("personer"), N_("partier"))
CHANGED = ("mandater",)


@dataclass
class MandateImport:
    lines: list[LineOutcome]
    errors: list[str]                   # "linje N: ...", the first MAX_ERRORS
    created: dict[str, int]
    changed: dict[str, int]
    ended: list[str]                    # mandates the election ends, as texts
    applied: bool = False
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def untold_errors(self) -> int:
        return self.error_count - len(self.errors)


def import_mandates(data: bytes, *, dry_run: bool, deadline: float | None = None) -> MandateImport:
    """Checks every line; writes (flush, no commit) only when nothing failed and not dry_run. Raises
    RuleViolation, with nothing written, only if someone changed the mandates after the lines were checked."""
    with in_page_language():
        try:
            lines, stated, errors = read(data, deadline)
            plan = Plan(State.load({line.municipality for line in lines}), stated)
            for line in lines:
                plan.add(line)
            plan.end_old_terms()
            plan.check_overlaps()
        except FileRefused as error:
            return MandateImport([], [str(error)], dict.fromkeys(CREATED, 0), dict.fromkeys(CHANGED, 0), [],
                                 error_count=1)
        result = plan.result(errors)
    if result.ok and not dry_run:
        plan.write(data, result)
        result.applied = True
    return result


@dataclass
class State:
    """What the registry holds that the file may name, read in a few queries."""

    municipalities: dict[str, tuple[int, str]] = field(default_factory=dict)   # folded name → (id, name)
    parties: dict[str, int] = field(default_factory=dict)                      # letter → id
    party_names: set[str] = field(default_factory=set)
    persons: dict[tuple[str, int], int] = field(default_factory=dict)          # (name, municipality id) → id
    mandates: dict[tuple[int, int], list[dict]] = field(default_factory=lambda: defaultdict(list))
    periods: list[tuple[date, date, str]] = field(default_factory=list)

    @classmethod
    def load(cls, named: set[str]) -> "State":
        state = cls()
        for id_, name in db.session.execute(sa.select(Municipality.id, Municipality.name)):
            state.municipalities[name.casefold()] = (id_, name)
        for id_, letter, name in db.session.execute(sa.select(Party.id, Party.letter, Party.name)):
            state.parties[letter] = id_
            state.party_names.add(name)
        # Two persons may share name and municipality; the oldest is the one the import means (as csv_import_state).
        for id_, name, municipality_id in db.session.execute(
                sa.select(Person.id, Person.name, Person.municipality_id)
                .where(Person.municipality_id.is_not(None)).order_by(Person.id.desc())):
            state.persons[(name, municipality_id)] = id_
        ids = {found[0] for name in named if (found := state.find(name))}
        for row in db.session.execute(
                sa.select(CouncilMandate.id, CouncilMandate.person_id, CouncilMandate.municipality_id,
                          CouncilMandate.party_id, CouncilMandate.start_date, CouncilMandate.end_date,
                          CouncilMandate.office).where(CouncilMandate.municipality_id.in_(ids))):
            state.mandates[(row.person_id, row.municipality_id)].append(dict(row._mapping))
        state.periods = [tuple(row) for row in db.session.execute(
            sa.select(ElectionPeriod.start_date, ElectionPeriod.end_date, ElectionPeriod.name))]
        return state

    def find(self, municipality: str) -> tuple[int, str] | None:
        """The municipality the file names: as the registry writes it, in any case, with or without "Kommune"."""
        folded = municipality.casefold()
        return self.municipalities.get(folded) or self.municipalities.get(folded.removesuffix(" kommune").strip())

    def period_of(self, day: date) -> tuple[date, date, str] | None:
        return next((period for period in self.periods if period[0] <= day <= period[1]), None)


@dataclass
class Plan:
    """What the file asks of the registry, line by line, before anything is written."""

    state: State
    stated: set[str]                                    # the optional columns the file has
    errors: list[tuple[int, str]] = field(default_factory=list)
    texts: dict[int, tuple[str, str]] = field(default_factory=dict)
    new_parties: dict[str, str] = field(default_factory=dict)                  # letter → name
    new_persons: dict[tuple[str, int], dict] = field(default_factory=dict)
    new_mandates: list[tuple[Line, tuple, int]] = field(default_factory=list)  # line, person key, municipality id
    changes: dict[int, dict] = field(default_factory=dict)                    # mandate id → column → value
    endings: dict[int, tuple[date, str]] = field(default_factory=dict)         # mandate id → last day, text
    _keys: dict[tuple, int] = field(default_factory=dict)                      # mandate key → first line
    _line_of: dict[int, int] = field(default_factory=dict)                     # known mandate id → its line
    _latest: dict[int, date] = field(default_factory=dict)                     # municipality id → latest start

    def add(self, line: Line) -> None:
        found = self.state.find(line.municipality)
        if found is None:
            self._refuse(line.line, _("ukendt kommune '%(name)s'", name=line.municipality[:40]))
            return
        municipality_id, municipality = found
        notes: list[str] = []
        if line.party and line.party not in self.state.parties and line.party not in self.new_parties:
            name = line.party
            while name in self.state.party_names or name in self.new_parties.values():
                name += " (importeret)"
            self.new_parties[line.party] = name
            notes.append(_("nyt parti '%(letter)s' med navnet '%(name)s' (ret navnet bagefter)", letter=line.party,
                           name=name))
        person_key = (line.name, municipality_id)
        person_id = self.state.persons.get(person_key)
        if person_id is None:
            new = self.new_persons.get(person_key)
            if new is None:
                new = self.new_persons[person_key] = {"party": line.party, "latest": line.start}
                notes.append(_("ny person"))
            elif line.start >= new["latest"]:
                new["party"], new["latest"] = line.party, line.start
        key = (person_key, line.start)
        if (first := self._keys.setdefault(key, line.line)) != line.line:
            self._refuse(line.line, _("mandatet står også på linje %(line)d", line=first))
            return
        self._latest[municipality_id] = max(line.start, self._latest.get(municipality_id, line.start))
        what = _("%(name)s, %(municipality)s (%(party)s), fra %(start)s", name=line.name, municipality=municipality,
                 party=line.party or "–", start=day(line.start))
        known = next((mandate for mandate in self.state.mandates.get((person_id, municipality_id), [])
                      if mandate["start_date"] == line.start), None) if person_id else None
        if known is None:
            self.new_mandates.append((line, person_key, municipality_id))
            self.texts[line.line] = ("create", "; ".join([_("nyt mandat: %(what)s", what=what), *notes]))
            return
        self._line_of[known["id"]] = line.line
        change = self._change(known, line)
        if change:
            self.changes[known["id"]] = change
            self.texts[line.line] = ("change", "; ".join([_("ændret mandat: %(what)s", what=what), *notes]))
        else:
            self.texts[line.line] = ("unchanged", "; ".join([_("uændret mandat: %(what)s", what=what), *notes]))

    def _change(self, known: dict, line: Line) -> dict:
        wanted = {"party_id": self.state.parties.get(line.party) if line.party else None}
        if line.party and line.party in self.new_parties:
            wanted["party_id"] = line.party  # the letter, for a party the import creates
        if "slutdato" in self.stated:
            wanted["end_date"] = line.end
        if "hverv" in self.stated:
            wanted["office"] = line.office
        return {column: value for column, value in wanted.items() if known[column] != value}

    def end_old_terms(self) -> None:
        """Open mandates of an ended election period, where the file has a later council: ended with the period.
        A mandate whose last day the file states itself is left to the file."""
        for (_person, municipality_id), mandates in self.state.mandates.items():
            latest = self._latest.get(municipality_id)
            for mandate in mandates:
                if mandate["end_date"] is not None or latest is None:
                    continue
                if mandate["id"] in self._line_of and "slutdato" in self.stated:
                    continue
                period = self.state.period_of(mandate["start_date"])
                if period is not None and period[1] < latest:
                    self.endings[mandate["id"]] = (period[1], _(
                        "mandatet fra %(start)s afsluttes %(end)s: valgperioden %(period)s er slut",
                        start=day(mandate["start_date"]), end=day(period[1]), period=period[2]))

    def check_overlaps(self) -> None:
        """One person's mandates in one municipality may not overlap, over the file and the registry together."""
        spans: dict[tuple, list[tuple[date, date | None, int | None]]] = defaultdict(list)
        for line, person_key, municipality_id in self.new_mandates:
            person = self.state.persons.get(person_key, person_key)  # a new person by the file's key
            spans[(person, municipality_id)].append((line.start, line.end, line.line))
        for key, mandates in self.state.mandates.items():
            for mandate in mandates:
                end = self.changes.get(mandate["id"], {}).get("end_date", mandate["end_date"])
                if mandate["id"] in self.endings:
                    end = self.endings[mandate["id"]][0]
                spans[key].append((mandate["start_date"], end, self._line_of.get(mandate["id"])))
        for found in spans.values():
            found.sort(key=lambda span: span[0])
            furthest = found[0]
            for span in found[1:]:
                if overlaps(furthest[:2], span[:2]) and (line := span[2] or furthest[2]):
                    other = furthest if span[2] else span
                    self._refuse(line, _("mandatet overlapper personens mandat i samme kommune fra %(start)s",
                                         start=day(other[0])))
                if furthest[1] is not None and (span[1] is None or span[1] > furthest[1]):
                    furthest = span

    def _refuse(self, line: int, message: str) -> None:
        self.errors.append((line, message))
        action, text = self.texts.get(line, ("refused", ""))
        self.texts[line] = ("refused", f"{text}; {message}" if action == "refused" and text else message)

    def result(self, read_errors: list[tuple[int, str]]) -> MandateImport:
        texts = dict(self.texts)
        for line, message in read_errors:
            action, text = texts.get(line, ("refused", ""))
            texts[line] = ("refused", f"{text}; {message}" if action == "refused" and text else message)
        every = sorted(read_errors + self.errors)
        return MandateImport(
            [LineOutcome(line, action, text) for line, (action, text) in sorted(texts.items())],
            [_("linje %(line)d: %(message)s", line=line, message=message) for line, message in every[:MAX_ERRORS]],
            dict(zip(CREATED, (len(self.new_mandates), len(self.new_persons), len(self.new_parties)), strict=True)),
            {"mandater": len(self.changes)}, [text for _end, text in self.endings.values()],
            error_count=len(every))

    def write(self, data: bytes, summary: MandateImport) -> None:
        try:
            with db.session.begin_nested():
                self._write()
                record(db.session, "import", "council_mandates", changes={
                    "sha256": hashlib.sha256(data).hexdigest(), "lines": len(summary.lines),
                    "created": summary.created, "changed": summary.changed, "ended": len(summary.ended)})
                db.session.flush()
        except IntegrityError as error:
            raise RuleViolation(_l("En anden har ændret mandaterne, mens filen blev indlæst; intet er gemt. "
                                   "Prøv igen.")) from error
        db.session.expire_all()

    def _write(self) -> None:
        parties = {letter: Party(letter=letter, name=name) for letter, name in self.new_parties.items()}
        db.session.add_all(parties.values())
        db.session.flush()
        party_ids = self.state.parties | {letter: party.id for letter, party in parties.items()}
        persons = {key: Person(name=key[0], municipality_id=key[1],
                               party_id=party_ids[values["party"]] if values["party"] else None)
                   for key, values in self.new_persons.items()}
        db.session.add_all(persons.values())
        db.session.flush()
        person_ids = self.state.persons | {key: person.id for key, person in persons.items()}
        db.session.add_all([
            CouncilMandate(person_id=person_ids[person_key], municipality_id=municipality_id,
                           party_id=party_ids[line.party] if line.party else None, start_date=line.start,
                           end_date=line.end, office=line.office)
            for line, person_key, municipality_id in self.new_mandates])
        changed = self.changes | {id_: {"end_date": end} for id_, (end, _text) in self.endings.items()}
        for mandate in db.session.scalars(sa.select(CouncilMandate).where(CouncilMandate.id.in_(changed))):
            for column, value in changed[mandate.id].items():
                setattr(mandate, column, party_ids[value] if column == "party_id" and isinstance(value, str)
                        else value)
        db.session.flush()

"""PostgreSQL writes the CSV files itself (exchange/csv_postgres.py): byte for byte the file the Python path
writes (csvfiles.write over the exports' rows), which SQLite serves and the Excel files read."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, EndReason, Office, OfficeChooser, Role
from registry.csvfiles import write
from registry.exchange import csv_export
from registry.extensions import db
from registry.mandates import services as mandates
from registry.meetings.models import Outcome
from registry.organisations import terms
from registry.organisations.models import ElectionPeriod, SeatKind
from registry.organisations.services import election_periods
from tests import factories as make

# Both databases: on SQLite the two paths are one; on PostgreSQL this is the test of the SQL.
pytestmark = pytest.mark.both_databases

# Every start Excel would run, behind apostrophes and spaces; quotes, delimiters and line breaks that must be
# quoted; the letters after z; a cell that only looks like one that needs quoting.
AWKWARD = ["=SUM(A1)", "+45 12 34", "-1", "@navn", "\tfane", "\rretur", " =mellemrum", "\u00a0=hårdt", "'=allerede",
           "''+to", "'almindelig", 'Sagt "hej"', "semi;kolon", "kom,ma", "to\nlinjer", "to\r\nlinjer", "Ærø Å",
           " mellemrum ", "Ünal Østergård", "0 nul", "~tilde", "\u00a0"]


def python_file(selection: csv_export.Selection, delimiter: str = ";") -> str:
    return "".join(write(csv_export.HEADER, csv_export.rows(selection), delimiter))


def exported(selection: csv_export.Selection, delimiter: str = ";") -> str:
    return "".join(csv_export.export(selection, delimiter))


def seated(seat, person, start: date, end: date | None = None, role: Role = Role.member, **values) -> Appointment:
    appointment = Appointment(seat=seat, person=person, role=role, start_date=start, end_date=end, **values)
    db.session.add(appointment)
    db.session.flush()
    return appointment


@pytest.fixture
def registry(app):
    """Bodies under every term rule, awkward text in every text column, offices, pooled suppleants, council
    mandates and decisions cited with and without a council's name."""
    for start in (2018, 2022, 2026):
        db.session.add(ElectionPeriod(name=f"{start}-{start + 3}", start_date=date(start, 1, 1),
                                      end_date=date(start + 3, 12, 31)))
    bodies = [
        make.organisation("Følger valgperioden"),
        make.organisation("Fire år fra 1. juni 2003", follows_election_period=False, term_years=4,
                          term_start=date(2003, 6, 1)),
        # An anchor after the appointment's start: terms counted backwards (Python's // rounds down).
        make.organisation("Anker efter start", follows_election_period=False, term_years=3,
                          term_start=date(2028, 2, 29)),
        make.organisation("To år fra hver udpegning", follows_election_period=False, term_years=2),
        make.organisation("Uden periode", follows_election_period=False),
        make.organisation("Nedlagt", end_date=date(2023, 6, 30)),
    ]
    starts = [date(2020, 2, 29), date(2022, 1, 1), date(2024, 2, 29), date(2025, 6, 1), date(2003, 5, 31),
              date(2031, 3, 1)]
    council = make.municipality("Gentofte")
    for number, text in enumerate(AWKWARD):
        body = bodies[number % len(bodies)]
        seat = make.seat(body, label=text, has_substitute=number % 3 == 0, nominated_by=text if number % 2 else "",
                         end_date=date(2025, 3, 31) if number % 5 == 0 else None,
                         appointing_authority=text if number % 4 == 0 else None)
        person = make.person(f"{text} {number}", party_letter="Ø" if number % 2 else "A")
        start = starts[number % len(starts)]
        decision = make.decision(date(2021, 12, 14), f"{number}.1", council="" if number % 7 == 0 else text)
        # Written as they are, past the services' rules: the file shows whatever the registry holds.
        appointment = seated(seat, person, start, None if number % 3 else date(2026, 1, 31), decision=decision,
                             party=person.party)
        if number % 3 == 0:
            appointment.end_reason = EndReason.term_ended if number % 2 else None
            seated(seat, make.person(f"Suppleant {number}", party_letter=None), start, role=Role.substitute)
        if number % 4 == 1:
            appointment.office, appointment.office_chosen_by = Office.chair, OfficeChooser.kkr
            appointment.office_start = start
        elif number % 4 == 2:
            appointment.office, appointment.office_title = Office.other, text
            appointment.office_chosen_by, appointment.office_end = OfficeChooser.body, date(2026, 6, 30)
        if number % 2:
            mandates.record(person, council, date(2014, 1, 1), end=date(2025, 12, 31), office=text)
            mandates.record(person, make.municipality("Hvidovre"), date(2022, 1, 1))
    # Every term rule from every kind of start, open-ended, on seats of their own.
    for body in bodies:
        for number, start in enumerate(starts):
            seated(make.seat(body, label=f"Termin {number}", has_substitute=False), make.person(f"Termin {number}"),
                   start)
    pooled = make.seat(bodies[0], label="Fælles suppleant", has_substitute=False, kind=SeatKind.pooled_substitute,
                       pool_rank=2)
    seated(pooled, make.person("-Puljen"), date(2022, 1, 1))
    officio = make.seat(bodies[1], label="Født", has_substitute=False, kind=SeatKind.ex_officio,
                        ex_officio="=borgmesteren")
    seated(officio, make.person("Født Medlem"), date(2022, 1, 1))
    db.session.commit()


@pytest.mark.parametrize("as_of", [None, date(2022, 1, 1), date(2024, 2, 29), date(2025, 12, 31),
                                   date(2026, 2, 1), date(2034, 1, 1)])
def test_every_day_gives_the_same_bytes_as_the_python_path(registry, as_of):
    selection = csv_export.Selection(as_of=as_of)
    assert exported(selection) == python_file(selection)


def test_the_day_a_term_ends_and_the_day_after_give_the_same_bytes(registry):
    """The carried-over flag at each open appointment's last day (terms.open_end) and the day after."""
    periods = election_periods()
    days = set()
    for appointment in db.session.scalars(sa.select(Appointment).where(Appointment.end_date.is_(None))):
        seat = appointment.seat
        if (last := terms.open_end(seat.organisation, appointment.start_date, seat.end_date, periods)) is not None:
            days |= {last, last + timedelta(days=1)}
    assert len(days) > 10
    for day in sorted(days):
        selection = csv_export.Selection(as_of=day)
        assert exported(selection) == python_file(selection), day


def test_the_comma_file_and_the_filtered_files_give_the_same_bytes(registry):
    from registry.models import Municipality, Organisation, Party

    body = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "Følger valgperioden"))
    party = db.session.scalar(sa.select(Party.id).where(Party.letter == "Ø"))
    hvidovre = db.session.scalar(sa.select(Municipality.id).where(Municipality.name == "Hvidovre"))
    for selection in (csv_export.Selection(), csv_export.Selection(organisation_id=body),
                      csv_export.Selection(date(2024, 2, 29), party_id=party),
                      csv_export.Selection(municipality_id=hvidovre)):
        assert exported(selection, ",") == python_file(selection, ",")
    assert exported(csv_export.Selection()).count("\r\n") > len(AWKWARD)


def test_a_file_left_half_read_leaves_the_session_usable(registry):
    chunks = csv_export.export(csv_export.Selection())
    next(chunks)
    chunks.close()
    db.session.rollback()
    assert exported(csv_export.Selection()) == python_file(csv_export.Selection())


# The history of indstillinger (csv_decisions.py).

@pytest.fixture
def history_registry(app):
    """A nomination decided with its suppleant, one on the agenda, one refused; an imported decision resting on
    appointments on two bodies (suppleants seated before members); a decision concerning no one; awkward text
    in every column the decisions have."""
    from registry.meetings import services as agenda
    from registry.meetings.models import Meeting
    from tests import nomination_factories as nom

    rar, school = nom.allocated_seat("F", "=RAR"), nom.allocated_seat("B", "Skole;tjenesten", has_substitute=False)
    appointed = nom.nomination(rar, nom.candidate("+Lotte", "F"), substitute=nom.candidate('Sagt "hej"', "F"))
    agenda.place_on_agenda(appointed, date(2024, 4, 19), "4.10", council="KKR Hovedstaden",
                           case_number="-SAG", title="to\nlinjer")
    agenda.decide(appointed, Outcome.appointed, text="@udpeget", effective=date(2024, 7, 1))
    waiting = nom.nomination(nom.allocated_seat("B", "=RAR"), nom.candidate("Venter", "B"))
    agenda.place_on_agenda(waiting, date(2024, 4, 19), "4.2", council="KKR Hovedstaden")
    refused = nom.nomination(school, nom.candidate("Bente Borg", "B"))
    agenda.place_on_agenda(refused, date(2024, 6, 13), "3.1", council="KKR Hovedstaden")
    agenda.decide(refused, Outcome.not_supported, text="")
    imported = make.decision(date(2021, 12, 14), "5.2", Outcome.appointed, council="'=KKR")
    imported.text = " =tekst"
    for number in range(6):
        seat = make.seat(make.organisation("Ærø" if number % 2 else "Anden"), label=f"Plads {number}")
        role = Role.substitute if number < 3 else Role.member
        seated(seat, make.person(f"Importeret {number}", party_letter="Ø" if number % 2 else None), date(2022, 1, 1),
               role=role, decision=imported, party=None)
    make.decision(date(2021, 12, 14), "5.1", Outcome.noted)
    db.session.commit()
    return {"meeting": db.session.scalar(sa.select(Meeting.id).where(Meeting.date == date(2024, 4, 19))),
            "rar": rar.organisation_id, "aero": make.organisation("Ærø").id,
            "lotte": appointed.person_id, "imported": imported.id}


def test_the_history_gives_the_same_bytes_as_the_python_path(history_registry):
    from registry.exchange import csv_decisions
    from registry.meetings.history import Selection

    found = history_registry
    person = db.session.scalar(sa.select(Appointment.person_id).where(Appointment.decision_id == found["imported"])
                               .order_by(Appointment.id.desc()))
    for selection in (Selection(), Selection(meeting_id=found["meeting"]), Selection(organisation_id=found["rar"]),
                      Selection(organisation_id=found["aero"]), Selection(person_id=found["lotte"]),
                      Selection(person_id=person), Selection(organisation_id=found["rar"], person_id=person),
                      Selection(meeting_id=999999)):
        for delimiter in (";", ","):
            python = "".join(write(csv_decisions.HEADER, csv_decisions.rows(selection), delimiter))
            assert "".join(csv_decisions.export(selection, delimiter)) == python, selection
    assert "".join(csv_decisions.export(Selection())).count("\r\n") == 1 + 2 + 1 + 6 + 1


def _bulk_decision(count: int) -> None:
    """One imported decision resting on count appointments, written in bulk: the export is what is measured."""
    make.bulk_members(count, decision_id=make.decision(date(2021, 12, 14), f"{count}.1", Outcome.appointed).id)


def _measure_history(app) -> tuple[int, int, int]:
    """(lines, queries, peak bytes) for the whole history through the web endpoint, the header not counted."""
    lines, statements, peak = make.streamed(app, "/export/indstillinger.csv")
    return lines - 1, statements, peak


def test_the_history_streams_with_flat_memory_and_query_count(app):
    if db.engine.dialect.name != "postgresql":
        # SQLite's path reads the decisions as objects (meetings/history.py), which the session keeps until
        # the request ends: its memory grows with the file.
        pytest.skip("PostgreSQL's path only")
    _bulk_decision(1_000)
    _measure_history(app)  # warm caches (compiled statements)
    small = _measure_history(app)
    _bulk_decision(20_000)
    large = _measure_history(app)
    assert (small[0], large[0]) == (1_000, 21_000)
    assert small[1] == large[1], "the number of SQL statements must not grow with the lines"
    # 21 times the lines; a buffered export would need ~20 times the memory.
    assert large[2] < small[2] * 3, (small, large)

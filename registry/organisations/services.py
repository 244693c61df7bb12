"""The rules for organisations, their seats and the party group holding each seat per election period.

Services check, change and flush; the view that called them commits once.
A refusal is a RuleViolation with a message for the form, marked for translation.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, EndReason, Role
from registry.dates import local_date
from registry.errors import Conflict, RuleViolation, check_version
from registry.extensions import db
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation, SeatFiller, SeatKind
from registry.people.models import Party
from registry.rounds.models import ElectoralGroup, PeriodParty

# The columns the organisation form edits; end date and successor change only by closing.
ORGANISATION_FIELDS = ("name", "short_name", "kind", "appointing_authority", "authority_is_external",
                       "gender_rule", "follows_election_period", "term_years", "term_start", "max_terms",
                       "warning_days", "legal_basis", "start_date", "note")
SEAT_FIELDS = ("label", "position", "has_substitute", "start_date", "note", "kind", "ex_officio", "pool_rank",
               "filled_by", "appointing_authority", "authority_is_external", "nominated_by")


def election_periods() -> list[ElectionPeriod]:
    """Every election period, first first: what the term rules (terms.py) and the allocation form read."""
    return list(db.session.scalars(sa.select(ElectionPeriod).order_by(ElectionPeriod.start_date)))


def period_on(day: date) -> ElectionPeriod | None:
    """The election period that contains the day, if one does."""
    return db.session.scalar(sa.select(ElectionPeriod).where(ElectionPeriod.start_date <= day,
                                                             ElectionPeriod.end_date >= day))


def period_named(name: str) -> ElectionPeriod | None:
    """The period by its name (2026-2029), as the command line and /runde name it."""
    return db.session.scalar(sa.select(ElectionPeriod).where(ElectionPeriod.name == name))


def default_period(day: date) -> ElectionPeriod | None:
    """The period a page or command shows when none is asked for: the one containing the day, else the next to
    begin, else the last that ended."""
    return period_on(day) or db.session.scalar(
        sa.select(ElectionPeriod).order_by((ElectionPeriod.start_date < day).asc(),
                                           sa.case((ElectionPeriod.start_date >= day, ElectionPeriod.start_date)),
                                           ElectionPeriod.start_date.desc()).limit(1))


def period_fingerprint(period: ElectionPeriod) -> str:
    """What the period form saw (election periods carry no version column): a change meanwhile is a conflict."""
    return f"{period.name}|{period.start_date.isoformat()}|{period.end_date.isoformat()}"


def _check_period(name: str, start: date, end: date, period: ElectionPeriod | None = None) -> None:
    if end < start:
        raise RuleViolation(_l("Sidste dag ligger før første dag."), field="end_date")
    others = sa.select(ElectionPeriod)
    if period is not None and period.id is not None:
        others = others.where(ElectionPeriod.id != period.id)
    if db.session.scalar(others.where(sa.func.lower(ElectionPeriod.name) == name.lower()).limit(1)) is not None:
        raise RuleViolation(_l("Der findes allerede en valgperiode med navnet %(name)s.", name=name), field="name")
    overlap = db.session.scalar(others.where(ElectionPeriod.start_date <= end, ElectionPeriod.end_date >= start)
                                .order_by(ElectionPeriod.start_date).limit(1))
    if overlap is not None:
        raise RuleViolation(_l("Perioden overlapper valgperioden %(name)s (%(start)s–%(end)s). Valgperioder må ikke "
                               "overlappe.", name=overlap.name, start=local_date(overlap.start_date),
                               end=local_date(overlap.end_date)), field="start_date")


def create_period(name: str, start_date: date, end_date: date) -> ElectionPeriod:
    """A new valgperiode. Its seat allocation is made afterwards, in the allocation grid (rounds/grid.py)."""
    _check_period(name, start_date, end_date)
    period = ElectionPeriod(name=name, start_date=start_date, end_date=end_date)
    db.session.add(period)
    db.session.flush()
    return period


def update_period(period: ElectionPeriod, name: str, start_date: date, end_date: date, *,
                  fingerprint: str | None = None) -> ElectionPeriod:
    if fingerprint is not None and fingerprint != period_fingerprint(period):
        raise Conflict()
    _check_period(name, start_date, end_date, period)
    period.name, period.start_date, period.end_date = name, start_date, end_date
    db.session.flush()
    return period


def _check_name_free(name: str, organisation: Organisation | None = None) -> None:
    # lower() in SQLite folds only A-Z, so the exact name is asked for too (the unique constraint's test).
    stmt = sa.select(Organisation.id).where(sa.or_(Organisation.name == name,
                                                   sa.func.lower(Organisation.name) == name.lower()))
    if organisation is not None and organisation.id is not None:
        stmt = stmt.where(Organisation.id != organisation.id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise RuleViolation(_l("Der findes allerede en organisation med navnet %(name)s.", name=name), field="name")


def _appointments_of(organisation: Organisation) -> sa.Select:
    return sa.select(Appointment).join(Appointment.seat).where(Seat.organisation_id == organisation.id)


def _check_start(organisation: Organisation, start: date | None) -> None:
    if start is None:
        return
    if organisation.end_date and organisation.end_date < start:
        raise RuleViolation(_l("Startdatoen ligger efter organisationens slutdato %(day)s.",
                               day=local_date(organisation.end_date)), field="start_date")
    if organisation.id is None:
        return
    earlier = db.session.scalar(_appointments_of(organisation).where(Appointment.start_date < start)
                                .order_by(Appointment.start_date).limit(1))
    if earlier is not None:
        raise RuleViolation(_l("Der er udpegninger fra %(day)s, før startdatoen. Vælg en tidligere startdato.",
                               day=local_date(earlier.start_date)), field="start_date")
    seat = db.session.scalar(sa.select(Seat).where(Seat.organisation_id == organisation.id,
                                                   Seat.start_date < start).limit(1))
    if seat is not None:
        raise RuleViolation(_l("Pladsen %(seat)s findes fra %(day)s, før startdatoen.", seat=seat.label,
                               day=local_date(seat.start_date)), field="start_date")


def _check_terms(values: dict) -> None:
    if values.get("follows_election_period") and values.get("term_years"):
        raise RuleViolation(_l("En organisation, der følger valgperioden, har ikke sin egen funktionsperiode. "
                               "Vælg nej ved valgperioden, eller slet antallet af år."), field="term_years")
    if values.get("term_start") and not values.get("term_years"):
        raise RuleViolation(_l("Skriv funktionsperiodens længde i år, når den har en første dag."),
                            field="term_years")


def create_organisation(*, seats: int = 0, seats_have_substitute: bool = False, **values) -> Organisation:
    """A new body, with `seats` ordinary seats KKR fills, Plads 1 to Plads N (each with a personal suppleant when
    seats_have_substitute); other seats are added one by one."""
    _check_name_free(values["name"])
    _check_terms(values)
    if seats < 0:
        raise RuleViolation(_l("Antallet af pladser kan ikke være negativt."), field="seats")
    organisation = Organisation(**{key: values.get(key) for key in ORGANISATION_FIELDS if key in values})
    db.session.add(organisation)
    for number in range(1, seats + 1):
        db.session.add(Seat(organisation=organisation, label=f"Plads {number}", position=number,
                            has_substitute=seats_have_substitute))
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, *, version: int | None = None, **values) -> Organisation:
    check_version(organisation, version)
    if "name" in values:
        _check_name_free(values["name"], organisation)
    if "start_date" in values:
        _check_start(organisation, values["start_date"])
    _check_terms({key: values.get(key, getattr(organisation, key))
                  for key in ("follows_election_period", "term_years", "term_start")})
    for key in ORGANISATION_FIELDS:
        if key in values:
            setattr(organisation, key, values[key])
    db.session.flush()
    return organisation


def running_past(organisation: Organisation, last_day: date) -> list[Appointment]:
    """Appointments (seated or pending) of the body that are not over by its last day."""
    return list(db.session.scalars(
        _appointments_of(organisation)
        .where(sa.or_(Appointment.end_date.is_(None), Appointment.end_date > last_day))
        .order_by(Appointment.start_date, Appointment.id)
    ))


def _describe(appointments: list[Appointment]) -> str:
    """The appointments as a refusal lists them: "Lotte Kofoed (Plads 1, medlem fra 01.01.2022 uden slutdato); …"."""
    described = []
    for appointment in appointments:
        values = dict(name=appointment.person.name, seat=appointment.seat.label, role=appointment.role.label,
                      start=local_date(appointment.start_date))
        if appointment.end_date:
            text = _l("%(name)s (%(seat)s, %(role)s fra %(start)s til %(end)s)",
                      end=local_date(appointment.end_date), **values)
        else:
            text = _l("%(name)s (%(seat)s, %(role)s fra %(start)s uden slutdato)", **values)
        described.append(str(text))
    return "; ".join(described)


def _check_successor(organisation: Organisation, successor: Organisation | None) -> None:
    if successor is None:
        return
    if successor.id == organisation.id:
        raise RuleViolation(_l("En organisation kan ikke være sin egen efterfølger."), field="successor")
    seen = {organisation.id}
    step = successor
    while step is not None:
        if step.id in seen:
            raise RuleViolation(_l("%(successor)s er allerede en forgænger for %(name)s; efterfølgere må ikke gå i "
                                   "ring.", successor=successor.name, name=organisation.name), field="successor")
        seen.add(step.id)
        step = step.successor


def close_organisation(organisation: Organisation, last_day: date, *, successor: Organisation | None = None,
                       end_appointments: bool = False, version: int | None = None) -> list[Appointment]:
    """Nedlæg: the body ends after last_day; its history stays under it, and a successor may take over.

    Appointments that would run past the last day are refused, unless the user
    chose to end them that day with the reason "organisation nedlagt". One that
    starts after the last day cannot be ended so and is always refused.
    Returns the appointments ended.
    """
    check_version(organisation, version)
    if organisation.start_date and last_day < organisation.start_date:
        raise RuleViolation(_l("Slutdatoen ligger før organisationens startdato %(day)s.",
                               day=local_date(organisation.start_date)), field="end_date")
    _check_successor(organisation, successor)
    if successor is not None and successor.end_date and successor.end_date <= last_day:
        raise RuleViolation(_l("Efterfølgeren %(name)s er selv nedlagt pr. %(day)s.", name=successor.name,
                               day=local_date(successor.end_date)), field="successor")
    running = running_past(organisation, last_day)
    later = [a for a in running if a.start_date > last_day]
    if later:
        raise RuleViolation(_l("Udpegninger, der begynder efter slutdatoen, skal rettes først: %(appointments)s.",
                               appointments=_describe(later)), field="end_date")
    if running and not end_appointments:
        raise RuleViolation(_l("Udpegninger løber ud over slutdatoen: %(appointments)s. Vælg at afslutte dem pr. "
                               "slutdatoen, eller ret dem først.", appointments=_describe(running)),
                            field="end_appointments")
    for appointment in running:
        appointments.end(appointment, last_day, EndReason.body_dissolved)
    organisation.end_date = last_day
    organisation.successor_id = successor.id if successor else None
    db.session.flush()
    return running


def _check_seat_dates(organisation: Organisation, start: date | None, end: date | None) -> None:
    # The seat's start is what the seat form changes; its end only by retiring the seat.
    if start and end and end < start:
        raise RuleViolation(_l("Slutdatoen ligger før startdatoen."), field="start_date")
    if start and organisation.start_date and start < organisation.start_date:
        raise RuleViolation(_l("%(name)s er først oprettet %(day)s.", name=organisation.name,
                               day=local_date(organisation.start_date)), field="start_date")
    if start and organisation.end_date and start > organisation.end_date:
        raise RuleViolation(_l("%(name)s er nedlagt pr. %(day)s.", name=organisation.name,
                               day=local_date(organisation.end_date)), field="start_date")


def _check_label_free(organisation: Organisation, label: str, seat: Seat | None = None) -> None:
    stmt = sa.select(Seat.id).where(Seat.organisation_id == organisation.id,
                                    sa.or_(Seat.label == label, sa.func.lower(Seat.label) == label.lower()))
    if seat is not None and seat.id is not None:
        stmt = stmt.where(Seat.id != seat.id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise RuleViolation(_l("%(name)s har allerede en plads med navnet %(label)s.", name=organisation.name,
                               label=label), field="label")


def _check_kind(values: dict, seat: Seat | None = None) -> dict:
    """The seat's kind with what it needs: an ex officio seat names its office, a pooled suppleant's seat its
    rank (and has no personal suppleant); the other kinds carry neither. Returns the values, tidied."""
    kind = values.get("kind", seat.kind if seat else SeatKind.voting)
    if kind is SeatKind.ex_officio:
        if not (values.get("ex_officio", seat.ex_officio if seat else None) or "").strip():
            raise RuleViolation(_l("Skriv det embede, der giver pladsen, fx borgmester i Gentofte Kommune."),
                                field="ex_officio")
    elif "kind" in values:
        values["ex_officio"] = None
    if kind is SeatKind.pooled_substitute:
        if not values.get("pool_rank", seat.pool_rank if seat else None):
            raise RuleViolation(_l("Skriv suppleantens nummer i rækkefølgen (1 træder først til)."),
                                field="pool_rank")
        if values.get("has_substitute", seat.has_substitute if seat else False):
            raise RuleViolation(_l("En fælles suppleantplads har ingen personlig suppleant."),
                                field="has_substitute")
    elif "kind" in values:
        values["pool_rank"] = None
    if seat is not None and kind is not seat.kind:
        # Holders the new kind cannot have: members on a pooled suppleant's seat, or the reverse.
        clash = Role.member if kind is SeatKind.pooled_substitute else (
            Role.substitute if seat.kind is SeatKind.pooled_substitute else None)
        if clash is not None and db.session.scalar(sa.select(Appointment.id).where(
                Appointment.seat_id == seat.id, Appointment.role == clash).limit(1)) is not None:
            raise RuleViolation(_l("Pladsen har haft indehavere som %(role)s; den kan ikke gøres til en %(kind)s.",
                                   role=clash.label, kind=kind.label), field="kind")
    return values


def add_seat(organisation: Organisation, *, label: str, has_substitute: bool = False, start_date: date | None = None,
             position: int | None = None, note: str | None = None, **kind_values) -> Seat:
    """A new seat; kind_values are the other SEAT_FIELDS (kind, who fills it, …), each with its default."""
    _check_label_free(organisation, label)
    _check_seat_dates(organisation, start_date, None)
    kind_values = _check_kind({"has_substitute": has_substitute, **kind_values})
    kind_values.pop("has_substitute")
    if position is None:
        position = len(organisation.seats) + 1
    seat = Seat(organisation=organisation, label=label, has_substitute=has_substitute, start_date=start_date,
                position=position, note=note, **kind_values)
    db.session.add(seat)
    db.session.flush()
    return seat


def update_seat(seat: Seat, *, version: int | None = None, **values) -> Seat:
    check_version(seat, version)
    values = _check_kind(values, seat)
    if "label" in values:
        _check_label_free(seat.organisation, values["label"], seat)
    if "start_date" in values:
        start = values["start_date"]
        _check_seat_dates(seat.organisation, start, seat.end_date)
        if start is not None:
            earlier = db.session.scalar(sa.select(Appointment).where(Appointment.seat_id == seat.id,
                                                                     Appointment.start_date < start).limit(1))
            if earlier is not None:
                raise RuleViolation(_l("Pladsen har udpegninger fra %(day)s, før startdatoen.",
                                       day=local_date(earlier.start_date)), field="start_date")
    if values.get("has_substitute") is False and seat.has_substitute:
        substitute = db.session.scalar(sa.select(Appointment).where(
            Appointment.seat_id == seat.id, Appointment.role == Role.substitute).limit(1))
        if substitute is not None:
            raise RuleViolation(_l("Pladsen har haft %(name)s som suppleant; den kan ikke gøres til en plads uden "
                                   "suppleant.", name=substitute.person.name), field="has_substitute")
    for key in SEAT_FIELDS:
        if key in values:
            setattr(seat, key, values[key])
    db.session.flush()
    return seat


def retire_seat(seat: Seat, last_day: date, *, version: int | None = None) -> Seat:
    """Nedlæg en plads: it exists until last_day inclusive; its holders must be gone by then."""
    check_version(seat, version)
    if seat.start_date and last_day < seat.start_date:
        raise RuleViolation(_l("Slutdatoen ligger før pladsens startdato %(day)s.", day=local_date(seat.start_date)),
                            field="end_date")
    running = db.session.scalars(
        sa.select(Appointment).where(Appointment.seat_id == seat.id,
                                     sa.or_(Appointment.end_date.is_(None), Appointment.end_date > last_day))
        .order_by(Appointment.start_date)
    ).all()
    if running:
        raise RuleViolation(_l("Udpegninger på pladsen løber ud over slutdatoen: %(appointments)s. Afslut dem "
                               "først.", appointments=_describe(running)), field="end_date")
    seat.end_date = last_day
    db.session.flush()
    return seat


def allocate(seat: Seat, period: ElectionPeriod, party: Party | None, note: str | None = None, *,
             group: ElectoralGroup | None = None) -> SeatAllocation | None:
    """Record which party group holds the seat in the election period; no party removes the record.

    Where a valggruppe holds the seat, party is the member party the group agreed should nominate.
    """
    allocation = db.session.scalar(sa.select(SeatAllocation).where(SeatAllocation.seat_id == seat.id,
                                                                   SeatAllocation.period_id == period.id))
    if party is None:
        if allocation is not None:
            db.session.delete(allocation)
            db.session.flush()
        return None
    if seat.filled_by is SeatFiller.other or seat.nominated_by:
        raise RuleViolation(_l("Pladsen (%(seat)s) besættes eller indstilles ikke af en partigruppe og fordeles "
                               "derfor ikke.", seat=seat.label), field="party")
    organisation = seat.organisation
    for message, start, end in (
            (_l("Pladsen (%(seat)s) findes ikke i valgperioden %(period)s.", seat=seat.label, period=period.name),
             seat.start_date, seat.end_date),
            (_l("%(name)s findes ikke i valgperioden %(period)s.", name=organisation.name, period=period.name),
             organisation.start_date, organisation.end_date)):
        if (start and start > period.end_date) or (end and end < period.start_date):
            raise RuleViolation(message, field="period")
    if group is not None:
        _check_group_member(group, period, party)
    group_id = group.id if group is not None else None
    if allocation is None:
        allocation = SeatAllocation(seat_id=seat.id, period_id=period.id, party_id=party.id, group_id=group_id,
                                    note=note)
        db.session.add(allocation)
    else:
        allocation.party_id = party.id
        allocation.group_id = group_id
        allocation.note = note
    db.session.flush()
    return allocation


def _check_group_member(group: ElectoralGroup, period: ElectionPeriod, party: Party) -> None:
    if group.period_id != period.id:
        raise RuleViolation(_l("Valggruppen %(group)s hører til en anden valgperiode.", group=group.name),
                            field="party")
    member = db.session.scalar(sa.select(PeriodParty.id).where(PeriodParty.period_id == period.id,
                                                               PeriodParty.party_id == party.id,
                                                               PeriodParty.group_id == group.id))
    if member is None:
        raise RuleViolation(_l("%(party)s er ikke med i valggruppen %(group)s og kan ikke indstille for den.",
                               party=party.letter, group=group.name), field="party")

"""The rules of nominations: calls to party groups, and the party groups' nominations until they reach an agenda.

    call ─▶ submitted ⇄ returned          (the party group may edit or withdraw)
               │
               ▼
           on_agenda ─▶ ...                (KKR's meeting and decision: meetings.services)
    submitted/returned ─▶ withdrawn

A seat an organisation nominates for (seat.nominated_by: Dansk Industri, FH, Praksisudvalget) takes no calls;
the organisation has no login and sends its nomination to the secretariat, which records it with no party
group. Such a nomination cannot be returned, edited or withdrawn by a party group, and it goes on from
submitted to the agenda like any other.

Services check, change and flush; the view commits once. Every change of
status queues a message to the party group (notifications.services); an organisation gets none.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role, Status
from registry.appointments.services import active_on, role_problem
from registry.auth.models import User, UserRole
from registry.auth.permissions import SECRETARIAT
from registry.dates import local_date, today
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.mandates.services import without_mandate
from registry.meetings.models import AgendaItem
from registry.nominations.models import EDITABLE, UNDER_WAY, Call, CallReason, Nomination, NominationStatus
from registry.nominations.period import period_asked_for
from registry.notifications import services as notifications
from registry.organisations import terms
from registry.organisations.models import ElectionPeriod, GenderRule, Seat, SeatAllocation
from registry.organisations.services import election_periods
from registry.people.models import Gender, Party, Person
from registry.people.privacy import ANONYMISED_REFUSAL
from registry.people.services import in_council_region

# Who may see which nominations.

def visible_to(user) -> sa.ColumnElement[bool]:
    """The secretariat sees every nomination; a party group its own; nobody else any
    (decided ones are public through the history of decisions, not as nominations)."""
    if not user.is_authenticated:
        return sa.false()
    if user.role in SECRETARIAT:
        # A draft is the party group's own until it submits it.
        return Nomination.status != NominationStatus.draft
    if user.role is UserRole.party and user.party_id is not None:
        # Never an organisation's nomination: those have no party (and == None would mean IS NULL).
        return Nomination.party_id == user.party_id
    return sa.false()


def get_visible(nomination_id: int, user) -> Nomination | None:
    """The nomination if the user may see it; None (a 404 for the view) otherwise, so another party's
    nominations cannot even be told to exist."""
    return db.session.scalars(sa.select(Nomination).where(Nomination.id == nomination_id, visible_to(user))).first()


# Calls for nominations.

def allocation_on(seat: Seat, day: date) -> SeatAllocation | None:
    """The party group holding the seat in the election period of the day."""
    return db.session.scalars(
        sa.select(SeatAllocation).join(SeatAllocation.period)
        .where(SeatAllocation.seat_id == seat.id, ElectionPeriod.start_date <= day, ElectionPeriod.end_date >= day)
        .options(joinedload(SeatAllocation.party))).first()


def _no_substitute(seat: Seat) -> str:
    return _l("Pladsen (%(organisation)s, %(seat)s) har ingen personlig suppleant.",
              organisation=seat.organisation.name, seat=seat.label)


def _not_kkrs_seat(seat: Seat) -> None:
    """Refuse a call or a nomination for a seat another appointer fills: KKR neither calls nor decides there."""
    if not seat.kkr_fills:
        raise RuleViolation(_l("Pladsen (%(organisation)s, %(seat)s) besættes af %(authority)s, ikke af KKR; "
                               "sekretariatet registrerer blot, hvem der sidder.", authority=seat.authority,
                               organisation=seat.organisation.name, seat=seat.label), field="seat")


def _organisations_seat(seat: Seat) -> RuleViolation:
    return RuleViolation(_l("Pladsen (%(organisation)s, %(seat)s) indstilles af %(nominator)s, ikke af en "
                            "partigruppe; sekretariatet registrerer indstillingen.", nominator=seat.nominated_by,
                            organisation=seat.organisation.name, seat=seat.label), field="seat")


def _not_a_party_seat(seat: Seat) -> None:
    """Refuse a call for a seat that no party group nominates for."""
    _not_kkrs_seat(seat)
    if seat.nominated_by:
        raise _organisations_seat(seat)


def _nominator_fits(seat: Seat, party: Party | None, by: User | None) -> None:
    """A party group nominates for a party group's seat; on an organisation's seat the secretariat records the
    organisation's nomination (no party), and a party group may not nominate at all."""
    _not_kkrs_seat(seat)
    if seat.nominated_by:
        if party is not None or (by is not None and by.role is UserRole.party):
            raise _organisations_seat(seat)
    elif party is None:
        raise RuleViolation(_l("Vælg den partigruppe, der indstiller."), field="party")


def open_call(seat: Seat, role: Role, reason: CallReason, deadline: date, *, party: Party | None = None,
              note: str | None = None) -> Call:
    """Ask the party group holding the seat (or the party given) to nominate by the deadline."""
    _not_a_party_seat(seat)
    if problem := role_problem(seat, role):
        raise RuleViolation(problem, field="role")
    if deadline < today():
        raise RuleViolation(_l("Fristen ligger før i dag."), field="deadline")
    if party is None:
        allocation = allocation_on(seat, deadline)
        if allocation is None:
            raise RuleViolation(_l("Pladsen er ikke fordelt til en partigruppe i valgperioden. Vælg partigruppen, "
                                   "eller fordel pladsen først."), field="party")
        party = allocation.party
    already = db.session.scalar(sa.select(Call.id).where(Call.seat_id == seat.id, Call.role == role,
                                                         Call.party_id == party.id, Call.closed_on.is_(None)))
    if already is not None:
        raise RuleViolation(_l("Der er allerede en åben opfordring til %(party)s om en %(role)s til pladsen.",
                               party=party.name, role=role.label))
    call = Call(seat=seat, role=role, party=party, reason=reason, deadline=deadline, note=note or None,
                opened_on=today())
    db.session.add(call)
    db.session.flush()
    notifications.call_opened(call)
    return call


def close_call(call: Call, day: date | None = None) -> Call:
    if call.closed_on is None:
        call.closed_on = day or today()
        db.session.flush()
    return call


def open_call_for(seat: Seat, role: Role, party: Party) -> Call | None:
    return db.session.scalars(sa.select(Call).where(Call.seat_id == seat.id, Call.role == role,
                                                    Call.party_id == party.id, Call.closed_on.is_(None))).first()


# Submitting, changing and withdrawing (the party group).

def gender_problem(seat: Seat, people: list[Person]) -> str | None:
    """Why the nomination needs særlige grunde under the Gender Equality Act, or None when it does not."""
    organisation = seat.organisation
    if organisation.gender_rule is GenderRule.none:
        return None
    genders = {person.gender for person in people}
    if {Gender.woman, Gender.man} <= genders:
        return None
    return _l("%(name)s er omfattet af %(rule)s: indstil både en kvinde og en mand, eller angiv de særlige grunde "
              "til at lade være.", name=organisation.name, rule=organisation.gender_rule.label)


def warnings(seat: Seat, role: Role, party: Party | None, people: list[Person], day: date | None = None, *,
             viewer, nomination: Nomination | None = None) -> list[str]:
    """What the secretariat would otherwise catch by hand. Shown, not refused: KKR may still decide.

    party: the party group that nominates; None for an organisation's nomination, whose seat is allocated to
    no party and whose candidates need be neither the party's nor local politicians, so those warnings go.
    viewer: who will read the warnings; rival nominations are counted only among those the viewer may see, so
    a party group does not learn from a warning that a rival party has nominated. nomination: the one being
    looked at, so it does not count as a rival to itself. The texts are for the page that asked (gettext, not
    lazy), which shows them as they are.
    """
    day = day or today()
    elsewhere = _allocated_elsewhere(seat, party, day) if party else []
    outsiders = _outsiders(party, people) if party else []
    # A party's candidates are local politicians: one without a council mandate when the term begins is worth a
    # look.
    outsiders += without_mandate(people, term_start(nomination, day)) if party else []
    return [*_closed(seat, day), *elsewhere, *_held_already(seat, people, day), *outsiders,
            *_too_many_terms(seat, role, people, day), *_rivals(seat, role, day, viewer, nomination)]


def term_start(nomination: Nomination | None, day: date) -> date:
    """The first day of the term a nomination is for: the day the council mandate is looked at.

    A nomination of the election-period round, answering a new-period call ("ny valgperiode"), is for the
    period whose round the call belongs to (period.period_asked_for), and begins on its first day, though made
    in December before it or decided in January after it. Any other fills a vacancy from when it is decided:
    the day given (the meeting's date on an agenda, else today). Reads the nomination's call, and the periods.
    """
    if nomination is None or (period := period_asked_for(nomination.call, election_periods())) is None:
        return day
    return period.start_date


def _too_many_terms(seat: Seat, role: Role, people: list[Person], day: date) -> list[str]:
    """A person who has served the body's most terms in a row, in the role, by the day."""
    organisation = seat.organisation
    ids = [person.id for person in people if person.id]
    if not organisation.max_terms or not ids:
        return []
    held: dict[int, list[tuple[date, date | None]]] = {}
    for person_id, start, end in db.session.execute(
            sa.select(Appointment.person_id, Appointment.start_date, Appointment.end_date).join(Appointment.seat)
            .where(Seat.organisation_id == organisation.id, Appointment.role == role,
                   Appointment.status == Status.appointed, Appointment.person_id.in_(ids))):
        held.setdefault(person_id, []).append((start, end))
    periods = election_periods()
    found = []
    for person in people:
        served = terms.terms_in_a_row(organisation, held.get(person.id, []), day, periods)
        if served >= organisation.max_terms:
            found.append(ngettext("%(name)s har siddet %(num)d periode i træk i %(body)s, som højst tillader "
                                  "%(most)d.",
                                  "%(name)s har siddet %(num)d perioder i træk i %(body)s, som højst tillader "
                                  "%(most)d.", served, name=person.name, body=organisation.name,
                                  most=organisation.max_terms))
    return found


def _closed(seat: Seat, day: date) -> list[str]:
    organisation = seat.organisation
    if organisation.end_date and organisation.end_date < day:
        return [_("%(name)s er nedlagt pr. %(day)s.", name=organisation.name, day=local_date(organisation.end_date))]
    if seat.end_date and seat.end_date < day:
        return [_("Pladsen er nedlagt pr. %(day)s.", day=local_date(seat.end_date))]
    return []


def _allocated_elsewhere(seat: Seat, party: Party, day: date) -> list[str]:
    allocation = allocation_on(seat, day)
    if allocation is None:
        return [_("Pladsen er ikke fordelt til en partigruppe i den nuværende valgperiode.")]
    if allocation.party_id != party.id:
        return [_("Pladsen tilhører %(party)s i valgperioden %(period)s.", party=allocation.party.name,
                  period=allocation.period.name)]
    return []


def _held_already(seat: Seat, people: list[Person], day: date) -> list[str]:
    held = db.session.scalars(sa.select(Appointment).where(
        Appointment.seat_id == seat.id, active_on(day), Appointment.person_id.in_([p.id for p in people if p.id])))
    return [_("%(name)s er allerede %(role)s på pladsen.", name=appointment.person.name, role=appointment.role.label)
            for appointment in held]


def _outsiders(party: Party, people: list[Person]) -> list[str]:
    found = []
    for person in people:
        if not in_council_region(person.municipality):
            found.append(_("%(name)s er ikke fra en kommune i regionen.", name=person.name))
        if person.party_id is not None and person.party_id != party.id:
            found.append(_("%(name)s er registreret som medlem af %(party)s.", name=person.name,
                           party=person.party.name))
    return found


def _rivals(seat: Seat, role: Role, day: date, viewer, nomination: Nomination | None) -> list[str]:
    rivals = sa.select(sa.func.count(Nomination.id)).where(
        Nomination.seat_id == seat.id, Nomination.role == role,
        Nomination.status.in_([*EDITABLE, NominationStatus.on_agenda, NominationStatus.pending]),
        visible_to(viewer))
    if nomination is not None and nomination.id is not None:
        rivals = rivals.where(Nomination.id != nomination.id)
    if count := db.session.scalar(rivals):
        return [ngettext("Der er %(num)d anden verserende indstilling til pladsen som %(role)s.",
                         "Der er %(num)d andre verserende indstillinger til pladsen som %(role)s.", count,
                         role=role.label)]
    return []


def check_candidates(seat: Seat, role: Role, party: Party | None, person: Person, substitute: Person | None, *,
                     gender_reason: str | None = None, by: User | None = None, field: str = "substitute",
                     per_proposal: bool = False) -> None:
    """Refuse a nomination the seat cannot take. per_proposal: the gender rule is checked over the nominator's
    whole proposal for the body (a round's period page), not over this member and suppleant.

    field: the form field a refusal of the suppleant belongs to."""
    _nominator_fits(seat, party, by)
    if problem := role_problem(seat, role):
        raise RuleViolation(problem, field="role")
    if substitute is not None:
        if role is not Role.member:
            raise RuleViolation(_l("En personlig suppleant kan kun indstilles sammen med et medlem."),
                                field="substitute")
        if not seat.has_substitute:
            raise RuleViolation(_no_substitute(seat), field=field)
        if substitute.id == person.id:
            raise RuleViolation(_l("Medlem og suppleant skal være to forskellige personer."), field=field)
    if per_proposal:
        return
    people = [person] + ([substitute] if substitute else [])
    # Ligestillingsloven binds every proposer, an organisation as much as a party group.
    if (problem := gender_problem(seat, people)) and not (gender_reason or "").strip():
        raise RuleViolation(problem, field="gender_reason")


def submit(seat: Seat, role: Role, party: Party | None, person: Person, *, substitute: Person | None = None,
           motivation: str | None = None, gender_reason: str | None = None, by: User | None = None) -> Nomination:
    """A party group nominates a person (and a personal suppleant) for a seat and role.

    party None: the secretariat records the nomination of the organisation that nominates for the seat
    (seat.nominated_by), on its behalf.
    """
    check_candidates(seat, role, party, person, substitute, gender_reason=gender_reason, by=by)
    db.session.flush()  # new people get their ids
    call = open_call_for(seat, role, party) if party is not None else None
    nomination = Nomination(seat_id=seat.id, role=role, party_id=party.id if party else None,
                            nominated_by=None if party else seat.nominated_by, person_id=person.id,
                            substitute_id=substitute.id if substitute else None, call_id=call.id if call else None,
                            motivation=motivation or None, gender_reason=(gender_reason or "").strip() or None,
                            submitted_by_id=by.id if by else None, status=NominationStatus.submitted)
    db.session.add(nomination)
    db.session.flush()
    db.session.refresh(nomination)  # loads seat, party and people for the message
    notifications.nomination_changed(nomination)
    return nomination


def amend_candidate(person: Person, *, office: str | None, email: str | None, by: User,
                    fields: tuple[str, str] = ("new_office", "new_email")) -> Person:
    """The office (hverv) and e-mail given on a nomination for a person already registered, e.g. because the
    secretariat asked for them. Empty: unchanged.

    The secretariat may change anyone's, as on the person's own page. A party group may change those of its own
    party's people who have never held a seat: its own candidates, not yet public. Anyone else's details the
    secretariat keeps, and the refusal says so at the field (fields: the office's and the e-mail's), so that
    nothing typed is silently dropped."""
    office, email = (office or "").strip() or None, (email or "").strip() or None
    if office is None and email is None:
        return person
    field = fields[0] if office else fields[1]
    if person.anonymised_at is not None:
        raise RuleViolation(ANONYMISED_REFUSAL, field=field)
    if by.role is UserRole.party:
        public = db.session.scalar(sa.select(sa.exists().where(Appointment.person_id == person.id,
                                                               Appointment.status == Status.appointed)))
        if public or person.party_id is None or person.party_id != by.party_id:
            raise RuleViolation(_l("Hverv og e-mail for %(name)s retter sekretariatet, da personen har haft en "
                                   "plads eller ikke er registreret i partiet. Tøm feltet, og skriv oplysningen i "
                                   "motivationen.", name=person.name), field=field)
    if office is not None:
        person.office = office
    if email is not None:
        person.email = email
    db.session.flush()
    return person


def _editable(nomination: Nomination) -> None:
    if nomination.status not in EDITABLE:
        raise RuleViolation(_l("Indstillingen er %(status)s og kan ikke længere ændres.",
                               status=nomination.status.label))


def update(nomination: Nomination, *, person: Person, substitute: Person | None = None,
           motivation: str | None = None, gender_reason: str | None = None, version: int | None = None) -> Nomination:
    """The party group changes its nomination; a returned one is thereby submitted again."""
    check_version(nomination, version)
    _editable(nomination)
    check_candidates(nomination.seat, nomination.role, nomination.party, person, substitute,
                     gender_reason=gender_reason)
    db.session.flush()
    nomination.person_id = person.id
    nomination.substitute_id = substitute.id if substitute else None
    nomination.motivation = motivation or None
    nomination.gender_reason = (gender_reason or "").strip() or None
    resubmitted = nomination.status is NominationStatus.returned
    if nomination.status is not NominationStatus.draft:
        # A draft stays the group's own until it submits it (proposals.save).
        nomination.status = NominationStatus.submitted
    db.session.flush()
    db.session.expire(nomination, ["person", "substitute"])
    if resubmitted:
        notifications.nomination_changed(nomination)
    return nomination


def withdraw(nomination: Nomination, *, version: int | None = None) -> Nomination:
    check_version(nomination, version)
    _editable(nomination)
    nomination.status = NominationStatus.withdrawn
    db.session.flush()
    notifications.nomination_changed(nomination)
    return nomination


# The secretariat.

def return_to_party(nomination: Nomination, comment: str, *, version: int | None = None) -> Nomination:
    """Send a nomination back to the party group with the secretariat's comment; the group may change it."""
    check_version(nomination, version)
    if nomination.status is not NominationStatus.submitted:
        raise RuleViolation(_l("Kun en indsendt indstilling kan sendes retur; denne er %(status)s.",
                               status=nomination.status.label))
    if nomination.party_id is None:
        raise RuleViolation(_l("Indstillingen er fra %(nominator)s, som ikke har adgang til registret; den kan "
                               "ikke sendes retur.", nominator=nomination.nominator))
    if not comment.strip():
        raise RuleViolation(_l("Skriv en kommentar til partigruppen."), field="comment")
    nomination.status = NominationStatus.returned
    nomination.comment = comment.strip()
    db.session.flush()
    notifications.nomination_changed(nomination)
    return nomination


# Reading, for the pages.

def under_way(seat: Seat, role: Role, party: Party) -> Nomination | None:
    """The party group's nomination on its way for the seat and role, if it has one (a second would be a
    duplicate). A member's nomination that names a personal suppleant fills the suppleant's role too."""
    fills = Nomination.role == role
    if role is Role.substitute:
        fills = sa.or_(fills, sa.and_(Nomination.role == Role.member, Nomination.substitute_id.is_not(None)))
    return db.session.scalars(
        sa.select(Nomination).where(Nomination.seat_id == seat.id, Nomination.party_id == party.id,
                                    Nomination.status.in_(UNDER_WAY), fills)
        .order_by(Nomination.id.desc())).first()


def nominations_for(user, *, statuses: tuple[NominationStatus, ...] | None = None) -> list[Nomination]:
    """The nominations the user may see, newest first."""
    stmt = (sa.select(Nomination).where(visible_to(user))
            .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.party),
                     joinedload(Nomination.person), joinedload(Nomination.substitute),
                     joinedload(Nomination.item).joinedload(AgendaItem.meeting))
            .order_by(Nomination.submitted_at.desc(), Nomination.id.desc()))
    if statuses:
        stmt = stmt.where(Nomination.status.in_(statuses))
    return list(db.session.scalars(stmt))


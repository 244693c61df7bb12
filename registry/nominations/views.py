"""The party groups' side of nominations (indstillinger) and the secretariat's intake: calls, returns.

Two layers of authorisation: a role decorator on every view, and
services.get_visible for every nomination, so that a party group gets a 404
for another party's nomination, never a hint that it exists. A party group
always nominates for its own party, whatever is posted. On a seat an
organisation nominates for, the secretariat records the organisation's
nomination: the form asks for no party group. Every change goes through
nominations/services.py and is committed once; a refusal is shown on the form
and nothing is saved.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload

from registry.appointments.forms import seat_choices
from registry.appointments.models import Role
from registry.appointments.services import role_problem, seats_to_choose
from registry.auth.models import UserRole
from registry.auth.permissions import SECRETARIAT, is_secretariat, role_required
from registry.dates import today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.forms import show_refusal
from registry.http import MAX_ID, bad_request, commit, conflict_page, id_param
from registry.nominations import outlook, proposals, services
from registry.nominations import period as round_rules
from registry.nominations.forms import (
    EXISTING,
    NEW,
    NONE,
    CallForm,
    NominationForm,
    PeriodCallsForm,
    ReturnForm,
    SeatForm,
    WithdrawForm,
    nomination_seat_choices,
    party_choices,
    proposal_form,
)
from registry.nominations.models import DECIDED, LONG_PENDING, Call, CallReason, Nomination, NominationStatus
from registry.notifications import services as notifications
from registry.organisations.models import Seat
from registry.organisations.services import default_period, election_periods, period_named, period_on
from registry.people import services as people
from registry.people.models import Gender, Party, Person
from registry.search.services import LOOSE, loosen
from registry.types import search_key

bp = Blueprint("nominations", __name__)

# Who works with nominations: the party groups and the secretariat. A viewer reads the registry, not these.
NOMINATORS = (UserRole.party, *SECRETARIAT)
# The list the secretariat sees first: what waits for it to act. A nomination to put on an agenda or send back,
# one on an agenda waiting for KKR's decision, and KKR's recommendation waiting for the outside authority, whose
# appointment the secretariat records; a returned one waits for the party group.
NEEDS_ACTION = (NominationStatus.submitted, NominationStatus.on_agenda, NominationStatus.pending)
ACTION, ALL = "handling", "alle"
# The most people a list of the nomination form offers at once; the search narrows it.
PICKER_SIZE = 50
# The form's search buttons (name="handling"): show the form again with the list narrowed, save nothing.
SEARCH_CANDIDATE, SEARCH_SUBSTITUTE = "soeg-kandidat", "soeg-suppleant"
SEARCHES = (SEARCH_CANDIDATE, SEARCH_SUBSTITUTE)
# Ids in URLs within the database's integer range: a larger one is a 404, not a database error.


def changed_meanwhile() -> str:
    return _("Indstillingen er ændret, mens du havde formularen åben. Se de nye oplysninger, og prøv igen.")


def _nomination(nomination_id: int) -> Nomination:
    """The nomination if the current user may see it; 404 otherwise (another party's included)."""
    return services.get_visible(nomination_id, current_user) or abort(404)


def _own_party() -> Party | None:
    return current_user.party if current_user.role is UserRole.party else None


# The party group's page.

@bp.get("/partigruppe")
@role_required(*NOMINATORS)
def party_home():
    """The seats the party holds this election period, its open calls and its nominations.
    The secretariat sees any party's page with ?parti=<letter>."""
    party = _own_party()
    if party is None:
        key = request.args.get("parti", "").strip()
        if not key:
            return render_template("nominations/parties.html", parties=people.parties())
        possible = len(key) <= 10 and not (key.isascii() and key.isdigit() and int(key) > MAX_ID)
        party = (people.find_party(key) if possible else None) or abort(404)
    nominations = db.session.scalars(
        sa.select(Nomination).where(services.visible_to(current_user), Nomination.party_id == party.id)
        .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.person),
                 joinedload(Nomination.substitute))
        .order_by(Nomination.submitted_at.desc(), Nomination.id.desc())).all()
    return render_template("nominations/party_home.html", party=party,
                           held=outlook.seats_of(party, viewer=current_user),
                           calls=outlook.open_calls(party, viewer=current_user), nominations=nominations,
                           today=today(), roles=Role, is_party=current_user.role is UserRole.party)


# The party group's proposal for an election period's round.

@bp.route("/partigruppe/valgperiode", methods=["GET", "POST"])
@role_required(UserRole.party)
def period_proposal():
    """Every seat the group holds in the period (?periode=<id>; by default the one being re-filled: from the
    round's start after the election, the next), by body: member and suppleant in one form, kept as drafts
    until the group submits them all."""
    party = current_user.party or abort(403)
    periods = election_periods()
    period_id = id_param("periode")
    period = (next((p for p in periods if p.id == period_id), None) or abort(404) if period_id is not None
              else default_period(today() + round_rules.ROUND_LEAD))
    if period is None:
        return render_template("nominations/period.html", party=party, period=None, periods=periods)
    bodies = proposals.proposal(party, period)
    people_list = proposals.people_to_choose(party, bodies)
    form = proposal_form(bodies, people_list, _proposal_data(bodies) if request.method == "GET" else None)
    if form.validate_on_submit():
        action = request.form.get("handling", "gem")
        chosen = _chosen(form, bodies, {person.id: person for person in people_list}, action)
        reasons = {body.organisation.id: form[f"reason_{body.organisation.id}"].data
                   for body in bodies if f"reason_{body.organisation.id}" in form}
        try:
            sent = commit(lambda: proposals.save(party, period, chosen, reasons, submit=action == "indsend",
                                                 by=current_user))
        except (RuleViolation, Conflict) as error:
            _refused(form, error)
        else:
            notifications.deliver_after_commit()
            if sent:
                flash(ngettext("%(num)d indstilling er sendt til sekretariatet.",
                               "%(num)d indstillinger er sendt til sekretariatet.", len(sent)), "success")
            else:
                flash(_("Kladden er gemt. Sekretariatet ser den først, når I indsender."), "success")
            return redirect(url_for("nominations.period_proposal", periode=period.id))
    return render_template("nominations/period.html", party=party, period=period, periods=periods, bodies=bodies,
                           form=form, today=today())


def _proposal_data(bodies) -> dict:
    """The form as saved: each seat's nominated member and suppleant, and each body's særlige grunde."""
    data = {}
    for body in bodies:
        data[f"reason_{body.organisation.id}"] = body.reason
        for proposed in body.seats:
            if proposed.nomination is not None:
                data[f"member_{proposed.seat.id}"] = proposed.nomination.person_id
                data[f"substitute_{proposed.seat.id}"] = proposed.nomination.substitute_id
    return data


def _chosen(form, bodies, people_by_id: dict, action: str) -> dict[int, proposals.Choice]:
    """Each changeable seat's choice as posted; "genindstil-<seat>" puts the seat's current holders in it."""
    chosen = {}
    for body in bodies:
        for proposed in body.seats:
            seat_id = proposed.seat.id
            if f"member_{seat_id}" not in form:
                continue
            if action == f"genindstil-{seat_id}":
                chosen[seat_id] = proposals.reappoint(proposed)
                continue
            substitute = form[f"substitute_{seat_id}"].data if f"substitute_{seat_id}" in form else None
            chosen[seat_id] = proposals.Choice(people_by_id.get(form[f"member_{seat_id}"].data),
                                               people_by_id.get(substitute))
    return chosen


# Nominations: list, detail, submit, edit, withdraw, return.

@bp.get("/indstillinger")
@role_required(*NOMINATORS)
def index():
    """A party group: its own nominations. The secretariat: by ?status, by default what waits for it to act
    (NEEDS_ACTION), with every status one click away."""
    status = None
    if is_secretariat():
        status = request.args.get("status", ACTION)
        if status not in (ACTION, ALL) and status not in {s.value for s in NominationStatus}:
            bad_request(_("Ukendt status."))
    statuses = NEEDS_ACTION if status == ACTION else (NominationStatus(status),) if status not in (None, ALL) else None
    return render_template("nominations/index.html", nominations=services.nominations_for(current_user,
                                                                                          statuses=statuses),
                           status=status, statuses=[s for s in NominationStatus if s is not NominationStatus.draft],
                           all_value=ALL, action_value=ACTION, needs_action=NEEDS_ACTION, long_pending=LONG_PENDING)


@bp.get("/indstillinger/<int:nomination_id>")
@role_required(*NOMINATORS)
def detail(nomination_id: int):
    nomination = _nomination(nomination_id)
    found = []
    if nomination.status not in DECIDED and nomination.status is not NominationStatus.withdrawn:
        found = services.warnings(nomination.seat, nomination.role, nomination.party,
                                  [person for person, _role in nomination.candidates], viewer=current_user,
                                  nomination=nomination)
    return render_template("nominations/detail.html", nomination=nomination, warnings=found,
                           is_party=current_user.role is UserRole.party, statuses=NominationStatus)


# The nomination form: step 1 chooses the seat and role (GET ?plads=&rolle=), step 2 is the nomination for it.

@dataclass
class Picker:
    """The people one list of the form offers: those matching the search (at most PICKER_SIZE), and the one
    already chosen."""

    people: list[Person]
    search: str
    more: bool


def _loosened(column):
    for spelled, letter in LOOSE:
        column = sa.func.replace(column, spelled, letter)
    return column


def _picker(search: str | None, chosen: int | None, nomination: Nomination | None) -> Picker:
    """Everyone, for the secretariat. A party group: the public people (who hold or have held a seat), its own
    party's, and those already on the nomination; not the new candidates of another party's nominations.
    Narrowed by the search as /soeg searches (part of the name, with or without the Danish letters), so that
    the list stays short with thousands of people. Two queries."""
    party = _own_party()
    allowed = sa.select(Person).options(joinedload(Person.municipality), joinedload(Person.party))
    if party is not None:
        named = [i for i in (nomination.person_id, nomination.substitute_id) if i] if nomination else []
        allowed = allowed.where(sa.or_(people.has_held_a_seat(), Person.party_id == party.id, Person.id.in_(named)))
    # Control characters (a NUL, a bidirectional override) are no part of a name, and PostgreSQL refuses a NUL.
    search = " ".join("".join(c for c in (search or "") if c.isprintable() or c.isspace()).split())
    stmt = allowed.where(Person.anonymised_at.is_(None))
    if needle := loosen(search_key(search)):
        stmt = stmt.where(_loosened(Person.search_name).contains(needle, autoescape=True))
    found = list(db.session.scalars(stmt.order_by(Person.sort_name, Person.id).limit(PICKER_SIZE + 1)))
    more = len(found) > PICKER_SIZE
    found = found[:PICKER_SIZE]
    if chosen is not None and chosen <= MAX_ID and chosen not in {person.id for person in found}:
        found += db.session.scalars(allowed.where(Person.id == chosen))
    return Picker(sorted(found, key=lambda person: (person.sort_name, person.id)), search, more)


def _nomination_form(nomination: Nomination | None, seats: list[Seat]) -> tuple[NominationForm, Picker, Picker]:
    """The form with its choices: seats (for validation: every seat the user may post), the people to pick."""
    form = NominationForm(version=nomination.version if nomination else None)
    if nomination is not None:
        # The seat, role and party of a nomination stay; another seat is another nomination.
        del form.seat, form.role, form.party
        if request.method == "GET":
            form.person.data = nomination.person_id
            form.substitute.data = nomination.substitute_id
            form.motivation.data = nomination.motivation
            form.gender_reason.data = nomination.gender_reason
    elif _own_party() is not None:
        del form.party  # a party group nominates for its own party, never for one it posts
    if request.method == "GET":
        form.candidate.data = EXISTING
        form.sub_candidate.data = EXISTING if form.substitute.data else NONE
        form.person_search.data = request.args.get("soeg", "")[:200]
    searching = request.form.get("handling")
    if searching == SEARCH_CANDIDATE:
        form.candidate.data = EXISTING
    elif searching == SEARCH_SUBSTITUTE:
        form.sub_candidate.data = EXISTING
    pickers = (_picker(form.person_search.data, form.person.data, nomination),
               _picker(form.sub_search.data, form.substitute.data, nomination))
    form.set_choices(seats=seats, people=pickers[0].people, substitutes=pickers[1].people,
                     municipalities=people.municipalities(), parties=people.parties())
    return form, *pickers


def _candidate(form: NominationForm, prefix: str, kind: str, chosen: int | None, party: Party | None) -> Person | None:
    """The person chosen (with the office and e-mail given for them, where the user may give them), or a new one
    created from the prefix's fields (registered as the party's, if any); None for no suppleant."""
    office, email = form[f"{prefix}_office"].data, form[f"{prefix}_email"].data
    if kind == EXISTING:
        return services.amend_candidate(db.session.get(Person, chosen), office=office, email=email, by=current_user,
                                        fields=(f"{prefix}_office", f"{prefix}_email"))
    if kind != NEW:
        return None
    gender = form[f"{prefix}_gender"].data
    try:
        return people.save(None, name=form[f"{prefix}_name"].data.strip(),
                           municipality_id=form[f"{prefix}_municipality"].data,
                           party_id=party.id if party else None, office=(office or "").strip() or None,
                           gender=Gender(gender) if gender else None, email=(email or "").strip() or None)
    except RuleViolation as refused:
        raise RuleViolation(str(refused), field=f"{prefix}_{refused.field}" if refused.field else None) from None


def _refused(form, error: Exception) -> None:
    if isinstance(error, RuleViolation):
        show_refusal(form, error)
    else:
        form.form_errors.append(changed_meanwhile())


def _choosable(party: Party | None) -> tuple[list[Seat], dict[int, Seat]]:
    """The seats step 1 offers, and every seat the user may post. A party group is offered its own seats this
    period that need a nomination and have none on its way; any other seat it may still post or link to, with the
    warnings the secretariat would otherwise give by hand (services.warnings), but not a second nomination for a
    seat and role it has one on its way for."""
    seats = seats_to_choose()
    if party is None:
        return seats, {seat.id: seat for seat in seats}
    offered = [row.seat for row in outlook.seats_of(party, viewer=current_user) if row.open_roles]
    return offered, {seat.id: seat for seat in seats}


def _role_problem(seat: Seat, role: Role | None, party: Party | None) -> str | None:
    """Why the seat takes no nomination in the role from this user: it has no such role, or the party group has
    a nomination on its way for it already."""
    if role is None:
        return None
    if problem := role_problem(seat, role):
        return str(problem)
    if party is not None and (nomination := services.under_way(seat, role, party)) is not None:
        return _("Partigruppen har allerede en indstilling til pladsen som %(role)s (%(status)s). Ret den, eller "
                 "træk den tilbage, i stedet for at indstille igen.", role=role.label, status=nomination.status.label)
    return None


def _step_one(seats: list[Seat], *, seat_error: str | None = None, role_error: str | None = None,
              seat: Seat | None = None, role: str | None = None):
    form = SeatForm(formdata=None, plads=seat.id if seat else None, rolle=role or Role.member.value)
    form.plads.choices = nomination_seat_choices(seats)
    if seat_error:
        form.plads.errors = [seat_error]
    if role_error:
        form.rolle.errors = [role_error]
    return render_template("nominations/seat_step.html", form=form, seats=seats, is_party=_own_party() is not None)


def _posted_role(value) -> Role | None:
    return Role(value) if value in {role.value for role in Role} else None


@bp.route("/indstillinger/ny", methods=["GET", "POST"])
@role_required(*NOMINATORS)
def create():
    """A party group nominates; the secretariat registers a party group's nomination, or on a seat an
    organisation nominates for, the organisation's: then the form shows the organisation and asks for no party.

    Step 1 (no seat yet, or one that cannot be chosen) chooses the seat and role; step 2 asks what that seat
    needs: a suppleant only where it has one, særlige grunde only where ligestillingsloven covers its body,
    which the page says before anything is sent."""
    party = _own_party()
    offered, known = _choosable(party)
    if request.method == "GET":
        seat_id, role_value = id_param("plads", prefill=True), request.args.get("rolle") or Role.member.value
        seat = known.get(seat_id)
        if seat is None:
            return _step_one(offered, seat_error=_("Vælg en af mulighederne.") if request.args.get("plads") else None)
        role = _posted_role(role_value)
        if role is None:
            return _step_one(offered, seat=seat, role=None, role_error=_("Vælg en af mulighederne."))
        if problem := _role_problem(seat, role, party):
            # A seat not offered is not in the list: the reason goes with the list, not with the role.
            if seat in offered:
                return _step_one(offered, seat=seat, role=role.value, role_error=problem)
            return _step_one(offered, role=role.value, seat_error=problem)
    form, picker, sub_picker = _nomination_form(None, list(known.values()))
    if request.method == "GET":
        form.seat.data, form.role.data = seat.id, role.value
    seat = known.get(form.seat.data)
    if seat is None:
        return _step_one(offered, seat_error=_("Vælg en af mulighederne."))
    role = _posted_role(form.role.data)
    nominator = None
    if form.party is not None and not seat.party_nominates:
        # An organisation nominates (or another appointer fills the seat, which the service refuses).
        del form.party
        nominator = seat.nominated_by if seat.kkr_fills else None
    elif form.party is not None and request.method == "GET":
        allocation = services.allocation_on(seat, today())
        form.party.data = allocation.party_id if allocation else None
    if request.form.get("handling") not in SEARCHES and form.validate_on_submit():
        if problem := _role_problem(seat, role, party):
            form.role.errors.append(problem)
        elif (nomination := _submit(form, seat, role, party)) is not None:
            return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    return render_template("nominations/form.html", **_form_page(form, seat, role, None, picker, sub_picker),
                           nominator=nominator)


def _submit(form: NominationForm, seat: Seat, role: Role, party: Party | None) -> Nomination | None:
    """Submit the nomination as the form says, and commit; None, with the refusal on the form, when refused."""
    nominating = party or (db.session.get(Party, form.party.data) if form.party is not None else None)

    def submit() -> Nomination:
        person = _candidate(form, "new", form.candidate.data, form.person.data, nominating)
        substitute = _candidate(form, "sub", form.sub_candidate.data, form.substitute.data, nominating)
        return services.submit(seat, role, nominating, person, substitute=substitute,
                               motivation=(form.motivation.data or "").strip() or None,
                               gender_reason=form.gender_reason.data, by=current_user)

    try:
        nomination = commit(submit)
    except (RuleViolation, Conflict) as error:
        _refused(form, error)
        return None
    notifications.deliver_after_commit()
    if nomination.party_id is None:
        flash(_("Indstillingen af %(name)s fra %(nominator)s er registreret.", name=nomination.person.name,
                nominator=nomination.nominator), "success")
    else:
        flash(_("Indstillingen af %(name)s er sendt til sekretariatet.", name=nomination.person.name), "success")
    return nomination


def _form_page(form, seat: Seat, role: Role | None, nomination: Nomination | None, picker: Picker,
               sub_picker: Picker) -> dict:
    # Not "role": base.html sets that name for the header.
    return {"form": form, "seat": seat, "seat_role": role, "nomination": nomination, "picker": picker,
            "sub_picker": sub_picker, "picker_size": PICKER_SIZE,
            "takes_substitute": role is Role.member and seat.has_substitute}


def _not_editable(nomination: Nomination):
    flash(_("Indstillingen er %(status)s og kan ikke længere ændres.", status=nomination.status.label), "error")
    return redirect(url_for("nominations.detail", nomination_id=nomination.id))


@bp.route("/indstillinger/<int:nomination_id>/ret", methods=["GET", "POST"])
@role_required(UserRole.party)
def edit(nomination_id: int):
    nomination = _nomination(nomination_id)
    if not nomination.is_editable:
        return _not_editable(nomination)
    form, picker, sub_picker = _nomination_form(nomination, [])
    page = _form_page(form, nomination.seat, nomination.role, nomination, picker, sub_picker)
    if request.form.get("handling") not in SEARCHES and form.validate_on_submit():

        def update() -> Nomination:
            person = _candidate(form, "new", form.candidate.data, form.person.data, nomination.party)
            substitute = _candidate(form, "sub", form.sub_candidate.data, form.substitute.data, nomination.party)
            return services.update(nomination, person=person, substitute=substitute,
                                   motivation=(form.motivation.data or "").strip() or None,
                                   gender_reason=form.gender_reason.data, version=form.version.data)

        try:
            commit(update)
        except RuleViolation as error:
            _refused(form, error)
        except Conflict:
            page.pop("form")
            return conflict_page(form, nomination, "nominations/form.html", changed_meanwhile(), **page)
        else:
            notifications.deliver_after_commit()
            flash(_("Indstillingen er gemt og sendt til sekretariatet."), "success")
            return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    return render_template("nominations/form.html", **page)


@bp.route("/indstillinger/<int:nomination_id>/traek-tilbage", methods=["GET", "POST"])
@role_required(*NOMINATORS)
def withdraw(nomination_id: int):
    """The party group withdraws its own nomination; the secretariat an organisation's, on its word (the
    organisation has no login). A party group's nomination is the group's alone to withdraw."""
    nomination = _nomination(nomination_id)
    if is_secretariat() and nomination.party_id is not None:
        abort(403)
    if not nomination.is_editable:
        return _not_editable(nomination)
    form = WithdrawForm(version=nomination.version)
    if form.validate_on_submit():
        try:
            commit(lambda: services.withdraw(nomination, version=form.version.data))
        except RuleViolation as error:
            _refused(form, error)
        except Conflict:
            return conflict_page(form, nomination, "nominations/withdraw.html", changed_meanwhile(),
                                 nomination=nomination)
        else:
            notifications.deliver_after_commit()
            flash(_("Indstillingen er trukket tilbage."), "success")
            return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    return render_template("nominations/withdraw.html", form=form, nomination=nomination)


@bp.route("/indstillinger/<int:nomination_id>/retur", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def return_(nomination_id: int):
    """Send the nomination back to the party group with a comment; the group may change it and send it again."""
    nomination = _nomination(nomination_id)
    if nomination.status is not NominationStatus.submitted:
        flash(_("Kun en indsendt indstilling kan sendes retur; denne er %(status)s.",
                status=nomination.status.label), "error")
        return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    if nomination.party is None:
        flash(_("Indstillingen er fra %(nominator)s, som ikke har adgang til registret; den kan ikke sendes retur.",
                nominator=nomination.nominator), "error")
        return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    form = ReturnForm(version=nomination.version)
    if form.validate_on_submit():
        try:
            commit(lambda: services.return_to_party(nomination, form.comment.data, version=form.version.data))
        except RuleViolation as error:
            _refused(form, error)
        except Conflict:
            return conflict_page(form, nomination, "nominations/return.html", changed_meanwhile(),
                                 nomination=nomination)
        else:
            notifications.deliver_after_commit()
            flash(_("Indstillingen er sendt retur til %(party)s.", party=nomination.party.name), "success")
            return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    return render_template("nominations/return.html", form=form, nomination=nomination)


# Calls for nominations (opfordringer).

@bp.get("/opfordringer")
@role_required(*NOMINATORS)
def calls():
    """The open calls: the secretariat sees all, a party group those to it."""
    return render_template("nominations/calls.html", calls=outlook.open_calls(_own_party(), viewer=current_user),
                           is_party=current_user.role is UserRole.party)


@bp.route("/opfordringer/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def open_call():
    form = CallForm()
    form.seat.choices = seat_choices(seats_to_choose())
    form.party.choices = party_choices(people.parties(), _("Partigruppen med pladsen"))
    if request.method == "GET":
        form.seat.data = id_param("plads", prefill=True)
        if request.args.get("rolle") in {role.value for role in Role}:
            form.role.data = request.args["rolle"]
    if form.validate_on_submit():
        seat = db.session.get(Seat, form.seat.data)
        party = db.session.get(Party, form.party.data) if form.party.data else None
        try:
            call = commit(lambda: services.open_call(seat, Role(form.role.data), CallReason(form.reason.data),
                                                     form.deadline.data, party=party,
                                                     note=(form.note.data or "").strip() or None))
        except (RuleViolation, Conflict) as error:
            _refused(form, error)
        else:
            notifications.deliver_after_commit()
            flash(_("Opfordringen er sendt til %(party)s.", party=call.party.name), "success")
            return redirect(url_for("nominations.calls"))
    return render_template("nominations/call_form.html", form=form)


@bp.post("/opfordringer/<int:call_id>/luk")
@role_required(*SECRETARIAT)
def close_call(call_id: int):
    call = db.get_or_404(Call, call_id)
    try:
        commit(lambda: services.close_call(call))
    except Conflict:
        flash(_("Opfordringen er ændret af en anden imens. Prøv igen."), "error")
    else:
        notifications.deliver_after_commit()
        flash(_("Opfordringen til %(party)s er lukket.", party=call.party.name), "success")
    return redirect(url_for("nominations.calls"))


@bp.route("/opfordringer/valgperiode", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def period_calls():
    """One step for the whole round: a call to each party group for every seat allocated to it in the period,
    one deadline, one e-mail per group. Shows how many calls are missing; opening them again opens only those."""
    periods = election_periods()
    form = PeriodCallsForm()
    form.period.choices = [("", _("Vælg en valgperiode"))] + [(p.id, p.name) for p in periods]
    if request.method == "GET":
        chosen = request.args.get("periode")
        period = period_named(chosen) if chosen else period_on(today())
        form.period.data = period.id if period else None
    period = next((period for period in periods if period.id == form.period.data), None)
    if form.validate_on_submit() and period is not None:
        try:
            calls = commit(lambda: round_rules.open_period_calls(period, form.deadline.data,
                                                                 note=(form.note.data or "").strip() or None))
        except (RuleViolation, Conflict) as error:
            _refused(form, error)
        else:
            notifications.deliver_after_commit()
            if calls:
                parties = len({call.party_id for call in calls})
                flash(_("Der er sendt %(calls)s til %(parties)s.",
                        calls=ngettext("%(num)d opfordring", "%(num)d opfordringer", len(calls)),
                        parties=ngettext("%(num)d partigruppe", "%(num)d partigrupper", parties)), "success")
            else:
                flash(_("Alle fordelte pladser i valgperioden har allerede en opfordring; der er ikke sendt flere."),
                      "info")
            return redirect(url_for("dashboard.round_", periode=period.name))
    missing = round_rules.missing_calls(period) if period is not None else []
    return render_template("nominations/period_calls.html", form=form, period=period, periods=periods,
                           missing=missing, parties=len({allocation.party_id for allocation, _role in missing}))

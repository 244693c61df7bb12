import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from registry.appointments.models import Role
from registry.auth.permissions import SECRETARIAT, role_required
from registry.dates import local_date, today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.forms import show_refusal
from registry.http import as_of_param, commit, conflict_page, id_param, page_param
from registry.meetings import history
from registry.organisations import balance, services, terms
from registry.organisations.composition import composition
from registry.organisations.forms import (
    AllocationForm,
    CloseOrganisationForm,
    NewOrganisationForm,
    OrganisationForm,
    RetireSeatForm,
    SeatForm,
    choices,
)
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation, SeatKind
from registry.organisations.rosters import Roster, organisation_page, rosters_on
from registry.paging import numbered
from registry.people import services as people
from registry.people.models import Party

bp = Blueprint("organisations", __name__)

ORGANISATION_CHANGED = _l("Organisationen er ændret af en anden, mens du havde formularen åben. "
                          "Se de nye oplysninger, og prøv igen.")
SEAT_CHANGED = _l("Pladsen er ændret af en anden, mens du havde formularen åben. Se de nye oplysninger, og prøv igen.")

PER_PAGE = 50
# The latest KKR decisions shown on an organisation's page; the rest are on /beslutninger.
LATEST_DECISIONS = 5


@bp.get("/")
def index():
    """The bodies open on the day with their holders, a page at a time by name: ?efter=<body> continues after
    the last body shown, ?foer=<body> goes back before the first."""
    day = as_of_param()
    page = rosters_on(day, after=id_param("efter"), before=id_param("foer")) or abort(404)
    return render_template("organisations/index.html", page=page, rosters=page.rosters, day=day,
                           is_today=day == today())


@bp.get("/organisationer")
def list_all():
    """Every body, closed ones too, a page at a time."""
    page = numbered(sa.select(Organisation).options(joinedload(Organisation.successor))
                    .order_by(Organisation.sort_name, Organisation.id), page_param(), PER_PAGE)
    return render_template("organisations/list.html", organisations=page.items, page=page, today=today())


@bp.get("/balance")
def balance_report():
    """Every body's gender and party balance on a day: aggregates, withheld where they would reveal a member's
    gender (organisations/balance.py)."""
    day = as_of_param()
    return render_template("organisations/balance.html", balances=balance.balances_on(day), day=day,
                           is_today=day == today())


@bp.get("/organisationer/<int:organisation_id>")
def detail(organisation_id: int):
    """The body on a day (?as_of=) and its history a page at a time, the latest first: ?historik=<appointment>
    continues with the appointments older than that one."""
    organisation = _organisation(organisation_id)
    day = as_of_param()
    older_than = id_param("historik")
    is_open = ((organisation.start_date is None or organisation.start_date <= day)
               and (organisation.end_date is None or day <= organisation.end_date))
    # Each with its first few people: one decision may seat the whole body, period after period.
    decisions = history.window(history.Selection(organisation_id=organisation.id), size=LATEST_DECISIONS).items
    # Each holder's last day, entered or expected by the body's term rules.
    periods = services.election_periods()
    page = organisation_page(organisation, day, periods, older_than=older_than) or abort(404)
    ends = {appointment.id: terms.expected_end(appointment, periods) for held in page.roster.seats
            for appointment in (held.member, held.substitute) if appointment is not None}
    on_day = balance.balance_of(organisation, day) if is_open else None
    return render_template("organisations/detail.html", organisation=organisation, page=page, ends=ends, day=day,
                           is_open=is_open, is_today=day == today(), today_date=today(), decisions=decisions,
                           balance=on_day, composition=composition(on_day, page, day, periods) if on_day else None,
                           vacant=_vacant(page.roster) if is_open and day == today() else [])


@bp.route("/organisationer/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def create():
    form = NewOrganisationForm()
    if form.validate_on_submit():
        saved = _save(form, lambda: services.create_organisation(**form.values()))
        if saved is not None:
            if saved.seats:
                flash(ngettext("%(name)s er oprettet med %(num)d plads.", "%(name)s er oprettet med %(num)d pladser.",
                               len(saved.seats), name=saved.name), "success")
            else:
                flash(_("%(name)s er oprettet. Tilføj nu organisationens pladser.", name=saved.name), "success")
            return redirect(url_for("organisations.detail", organisation_id=saved.id))
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/organisationer/<int:organisation_id>/rediger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def edit(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = OrganisationForm(data=_organisation_data(organisation))
    if form.validate_on_submit():
        saved = _save(form, lambda: services.update_organisation(organisation, version=form.version.data,
                                                                 **form.values()))
        if saved is not None:
            flash(_("%(name)s er gemt.", name=saved.name), "success")
            return redirect(url_for("organisations.detail", organisation_id=saved.id))
    return _form_page("organisations/form.html", form, organisation, organisation=organisation)


@bp.route("/organisationer/<int:organisation_id>/nedlaeg", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def close(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = CloseOrganisationForm(data={"version": organisation.version, "end_date": organisation.end_date,
                                       "successor": organisation.successor_id or 0, "end_appointments": "nej"})
    others = db.session.execute(sa.select(Organisation.id, Organisation.name)
                                .where(Organisation.id != organisation.id).order_by(Organisation.sort_name)).all()
    form.successor.choices = choices([(0, _("Ingen"))] + [(row.id, row.name) for row in others])
    if form.validate_on_submit():
        successor = db.session.get(Organisation, form.successor.data) if form.successor.data else None
        ended = _save(form, lambda: services.close_organisation(
            organisation, form.end_date.data, successor=successor,
            end_appointments=form.end_appointments.data == "ja", version=form.version.data))
        if ended is not None:
            message = _("%(name)s er nedlagt pr. %(day)s.", name=organisation.name, day=local_date(form.end_date.data))
            if ended:
                message += " " + ngettext("%(num)d udpegning er afsluttet samme dag.",
                                          "%(num)d udpegninger er afsluttet samme dag.", len(ended))
            flash(message, "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return _form_page("organisations/close.html", form, organisation, organisation=organisation)


@bp.route("/organisationer/<int:organisation_id>/pladser/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def create_seat(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = SeatForm()
    if form.validate_on_submit():
        saved = _save(form, lambda: services.add_seat(organisation, **form.values()))
        if saved is not None:
            flash(_("Pladsen %(label)s er oprettet.", label=saved.label), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/seat_form.html", form=form, organisation=organisation, seat=None)


@bp.route("/organisationer/<int:organisation_id>/pladser/<int:seat_id>/rediger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def edit_seat(organisation_id: int, seat_id: int):
    seat = _seat(organisation_id, seat_id)
    form = SeatForm(data={"version": seat.version, "label": seat.label, "position": seat.position,
                          "has_substitute": "ja" if seat.has_substitute else "nej",
                          "start_date": seat.start_date, "note": seat.note, "kind": seat.kind.value,
                          "ex_officio": seat.ex_officio, "pool_rank": seat.pool_rank,
                          "filled_by": seat.filled_by.value, "appointing_authority": seat.appointing_authority,
                          "authority_is_external": "" if seat.authority_is_external is None
                          else "ja" if seat.authority_is_external else "nej",
                          "nominated_by": seat.nominated_by})
    if form.validate_on_submit():
        saved = _save(form, lambda: services.update_seat(seat, version=form.version.data, **form.values()))
        if saved is not None:
            flash(_("Pladsen %(label)s er gemt.", label=saved.label), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation_id))
    return _form_page("organisations/seat_form.html", form, seat, organisation=seat.organisation, seat=seat)


@bp.route("/organisationer/<int:organisation_id>/pladser/<int:seat_id>/nedlaeg", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def retire_seat(organisation_id: int, seat_id: int):
    seat = _seat(organisation_id, seat_id)
    form = RetireSeatForm(data={"version": seat.version, "end_date": seat.end_date})
    if form.validate_on_submit():
        saved = _save(form, lambda: services.retire_seat(seat, form.end_date.data, version=form.version.data))
        if saved is not None:
            flash(_("Pladsen %(label)s er nedlagt pr. %(day)s.", label=saved.label, day=local_date(saved.end_date)),
                  "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation_id))
    return _form_page("organisations/seat_retire.html", form, seat, organisation=seat.organisation, seat=seat)


@bp.route("/organisationer/<int:organisation_id>/pladser/<int:seat_id>/partigrupper", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def allocations(organisation_id: int, seat_id: int):
    """Which party group holds the seat in each election period (valgperiode). The form opens on the period
    containing today (else the next, else the last), with the party group that holds the seat in it."""
    seat = _seat(organisation_id, seat_id)
    periods = services.election_periods()
    held = db.session.scalars(sa.select(SeatAllocation).where(SeatAllocation.seat_id == seat.id)
                              .options(joinedload(SeatAllocation.party))).all()
    by_period = {allocation.period_id: allocation for allocation in held}
    current = services.default_period(today())
    form = AllocationForm()
    form.period.choices = choices((period.id, period.name) for period in periods)
    form.party.choices = choices([(0, _("Ingen"))]
                                 + [(party.id, f"{party.letter} – {party.name}") for party in people.parties()])
    if request.method == "GET" and current is not None:
        form.period.data = current.id
        form.party.data = by_period[current.id].party_id if current.id in by_period else 0
    if form.validate_on_submit():
        period = db.session.get(ElectionPeriod, form.period.data)
        party = db.session.get(Party, form.party.data) if form.party.data else None
        def change():
            services.allocate(seat, period, party)  # None when the party group is removed
            return period

        if _save(form, change) is not None:
            flash(_("Fordelingen for %(period)s er gemt.", period=period.name), "success")
            return redirect(url_for("organisations.allocations", organisation_id=organisation_id, seat_id=seat_id))
    return render_template("organisations/allocations.html", form=form, organisation=seat.organisation, seat=seat,
                           periods=periods, by_period=by_period, current=current)


def _vacant(roster: Roster) -> list[tuple[Seat, Role]]:
    """The roles open today on the seats a party group nominates for: what a call for nominations can ask for."""
    vacant = []
    for held in roster.seats + roster.pool:
        seat = held.seat
        if not seat.party_nominates:
            continue
        if seat.kind is not SeatKind.pooled_substitute and held.member is None:
            vacant.append((seat, Role.member))
        if (seat.has_substitute or seat.kind is SeatKind.pooled_substitute) and held.substitute is None:
            vacant.append((seat, Role.substitute))
    return vacant


def _save(form, change):
    """Run the service and commit, and return what it returned; None when refused (the refusal is on the form)
    or when someone else saved meanwhile (form.conflict_with names the record)."""
    try:
        return commit(change)
    except RuleViolation as refused:
        show_refusal(form, refused)
    except Conflict:
        form.conflict = True
    return None


def _form_page(template: str, form, row: Organisation | Seat | None, **context):
    if getattr(form, "conflict", False) and row is not None:
        message = ORGANISATION_CHANGED if isinstance(row, Organisation) else SEAT_CHANGED
        return conflict_page(form, row, template, message, **context)
    return render_template(template, form=form, **context)


def _organisation(organisation_id: int) -> Organisation:
    return db.get_or_404(Organisation, organisation_id)


def _seat(organisation_id: int, seat_id: int) -> Seat:
    seat = db.session.get(Seat, seat_id)
    if seat is None or seat.organisation_id != organisation_id:
        abort(404)
    return seat


def _organisation_data(organisation: Organisation) -> dict:
    return dict(
        version=organisation.version, name=organisation.name, short_name=organisation.short_name,
        kind=organisation.kind.value, appointing_authority=organisation.appointing_authority,
        authority_is_external="ja" if organisation.authority_is_external else "nej",
        gender_rule=organisation.gender_rule.value,
        follows_election_period="ja" if organisation.follows_election_period else "nej",
        term_years=organisation.term_years, term_start=organisation.term_start, max_terms=organisation.max_terms,
        warning_days=organisation.warning_days, legal_basis=organisation.legal_basis,
        start_date=organisation.start_date, note=organisation.note,
    )

"""Seats and their timelines (public), and the secretariat's appointing, ending and replacing.

Every change goes through appointments/services.py, which refuses with a
RuleViolation; the refusal is shown on the form and nothing is saved. The
view commits once. A version that changed since the form was shown (someone
else saved meanwhile) is a conflict, said in Danish, never a 500.
"""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from registry.appointments import services
from registry.appointments.forms import (
    AppointForm,
    EndForm,
    OfficeForm,
    ReplaceForm,
    party_choices,
    person_choices,
    seat_choices,
)
from registry.appointments.models import Appointment, EndReason, Office, OfficeChooser, Role
from registry.auth.permissions import SECRETARIAT, is_secretariat, role_required
from registry.dates import local_date, today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.forms import show_refusal
from registry.http import commit, conflict_page, id_param, page_param
from registry.organisations.models import Organisation, Seat
from registry.organisations.rosters import upcoming_to_seat
from registry.organisations.timeline import seat_timeline
from registry.paging import numbered
from registry.people import services as people
from registry.people.models import Party, Person

bp = Blueprint("appointments", __name__)

PER_PAGE = 20


def conflict_message() -> str:
    return _("Udpegningen er ændret af en anden, mens du havde formularen åben. "
             "Se de nye oplysninger, og prøv igen.")


@bp.get("/pladser")
def index():
    """Every body with its seats, a page of bodies at a time; ?organisation=<id> for one body."""
    stmt = (sa.select(Organisation).options(selectinload(Organisation.seats))
            .order_by(Organisation.sort_name, Organisation.id))
    if one := id_param("organisation"):
        stmt = stmt.where(Organisation.id == one)
    organisations = numbered(stmt, page_param(), PER_PAGE)
    return render_template("appointments/index.html", organisations=organisations, one=one, today=today())


@bp.get("/pladser/<int:seat_id>")
def seat(seat_id: int):
    seat = db.get_or_404(Seat, seat_id)
    history = services.timeline(seat, page_param(), public=not is_secretariat())
    day = today()
    return render_template("appointments/seat.html", seat=seat, history=history, today=day,
                           timeline=seat_timeline(seat, day), coming=upcoming_to_seat(seat, day))


def _choose(form) -> None:
    """The <select>s' options: seats grouped by body (on the appoint form), people, parties."""
    if hasattr(form, "seat"):
        form.seat.choices = seat_choices(services.seats_to_choose())
    form.person.choices = person_choices(people.all_people())
    form.party.choices = party_choices(people.parties())


@bp.route("/udpegninger/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def create():
    form = AppointForm()
    if request.method == "GET":
        form.seat.data = request.args.get("plads", type=int)
        if request.args.get("rolle") in (role.value for role in Role):
            form.role.data = request.args["rolle"]
    _choose(form)
    if form.validate_on_submit():
        seat = db.session.get(Seat, form.seat.data)
        person = db.session.get(Person, form.person.data)
        party = db.session.get(Party, form.party.data) if form.party.data else None
        try:
            appointment = commit(lambda: services.appoint(seat, person, Role(form.role.data), form.start_date.data,
                                                          party=party, note=form.note.data or None))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            form.start_date.errors.append(_("Pladsen blev ændret af en anden imens. Prøv igen."))
        else:
            flash(_("%(name)s er udpeget som %(role)s fra %(day)s.", name=person.name,
                    role=appointment.role.label, day=local_date(appointment.start_date)), "success")
            return redirect(url_for("appointments.seat", seat_id=seat.id))
    return render_template("appointments/form.html", form=form, title=_("Udpeg til en plads"),
                           submit=_("Udpeg"), appointment=None)


@bp.route("/udpegninger/<int:appointment_id>/afslut", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def end(appointment_id: int):
    appointment = db.get_or_404(Appointment, appointment_id)
    form = EndForm(version=appointment.version)
    if request.method == "GET":
        form.reason.data = EndReason.resigned.value
    if form.validate_on_submit():
        try:
            commit(lambda: services.end(appointment, form.end_date.data, EndReason(form.reason.data),
                                        version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, appointment, "appointments/end.html", conflict_message(),
                                 appointment=appointment)
        else:
            flash(_("Udpegningen af %(name)s er afsluttet pr. %(day)s.", name=appointment.person.name,
                    day=local_date(appointment.end_date)), "success")
            return redirect(url_for("appointments.seat", seat_id=appointment.seat_id))
    return render_template("appointments/end.html", form=form, appointment=appointment)


@bp.route("/udpegninger/<int:appointment_id>/erstat", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def replace(appointment_id: int):
    appointment = db.get_or_404(Appointment, appointment_id)
    form = ReplaceForm(version=appointment.version)
    _choose(form)
    if form.validate_on_submit():
        person = db.session.get(Person, form.person.data)
        party = db.session.get(Party, form.party.data) if form.party.data else None
        try:
            successor = commit(lambda: services.replace(appointment, person, form.start_date.data, party=party,
                                                         version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, appointment, "appointments/replace.html", conflict_message(),
                                 appointment=appointment)
        else:
            flash(_("%(new)s afløser %(old)s som %(role)s fra %(day)s.", new=person.name,
                    old=appointment.person.name, role=successor.role.label, day=local_date(successor.start_date)),
                  "success")
            return redirect(url_for("appointments.seat", seat_id=appointment.seat_id))
    return render_template("appointments/replace.html", form=form, appointment=appointment)


@bp.route("/udpegninger/<int:appointment_id>/hverv", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def office(appointment_id: int):
    """Formand, næstformand or another office on the body, with who chose it and its dates; or none."""
    appointment = db.get_or_404(Appointment, appointment_id)
    form = OfficeForm(version=appointment.version)
    if request.method == "GET" and appointment.office is not None:
        form.office.data, form.title.data = appointment.office.value, appointment.office_title
        form.chosen_by.data = appointment.office_chosen_by.value
        form.start.data, form.end.data = appointment.office_start, appointment.office_end
    if form.validate_on_submit():
        chosen = Office(form.office.data) if form.office.data else None
        try:
            commit(lambda: services.set_office(
                appointment, chosen, chosen_by=OfficeChooser(form.chosen_by.data), title=form.title.data,
                start=form.start.data, end=form.end.data, version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, appointment, "appointments/office.html", conflict_message(),
                                 appointment=appointment)
        else:
            if chosen is None:
                flash(_("%(name)s har ikke længere et hverv.", name=appointment.person.name), "success")
            else:
                flash(_("%(name)s er %(office)s.", name=appointment.person.name, office=appointment.office_name),
                      "success")
            return redirect(url_for("appointments.seat", seat_id=appointment.seat_id))
    return render_template("appointments/office.html", form=form, appointment=appointment)

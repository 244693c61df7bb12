"""People (public pages per person, party and municipality), the secretariat's person forms and GDPR pages.

Public pages never show gender, e-mail or phone, and show only people who
hold or have held a seat; the secretariat sees the rest on the person page.
"""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from registry.appointments.forms import person_choices
from registry.auth.permissions import SECRETARIAT, is_secretariat, role_required
from registry.dates import today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.forms import show_refusal
from registry.http import as_of_param, commit, conflict_page, page_param
from registry.meetings import history
from registry.people import access, privacy, services
from registry.people.forms import AccessRequestForm, AnonymiseForm, MergeForm, PersonForm
from registry.people.models import Gender, Person

bp = Blueprint("people", __name__)

# The latest KKR decisions shown on a person's page; the rest are on /beslutninger.
LATEST_DECISIONS = 5

DETAIL_LABELS = {"municipality_id": _l("kommune"), "party_id": _l("parti"), "office": _l("hverv"),
                 "gender": _l("køn"), "email": _l("e-mail"), "phone": _l("telefon")}


def conflict_message() -> str:
    return _("Personen er ændret af en anden, mens du havde formularen åben. "
             "Se de nye oplysninger, og prøv igen.")


@bp.get("/personer")
def index():
    found = services.people(page_param(), public=not is_secretariat())
    return render_template("people/index.html", people=found)


@bp.get("/personer/<int:person_id>")
def detail(person_id: int):
    private = is_secretariat()
    person = services.get_person(person_id, public=not private) or abort(404)
    appointments = services.appointments_of(person, page_param(), public=not private)
    decisions = history.page(history.Selection(person_id=person.id), 1, per_page=LATEST_DECISIONS).items
    return render_template("people/detail.html", person=person, appointments=appointments, private=private,
                           today=today(), decisions=decisions)


def _person_form(person: Person | None) -> PersonForm:
    form = PersonForm(obj=person, version=person.version if person else None)
    if request.method == "GET" and person is not None:
        form.municipality.data = person.municipality_id
        form.party.data = person.party_id
        form.gender.data = person.gender.value if person.gender else ""
    form.set_choices(services.municipalities(), services.parties())
    return form


def _save(form: PersonForm, person: Person | None) -> Person:
    return services.save(person, name=form.name.data, municipality_id=form.municipality.data,
                         party_id=form.party.data, office=form.office.data,
                         gender=Gender(form.gender.data) if form.gender.data else None,
                         email=form.email.data, phone=form.phone.data, version=form.version.data)


@bp.route("/personer/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def create():
    form = _person_form(None)
    existing = None
    if form.validate_on_submit():
        try:
            person = commit(lambda: _save(form, None))
        except RuleViolation as refused:
            show_refusal(form, refused)
            existing = _duplicated(form, refused, None)
        except Conflict:
            form.name.errors.append(_("Registret blev ændret af en anden imens. Prøv igen."))
        else:
            flash(_("%(name)s er oprettet.", name=person.name), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/form.html", form=form, person=None, existing=existing)


@bp.route("/personer/<int:person_id>/rediger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def edit(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = _person_form(person)
    existing = None
    if form.validate_on_submit():
        try:
            commit(lambda: _save(form, person))
        except RuleViolation as refused:
            show_refusal(form, refused)
            existing = _duplicated(form, refused, person)
        except Conflict:
            return conflict_page(form, person, "people/form.html", conflict_message(), person=person)
        else:
            flash(_("Oplysningerne om %(name)s er gemt.", name=person.name), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/form.html", form=form, person=person, existing=existing)


def _duplicated(form: PersonForm, refused: RuleViolation, person: Person | None) -> Person | None:
    """The person a refused save would have duplicated (same name, same municipality), for a link to them."""
    if refused.field != "name":
        return None
    return services.namesake(form.name.data or "", form.municipality.data, person)


@bp.route("/personer/<int:person_id>/sammenlaeg", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def merge(person_id: int):
    """Step 1: choose the other record, and which of the two survives. Step 2: see what happens, and confirm (or
    keep the other one instead). Then merge."""
    person = db.get_or_404(Person, person_id)
    form = MergeForm(version=person.version)
    form.other.choices = person_choices([other for other in services.all_people() if other.id != person.id])
    form.keep.choices = [SelectChoice("", _("Den ældste registrering (registreret først)")),
                         SelectChoice("this", _("Denne: %(name)s (nr. %(id)d)", name=person.name, id=person.id)),
                         SelectChoice("other", _("Den anden, du vælger ovenfor"))]
    if not form.validate_on_submit():
        return render_template("people/merge.html", form=form, person=person)
    other = db.get_or_404(Person, form.other.data)
    if request.form.get("swap"):
        # "Behold i stedet ...": the other record of the two, shown again before anything is saved.
        form.keep.data = "other" if _keeps(form.keep.data, person, other) is person else "this"
        form.confirmed.data = ""
    keep = _keeps(form.keep.data, person, other)
    try:
        kept, removed = services.merge_order(person, other, keep)
    except RuleViolation as refused:
        show_refusal(form, refused)
        return render_template("people/merge.html", form=form, person=person)
    if form.confirmed.data != "ja":
        form.confirmed.data = "ja"
        form.other_version.data = other.version
        return render_template("people/merge_confirm.html", form=form, person=person, other=other, kept=kept,
                               removed=removed, appointments=len(removed.appointments),
                               lost=[DETAIL_LABELS[key] for key in services.lost_on_merge(kept, removed)])
    try:
        commit(lambda: services.merge(person, other, keep=kept,
                                      versions=(form.version.data, form.other_version.data)))
    except RuleViolation as refused:
        show_refusal(form, refused)
        return render_template("people/merge.html", form=form, person=person)
    except Conflict:
        flash(conflict_message(), "error")
        return redirect(url_for("people.merge", person_id=person.id))
    flash(_("De to registreringer er lagt sammen til %(name)s.", name=kept.name), "success")
    return redirect(url_for("people.detail", person_id=kept.id))


def _keeps(choice: str, person: Person, other: Person) -> Person:
    """The record the choice keeps: this page's person, the other one, or the older of the two."""
    if choice == "this":
        return person
    if choice == "other":
        return other
    return person if person.id < other.id else other


@bp.get("/partier/<key>")
def party(key: str):
    party = services.find_party(key) or abort(404)
    day = as_of_param()
    holders = services.holders_on(day, page_param(), party=party)
    return render_template("people/party.html", party=party, holders=holders, day=day, is_today=day == today())


@bp.get("/kommuner/<int:key>")
def municipality(key: int):
    municipality = services.find_municipality(key) or abort(404)
    day = as_of_param()
    holders = services.holders_on(day, page_param(), municipality=municipality)
    return render_template("people/municipality.html", municipality=municipality, holders=holders, day=day,
                           is_today=day == today())


# The secretariat's GDPR pages: anonymise a person, and answer an access request (art. 15). What they show is private.

@bp.route("/personer/<int:person_id>/anonymiser", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def anonymise(person_id: int):
    person = db.get_or_404(Person, person_id)
    assessment = privacy.assess(person)
    form = AnonymiseForm(version=person.version)
    status = 200
    if form.validate_on_submit():
        try:
            commit(lambda: privacy.anonymise(person, version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
            status = 422
        except Conflict:
            flash(conflict_message(), "error")
            return redirect(url_for("people.anonymise", person_id=person.id))
        else:
            flash(_("Personen er anonymiseret. Pladsernes historik viser nu '%(name)s'.",
                    name=privacy.ANONYMOUS_NAME), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/anonymise.html", form=form, person=person, assessment=assessment,
                           retention_days=privacy.retention_days(), anonymous_name=privacy.ANONYMOUS_NAME), status


@bp.route("/personer/<int:person_id>/indsigt", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def access_request(person_id: int):
    """GET: what the file holds. POST: the file (JSON), its handing out audited."""
    person = db.get_or_404(Person, person_id)
    form = AccessRequestForm()
    if form.validate_on_submit():
        report = commit(lambda: access.export_personal_data(person))
        body = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False, default=str).encode("utf-8")
        return Response(body, content_type="application/json; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="indsigt-person-{person.id}.json"',
            "Cache-Control": "no-store",
        })
    return render_template("people/access.html", form=form, person=person, report=access.access_report(person))

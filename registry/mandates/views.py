"""The secretariat's pages for council mandates: record and edit a person's mandates, import the elected
councils, and end the appointments of those whose mandate has ended. A person's mandates are public and shown
on the person's page (people/views.py)."""


from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from registry.auth.permissions import SECRETARIAT, role_required
from registry.dates import local_date, today
from registry.errors import Conflict, RuleViolation
from registry.exchange import services as uploads
from registry.exchange.csv_mandates import import_mandates
from registry.exchange.forms import ConfirmForm
from registry.extensions import db
from registry.forms import show_refusal
from registry.http import bad_request, commit, conflict_page, id_param
from registry.mandates import services
from registry.mandates.forms import EndForm, MandateForm, UploadForm
from registry.mandates.models import CouncilMandate
from registry.people import services as people
from registry.people.models import Municipality, Party, Person

bp = Blueprint("mandates", __name__)


@bp.app_template_global("council_mandates")
def council_mandates(person: Person) -> list[CouncilMandate]:
    """A person's mandates for the person's page (templates/people/detail.html): public information, one query."""
    return services.mandates_of(person)


def conflict_message() -> str:
    return _("Mandatet er ændret af en anden, mens du havde formularen åben. Se de nye oplysninger, og prøv igen.")


def _form(mandate: CouncilMandate | None) -> MandateForm:
    form = MandateForm(obj=mandate, version=mandate.version if mandate else None)
    if request.method == "GET" and mandate is not None:
        form.municipality.data = mandate.municipality_id
        form.party.data = mandate.party_id
    form.set_choices(people.municipalities(), people.parties())
    return form


def _values(form: MandateForm) -> dict:
    party = db.session.get(Party, form.party.data) if form.party.data else None
    return dict(end=form.end_date.data, party=party, office=form.office.data)


@bp.route("/personer/<int:person_id>/mandater/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def create(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = _form(None)
    if request.method == "GET":
        form.municipality.data = person.municipality_id
        form.party.data = person.party_id
    if form.validate_on_submit():
        municipality = db.get_or_404(Municipality, form.municipality.data)
        try:
            commit(lambda: services.record(person, municipality, form.start_date.data, **_values(form)))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            form.start_date.errors.append(_("Registret blev ændret af en anden imens. Prøv igen."))
        else:
            flash(_("Mandatet for %(name)s er gemt.", name=person.name), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("mandates/form.html", form=form, person=person, mandate=None)


@bp.route("/personer/<int:person_id>/mandater/rediger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def edit(person_id: int):
    """?mandat=<id>: the mandate; without it the person's latest, and with none a new one."""
    person = db.get_or_404(Person, person_id)
    mandate_id = id_param("mandat")
    if mandate_id is None:
        mandate = services.latest_mandate(person)
        if mandate is None:
            return redirect(url_for("mandates.create", person_id=person.id))
    else:
        mandate = db.session.get(CouncilMandate, mandate_id)
        if mandate is None or mandate.person_id != person.id:
            abort(404)
    form = _form(mandate)
    if form.validate_on_submit():
        municipality = db.get_or_404(Municipality, form.municipality.data)
        try:
            commit(lambda: services.update(mandate, municipality, form.start_date.data, version=form.version.data,
                                           **_values(form)))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, mandate, "mandates/form.html", conflict_message(), person=person,
                                 mandate=mandate)
        else:
            flash(_("Mandatet for %(name)s er gemt.", name=person.name), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("mandates/form.html", form=form, person=person, mandate=mandate)


# Seated people whose mandate has ended.

@bp.get("/mandater/ophoert")
@role_required(*SECRETARIAT)
def lapsed():
    return render_template("mandates/lapsed.html", entries=services.lapsed(today()), form=EndForm(),
                           reason=services.LEFT_THE_COUNCIL)


@bp.post("/mandater/ophoert/<int:appointment_id>/afslut")
@role_required(*SECRETARIAT)
def end_one(appointment_id: int):
    """One appointment of the list, ended on its holder's mandate's last day."""
    form = EndForm()
    if not form.validate_on_submit():
        bad_request(_("Formularen kunne ikke læses. Prøv igen."))
    version = _versions().get(appointment_id)
    return _end([appointment_id], {appointment_id: version})


@bp.post("/mandater/ophoert/afslut-alle")
@role_required(*SECRETARIAT)
def end_all():
    """Every appointment the page showed, all or nothing."""
    form = EndForm()
    if not form.validate_on_submit():
        bad_request(_("Formularen kunne ikke læses. Prøv igen."))
    versions = _versions()
    return _end(list(versions), versions)


def _versions() -> dict[int, int]:
    """The posted `udpegning` values, "id:version" each."""
    versions = {}
    for value in request.form.getlist("udpegning"):
        id_text, _colon, version_text = value.partition(":")
        if not (id_text.isascii() and id_text.isdigit() and version_text.isascii() and version_text.isdigit()
                and len(id_text) <= 10 and len(version_text) <= 10):
            bad_request(_("Ugyldig udpegning i formularen."))
        versions[int(id_text)] = int(version_text)
    return versions


def _end(ids: list[int], versions: dict[int, int | None]):
    if not ids:
        flash(_("Der var ingen udpegninger at afslutte."), "error")
        return redirect(url_for("mandates.lapsed"))
    try:
        ended = commit(lambda: services.end_all_lapsed(ids, today(), versions=versions))
    except RuleViolation as refused:
        flash(_("Intet er afsluttet: %(reason)s", reason=refused), "error")
    except Conflict:
        db.session.rollback()
        flash(_("Intet er afsluttet: en af udpegningerne er ændret af en anden imens. Se listen igen."), "error")
    else:
        if len(ended) == 1:
            flash(_("Udpegningen af %(name)s er afsluttet pr. %(day)s.", name=ended[0].person.name,
                    day=local_date(ended[0].end_date)), "success")
        else:
            flash(ngettext("%(num)d udpegning er afsluttet.", "%(num)d udpegninger er afsluttet.", len(ended)),
                  "success")
    return redirect(url_for("mandates.lapsed"))


# The import of elected councils: upload and preview, then confirm (as /import does for appointments).

@bp.route("/mandater/import", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def import_upload():
    limit = current_app.config["IMPORT_MAX_MB"]
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("mandates/import.html", form=form, limit=limit)
    filename = form.file.data.filename or ""
    if (data := uploads.read_upload(form.file)) is None:
        return render_template("mandates/import.html", form=form, limit=limit)
    result = import_mandates(data, dry_run=True, deadline=uploads.check_deadline())
    db.session.rollback()
    confirm = None
    if result.ok:
        try:
            upload = commit(lambda: uploads.keep(data, filename, current_user))
        except Conflict:
            form.file.errors.append(_("Filen kunne ikke gemmes til importen lige nu. Prøv igen."))
            return render_template("mandates/import.html", form=form, limit=limit)
        confirm = ConfirmForm(formdata=None, token=upload.token, sha256=upload.sha256)
    return render_template("mandates/import_preview.html", result=result, confirm=confirm, filename=filename)


@bp.post("/mandater/import/bekraeft")
@role_required(*SECRETARIAT)
def import_confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Importen kunne ikke gennemføres: filen mangler. Upload den igen."))
        return redirect(url_for("mandates.import_upload"))
    try:
        upload = uploads.kept(form.token.data, form.sha256.data, current_user)
        result = import_mandates(upload.data, dry_run=False, deadline=uploads.check_deadline())
    except RuleViolation as refused:
        db.session.rollback()
        flash(_("Importen kunne ikke gennemføres: %(reason)s", reason=refused), "error")
        return redirect(url_for("mandates.import_upload"))
    if not result.applied:
        db.session.rollback()
        return render_template("mandates/import_preview.html", result=result, confirm=None,
                               filename=upload.filename)
    uploads.discard(upload)
    db.session.commit()
    flash(_("Importen er gennemført: %(created)s, %(changed)s, %(ended)s.",
            created=ngettext("%(num)d nyt mandat", "%(num)d nye mandater", result.created["mandater"]),
            changed=ngettext("%(num)d ændret", "%(num)d ændrede", result.changed["mandater"]),
            ended=ngettext("%(num)d afsluttet", "%(num)d afsluttede", len(result.ended))), "success")
    return redirect(url_for("mandates.lapsed"))


import base64
import binascii

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from registry.auth.permissions import SECRETARIAT, role_required
from registry.csvfiles import DELIMITERS
from registry.errors import RuleViolation
from registry.exchange import csv_decisions, csv_export
from registry.exchange.csv_import import import_csv
from registry.exchange.forms import ConfirmForm, UploadForm
from registry.extensions import db
from registry.http import as_of_param, bad_request, id_param

bp = Blueprint("exchange", __name__)


@bp.get("/export/appointments.csv")
def appointments_csv():
    as_of = None if request.args.get("all") in ("1", "true") else as_of_param()
    delimiter = request.args.get("delimiter", ";")
    if delimiter not in DELIMITERS:
        bad_request(_("Ukendt skilletegn: brug ';' eller ','."))
    # ?organisation_id=, ?party_id=, ?municipality_id=: the file of what a page shows.
    selection = csv_export.Selection(as_of, *(id_param(name) for name in
                                               ("organisation_id", "party_id", "municipality_id")))
    name = "udpegninger-alle.csv" if as_of is None else f"udpegninger-{as_of.isoformat()}.csv"
    chunks = (chunk.encode("utf-8") for chunk in csv_export.export(selection, delimiter))
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/export/indstillinger.csv")
def decisions_csv():
    """The history of indstillinger (KKR's decisions), with the filters of the history page."""
    delimiter = request.args.get("delimiter", ";")
    if delimiter not in DELIMITERS:
        bad_request(_("Ukendt skilletegn: brug ';' eller ','."))
    # ?moede=, ?organisation=, ?person= as on /beslutninger; the *_id spellings of the appointments export too.
    selection = csv_decisions.Selection(meeting_id=_eitherid_param("moede", "meeting_id"),
                                        organisation_id=_eitherid_param("organisation", "organisation_id"),
                                        person_id=_eitherid_param("person", "person_id"))
    chunks = (chunk.encode("utf-8") for chunk in csv_decisions.export(selection, delimiter))
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="indstillinger.csv"'},
    )


def _eitherid_param(name: str, alias: str) -> int | None:
    values = {value for value in (id_param(name), id_param(alias)) if value is not None}
    if len(values) > 1:
        bad_request(_("%(name)s og %(alias)s er angivet med hver sit id.", name=name, alias=alias))
    return values.pop() if values else None


@bp.route("/import", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def import_upload():
    """Step 1: upload, and see what the import would do, line by line; nothing is written."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("exchange/import.html", form=form)
    data = form.file.data.read()
    result = import_csv(data, dry_run=True)
    db.session.rollback()
    confirm = ConfirmForm(formdata=None, content=base64.b64encode(data).decode("ascii"),
                          filename=form.file.data.filename)
    return render_template("exchange/import_preview.html", result=result, confirm=confirm,
                           filename=form.file.data.filename)


@bp.post("/import/confirm")
@role_required(*SECRETARIAT)
def import_confirm():
    """Step 2: the same file, checked again in full, written in one transaction."""
    form = ConfirmForm()
    try:
        data = base64.b64decode(form.content.data or "", validate=True) if form.validate_on_submit() else None
    except binascii.Error:
        data = None
    if not data:
        flash(_("Importen kunne ikke gennemføres: filen mangler. Upload den igen."))
        return redirect(url_for("exchange.import_upload"))
    try:
        result = import_csv(data, dry_run=False)
    except RuleViolation as refused:
        # Someone changed the registry between the check and the write; nothing was written.
        db.session.rollback()
        flash(_("Importen blev afvist, fordi registret er ændret imens: %(reason)s Upload filen igen.",
                reason=refused))
        return redirect(url_for("exchange.import_upload"))
    if not result.applied:
        db.session.rollback()
        return render_template("exchange/import_preview.html", result=result, confirm=None,
                               filename=form.filename.data)
    db.session.commit()
    flash(_("Importen er gennemført: %(created)s oprettet, %(changed)s ændret.",
            created=_summary(result.created), changed=_summary(result.changed)))
    return redirect(url_for("organisations.index"))


def _summary(counts: dict[str, int]) -> str:
    parts = [f"{count} {_(name)}" for name, count in counts.items() if count]
    return ", ".join(parts) if parts else _("intet")

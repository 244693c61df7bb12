
import time
from collections import Counter

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.permissions import SECRETARIAT, role_required
from registry.csvfiles import DELIMITERS
from registry.errors import Conflict, RuleViolation
from registry.exchange import csv_balance, csv_decisions, csv_export, services
from registry.exchange.csv_import import import_csv
from registry.exchange.forms import ConfirmForm, UploadForm
from registry.extensions import db
from registry.http import as_of_param, bad_request, commit, id_param

bp = Blueprint("exchange", __name__)


@bp.get("/export/appointments.csv")
def appointments_csv():
    as_of = None if request.args.get("all") in ("1", "true") else as_of_param()
    delimiter = _delimiter_param()
    # ?organisation_id=, ?party_id=, ?municipality_id=: the file of what a page shows.
    selection = csv_export.Selection(as_of, *(id_param(name) for name in
                                               ("organisation_id", "party_id", "municipality_id")))
    name = "udpegninger-alle.csv" if as_of is None else f"udpegninger-{as_of.isoformat()}.csv"
    return _csv_file(csv_export.export(selection, delimiter), name)


@bp.get("/export/balance.csv")
def balance_csv():
    """Every body's balance on the day: gender counts, withheld where they would reveal a member's, and each
    party's members against its allocated seats."""
    day = as_of_param()
    return _csv_file(csv_balance.export(day, _delimiter_param()), f"balance-{day.isoformat()}.csv")


@bp.get("/export/indstillinger.csv")
def decisions_csv():
    """The history of indstillinger (KKR's decisions), with the filters of the history page."""
    delimiter = _delimiter_param()
    # ?moede=, ?organisation=, ?person= as on /beslutninger; the *_id spellings of the appointments export too.
    selection = csv_decisions.Selection(meeting_id=_eitherid_param("moede", "meeting_id"),
                                        organisation_id=_eitherid_param("organisation", "organisation_id"),
                                        person_id=_eitherid_param("person", "person_id"))
    return _csv_file(csv_decisions.export(selection, delimiter), "indstillinger.csv")


def _delimiter_param() -> str:
    delimiter = request.args.get("delimiter", ";")
    if delimiter not in DELIMITERS:
        bad_request(_("Ukendt skilletegn: brug ';' eller ','."))
    return delimiter


def _csv_file(chunks, name: str) -> Response:
    """A CSV file streamed as it is written, under its name."""
    return Response(stream_with_context(chunk.encode("utf-8") for chunk in chunks), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _eitherid_param(name: str, alias: str) -> int | None:
    values = {value for value in (id_param(name), id_param(alias)) if value is not None}
    if len(values) > 1:
        bad_request(_("%(name)s og %(alias)s er angivet med hver sit id.", name=name, alias=alias))
    return values.pop() if values else None


@bp.route("/import", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def import_upload():
    """Step 1: upload, and see what the import would do; nothing is imported yet. A file in order is kept
    for step 2."""
    limit = current_app.config["IMPORT_MAX_MB"]
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("exchange/import.html", form=form, limit=limit)
    data = form.file.data.read()
    filename = form.file.data.filename or ""
    if len(data) > limit * 1024 * 1024:
        form.file.errors.append(_("Filen er for stor: %(size)s MB; højst %(limit)d MB.",
                                  size=format_decimal(len(data) / 1024 / 1024, "0.0"), limit=limit))
        return render_template("exchange/import.html", form=form, limit=limit)
    result = import_csv(data, dry_run=True, deadline=_deadline())
    db.session.rollback()
    confirm = None
    if result.ok:
        try:
            upload = commit(lambda: services.keep(data, filename, current_user))
        except Conflict:
            form.file.errors.append(_("Filen kunne ikke gemmes til importen lige nu. Prøv igen."))
            return render_template("exchange/import.html", form=form, limit=limit)
        confirm = ConfirmForm(formdata=None, token=upload.token, sha256=upload.sha256)
    return render_template("exchange/import_preview.html", result=result, confirm=confirm, filename=filename,
                           counts=_counts(result))


@bp.post("/import/confirm")
@role_required(*SECRETARIAT)
def import_confirm():
    """Step 2: the kept file, checked again in full, written in one transaction."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Importen kunne ikke gennemføres: filen mangler. Upload den igen."))
        return redirect(url_for("exchange.import_upload"))
    try:
        upload = services.kept(form.token.data, form.sha256.data, current_user)
    except RuleViolation as refused:
        flash(_("Importen kunne ikke gennemføres: %(reason)s", reason=refused), "error")
        return redirect(url_for("exchange.import_upload"))
    try:
        result = import_csv(upload.data, dry_run=False, deadline=_deadline())
    except RuleViolation as refused:
        # Someone changed the registry between the check and the write; nothing was written.
        db.session.rollback()
        flash(_("Importen blev afvist, fordi registret er ændret imens: %(reason)s Upload filen igen.",
                reason=refused), "error")
        return redirect(url_for("exchange.import_upload"))
    if not result.applied:
        db.session.rollback()
        return render_template("exchange/import_preview.html", result=result, confirm=None,
                               filename=upload.filename, counts=_counts(result))
    services.discard(upload)
    db.session.commit()
    flash(_("Importen er gennemført: %(created)s oprettet, %(changed)s ændret.",
            created=_summary(result.created), changed=_summary(result.changed)))
    return redirect(url_for("organisations.index"))


def _deadline() -> float:
    return time.monotonic() + current_app.config["IMPORT_CHECK_SECONDS"]


def _counts(result) -> dict[str, int]:
    """How many lines each action takes, for the preview's summary."""
    return dict(Counter(outcome.action for outcome in result.lines))


def _summary(counts: dict[str, int]) -> str:
    parts = [f"{count} {_(name)}" for name, count in counts.items() if count]
    return ", ".join(parts) if parts else _("intet")

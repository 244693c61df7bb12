"""The audit trail for the secretariat: browse and filter it, export it as CSV or Excel. Nothing here changes an
entry."""

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from registry.audit import trail
from registry.audit.forms import FilterForm
from registry.auth.permissions import SECRETARIAT, role_required
from registry.csvfiles import write
from registry.errors import Conflict
from registry.exchange import xlsx
from registry.extensions import db
from registry.http import bad_request, commit, id_param
from registry.organisations.models import Organisation
from registry.people.models import Person

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


@bp.get("/revisionsspor")
@role_required(*SECRETARIAT)
def index():
    """Newest first; ?foer=<id> pages to older entries, ?efter=<id> back to newer ones."""
    form = FilterForm(request.args)
    if not form.validate():
        return render_template("audit/index.html", form=form, page=None, filters=None), 400
    filters = form.filters
    page = trail.page(filters, before=id_param("foer"), after=id_param("efter"), size=PAGE_SIZE)
    args = filters.as_args()
    return render_template(
        "audit/index.html", form=form, page=page, filters=args,
        person=db.session.get(Person, filters.person_id) if filters.person_id else None,
        organisation=db.session.get(Organisation, filters.organisation_id) if filters.organisation_id else None,
        older_url=url_for("audit.index", **args, foer=page.older_than) if page.older_than else None,
        newer_url=url_for("audit.index", **args, efter=page.newer_than) if page.newer_than else None,
        export_url=url_for("audit.export", **args), xlsx_url=url_for("audit.export_xlsx", **args))


@bp.get("/revisionsspor.csv")
@role_required(*SECRETARIAT)
def export():
    """The filtered trail as CSV, streamed. Writing the file is itself audited, and committed first."""
    filters = _export_filters()
    if refused := _record_export(filters):
        return refused
    chunks = (chunk.encode("utf-8") for chunk in write(trail.CSV_HEADER, trail.csv_lines(filters), ";"))
    return Response(stream_with_context(chunks), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="revisionsspor.csv"'})


@bp.get("/revisionsspor.xlsx")
@role_required(*SECRETARIAT)
def export_xlsx():
    """The CSV's rows as an Excel workbook (exchange/xlsx.py), with the same filters, audited the same way."""
    filters = _export_filters()
    if refused := _record_export(filters, file_format="xlsx"):
        return refused
    return xlsx.download(xlsx.audit_trail(filters), "revisionsspor.xlsx")


def _export_filters() -> trail.Filters:
    form = FilterForm(request.args)
    if not form.validate():
        bad_request(_("Filteret er ugyldigt: %(errors)s",
                      errors=" ".join(str(error) for errors in form.errors.values() for error in errors)))
    return form.filters


def _record_export(filters: trail.Filters, file_format: str | None = None) -> Response | None:
    """None once the export is in the trail; otherwise back to the page, with why not."""
    try:
        commit(lambda: trail.record_export(filters, file_format))
    except Conflict:
        # No file without its entry in the trail.
        flash(_("Eksporten kunne ikke skrives i sporet lige nu. Prøv igen."), "error")
        return redirect(url_for("audit.index", **filters.as_args()))
    return None


import re
from datetime import date

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
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from registry.auth.permissions import SECRETARIAT, role_required
from registry.csvfiles import DELIMITERS
from registry.dates import parse_iso, today
from registry.errors import Conflict, RuleViolation
from registry.exchange import csv_balance, csv_decisions, csv_export, csv_import_stale, services, xlsx
from registry.exchange.csv_import import import_csv
from registry.exchange.forms import ConfirmForm, UploadForm
from registry.extensions import db
from registry.http import as_of_param, bad_request, commit, id_param
from registry.meetings.models import Meeting
from registry.organisations.models import Organisation
from registry.people.models import Municipality, Party
from registry.types import search_key

bp = Blueprint("exchange", __name__)


@bp.get("/export/appointments.csv")
def appointments_csv():
    as_of = _as_of_or_all()
    delimiter = _delimiter_param()
    selection = _appointments_selection(as_of)
    return _csv_file(csv_export.export(selection, delimiter), _appointments_name(selection) + ".csv")


@bp.get("/export/appointments.xlsx")
def appointments_xlsx():
    """The CSV's rows as an Excel workbook (exchange/xlsx.py), with the same filters."""
    selection = _appointments_selection(_as_of_or_all())
    return xlsx.download(xlsx.appointments(selection), _appointments_name(selection) + ".xlsx")


def _as_of_or_all():
    return None if request.args.get("all") in ("1", "true") else as_of_param()


def _appointments_selection(as_of) -> csv_export.Selection:
    # ?organisation_id=, ?party_id=, ?municipality_id=: the file of what a page shows.
    return csv_export.Selection(as_of, *(id_param(name) for name in
                                         ("organisation_id", "party_id", "municipality_id")))


def _appointments_name(selection: csv_export.Selection) -> str:
    """The file's name without its extension, the same for the CSV and the workbook."""
    return file_stem("udpegninger", selection.as_of, whole_history=selection.as_of is None,
                     organisation_id=selection.organisation_id, party_id=selection.party_id,
                     municipality_id=selection.municipality_id)


def file_stem(kind: str, day: date | None = None, *, whole_history: bool = False, organisation_id: int | None = None,
              party_id: int | None = None, municipality_id: int | None = None, meeting_id: int | None = None,
              person_id: int | None = None) -> str:
    """An export's file name without its extension, after what it holds: udpegninger-sf-2026-12-01 (party F,
    named by its name's short form), udpegninger-rar-2026-12-01 (a body by its short name),
    udpegninger-hvidovre-2026-12-01, udpegninger-alle-2026-12-01 (the whole history as of the day),
    indstillinger-movia. Letters as people type them without a Danish keyboard (Høje-Taastrup: hoeje-taastrup),
    so the name is plain ASCII everywhere. A person, and a filter naming nothing the registry has, by the id. The CSV
    and the Excel routes share it."""
    parts = [kind]
    if organisation_id is not None:
        body = db.session.get(Organisation, organisation_id)
        parts.append((body.short_name or body.name) if body else f"organisation-{organisation_id}")
    if party_id is not None:
        party = db.session.get(Party, party_id)
        # "SF – Socialistisk Folkeparti": the short form before the dash; a name without one, whole.
        parts.append(party.name.split(" – ")[0] if party else f"parti-{party_id}")
    if municipality_id is not None:
        municipality = db.session.get(Municipality, municipality_id)
        parts.append(municipality.name if municipality else f"kommune-{municipality_id}")
    if meeting_id is not None:
        meeting = db.session.get(Meeting, meeting_id)
        parts.append(f"moede-{meeting.date.isoformat()}" if meeting else f"moede-{meeting_id}")
    if person_id is not None:
        # By number: a person who has never held a seat is not public, and the file's name must not say who.
        parts.append(f"person-{person_id}")
    if whole_history:
        # The whole history as the registry knows it today: the day tells an older file's import what it missed.
        parts += ["alle", today().isoformat()]
    elif day is not None:
        parts.append(day.isoformat())
    return "-".join(slug for part in parts if (slug := _slug(part)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-")[:60].strip("-")


@bp.get("/export/balance.csv")
def balance_csv():
    """Every body's balance on the day: gender counts, withheld where they would reveal a member's, and each
    party's members against its allocated seats."""
    day = as_of_param()
    return _csv_file(csv_balance.export(day, _delimiter_param()), f"balance-{day.isoformat()}.csv")


@bp.get("/export/balance.xlsx")
def balance_xlsx():
    day = as_of_param()
    return xlsx.download(xlsx.balance(day), f"balance-{day.isoformat()}.xlsx")


@bp.get("/export/indstillinger.csv")
def decisions_csv():
    """The history of indstillinger (KKR's decisions), with the filters of the history page."""
    delimiter = _delimiter_param()
    selection = _decisions_selection()
    return _csv_file(csv_decisions.export(selection, delimiter), _decisions_name(selection) + ".csv")


@bp.get("/export/indstillinger.xlsx")
def decisions_xlsx():
    selection = _decisions_selection()
    return xlsx.download(xlsx.decisions(selection), _decisions_name(selection) + ".xlsx")


def _decisions_name(selection: csv_decisions.Selection) -> str:
    return file_stem("indstillinger", meeting_id=selection.meeting_id, organisation_id=selection.organisation_id,
                     person_id=selection.person_id)


def _decisions_selection() -> csv_decisions.Selection:
    # ?moede=, ?organisation=, ?person= as on /beslutninger; the *_id spellings of the appointments export too.
    return csv_decisions.Selection(meeting_id=_eitherid_param("moede", "meeting_id"),
                                   organisation_id=_eitherid_param("organisation", "organisation_id"),
                                   person_id=_eitherid_param("person", "person_id"))


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
    filename = form.file.data.filename or ""
    if (data := services.read_upload(form.file)) is None:
        return render_template("exchange/import.html", form=form, limit=limit)
    # The file's date: given, or as the export names its files; lines that would undo later work are warnings.
    since = form.since.data or csv_import_stale.date_in_name(filename)
    result = import_csv(data, dry_run=True, deadline=services.check_deadline(), since=since)
    db.session.rollback()
    confirm = None
    if result.ok:
        try:
            upload = commit(lambda: services.keep(data, filename, current_user))
        except Conflict:
            form.file.errors.append(_("Filen kunne ikke gemmes til importen lige nu. Prøv igen."))
            return render_template("exchange/import.html", form=form, limit=limit)
        confirm = _confirm_form(upload, result)
    return render_template("exchange/import_preview.html", result=result, confirm=confirm, filename=filename,
                           counts=_counts(result))


def _confirm_form(upload, result) -> ConfirmForm:
    """The confirmation of the file kept, with the file's date and the warnings the preview shows."""
    return ConfirmForm(formdata=None, token=upload.token, sha256=upload.sha256,
                       since=result.since.isoformat() if result.since else "", stale=result.stale_digest)


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
        since = parse_iso(form.since.data) if form.since.data else None
    except ValueError:
        flash(_("Importen kunne ikke gennemføres: filen mangler. Upload den igen."))
        return redirect(url_for("exchange.import_upload"))
    accepted = (form.stale.data or False) if form.accept_stale.data else False
    try:
        result = import_csv(upload.data, dry_run=False, deadline=services.check_deadline(), since=since,
                            accept_stale=accepted)
    except RuleViolation as refused:
        # Someone changed the registry between the check and the write; nothing was written.
        db.session.rollback()
        flash(_("Importen blev afvist, fordi registret er ændret imens: %(reason)s Upload filen igen.",
                reason=refused), "error")
        return redirect(url_for("exchange.import_upload"))
    if not result.applied:
        db.session.rollback()
        confirm = None
        if result.ok and result.needs_confirmation:
            # The file is in order; the lines with warnings wait for a tick, or the registry changed since the
            # preview and there are other warnings to see.
            confirm = _confirm_form(upload, result)
            confirm.accept_stale.errors = [
                _("Registret er ændret, siden filen blev kontrolleret. Se advarslerne igen, og bekræft på ny.")
                if form.accept_stale.data else _("Sæt kryds for at importere linjerne med advarsler.")]
        return render_template("exchange/import_preview.html", result=result, confirm=confirm,
                               filename=upload.filename, counts=_counts(result))
    services.discard(upload)
    db.session.commit()
    flash(_("Importen er gennemført: %(created)s oprettet, %(changed)s ændret.",
            created=_summary(result.created), changed=_summary(result.changed)))
    return redirect(url_for("organisations.index"))


def _counts(result) -> dict[str, int]:
    """How many lines each action takes, for the preview's summary."""
    return result.actions


def _summary(counts: dict[str, int]) -> str:
    parts = [_counted(name, count) for name, count in counts.items() if count]
    return ", ".join(parts) if parts else _("intet")


def _counted(name: str, count: int) -> str:
    """"1 organisation", "2 pladser": what an import counts (csv_import.CREATED), in the singular or plural."""
    forms = {
        "organisationer": lambda: ngettext("%(num)d organisation", "%(num)d organisationer", count),
        "pladser": lambda: ngettext("%(num)d plads", "%(num)d pladser", count),
        "personer": lambda: ngettext("%(num)d person", "%(num)d personer", count),
        "partier": lambda: ngettext("%(num)d parti", "%(num)d partier", count),
        "kommuner": lambda: ngettext("%(num)d kommune", "%(num)d kommuner", count),
        "møder": lambda: ngettext("%(num)d møde", "%(num)d møder", count),
        "dagsordenspunkter": lambda: ngettext("%(num)d dagsordenspunkt", "%(num)d dagsordenspunkter", count),
        "beslutninger": lambda: ngettext("%(num)d beslutning", "%(num)d beslutninger", count),
        "udpegninger": lambda: ngettext("%(num)d udpegning", "%(num)d udpegninger", count),
    }
    return forms[name]() if name in forms else f"{count} {_(name)}"

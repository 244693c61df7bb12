from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from registry.auth.models import UserRole
from registry.auth.permissions import SECRETARIAT, is_secretariat, role_required
from registry.csvfiles import DELIMITERS
from registry.dashboard import changes, services
from registry.dates import today
from registry.errors import Conflict
from registry.exchange import xlsx
from registry.http import bad_request, commit, id_param, page_param
from registry.nominations import progress as round_progress
from registry.nominations.models import LONG_PENDING
from registry.notifications import services as notifications
from registry.organisations.models import ElectionPeriod
from registry.organisations.services import default_period, election_periods, period_named

bp = Blueprint("dashboard", __name__)

DEFAULT_ENDING_DAYS = 90
# One page parameter per list, so each list pages on its own.
PAGE_PARAMS = ("ledige", "nedlaeggelser", "aendringer")
# The ending terms on the front page; the rest on a page of their own (ending below).
ENDING_ON_FRONT_PAGE = 10
ENDING_PER_PAGE = 50


@bp.get("/sekretariat")
@role_required(*SECRETARIAT, UserRole.viewer)
def index():
    """Readers see it too; there is nothing to change here."""
    day = today()
    days = int(current_app.config.get("DASHBOARD_ENDING_DAYS", DEFAULT_ENDING_DAYS))
    pages = {name: page_param(name) for name in PAGE_PARAMS}
    return render_template(
        "dashboard/index.html", day=day, days=days,
        vacancies=services.vacancies(day, pages["ledige"], viewer=current_user),
        ending=services.ending_terms(day, size=ENDING_ON_FRONT_PAGE),
        closing=services.closing_bodies(day, days, pages["nedlaeggelser"]),
        changes=changes.latest_changes(pages["aendringer"], private=is_secretariat()),
        # Nominations are not for readers' eyes, not even as counts.
        workload=services.workload(day) if is_secretariat() else None, long_pending_days=LONG_PENDING.days,
    )


@bp.get("/sekretariat/udloeb")
@role_required(*SECRETARIAT, UserRole.viewer)
def ending():
    """Every term ending within its body's warning, a page at a time by a stable key (?efter=<appointment>)."""
    day = today()
    after = id_param("efter")
    found = services.ending_terms(day, after=after, size=ENDING_PER_PAGE) or abort(404)
    return render_template("dashboard/ending.html", day=day, ending=found, first=after is None)


# The election-period round.

def _period() -> ElectionPeriod | None:
    """?periode=<name>; without it the period that contains today (organisations.services.default_period)."""
    name = request.args.get("periode", "").strip()
    if name:
        return (period_named(name) if len(name) <= 20 else None) or abort(404)
    return default_period(today())


@bp.get("/runde")
@role_required(*SECRETARIAT)
def round_():
    """How far the period's round has got, per body and party group and per seat; the gender rule over each
    party group's proposal for a body."""
    period = _period()
    found = round_progress.progress(period) if period is not None else None
    return render_template("dashboard/round.html", period=period, periods=election_periods(), progress=found,
                           stages=round_progress.COUNTED, Stage=round_progress.Stage)


@bp.get("/runde.csv")
@role_required(*SECRETARIAT)
def round_csv():
    period = _period() or abort(404)
    delimiter = request.args.get("delimiter", ";")
    if delimiter not in DELIMITERS:
        bad_request(_("Ukendt skilletegn: brug ';' eller ','."))
    chunks = round_progress.export(round_progress.progress(period), delimiter)
    name = _round_name(period) + ".csv"
    return Response("".join(chunks).encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/runde.xlsx")
@role_required(*SECRETARIAT)
def round_xlsx():
    """The CSV's rows as an Excel workbook (exchange/xlsx.py)."""
    period = _period() or abort(404)
    return xlsx.download(xlsx.round_(round_progress.progress(period)), _round_name(period) + ".xlsx")


def _round_name(period: ElectionPeriod) -> str:
    # Named by the period's years, not its name, which the secretariat types.
    return f"runde-{period.start_date.year}-{period.end_date.year}"


@bp.post("/runde/paamindelse")
@role_required(*SECRETARIAT)
def remind():
    """Remind the party groups that are late: open calls past their deadline without a nomination."""
    period = _period() or abort(404)
    try:
        parties = commit(lambda: round_progress.send_reminders(round_progress.progress(period)))
    except Conflict:
        flash(_("Påmindelserne kunne ikke gemmes lige nu. Prøv igen."), "error")
    else:
        notifications.deliver_after_commit()
        if parties:
            flash(ngettext("Der er sendt en påmindelse til %(num)d partigruppe: %(names)s.",
                           "Der er sendt en påmindelse til %(num)d partigrupper: %(names)s.", len(parties),
                           names=", ".join(party.name for party in parties)), "success")
        else:
            flash(_("Ingen partigrupper har overskredet fristen."), "info")
    return redirect(url_for("dashboard.round_", periode=period.name))

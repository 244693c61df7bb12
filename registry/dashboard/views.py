from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from registry.auth.models import UserRole
from registry.auth.permissions import SECRETARIAT, is_secretariat, role_required
from registry.dashboard import services
from registry.dates import today
from registry.http import bad_request

bp = Blueprint("dashboard", __name__)

DEFAULT_ENDING_DAYS = 90
# One page parameter per list, so each list pages on its own.
PAGE_PARAMS = ("ledige", "udloeb", "nedlaeggelser", "aendringer")


@bp.get("/sekretariat")
@role_required(*SECRETARIAT, UserRole.viewer)
def index():
    """Readers see it too; there is nothing to change here."""
    day = today()
    days = int(current_app.config.get("DASHBOARD_ENDING_DAYS", DEFAULT_ENDING_DAYS))
    pages = {name: _page_number(name) for name in PAGE_PARAMS}
    return render_template(
        "dashboard/index.html", day=day, days=days, page_url=_page_url,
        vacancies=services.vacancies(day, pages["ledige"]),
        ending=services.ending_terms(day, days, pages["udloeb"]),
        closing=services.closing_bodies(day, days, pages["nedlaeggelser"]),
        changes=services.latest_changes(pages["aendringer"], private=is_secretariat()),
        # Nominations are not for readers' eyes, not even as counts.
        workload=services.workload(day) if is_secretariat() else None,
    )


def _page_number(name: str) -> int:
    text = request.args.get(name, "1")
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or not 1 <= int(text) <= 100_000:
        bad_request(_("Ugyldigt sidetal."))
    return int(text)


def _page_url(name: str, number: int) -> str:
    args = {key: value for key, value in request.args.items() if key in PAGE_PARAMS}
    args[name] = number
    return url_for("dashboard.index", **args, _anchor=name)

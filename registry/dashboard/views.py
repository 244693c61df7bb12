from flask import Blueprint, current_app, render_template

from registry.auth.models import UserRole
from registry.auth.permissions import SECRETARIAT, is_secretariat, role_required
from registry.dashboard import services
from registry.dates import today
from registry.http import page_param

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
    pages = {name: page_param(name) for name in PAGE_PARAMS}
    return render_template(
        "dashboard/index.html", day=day, days=days,
        vacancies=services.vacancies(day, pages["ledige"]),
        ending=services.ending_terms(day, pages["udloeb"]),
        closing=services.closing_bodies(day, days, pages["nedlaeggelser"]),
        changes=services.latest_changes(pages["aendringer"], private=is_secretariat()),
        # Nominations are not for readers' eyes, not even as counts.
        workload=services.workload(day) if is_secretariat() else None,
    )

from flask import Blueprint, render_template

from registry.dates import today
from registry.http import as_of_param
from registry.organisations.services import rosters_on

bp = Blueprint("organisations", __name__)


@bp.get("/")
def index():
    day = as_of_param()
    return render_template("organisations/index.html", rosters=rosters_on(day), day=day,
                           is_today=day == today())

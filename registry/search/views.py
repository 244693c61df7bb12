from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from registry.auth.permissions import is_secretariat
from registry.http import bad_request
from registry.search import services

bp = Blueprint("search", __name__)


@bp.get("/soeg")
def index():
    """The hits a page at a time by name: ?efter=person-12 (or organisation-3) continues after that hit."""
    query = request.args.get("q", "")[:200]
    after = request.args.get("efter")
    mark = services.parse_mark(after)
    if after and mark is None:
        bad_request(_("Ugyldig værdi i efter: brug fx person-12 eller organisation-3."))
    results = None
    if query.strip():
        results = services.search(query, after=mark, public=not is_secretariat()) or abort(404)
    return render_template("search/index.html", query=query, results=results)

from flask import Blueprint, render_template, request

from registry.auth.permissions import is_secretariat
from registry.http import page_param
from registry.search import services

bp = Blueprint("search", __name__)


@bp.get("/soeg")
def index():
    query = request.args.get("q", "")[:200]
    results = services.search(query, page_param(), public=not is_secretariat()) if query.strip() else None
    return render_template("search/index.html", query=query, results=results)

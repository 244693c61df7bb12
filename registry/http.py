"""Small helpers for reading requests, shared by the views."""

from datetime import date

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from registry.dates import parse_iso, today


def bad_request(message: str):
    """Abort with 400 and a Danish message shown as it is."""
    error = BadRequest(message)
    error.danish = True
    raise error


def page_param(name: str = "side") -> int:
    """?side=N, the page of a list; 1 when absent."""
    text = request.args.get(name, "1")
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        bad_request(_("Ugyldigt sidetal."))
    return int(text)


def as_of_param() -> date:
    """?as_of=YYYY-MM-DD, today when absent."""
    text = request.args.get("as_of")
    if not text:
        return today()
    try:
        return parse_iso(text)
    except ValueError as error:
        bad_request(str(error))

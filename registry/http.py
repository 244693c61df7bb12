"""Small helpers shared by the views: reading requests, answering in JSON, and committing what a service changed."""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from flask import Response, current_app, flash, has_request_context, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import IntegerConverter

from registry.dates import parse_iso, today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db

T = TypeVar("T")

# Ids are PostgreSQL integers: a larger number in a URL or a query is no row, never a database error.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """<int:…> in every route: 1 to MAX_ID, so /organisationer/99999999999 is a 404 and not a 500."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def id_param(name: str, *, prefill: bool = False) -> int | None:
    """?name=<id>: None when absent; 400 when not an id.

    prefill=True for a value that only fills in a form (?plads=4 on a new nomination): a bad one is
    ignored rather than refused, as the form asks anyway.
    """
    text = request.args.get(name)
    if text is None or text == "":
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= MAX_ID):
        if prefill:
            return None
        bad_request(_("Ugyldigt id i %(name)s: brug et helt tal.", name=name))
    return int(text)


def bad_request(message: str):
    """Abort with 400 and a Danish message shown as it is."""
    error = BadRequest(message)
    error.danish = True
    raise error


def local_path(target: str | None) -> str | None:
    """The target if it is a path on this site, else None: never an open redirect to another host.

    Browsers drop tabs and line breaks from URLs ("/\t/evil.example" is "//evil.example"), and a line break
    has no place in a Location header, so any whitespace or control character refuses the target.
    """
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in target)):
        return target
    return None


def external_url(endpoint: str, **values) -> str | None:
    """An absolute link, for e-mails and the API's next pages. With PUBLIC_URL set it is built on that
    address, never on the request's Host header (which the client chooses), and also outside a request (a
    command sending mail). Without it (development) it follows the request, and there is none outside one."""
    if current_app.config.get("PUBLIC_URL"):
        return current_app.create_url_adapter(None).build(endpoint, values, force_external=True)
    if not has_request_context():
        return None
    return url_for(endpoint, _external=True, **values)


def page_param(name: str = "side") -> int:
    """?side=N, the page of a list; 1 when absent."""
    text = request.args.get(name, "1")
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or not 1 <= int(text) <= 100_000:
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


def commit(change: Callable[[], T]) -> T:
    """Run a service and commit once: the view's one commit per request.

    A refusal (RuleViolation) is rolled back and passed on for the form to show.
    A record someone else saved meanwhile becomes Conflict: PostgreSQL finds
    the version changed (StaleDataError); SQLite reports the same race as
    "database is locked", because this request's snapshot is older than a
    colleague's commit. Only a constraint that guards what the services check
    first becomes Conflict too; any other is a programming error, logged and
    raised, never shown as "someone else saved this".
    """
    try:
        result = change()
        db.session.commit()
        return result
    except RuleViolation:
        db.session.rollback()
        raise
    except StaleDataError:
        db.session.rollback()
        raise Conflict() from None
    except OperationalError as error:
        if "database is locked" not in str(error.orig):
            raise
        db.session.rollback()
        raise Conflict() from None
    except IntegrityError as error:
        db.session.rollback()
        if violated_constraint(error) not in race_constraints():
            current_app.logger.error("A constraint no service checks refused a write: %s", error.orig)
            raise
        raise Conflict() from None


def race_constraints() -> set[str]:
    """The constraints that guard what the services check before they write: a name, a number or a seat that
    must be free. When one fires at the commit, a colleague's row was committed between the check and the write."""
    names = set()
    for table in db.metadata.tables.values():
        # Constraints written by hand in the migrations, which a model names in its table's info.
        names.update(table.info.get("race_constraints", ()))
        names.update(constraint.name for constraint in table.constraints
                     if isinstance(constraint, sa.UniqueConstraint) and constraint.name)
        names.update(index.name for index in table.indexes if index.unique and index.name)
    return names


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint the database refused a write by.

    PostgreSQL names it; SQLite names a trigger's or a check's, but for a unique constraint only its columns
    ("UNIQUE constraint failed: seats.organisation_id, seats.label"), which the models map back to the name.
    """
    diagnostics = getattr(error.orig, "diag", None)
    if diagnostics is not None:
        return diagnostics.constraint_name or _trigger_name(str(error.orig))
    message = str(error.orig)
    if message.startswith("UNIQUE constraint failed: "):
        columns = [part.strip() for part in message.removeprefix("UNIQUE constraint failed: ").split(",")]
        table = columns[0].partition(".")[0]
        return _unique_constraint_on(table, {column.partition(".")[2] for column in columns})
    if message.startswith("CHECK constraint failed: "):
        return message.removeprefix("CHECK constraint failed: ").strip()
    return _trigger_name(message)


def _trigger_name(message: str) -> str | None:
    # The registry's triggers raise "<constraint>: <what it means>".
    name, colon, _ = message.partition(":")
    return name if colon and name.replace("_", "").isalnum() else None


def _unique_constraint_on(table_name: str, columns: set[str]) -> str | None:
    table = db.metadata.tables.get(table_name)
    if table is None:
        return None
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and {c.name for c in constraint.columns} == columns:
            return constraint.name
    for index in table.indexes:
        if index.unique and {c.name for c in index.columns} == columns:
            return index.name
    return None


def conflict_page(form, row, template: str, message: str, **context):
    """The form again after an edit conflict (Conflict from commit): the record as it is now, with its new
    version in the form, and 409, so that saving once more, having seen the other change, is a deliberate
    choice. What the user typed stays in the form."""
    db.session.rollback()
    db.session.refresh(row)
    form.version.data = row.version
    flash(message, "error")
    return render_template(template, form=form, **context), 409


def json_response(data, status: int = 200, mimetype: str = "application/json") -> Response:
    """A JSON body as the API writes it."""
    # Danish names stay readable in curl and browsers (JSON is UTF-8 anyway), and
    # fields keep the serializers' order, id first, rather than the alphabet's.
    body = current_app.json.dumps(data, ensure_ascii=False, sort_keys=False)
    return current_app.response_class(body, status=status, mimetype=mimetype)


def json_error(error: Exception) -> Response:
    """An error under /api/ as JSON (RFC 9457 fields), for the app's error handlers."""
    code = getattr(error, "code", None) or 500
    # A 500's own text may tell more than a stranger should read.
    detail = error.description if isinstance(error, HTTPException) and code < 500 else "Internal server error."
    response = json_response({"status": code, "title": HTTP_STATUS_CODES.get(code, "Error"), "detail": detail},
                     code, "application/problem+json")
    if isinstance(error, HTTPException):
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value  # the Allow header of a 405
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response

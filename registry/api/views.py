"""The JSON API's endpoints: GET only, query parameters read as the OpenAPI document describes them."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import BadRequest, HTTPException, NotFound
from werkzeug.http import HTTP_STATUS_CODES

from registry.api import openapi, serializers, services

bp = Blueprint("api", __name__, url_prefix=openapi.PREFIX)

ID = f"int(min=1, max={openapi.MAX_ID})"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _json(data, status: int = 200, mimetype: str = "application/json") -> Response:
    # Danish names stay readable in curl and browsers (JSON is UTF-8 anyway), and
    # fields keep the serializers' order, id first, rather than the alphabet's.
    body = current_app.json.dumps(data, ensure_ascii=False, sort_keys=False)
    return current_app.response_class(body, status=status, mimetype=mimetype)


def json_error(error: Exception) -> Response:
    """An error under /api/ as JSON (RFC 9457 fields), for the app's error handlers."""
    code = getattr(error, "code", None) or 500
    # A 500's own text may tell more than a stranger should read.
    detail = error.description if isinstance(error, HTTPException) and code < 500 else "Internal server error."
    response = _json({"status": code, "title": HTTP_STATUS_CODES.get(code, "Error"), "detail": detail},
                     code, "application/problem+json")
    if isinstance(error, HTTPException):
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value  # the Allow header of a 405
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    # Who sits where is public, and KL's website reads it from the browser.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _parse(parameter: dict, text: str):
    """The text of a query parameter as its schema's type, or a 400 that says what form it needs."""
    name, schema = parameter["name"], parameter["schema"]
    if schema.get("format") == "date":
        try:
            if not ISO_DATE.fullmatch(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise BadRequest(f"Parameter '{name}' must be a date, YYYY-MM-DD, e.g. 2024-04-19.") from None
    if schema["type"] == "integer":
        low, high = schema["minimum"], schema["maximum"]
        # The length check comes first: int() refuses (ValueError) numbers of thousands of digits.
        if not (text.isascii() and text.isdigit() and len(text) <= 10 and low <= int(text) <= high):
            raise BadRequest(f"Parameter '{name}' must be a whole number from {low} to {high}.")
        return int(text)
    if text not in schema["enum"]:
        raise BadRequest(f"Parameter '{name}' must be one of: {', '.join(schema['enum'])}.")
    return text


def query_args(path: str) -> dict:
    """The query parameters, read and checked as the OpenAPI document describes them for the path."""
    parameters = {parameter["name"]: parameter for parameter in openapi.query_parameters(path)}
    for name in request.args:
        if name not in parameters:
            takes = ", ".join(parameters) or "no parameters"
            raise BadRequest(f"Unknown parameter '{name[:40]}'; this endpoint takes {takes}.")
        if len(request.args.getlist(name)) > 1:
            raise BadRequest(f"Parameter '{name}' is given more than once.")
    args = {}
    for name, parameter in parameters.items():
        if name in request.args:
            args[name] = _parse(parameter, request.args[name])
        elif "default" in parameter["schema"]:
            args[name] = parameter["schema"]["default"]
    return args


def _list(resource: str, read: Callable[..., services.Page], serialize: Callable[[Any], dict]) -> Response:
    page = read(**query_args(f"{openapi.PREFIX}/{resource}"))
    results = [serialize(item) for item in page.items]
    next_url = None
    if page.more:
        next_url = url_for(request.endpoint, **{**request.args.to_dict(), "after": results[-1]["id"]},
                           _external=True)
    return _json({"results": results, "next": next_url})


def _detail(resource: str, read: Callable[[int], Any], object_id: int, serialize: Callable[[Any], dict]) -> Response:
    query_args(f"{openapi.PREFIX}/{resource}/{{{openapi.DETAILED[resource]}}}")
    item = read(object_id)
    if item is None:
        raise NotFound(f"There is no public {resource[:-1]} with this id.")
    return _json(serialize(item))


@bp.get("/openapi.json")
def openapi_document():
    return _json(openapi.DOCUMENT)


@bp.get("/organizations")
def organizations():
    return _list("organizations", services.organizations, serializers.organization)


@bp.get(f"/organizations/<{ID}:organization_id>")
def organization(organization_id: int):
    return _detail("organizations", services.organization, organization_id, serializers.organization)


@bp.get("/posts")
def posts():
    return _list("posts", services.posts, serializers.post)


@bp.get(f"/posts/<{ID}:post_id>")
def post(post_id: int):
    return _detail("posts", services.post, post_id, serializers.post)


@bp.get("/persons")
def persons():
    return _list("persons", services.persons, serializers.person)


@bp.get(f"/persons/<{ID}:person_id>")
def person(person_id: int):
    return _detail("persons", services.person, person_id, serializers.person)


@bp.get("/memberships")
def memberships():
    return _list("memberships", services.memberships, serializers.membership)


@bp.get(f"/memberships/<{ID}:membership_id>")
def membership(membership_id: int):
    return _detail("memberships", services.membership, membership_id, serializers.membership)


@bp.get("/parties")
def parties():
    return _list("parties", services.parties, serializers.party)


@bp.get("/municipalities")
def municipalities():
    return _list("municipalities", services.municipalities, serializers.municipality)

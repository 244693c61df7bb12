"""The JSON API's endpoints: GET only, query parameters read as the OpenAPI document describes them."""

import re
from collections.abc import Callable
from datetime import date
from functools import partial, wraps
from typing import Any

from flask import Blueprint, Response, request, stream_with_context
from flask_login import current_user
from werkzeug.exceptions import BadRequest, Forbidden, NotFound, Unauthorized
from werkzeug.http import is_resource_modified

from registry.api import docs, openapi, popolo, serializers, services
from registry.auth.models import UserRole
from registry.auth.permissions import SECRETARIAT
from registry.http import MAX_ID, external_url, json_error, json_response
from registry.paging import Page
from registry.people.models import Party

bp = Blueprint("api", __name__, url_prefix=openapi.PREFIX)

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# How long a cache may keep a public answer without asking again (issue 16: public, max-age=60).
PUBLIC_MAX_AGE = 60


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    # Who sits where is public, and KL's website reads it from the browser.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response


@bp.after_request
def cacheable(response: Response) -> Response:
    """A public answer (not the nominations, which are private and say so) may be cached for a minute, and
    carries an ETag of its body: a client that sends it back in If-None-Match gets 304 and no body."""
    if request.method != "GET" or response.status_code != 200 or "Cache-Control" in response.headers:
        return response
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)


# The kinds of object whose key is a number of the registry's own, never reused; parties, areas and events go
# by keys that are the same in every registry (serializers.py).
NUMBERED = {"organizations", "posts", "persons", "memberships", "decisions", "nominations"}


def parse_id(name: str, kind: str, text: str, *, minimum: int = 1) -> int | str:
    """An id given as a parameter, "persons/17" or "parties/F", or its key alone ("17", "F"), as the key the
    services read: a number, a list letter, an area's code (a number) or name, a period's name. Else a 400."""
    key = text.removeprefix(f"{kind}/")
    if kind in NUMBERED:
        # The length check comes first: int() refuses (ValueError) numbers of thousands of digits.
        if key.isascii() and key.isdigit() and len(key) <= 10 and minimum <= int(key) <= MAX_ID:
            return int(key)
        raise BadRequest(f"Parameter '{name}' must be an id such as {kind}/17, or its number alone.")
    if not re.fullmatch(openapi.KEY, key):
        raise BadRequest(f"Parameter '{name}' must be an id such as {openapi.ID_EXAMPLES[kind]}, or its key "
                         f"alone.")
    if kind == "areas" and key.isascii() and key.isdigit() and len(key) <= 9:
        return int(key)  # a kommunekode or regionskode, "0101" as 101
    return key


def _path_key(kind: str, text: str) -> int | str:
    """A key in a URL path (/parties/<letter>, /areas/<key>, /events/<name>) as parse_id reads it; one that
    cannot be a key is no object."""
    try:
        return parse_id(kind, kind, text)
    except BadRequest:
        raise NotFound(f"There is no {openapi.SINGULAR[kind]} with this id.") from None


def _parse(parameter: dict, text: str):
    """The text of a query parameter as its schema's type, or a 400 that says what form it needs."""
    name, schema = parameter["name"], parameter["schema"]
    if kind := parameter.get(openapi.ID_OF):
        return parse_id(name, kind, text)
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
    if "enum" not in schema:
        return text
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


def _list(resource: str, read: Callable[..., Page], serialize: Callable[[Any], dict], *,
          kinds: tuple[str, ...] = ()) -> Response:
    """A page of a list of objects: `after` is the id of one of them, of the resource's kind unless other kinds
    are given (the first for a bare key); the read function is then told which (after_kind)."""
    args = query_args(f"{openapi.PREFIX}/{resource}")
    if "after" in args:
        text = args["after"]
        after_kind = next((kind for kind in kinds if text.startswith(f"{kind}/")), kinds[0] if kinds else resource)
        args["after"] = parse_id("after", after_kind, text, minimum=0)
        if kinds:
            args["after_kind"] = after_kind
    page = read(**args)
    results = [serialize(item) for item in page.items]
    next_url = None
    if page.has_next:
        next_url = external_url(request.endpoint, **{**request.args.to_dict(), "after": results[-1]["id"]})
    return json_response({"results": results, "next": next_url})


def _detail(resource: str, read: Callable[[Any], Any], object_id: int | str, serialize: Callable[[Any], dict],
            missing: str | None = None) -> Response:
    query_args(f"{openapi.PREFIX}/{resource}/{{{openapi.DETAILED[resource]}}}")
    item = read(object_id)
    if item is None:
        raise NotFound(missing or f"There is no public {openapi.SINGULAR[resource]} with this id.")
    return json_response(serialize(item))


# Who may read nominations through the API: as on the pages, the secretariat and the party groups.
NOMINATION_READERS = (*SECRETARIAT, UserRole.party)


def signed_in(view):
    """For a signed-in user of the secretariat or a party group; anyone else gets a JSON 401 (not signed in)
    or 403 (a viewer). What the answer holds depends on who asks, so nobody may cache it."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return json_error(Unauthorized("Sign in to the registry first; nominations are not public."))
        if current_user.role not in NOMINATION_READERS:
            return json_error(Forbidden("Only the secretariat and party groups may read nominations."))
        response = view(*args, **kwargs)
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
        return response

    return guarded


@bp.get("/openapi.json")
def openapi_document():
    return json_response(docs.document())


@bp.get("/popolo.json")
def popolo_document():
    """Everything at once, streamed (popolo.py). Its own ETag and Cache-Control keep `cacheable` from reading
    the stream for an ETag of the body; a client's copy that is still current is a 304 before any of it is
    read."""
    as_of = query_args(f"{openapi.PREFIX}/popolo.json").get("as_of")
    version = popolo.version(as_of)
    headers = {"Cache-Control": f"public, max-age={PUBLIC_MAX_AGE}"}
    if not is_resource_modified(request.environ, etag=version.etag, last_modified=version.last_modified):
        response = Response(status=304, headers=headers)
    else:
        response = Response(stream_with_context(chunk.encode("utf-8") for chunk in popolo.document(as_of)),
                            mimetype="application/json", headers=headers)
    response.set_etag(version.etag)
    response.last_modified = version.last_modified
    return response


@bp.get("/docs")
def documentation():
    """The OpenAPI document for people to read and try (Swagger UI)."""
    return docs.page()


@bp.get("/organizations")
def organizations():
    kinds = ("parties", "organizations") if request.args.get("classification") == "party" else (
        "organizations", "parties")
    return _list("organizations", _organizations, _organization, kinds=kinds)


def _organizations(*, limit: int, after: int | str | None = None, after_kind: str = "organizations",
                   classification: str | None = None, as_of: date | None = None) -> Page:
    """The bodies by id, or with classification=party the parties by letter (two tables: one at a time). As if
    in one list, the bodies first: after a body come all the parties, after a party no body."""
    if classification == "party":
        # Parties have no dates: every party exists on every day.
        return services.parties(limit=limit, after=after if after_kind == "parties" else None)
    if after_kind == "parties":
        return Page([])
    return services.organizations(limit=limit, after=after or 0, as_of=as_of, classification=classification)


def _organization(item: Any) -> dict:
    return serializers.party(item) if isinstance(item, Party) else serializers.organization(item)


@bp.get("/organizations/<int:organization_id>")
def organization(organization_id: int):
    return _detail("organizations", services.organization, organization_id, serializers.organization)


@bp.get("/posts")
def posts():
    return _list("posts", services.posts, serializers.post)


@bp.get("/posts/<int:post_id>")
def post(post_id: int):
    return _detail("posts", services.post, post_id, serializers.post)


@bp.get("/persons")
def persons():
    return _list("persons", services.persons, serializers.person)


@bp.get("/persons/<int:person_id>")
def person(person_id: int):
    return _detail("persons", services.person, person_id, serializers.person)


@bp.get("/memberships")
def memberships():
    return _list("memberships", services.memberships, serializers.membership)


@bp.get("/memberships/<int:membership_id>")
def membership(membership_id: int):
    return _detail("memberships", services.membership, membership_id, serializers.membership)


@bp.get("/parties")
def parties():
    return _list("parties", services.parties, serializers.party)


@bp.get("/parties/<letter>")
def party(letter: str):
    return _detail("parties", services.party, _path_key("parties", letter), serializers.party)


@bp.get("/areas")
def areas():
    return _list("areas", services.areas, serializers.area)


@bp.get("/areas/<area>")
def area(area: str):
    return _detail("areas", services.area, _path_key("areas", area), serializers.area)


@bp.get("/events")
def events():
    return _list("events", services.events, serializers.event)


@bp.get("/events/<period>")
def event(period: str):
    return _detail("events", services.event, _path_key("events", period), serializers.event)


@bp.get("/decisions")
def decisions():
    return _list("decisions", services.decisions, serializers.decision_record)


@bp.get("/decisions/<int:decision_id>")
def decision(decision_id: int):
    return _detail("decisions", services.decision_record, decision_id, serializers.decision_record)


@bp.get("/decisions/<int:decision_id>/entries")
def decision_entries(decision_id: int):
    """Everyone a decision concerns, a page at a time: a decision in the list shows only its first few."""
    args = query_args(f"{openapi.PREFIX}/decisions/{{decision_id}}/entries")
    found = services.decision(decision_id)
    if found is None:
        raise NotFound("There is no decision with this id.")
    window = services.decision_entries(found, **args)
    next_url = None
    if window.after is not None:
        next_url = external_url(request.endpoint, decision_id=decision_id,
                                **{**request.args.to_dict(), "after": window.after})
    return json_response({"results": [serializers.decision_entry(entry) for entry in window.items],
                          "next": next_url})


@bp.get("/nominations")
@signed_in
def nominations():
    return _list("nominations", partial(services.nominations, current_user), serializers.nomination)


@bp.get("/nominations/<int:nomination_id>")
@signed_in
def nomination(nomination_id: int):
    # Another party group's nomination is a 404, like one that does not exist.
    return _detail("nominations", partial(services.nomination, current_user), nomination_id,
                   serializers.nomination, "There is no nomination with this id that you may read.")

"""The API's OpenAPI document says where the API is, whom to ask and on what terms, groups and describes every
operation with an example of each answer that is true to its schema; and /api/v1/docs shows it with Swagger UI,
from this site only, under the registry's Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from registry import config
from registry.api import docs
from registry.api.openapi import DOCUMENT
from registry.security import CONTENT_SECURITY_POLICY

STATIC = Path(__file__).parent.parent / "static"
DOCUMENT_URI = "urn:kkr-registry:openapi"
REGISTRY = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(DOCUMENT))


def _answers():
    """(operation id, status, media type, pointer to the media type object) of every answer in the document."""
    for path, item in DOCUMENT["paths"].items():
        operation = item["get"]
        for status, response in operation["responses"].items():
            for media_type in response.get("content", {}):
                pointer = "/".join(part.replace("~", "~0").replace("/", "~1") for part in
                                   ["paths", path, "get", "responses", status, "content", media_type])
                yield operation["operationId"], status, media_type, pointer


ANSWERS = list(_answers())


def _at(pointer: str) -> dict:
    found = DOCUMENT
    for part in pointer.split("/"):
        found = found[part.replace("~1", "/").replace("~0", "~")]
    return found


@pytest.mark.parametrize(("operation_id", "status", "media_type", "pointer"), ANSWERS,
                         ids=[f"{answer[0]}-{answer[1]}" for answer in ANSWERS])
def test_every_answer_has_an_example_that_its_schema_accepts(operation_id, status, media_type, pointer):
    content = _at(pointer)
    assert "example" in content, f"{operation_id} {status} has no example"
    validator = Draft202012Validator({"$ref": f"{DOCUMENT_URI}#/{pointer}/schema"}, registry=REGISTRY,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    validator.validate(content["example"])
    if media_type == "application/problem+json":
        assert content["example"]["status"] == int(status)


def test_a_success_example_shows_a_whole_object_not_an_empty_page():
    for operation_id, status, _media_type, pointer in ANSWERS:
        example = _at(pointer)["example"]
        if status == "200" and "results" in example:
            assert example["results"], f"{operation_id}: an empty page shows nothing of the objects"


def test_every_operation_has_a_group_and_a_description_of_its_own():
    groups = {tag["name"]: tag["description"] for tag in DOCUMENT["tags"]}
    for path, item in DOCUMENT["paths"].items():
        operation = item["get"]
        assert operation["tags"], path
        assert set(operation["tags"]) <= set(groups), path
        assert operation["description"].strip(), path
        assert operation["description"] != operation["summary"], path
    assert all(groups.values())
    used = {tag for item in DOCUMENT["paths"].values() for tag in item["get"]["tags"]}
    assert set(groups) == used, "a group without operations shows as an empty heading"


def test_a_bad_parameters_example_is_the_message_the_api_gives(client):
    example = DOCUMENT["paths"]["/api/v1/organizations"]["get"]["responses"]["400"]["content"][
        "application/problem+json"]["example"]
    assert client.get("/api/v1/organizations?sort=name").get_json() == example


# --- Servers, contact and licence: from the settings ---------------------------------------------------------

def test_without_settings_the_document_names_the_development_server_the_kkrs_secretariat_and_no_licence(client):
    served = client.get("/api/v1/openapi.json").get_json()

    assert served["servers"] == [{"url": "http://127.0.0.1:5000"}]
    assert served["info"]["contact"] == {"name": "The secretariat of KKR Hovedstaden",
                                         "url": "https://www.kl.dk/politik/kkr/kkr-hovedstaden"}
    # No licence is claimed that KL has not given.
    assert served["info"]["license"]["name"] == "No licence given yet: ask the secretariat"
    assert served == DOCUMENT


def test_the_document_names_the_configured_servers_contact_and_licence(app, client):
    app.config.update(config.api({
        "API_SERVERS": "https://udpegninger.example.dk/, https://test.udpegninger.example.dk",
        "API_CONTACT_NAME": "KKR Hovedstadens sekretariat", "API_CONTACT_EMAIL": "kkr@example.dk",
        "API_DATA_LICENSE": "CC BY 4.0", "API_DATA_LICENSE_URL": "https://creativecommons.org/licenses/by/4.0/",
    }, "KKR Sjælland"))

    served = client.get("/api/v1/openapi.json").get_json()

    assert served["servers"] == [{"url": "https://udpegninger.example.dk"},
                                 {"url": "https://test.udpegninger.example.dk"}]
    assert served["info"]["contact"] == {"name": "KKR Hovedstadens sekretariat",
                                         "url": "https://www.kl.dk/politik/kkr/kkr-sjaelland",
                                         "email": "kkr@example.dk"}
    assert served["info"]["license"] == {"name": "CC BY 4.0",
                                         "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert served["paths"] == DOCUMENT["paths"]


def test_without_api_servers_the_server_is_the_public_url(app, client):
    app.config.update(config.public_url("https://udpegninger.example.dk"))

    served = client.get("/api/v1/openapi.json", base_url="https://udpegninger.example.dk").get_json()

    assert served["servers"] == [{"url": "https://udpegninger.example.dk"}]


def test_a_server_that_is_no_web_address_stops_the_start():
    with pytest.raises(RuntimeError, match="API_SERVERS"):
        config.api({"API_SERVERS": "udpegninger.example.dk"})


def test_outside_a_kkr_the_contact_is_kls_front_page():
    assert config.api({}, "KL")["API_CONTACT"]["url"] == "https://www.kl.dk"


# --- The page ------------------------------------------------------------------------------------------------

def test_the_docs_page_starts_swagger_ui_from_this_site_without_inline_script_or_style(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    page = response.text
    assert 'data-openapi-url="/api/v1/openapi.json"' in page
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)
    assert f"/static/{docs.SWAGGER_UI}/swagger-ui-bundle.js" in sources
    assert "/static/api-docs.js" in sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources), sources
    assert re.findall(r"<script\b(?![^>]*\bsrc=)", page) == []
    assert "<style" not in page
    assert " style=" not in page
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_vendored_swagger_ui_keeps_its_licence():
    folder = STATIC / docs.SWAGGER_UI
    assert {"LICENSE", "NOTICE", "swagger-ui-bundle.js", "swagger-ui.css"} <= {p.name for p in folder.iterdir()}


def test_the_docs_page_is_public_and_cached_like_the_api(client):
    response = client.get("/api/v1/docs")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/docs", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304

"""Public API answers may be cached for a minute and carry an ETag; a conditional request gets 304 without a
body. Nominations are private and never cached (issue 16, point 7)."""

import pytest

from registry.extensions import db
from tests import factories as make

PUBLIC = ["/api/v1/organizations", "/api/v1/persons", "/api/v1/memberships", "/api/v1/parties",
          "/api/v1/openapi.json", "/api/v1/organizations?as_of=2024-04-19"]


@pytest.mark.parametrize("path", PUBLIC)
def test_a_public_answer_is_cacheable_and_answers_a_conditional_request_with_304(client, app, path):
    make.organisation("RAR Hovedstaden")
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == etag


def test_a_changed_answer_has_another_etag(client, app):
    make.organisation("RAR Hovedstaden")
    db.session.commit()
    etag = client.get("/api/v1/organizations").headers["ETag"]
    make.organisation("Movia")
    db.session.commit()
    changed = client.get("/api/v1/organizations", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_errors_are_not_cached(client, app):
    response = client.get("/api/v1/organizations/999")
    assert response.status_code == 404
    assert "ETag" not in response.headers

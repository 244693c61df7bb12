"""Nominations in the JSON API (signed in; a party group sees only its own) and KKR's decisions (public).

Every response is checked against the OpenAPI document, as in test_api.py.
"""

from datetime import date

import pytest
import schemathesis
from flask.globals import _cv_app
from hypothesis import HealthCheck, settings

from registry.api import openapi
from registry.api.openapi import DOCUMENT
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from tests import factories as make
from tests import nomination_factories as nom
from tests.test_api import get


def place(nomination, day: date, number: str, **values):
    return agenda.place_on_agenda(nomination, day, number, council="KKR Hovedstaden", **values)


@pytest.fixture
def nominations(app):
    """Two party groups' nominations: SF's sent and appointed ones, the Radikale's on the agenda."""
    rar_f = nom.allocated_seat("F", "RAR Hovedstaden")
    rar_f2 = nom.allocated_seat("F", "RAR Hovedstaden")
    rar_b = nom.allocated_seat("B", "RAR Hovedstaden")
    kofoed = nom.candidate("Lotte Kofoed", "F", municipality_name="Frederiksberg")
    peschardt = nom.candidate("Marie-Louise Peschardt Jørgensen", "F")
    sent = nom.nomination(rar_f2, nom.candidate("Sara Sendt", "F"), motivation="Erfaren i beskæftigelse.")
    appointed = nom.nomination(rar_f, kofoed, substitute=peschardt)
    place(appointed, date(2024, 4, 19), "4.1", case_number="SAG-2024-01064", title="Udpegning til RAR Hovedstaden")
    agenda.decide(appointed, Outcome.appointed, text="KKR Hovedstaden udpegede Lotte Kofoed (F).",
                    effective=date(2024, 7, 1))
    theirs = nom.nomination(rar_b, nom.candidate("Esat Sentürk", "B", municipality_name="Høje-Taastrup"))
    place(theirs, date(2024, 4, 19), "4.2")
    db.session.commit()
    return {"sent": sent, "appointed": appointed, "theirs": theirs, "kofoed": kofoed, "peschardt": peschardt,
            "rar": rar_f.organisation, "rar_f": rar_f, "rar_b": rar_b}


# The users, made when a test signs in (a password hash takes a while): both party groups' users, the
# secretariat and a viewer.
USERS = {
    "sf": lambda: nom.party_user("sf", "F"),
    "radikale": lambda: nom.party_user("radikale", "B"),
    "sekretariat": lambda: make.user("sekretariat"),
    "laeser": lambda: nom.viewer("laeser"),
}


def sign_in(client, username: str) -> None:
    USERS[username]()
    db.session.commit()
    assert make.login(client, username).status_code == 302


def number(object_id: str) -> int:
    """The registry's own number in an id: 17 in "persons/17"."""
    return int(object_id.split("/")[1])


def ids(client, url: str) -> list[int]:
    page = get(client, url)
    assert page["next"] is None, "the test expects one page"
    return [number(row["id"]) for row in page["results"]]


# Who may read nominations.

@pytest.mark.parametrize("path", ["/api/v1/nominations", "/api/v1/nominations/{id}"])
def test_nominations_are_not_public(client, nominations, path):
    error = get(client, path.format(id=nominations["sent"].id), 401)
    assert error["status"] == 401
    assert "Sign in" in error["detail"]
    assert "Kofoed" not in str(error)


@pytest.mark.parametrize("path", ["/api/v1/nominations", "/api/v1/nominations/{id}"])
def test_a_viewer_may_not_read_nominations(client, nominations, path):
    sign_in(client, "laeser")
    assert get(client, path.format(id=nominations["sent"].id), 403)["status"] == 403


def test_a_party_group_reads_its_own_nominations_only(client, nominations):
    sign_in(client, "sf")
    own = sorted([nominations["sent"].id, nominations["appointed"].id])
    assert ids(client, "/api/v1/nominations") == own
    assert get(client, f"/api/v1/nominations/{nominations['sent'].id}")["motivation"] == "Erfaren i beskæftigelse."
    theirs = nominations["theirs"]
    assert get(client, f"/api/v1/nominations/{theirs.id}", 404)["status"] == 404
    # Not by any filter either.
    assert ids(client, f"/api/v1/nominations?on_behalf_of_id=parties/{theirs.party.letter}") == []
    assert ids(client, f"/api/v1/nominations?post_id={theirs.seat_id}") == []
    assert ids(client, "/api/v1/nominations?status=on_agenda") == []


def test_the_other_party_group_reads_its_own_and_not_sfs(client, nominations):
    sign_in(client, "radikale")
    assert ids(client, "/api/v1/nominations") == [nominations["theirs"].id]
    for key in ("sent", "appointed"):
        get(client, f"/api/v1/nominations/{nominations[key].id}", 404)


def test_another_partys_nomination_looks_like_one_that_does_not_exist(client, nominations):
    sign_in(client, "sf")
    theirs = get(client, f"/api/v1/nominations/{nominations['theirs'].id}", 404)
    missing = get(client, "/api/v1/nominations/999999", 404)
    assert theirs == missing


def test_the_secretariat_reads_every_nomination_with_its_decision(client, nominations):
    sign_in(client, "sekretariat")
    assert ids(client, "/api/v1/nominations") == sorted(nominations[key].id for key in ("sent", "appointed",
                                                                                         "theirs"))
    appointed = nominations["appointed"]
    assert get(client, f"/api/v1/nominations/{appointed.id}") == {
        "id": f"nominations/{appointed.id}", "post_id": f"posts/{nominations['rar_f'].id}",
        "organization_id": f"organizations/{nominations['rar'].id}", "role": "member",
        "on_behalf_of_id": "parties/F", "nominated_by": None, "person_id": f"persons/{nominations['kofoed'].id}",
        "substitute_person_id": f"persons/{nominations['peschardt'].id}", "status": "appointed",
        "motivation": None, "gender_reason": None, "comment": None, "meeting_date": "2024-04-19",
        "item_number": "4.1", "decision_id": f"decisions/{appointed.decision_id}", "outcome": "appointed",
        "decision_text": "KKR Hovedstaden udpegede Lotte Kofoed (F).", "appointed_on": "2024-07-01",
    }
    theirs = get(client, f"/api/v1/nominations/{nominations['theirs'].id}")
    assert (theirs["status"], theirs["meeting_date"], theirs["item_number"], theirs["outcome"]) == (
        "on_agenda", "2024-04-19", "4.2", None)
    sent = get(client, f"/api/v1/nominations/{nominations['sent'].id}")
    assert (sent["status"], sent["meeting_date"], sent["decision_id"]) == ("submitted", None, None)


def test_nominations_give_no_contact_details_or_gender(client, nominations):
    nominations["kofoed"].email = "lotte@example.dk"
    db.session.commit()
    sign_in(client, "sekretariat")
    text = str(get(client, "/api/v1/nominations"))
    assert "lotte@example.dk" not in text
    assert "woman" not in text


def test_the_secretariat_filters_nominations(client, nominations):
    sign_in(client, "sekretariat")
    assert ids(client, "/api/v1/nominations?status=on_agenda") == [nominations["theirs"].id]
    assert ids(client, "/api/v1/nominations?on_behalf_of_id=parties/B") == [nominations["theirs"].id]
    assert ids(client, f"/api/v1/nominations?post_id={nominations['rar_f'].id}") == [nominations["appointed"].id]
    # A suppleant named in a nomination is found too.
    assert ids(client, f"/api/v1/nominations?person_id={nominations['peschardt'].id}") == [
        nominations["appointed"].id]
    assert len(ids(client, f"/api/v1/nominations?organization_id={nominations['rar'].id}")) == 3
    assert get(client, "/api/v1/nominations?status=afventer", 400)["status"] == 400
    assert get(client, "/api/v1/nominations?party_id=1", 400)["status"] == 400
    get(client, f"/api/v1/nominations/{nominations['sent'].id}?status=submitted", 400)


def test_nominations_come_in_pages(client, nominations):
    sign_in(client, "sekretariat")
    seen, url = [], "/api/v1/nominations?limit=2"
    while url:
        page = get(client, url)
        seen += [number(row["id"]) for row in page["results"]]
        url = page["next"]
    assert seen == sorted(nominations[key].id for key in ("sent", "appointed", "theirs"))


def test_answers_about_nominations_are_kept_by_no_cache(client, nominations):
    sign_in(client, "sf")
    response = client.get("/api/v1/nominations")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.headers["Vary"]


def test_signing_out_ends_access(client, nominations):
    sign_in(client, "sf")
    get(client, "/api/v1/nominations")
    client.post("/logout")
    get(client, "/api/v1/nominations", 401)


# KKR's decisions: public.

def test_decisions_are_public_with_the_people_and_posts_they_concern(client, nominations):
    appointed = nominations["appointed"]
    assert get(client, "/api/v1/decisions") == {"next": None, "results": [{
        "id": f"decisions/{appointed.decision_id}", "reference": "KKR Hovedstaden 2024-04-19 pkt. 4.1",
        "meeting_date": "2024-04-19", "case_number": "SAG-2024-01064", "item_number": "4.1",
        "item_title": "Udpegning til RAR Hovedstaden", "outcome": "appointed",
        "text": "KKR Hovedstaden udpegede Lotte Kofoed (F).",
        "entries": [
            {"person_id": f"persons/{nominations['kofoed'].id}", "role": "member",
             "organization_id": f"organizations/{nominations['rar'].id}",
             "post_id": f"posts/{nominations['rar_f'].id}", "on_behalf_of_id": "parties/F",
             "start_date": "2024-07-01"},
            {"person_id": f"persons/{nominations['peschardt'].id}", "role": "substitute",
             "organization_id": f"organizations/{nominations['rar'].id}",
             "post_id": f"posts/{nominations['rar_f'].id}", "on_behalf_of_id": "parties/F",
             "start_date": "2024-07-01"},
        ],
        "entry_count": 2, "entries_next": None,
    }]}


def test_undecided_nominations_are_not_among_the_decisions(client, nominations):
    """Two parties' nominations on one agenda: SF's is decided, the Radikale's is not."""
    text = str(get(client, "/api/v1/decisions"))
    assert f"persons/{nominations['theirs'].person_id}" not in {entry["person_id"] for row in
                                                        get(client, "/api/v1/decisions")["results"]
                                                        for entry in row["entries"]}
    assert "4.2" not in text
    assert ids(client, f"/api/v1/decisions?person_id={nominations['theirs'].person_id}") == []


def test_decisions_without_a_nomination_name_the_appointments_resting_on_them(client, app):
    """Decisions that came in with an import name people through their appointments."""
    seat = make.seat(make.organisation("Skoletjenesten"), has_substitute=False)
    decision = make.decision(date(2021, 12, 14), "5.2", Outcome.appointed)
    gammel = make.person("Anna Gammel", "Gentofte", "B")
    make.appoint(seat, gammel, date(2022, 1, 1), decision=decision)
    lonely = make.decision(date(2021, 12, 14), "6.1", Outcome.approved)
    db.session.commit()
    rows = {number(row["id"]): row for row in get(client, "/api/v1/decisions")["results"]}
    assert rows[decision.id]["entries"] == [{"person_id": f"persons/{gammel.id}", "role": "member",
                                             "organization_id": f"organizations/{seat.organisation_id}",
                                             "post_id": f"posts/{seat.id}", "on_behalf_of_id": "parties/B",
                                             "start_date": "2022-01-01"}]
    assert rows[lonely.id]["entries"] == []
    assert rows[lonely.id]["outcome"] == "approved"


def test_decisions_filter_by_organization_and_person_and_come_in_pages(client, nominations):
    other = nom.allocated_seat("B", "Skoletjenesten")
    for day in (10, 11, 12):
        nomination = nom.nomination(other, nom.candidate(f"Kandidat {day}", "B"))
        place(nomination, date(2024, 5, day), "2.1")
        agenda.decide(nomination, Outcome.not_supported)
    db.session.commit()
    appointed = nominations["appointed"]
    assert ids(client, f"/api/v1/decisions?organization_id={nominations['rar'].id}") == [appointed.decision_id]
    peschardt = get(client, f"/api/v1/decisions?person_id={nominations['peschardt'].id}")["results"]
    assert [[entry["role"] for entry in row["entries"]] for row in peschardt] == [["substitute"]]
    assert len(ids(client, f"/api/v1/decisions?organization_id={other.organisation_id}")) == 3
    seen, url = [], "/api/v1/decisions?limit=2"
    while url:
        page = get(client, url)
        assert len(page["results"]) <= 2
        seen += [number(row["id"]) for row in page["results"]]
        url = page["next"]
    assert len(seen) == 4
    assert seen == sorted(seen)


@pytest.mark.parametrize("query", ["organization_id=RAR", "person_id=0", "limit=0", "as_of=2024-04-19",
                                   "organisation=1"])
def test_bad_decision_parameters_get_a_json_400(client, app, query):
    assert get(client, f"/api/v1/decisions?{query}", 400)["status"] == 400


def test_every_documented_operation_answers_as_documented_when_signed_in(client, nominations):
    sign_in(client, "sekretariat")
    for path in DOCUMENT["paths"]:
        get(client, path.replace("{nomination_id}", str(nominations["sent"].id))
            .replace("{membership_id}", "999999").replace("{organization_id}", str(nominations["rar"].id))
            .replace("{post_id}", str(nominations["rar_f"].id)).replace("{person_id}", "999999")
            .replace("{decision_id}", str(nominations["appointed"].decision_id))
            .replace("{letter}", "F").replace("{area}", "101").replace("{period}", nom.current_period().name),
            404 if path.endswith(("{membership_id}", "{person_id}")) else 200)


# Fuzzing the signed-in endpoints as the secretariat and as a party group (test_api_fuzz.py fuzzes them
# anonymously): whatever the parameters, no server error and only documented answers.

schema = schemathesis.openapi.from_dict(openapi.DOCUMENT).include(path_regex="nominations")


@pytest.fixture(params=["sekretariat", "sf"])
def session_cookie(request, client, nominations) -> str:
    sign_in(client, request.param)
    return client.get_cookie("session").value


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_signed_in_api_answers_any_request_as_its_document_says(case, app, session_cookie):
    # The generated session cookie stands for valid credentials: it becomes the signed-in user's. A case
    # without it (negative data) stays anonymous and must be refused.
    if case.cookies and "session" in case.cookies:
        case.cookies["session"] = session_cookie
    # So that schemathesis's own probe without the cookie (the ignored_auth check) reaches the app too.
    case.operation.schema.app = app
    # Each request in an app context of its own, as in production (see OwnContextClient in conftest.py):
    # in the test's context, Flask-Login's user would stay in `g` from one request to the next.
    token = _cv_app.set(None)
    try:
        case.call_and_validate(app=app)
    finally:
        _cv_app.reset(token)

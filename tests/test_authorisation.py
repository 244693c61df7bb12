"""Authorisation, proven for every route: deny by default, and object-level for the party groups.

ACCESS below is the one table of who may do what. The matrix test enumerates every rule in the app's URL
map (all but `static`) and every method of it (without HEAD and OPTIONS, which Flask adds), and asks it as
each of six users: anonymous, viewer, party group A (party F), party group B (party B), secretariat and
admin. A route (endpoint and method) without an entry in ACCESS fails the test: a new route cannot slip in
unreviewed.

The outcomes:

    ok            a GET: 2xx, or 3xx to a page that is not the login. A POST: not refused, i.e. anything but
                  401, 403, 404, a redirect to the login and a 5xx (a form shown again, 400, 409 and 422
                  count as allowed: the posted form is empty, what matters is that the user got past the
                  guard).
    login         302 to /login?next=... (a page for signed-in users only)
    forbidden     403 (signed in, but the role may not)
    not_found     404 (the role may, but not this object: another party group's nomination)
    unauthorized  401 application/problem+json (the API's answer to somebody not signed in)

Nobody ever gets a 500. Arguments in the URLs come from ARGS, a map of argument name to an object of a
small world: nomination_id is party A's submitted nomination, so party B must get not_found for it. A
second pass swaps it for party B's nomination and asks A and B again (the mirror: A gets what B got).
Then the object-level checks of lists, exports and the API.
"""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.audit.models import AuditEntry
from registry.auth.models import User, UserRole, hash_password
from registry.dates import today
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from registry.nominations.models import Nomination
from registry.notifications.models import Message
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate

USERS = ("anonymous", "viewer", "party_a", "party_b", "secretariat", "admin")


def row(anonymous: str, viewer: str, party_a: str, party_b: str, secretariat: str, admin: str) -> dict[str, str]:
    return dict(zip(USERS, (anonymous, viewer, party_a, party_b, secretariat, admin), strict=True))


# Who may, per kind of route. Deny by default: each row says who gets in; everyone else is refused.
PUBLIC = row("ok", "ok", "ok", "ok", "ok", "ok")
SIGNED_IN = row("login", "ok", "ok", "ok", "ok", "ok")
SECRETARIAT = row("login", "forbidden", "forbidden", "forbidden", "ok", "ok")
# The dashboard: the secretariat, and the viewer who reads the same and changes nothing.
SECRETARIAT_AND_VIEWER = row("login", "ok", "forbidden", "forbidden", "ok", "ok")
# Nominations and calls: the party groups and the secretariat; a viewer reads the registry, not these.
NOMINATORS = row("login", "forbidden", "ok", "ok", "ok", "ok")
# The party group's own period page: its seats and drafts of the round, which not even the secretariat sees.
PARTY_GROUPS = row("login", "forbidden", "ok", "ok", "forbidden", "forbidden")
# Party A's nomination by id: another party group gets a 404, never a hint that it exists.
OWN_NOMINATION = row("login", "forbidden", "ok", "not_found", "ok", "ok")
# The party group's own changes to its nomination (edit, withdraw): not even the secretariat.
PARTY_CHANGES_OWN_NOMINATION = row("login", "forbidden", "ok", "not_found", "forbidden", "forbidden")
# The API: public data for everyone; nominations for the secretariat and the party groups only.
API_PUBLIC = PUBLIC
API_NOMINATIONS = row("unauthorized", "forbidden", "ok", "ok", "ok", "ok")
API_OWN_NOMINATION = row("unauthorized", "forbidden", "ok", "not_found", "ok", "ok")

GET, POST = "GET", "POST"

# THE TABLE: (endpoint, method) -> expected outcome per user.
ACCESS: dict[tuple[str, str], dict[str, str]] = {
    # Signing in and out.
    ("auth.login", GET): PUBLIC,
    ("auth.login", POST): PUBLIC,
    ("auth.logout", POST): SIGNED_IN,
    ("i18n.switch", GET): PUBLIC,
    # Public pages: who sits where.
    ("organisations.index", GET): PUBLIC,
    ("organisations.list_all", GET): PUBLIC,
    ("organisations.detail", GET): PUBLIC,
    ("organisations.balance_report", GET): PUBLIC,
    ("appointments.index", GET): PUBLIC,
    ("appointments.seat", GET): PUBLIC,
    ("people.index", GET): PUBLIC,
    ("people.detail", GET): PUBLIC,
    ("people.party", GET): PUBLIC,
    ("people.municipality", GET): PUBLIC,
    ("search.index", GET): PUBLIC,
    ("meetings.index", GET): PUBLIC,
    ("meetings.detail", GET): PUBLIC,
    ("meetings.history", GET): PUBLIC,
    ("meetings.decision", GET): PUBLIC,
    ("exchange.appointments_csv", GET): PUBLIC,
    ("exchange.decisions_csv", GET): PUBLIC,
    ("exchange.balance_csv", GET): PUBLIC,
    # The secretariat's organisations and seats.
    ("organisations.create", GET): SECRETARIAT,
    ("organisations.create", POST): SECRETARIAT,
    ("organisations.edit", GET): SECRETARIAT,
    ("organisations.edit", POST): SECRETARIAT,
    ("organisations.close", GET): SECRETARIAT,
    ("organisations.close", POST): SECRETARIAT,
    ("organisations.create_seat", GET): SECRETARIAT,
    ("organisations.create_seat", POST): SECRETARIAT,
    ("organisations.edit_seat", GET): SECRETARIAT,
    ("organisations.edit_seat", POST): SECRETARIAT,
    ("organisations.retire_seat", GET): SECRETARIAT,
    ("organisations.retire_seat", POST): SECRETARIAT,
    ("organisations.allocations", GET): SECRETARIAT,
    ("organisations.allocations", POST): SECRETARIAT,
    # The election-period round: the composition and allocation are public once recorded; the rest is the
    # secretariat's (periods, the composition form, share-outs by d'Hondt, the allocation grid).
    ("rounds.composition", GET): PUBLIC,
    ("rounds.periods", GET): SECRETARIAT,
    ("rounds.create_period", GET): SECRETARIAT,
    ("rounds.create_period", POST): SECRETARIAT,
    ("rounds.edit_period", GET): SECRETARIAT,
    ("rounds.edit_period", POST): SECRETARIAT,
    ("rounds.edit_composition", GET): SECRETARIAT,
    ("rounds.edit_composition", POST): SECRETARIAT,
    ("rounds.share_outs", GET): SECRETARIAT,
    ("rounds.share_outs", POST): SECRETARIAT,
    ("rounds.share_out", GET): SECRETARIAT,
    ("rounds.share_out", POST): SECRETARIAT,
    ("rounds.allocation_grid", GET): SECRETARIAT,
    ("rounds.allocation_grid", POST): SECRETARIAT,
    # People, and their personal data (GDPR).
    ("people.create", GET): SECRETARIAT,
    ("people.create", POST): SECRETARIAT,
    ("people.edit", GET): SECRETARIAT,
    ("people.edit", POST): SECRETARIAT,
    ("people.merge", GET): SECRETARIAT,
    ("people.merge", POST): SECRETARIAT,
    ("people.anonymise", GET): SECRETARIAT,
    ("people.anonymise", POST): SECRETARIAT,
    ("people.access_request", GET): SECRETARIAT,
    ("people.access_request", POST): SECRETARIAT,
    # Appointments.
    ("appointments.create", GET): SECRETARIAT,
    ("appointments.create", POST): SECRETARIAT,
    ("appointments.end", GET): SECRETARIAT,
    ("appointments.end", POST): SECRETARIAT,
    ("appointments.replace", GET): SECRETARIAT,
    ("appointments.replace", POST): SECRETARIAT,
    ("appointments.office", GET): SECRETARIAT,
    ("appointments.office", POST): SECRETARIAT,
    # The secretariat's front page.
    ("dashboard.index", GET): SECRETARIAT_AND_VIEWER,
    ("dashboard.ending", GET): SECRETARIAT_AND_VIEWER,
    # The CSV import.
    ("exchange.import_upload", GET): SECRETARIAT,
    ("exchange.import_upload", POST): SECRETARIAT,
    ("exchange.import_confirm", POST): SECRETARIAT,
    # Council mandates: recorded by the secretariat (shown publicly on the person's page), their import, and
    # the appointments of those whose mandate has ended.
    ("mandates.create", GET): SECRETARIAT,
    ("mandates.create", POST): SECRETARIAT,
    ("mandates.edit", GET): SECRETARIAT,
    ("mandates.edit", POST): SECRETARIAT,
    ("mandates.lapsed", GET): SECRETARIAT,
    ("mandates.end_one", POST): SECRETARIAT,
    ("mandates.end_all", POST): SECRETARIAT,
    ("mandates.import_upload", GET): SECRETARIAT,
    ("mandates.import_upload", POST): SECRETARIAT,
    ("mandates.import_confirm", POST): SECRETARIAT,
    # Nominations: the party groups' side.
    ("meetings.create", GET): SECRETARIAT,
    ("meetings.create", POST): SECRETARIAT,
    ("meetings.edit", GET): SECRETARIAT,
    ("meetings.edit", POST): SECRETARIAT,
    ("meetings.delete", POST): SECRETARIAT,
    ("exchange.appointments_xlsx", GET): PUBLIC,
    ("exchange.decisions_xlsx", GET): PUBLIC,
    ("exchange.balance_xlsx", GET): PUBLIC,
    ("dashboard.round_xlsx", GET): SECRETARIAT,
    ("nominations.party_home", GET): NOMINATORS,
    ("nominations.period_proposal", GET): PARTY_GROUPS,
    ("nominations.period_proposal", POST): PARTY_GROUPS,
    ("nominations.index", GET): NOMINATORS,
    ("nominations.create", GET): NOMINATORS,
    ("nominations.create", POST): NOMINATORS,
    ("nominations.detail", GET): OWN_NOMINATION,
    ("nominations.edit", GET): PARTY_CHANGES_OWN_NOMINATION,
    ("nominations.edit", POST): PARTY_CHANGES_OWN_NOMINATION,
    ("nominations.withdraw", GET): PARTY_CHANGES_OWN_NOMINATION,
    ("nominations.withdraw", POST): PARTY_CHANGES_OWN_NOMINATION,
    ("nominations.calls", GET): NOMINATORS,
    # Nominations: the secretariat's side.
    ("nominations.return_", GET): SECRETARIAT,
    ("nominations.return_", POST): SECRETARIAT,
    ("nominations.open_call", GET): SECRETARIAT,
    ("nominations.open_call", POST): SECRETARIAT,
    ("nominations.close_call", POST): SECRETARIAT,
    # The election-period round: bulk calls, the progress page, its CSV and the reminder to late groups.
    ("nominations.period_calls", GET): SECRETARIAT,
    ("nominations.period_calls", POST): SECRETARIAT,
    ("dashboard.round_", GET): SECRETARIAT,
    ("dashboard.round_csv", GET): SECRETARIAT,
    ("dashboard.remind", POST): SECRETARIAT,
    # Meetings: agenda items (with undecided nominations), decisions, the authority's appointment.
    ("meetings.item", GET): SECRETARIAT,
    ("meetings.save_draft", POST): SECRETARIAT,
    ("meetings.place", GET): SECRETARIAT,
    ("meetings.place", POST): SECRETARIAT,
    ("meetings.take_off", POST): SECRETARIAT,
    ("meetings.publish", POST): SECRETARIAT,
    ("meetings.unpublish", POST): SECRETARIAT,
    ("meetings.decide", GET): SECRETARIAT,
    ("meetings.decide", POST): SECRETARIAT,
    ("meetings.record_appointment", GET): SECRETARIAT,
    ("meetings.record_appointment", POST): SECRETARIAT,
    ("meetings.record_not_appointed", GET): SECRETARIAT,
    ("meetings.record_not_appointed", POST): SECRETARIAT,
    # The constituent meeting of a round: everything at once.
    ("meetings.round_agenda", GET): SECRETARIAT,
    ("meetings.round_agenda", POST): SECRETARIAT,
    ("meetings.decide_meeting", GET): SECRETARIAT,
    ("meetings.decide_meeting", POST): SECRETARIAT,
    ("meetings.authority_appointments", GET): SECRETARIAT,
    ("meetings.authority_appointments", POST): SECRETARIAT,
    ("meetings.annex", GET): SECRETARIAT,
    # The outbox: the party groups' contact addresses are private.
    ("notifications.outbox", GET): SECRETARIAT,
    ("notifications.send", POST): SECRETARIAT,
    # The audit trail.
    ("audit.index", GET): SECRETARIAT,
    ("audit.export", GET): SECRETARIAT,
    ("audit.export_xlsx", GET): SECRETARIAT,
    # The API.
    ("api.openapi_document", GET): API_PUBLIC,
    ("api.organizations", GET): API_PUBLIC,
    ("api.organization", GET): API_PUBLIC,
    ("api.posts", GET): API_PUBLIC,
    ("api.post", GET): API_PUBLIC,
    ("api.persons", GET): API_PUBLIC,
    ("api.person", GET): API_PUBLIC,
    ("api.memberships", GET): API_PUBLIC,
    ("api.membership", GET): API_PUBLIC,
    ("api.parties", GET): API_PUBLIC,
    ("api.party", GET): API_PUBLIC,
    ("api.areas", GET): API_PUBLIC,
    ("api.area", GET): API_PUBLIC,
    ("api.events", GET): API_PUBLIC,
    ("api.event", GET): API_PUBLIC,
    ("api.decision", GET): API_PUBLIC,
    ("api.documentation", GET): API_PUBLIC,
    ("api.popolo_document", GET): API_PUBLIC,
    ("api.decisions", GET): API_PUBLIC,
    ("api.decision_entries", GET): API_PUBLIC,
    ("api.nominations", GET): API_NOMINATIONS,
    ("api.nomination", GET): API_OWN_NOMINATION,
}

OUTCOMES = {"ok", "login", "forbidden", "not_found", "unauthorized"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}
SKIPPED_ENDPOINTS = {"static"}
# Requests that end the session go last, so that the rest are asked as the signed-in user.
LAST = {("auth.logout", POST)}


def routes(app) -> list[tuple[str, str, object]]:
    """Every (endpoint, method, rule) of the URL map, but static."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append((rule.endpoint, method, rule))
    found.sort(key=lambda route: ((route[0], route[1]) in LAST, route[1] != GET, route[0], route[1]))
    return found


# The world: one body with a seat held by party F (group A) and one by party B, people, a submitted
# nomination per party, one of A's on a meeting's agenda, a decision, a call, an outbox message, an appointment.

_HASHED: dict[str, str] = {}


def _user(username: str, role: UserRole, party_letter: str | None = None) -> User:
    """A user with the password make.PASSWORD, hashed once for the module: scrypt is slow by design."""
    if "hash" not in _HASHED:
        _HASHED["hash"] = hash_password(make.PASSWORD)
    user = User(username=username, role=role, party=make.party(party_letter) if party_letter else None,
                password_hash=_HASHED["hash"])
    db.session.add(user)
    db.session.flush()
    return user


class World:
    def __init__(self):
        self.users = {
            "viewer": _user("laeser", UserRole.viewer),
            "party_a": _user("sf", UserRole.party, "F"),
            "party_b": _user("radikale", UserRole.party, "B"),
            "secretariat": _user("haan", UserRole.secretariat),
            "admin": _user("admin", UserRole.admin),
        }
        # The party groups' contacts, so that their nominations write messages to the outbox.
        self.users["party_a"].email = "sf@example.org"
        self.users["party_b"].email = "radikale@example.org"
        self.f_seat = nominate.allocated_seat("F", label="Plads 1")
        self.b_seat = nominate.allocated_seat("B", label="Plads 2")
        self.organisation = self.f_seat.organisation
        self.municipality = make.municipality("Hvidovre")
        self.holder = make.person("Hanne Siddende", party_letter="F", gender=Gender.woman, email="hanne@example.org")
        self.appointment = make.appoint(self.f_seat, self.holder, date(2022, 1, 1))
        self.call = nominate.call(self.b_seat, party_letter="B")
        self.a_candidate = nominate.candidate("Anna Fkandidat", "F")
        self.b_candidate = nominate.candidate("Bent Bkandidat", "B", gender=Gender.man)
        self.a_nomination = nominate.nomination(self.f_seat, self.a_candidate, by=self.users["party_a"])
        self.b_nomination = nominate.nomination(self.b_seat, self.b_candidate, by=self.users["party_b"])
        # A's suppleant nomination is on the agenda of a meeting a week ago, undecided.
        self.agenda_candidate = nominate.candidate("Agnete Dagsorden", "F")
        self.agenda_nomination = nominate.nomination(self.f_seat, self.agenda_candidate, role=Role.substitute)
        day = today() - timedelta(days=7)
        self.item = agenda.place_on_agenda(self.agenda_nomination, day, "4.1", council="KKR Hovedstaden")
        self.meeting = self.item.meeting
        self.decision = make.decision(day, "3.10", Outcome.appointed)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) > 0, "no outbox message"

    def args(self, nomination: Nomination) -> dict[str, object]:
        """A value for every URL argument of the URL map."""
        return {
            "organisation_id": self.organisation.id,
            "seat_id": self.f_seat.id,
            "person_id": self.holder.id,
            "appointment_id": self.appointment.id,
            "nomination_id": nomination.id,
            "meeting_id": self.meeting.id,
            "item_id": self.item.id,
            "call_id": self.call.id,
            "decision_id": self.decision.id,
            "letter": "F",
            "area": self.municipality.code or self.municipality.name,
            "period": nominate.current_period().name,
            "key": {"people.party": "F", "people.municipality": self.municipality.id},
            "code": "da",
            # The API's names (Popolo): organisation, seat, person, appointment.
            "organization_id": self.organisation.id,
            "post_id": self.f_seat.id,
            "membership_id": self.appointment.id,
        }


def url_for_rule(rule, world_args: dict) -> str:
    values = {}
    for name in rule.arguments:
        assert name in world_args, (f"{rule.endpoint} ({rule.rule}) has the argument <{name}>: "
                                    "add it to World.args in tests/test_authorisation.py")
        value = world_args[name]
        values[name] = value[rule.endpoint] if isinstance(value, dict) else value
    return rule.map.bind("localhost").build(rule.endpoint, values, force_external=False)


def outcome(response, method: str) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status >= 400 and response.request.path.startswith("/api/") and response.mimetype != "application/problem+json":
        return f"{status} without problem+json"
    if status in (301, 302, 303, 307, 308):
        target = urlparse(response.headers.get("Location", ""))
        if target.path == "/login":
            return "login" if "next" in parse_qs(target.query) else "login without next"
        return "ok"
    if status == 401:
        return "unauthorized"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "not_found"
    if 200 <= status < 300:
        return "ok"
    if method != GET and status in (400, 409, 422):
        return "ok"  # a form refused on its content: past the guard
    return f"status {status}"


def sign_in(client, user_class: str, world: World) -> None:
    if user_class == "anonymous":
        return
    response = make.login(client, world.users[user_class].username)
    assert response.status_code == 302, f"{user_class} could not sign in"


def ask(client, method: str, path: str):
    return client.open(path, method=method, data={} if method != GET else None)


@pytest.fixture
def world(app) -> World:
    return World()


def test_every_route_has_an_entry(app):
    missing = [f"{endpoint} {method} ({rule.rule})" for endpoint, method, rule in routes(app)
               if (endpoint, method) not in ACCESS]
    assert not missing, ("routes without an entry in the authorisation table; add them to ACCESS in "
                         "tests/test_authorisation.py: " + ", ".join(missing))
    for key, expected in ACCESS.items():
        assert set(expected) == set(USERS), f"{key}: every user class needs an expected outcome"
        assert set(expected.values()) <= OUTCOMES, f"{key}: unknown outcome in {expected}"


@pytest.mark.parametrize("user_class", USERS)
def test_every_route_for_every_user(app, client, world, user_class):
    """The whole URL map as one user: each route's outcome is the table's."""
    sign_in(client, user_class, world)
    args = world.args(world.a_nomination)
    wrong, unlisted = [], []
    for endpoint, method, rule in routes(app):
        if (endpoint, method) not in ACCESS:
            unlisted.append(f"{endpoint} {method}")
            continue
        path = url_for_rule(rule, args)
        got = outcome(ask(client, method, path), method)
        expected = ACCESS[(endpoint, method)][user_class]
        if got != expected:
            wrong.append(f"{method} {path} ({endpoint}) as {user_class}: expected {expected}, got {got}")
    assert not unlisted, ("routes without an entry; add them to ACCESS in tests/test_authorisation.py: "
                          + ", ".join(unlisted))
    assert not wrong, "\n".join(wrong)


MIRROR = {"party_a": "party_b", "party_b": "party_a"}


def without_token(page: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', page)


@pytest.mark.parametrize("user_class", ["party_a", "party_b"])
def test_the_other_party_groups_nomination_by_id(app, client, world, user_class):
    """The second pass: nomination_id is party B's nomination now. A gets what B got for A's, and the other
    way round; and another party's nomination looks exactly like one that does not exist."""
    sign_in(client, user_class, world)
    args = world.args(world.b_nomination)
    missing = dict(args, nomination_id=2_000_000_000)
    wrong = []
    for endpoint, method, rule in routes(app):
        if "nomination_id" not in rule.arguments:
            continue
        path = url_for_rule(rule, args)
        response = ask(client, method, path)
        got = outcome(response, method)
        expected = ACCESS[(endpoint, method)][MIRROR[user_class]]
        if got != expected:
            wrong.append(f"{method} {path} ({endpoint}) as {user_class}: expected {expected}, got {got}")
        if got == "not_found":
            other = ask(client, method, url_for_rule(rule, missing))
            # The same page but for the path itself (in the language link), and for the CSRF token, which is
            # signed with the second it was made in.
            missing_body = without_token(other.text.replace(url_for_rule(rule, missing), path))
            if (other.status_code, missing_body) != (response.status_code, without_token(response.text)):
                wrong.append(f"{method} {path} ({endpoint}) as {user_class}: another party's nomination answers "
                             f"otherwise than a missing one ({response.status_code}, {other.status_code})")
    assert not wrong, "\n".join(wrong)


def test_refused_requests_change_nothing(app, client, world):
    """Every state-changing request a user may not make is refused before it changes anything: not one change
    in the audit trail (anonymous, viewer, and the party groups on the secretariat's routes)."""
    changes = sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action.in_(["create", "update", "delete", "import"]))
    for user_class in ("anonymous", "viewer", "party_a", "party_b"):
        sign_in(client, user_class, world)
        db.session.commit()
        before = db.session.scalar(changes)
        for endpoint, method, rule in routes(app):
            allowed = ACCESS.get((endpoint, method), {}).get(user_class) == "ok"
            if method == GET or (endpoint, method) in LAST or allowed:
                continue
            ask(client, method, url_for_rule(rule, world.args(world.a_nomination)))
        db.session.commit()
        assert db.session.scalar(changes) == before, f"a refused request as {user_class} changed the registry"
        client.post("/logout")


# Object-level: lists, exports and the API show a party group its own nominations only.

def _text(response) -> str:
    return response.text


@pytest.mark.parametrize("user_class", ["party_a", "party_b"])
def test_party_pages_show_own_nominations_only(client, world, user_class):
    own, other = ((world.a_candidate, world.b_candidate) if user_class == "party_a"
                  else (world.b_candidate, world.a_candidate))
    sign_in(client, user_class, world)
    for path in ("/partigruppe", "/partigruppe?parti=F", "/partigruppe?parti=B", "/indstillinger",
                 "/indstillinger?status=alle", "/opfordringer", "/indstillinger/ny", "/beslutninger",
                 f"/moeder/{world.meeting.id}", "/soeg?q=kandidat", "/personer", "/export/indstillinger.csv"):
        response = client.get(path)
        assert response.status_code == 200, f"{path} as {user_class}: {response.status_code}"
        assert other.name not in _text(response), f"{path} as {user_class} shows the other party's candidate"
    assert own.name in _text(client.get("/indstillinger"))
    assert own.name in _text(client.get("/partigruppe"))
    # The call goes to B; A does not see it.
    calls = _text(client.get("/opfordringer"))
    assert (world.b_seat.label in calls) == (user_class == "party_b")


def test_party_group_cannot_nominate_another_partys_new_candidate(client, world):
    """B's new candidate is not among A's choices, and posting the id anyway is refused."""
    sign_in(client, "party_a", world)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Nomination))
    response = client.post("/indstillinger/ny", data={
        "seat": world.f_seat.id, "role": Role.member.value, "person": world.b_candidate.id,
        "motivation": "Forsøg"})
    assert response.status_code in (200, 400, 422)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)) == before
    assert world.b_candidate.name not in _text(response)


def test_party_group_nominates_for_its_own_party_only(client, world):
    """A party field posted by a party group is ignored: the nomination is its own party's."""
    sign_in(client, "party_a", world)
    response = client.post("/indstillinger/ny", data={
        "seat": world.b_seat.id, "role": Role.substitute.value, "party": world.b_nomination.party_id,
        "new_name": "Ny Fkandidat", "new_municipality": world.municipality.id, "new_gender": "woman"})
    assert response.status_code == 302, _text(response)
    db.session.commit()  # a new transaction, which sees what the requests did
    created = db.session.scalars(sa.select(Nomination).order_by(Nomination.id.desc())).first()
    assert created.person.name == "Ny Fkandidat"
    assert created.party_id == world.a_nomination.party_id
    # Nor can A put B's new candidate on its own nomination by editing it.
    response = client.post(f"/indstillinger/{world.a_nomination.id}/ret", data={
        "version": world.a_nomination.version, "person": world.b_candidate.id})
    db.session.commit()  # a new transaction, which sees what the requests did
    assert db.session.get(Nomination, world.a_nomination.id).person_id == world.a_candidate.id
    assert world.b_candidate.name not in _text(response)


def test_party_group_cannot_change_another_partys_nomination(client, world):
    sign_in(client, "party_a", world)
    version, status = world.b_nomination.version, world.b_nomination.status
    base = f"/indstillinger/{world.b_nomination.id}"
    for path in (f"{base}/ret", f"{base}/traek-tilbage"):
        response = client.post(path, data={"version": version, "person": world.a_candidate.id,
                                                  "motivation": "Overtaget"})
        assert response.status_code == 404, path
    db.session.commit()  # a new transaction, which sees what the requests did
    nomination = db.session.get(Nomination, world.b_nomination.id)
    assert (nomination.person_id, nomination.status, nomination.version) == (
        world.b_candidate.id, status, version)


@pytest.mark.parametrize("user_class", USERS)
def test_api_nominations_by_party(client, world, user_class):
    sign_in(client, user_class, world)
    listing = client.get("/api/v1/nominations")
    a_id, b_id = world.a_nomination.id, world.b_nomination.id
    a_one = client.get(f"/api/v1/nominations/{a_id}")
    b_one = client.get(f"/api/v1/nominations/{b_id}")
    if user_class == "anonymous":
        assert {listing.status_code, a_one.status_code, b_one.status_code} == {401}
        return
    if user_class == "viewer":
        assert {listing.status_code, a_one.status_code, b_one.status_code} == {403}
        return
    assert listing.status_code == 200
    assert listing.headers["Cache-Control"] == "private, no-store"
    ids = {int(entry["id"].removeprefix("nominations/")) for entry in listing.get_json()["results"]}
    expected = {"party_a": {a_id, world.agenda_nomination.id}, "party_b": {b_id}}.get(
        user_class, {a_id, b_id, world.agenda_nomination.id})
    assert ids == expected
    assert a_one.status_code == (404 if user_class == "party_b" else 200)
    assert b_one.status_code == (404 if user_class == "party_a" else 200)
    for refused in (a_one, b_one):
        if refused.status_code == 404:
            assert refused.mimetype == "application/problem+json"
            missing = client.get("/api/v1/nominations/2000000000")
            assert refused.get_json() == missing.get_json()


@pytest.mark.parametrize("user_class", USERS)
def test_exports_hold_no_undecided_nomination(client, world, user_class):
    """/export/indstillinger.csv is KKR's decisions: no undecided nomination, for anybody; the appointments
    CSV and the API's public lists hold no candidate either."""
    sign_in(client, user_class, world)
    candidates = (world.a_candidate.name, world.b_candidate.name, world.agenda_candidate.name)
    for path in ("/export/indstillinger.csv", "/export/appointments.csv?all=1", "/api/v1/persons",
                 "/api/v1/decisions", "/api/v1/memberships"):
        response = client.get(path)
        assert response.status_code == 200, path
        for name in candidates:
            assert name not in _text(response), f"{path} as {user_class} holds {name}"
    for person in (world.a_candidate, world.b_candidate):
        assert client.get(f"/api/v1/persons/{person.id}").status_code == 404


@pytest.mark.parametrize("user_class", ["anonymous", "viewer", "party_a", "party_b"])
def test_private_data_stays_private(client, world, user_class):
    """Contact details and gender are not for anybody but the secretariat; neither are candidates who never
    held a seat, nor the agenda's undecided nominations."""
    sign_in(client, user_class, world)
    detail = _text(client.get(f"/personer/{world.holder.id}"))
    assert world.holder.name in detail
    assert "hanne@example.org" not in detail
    for person in (world.a_candidate, world.b_candidate, world.agenda_candidate):
        assert client.get(f"/personer/{person.id}").status_code == 404, person.name
    # The history of decisions filtered by a person names the person: only one the public may see.
    for person in (world.a_candidate, world.b_candidate, world.agenda_candidate):
        for path in (f"/beslutninger?person={person.id}", f"/beslutninger?person={person.id}&organisation="
                     f"{world.organisation.id}"):
            response = client.get(path)
            assert person.name not in _text(response), f"{path} as {user_class} names {person.name}"
            assert response.status_code == 404, f"{path} as {user_class}: {response.status_code}"
    meeting = _text(client.get(f"/moeder/{world.meeting.id}"))
    assert world.agenda_candidate.name not in meeting
    for path in ("/soeg?q=kandidat", "/soeg?q=dagsorden", "/api/v1/persons"):
        assert world.agenda_candidate.name not in _text(client.get(path)), path


def test_viewer_dashboard_shows_no_nomination_activity(client, world):
    """'Nominations are not for readers' eyes, not even as counts': nor as entries in the latest changes."""
    sign_in(client, "viewer", world)
    page = _text(client.get("/sekretariat"))
    for entity in ("Indstilling", "Opfordring", "Besked", "Bruger"):
        assert f"{entity} " not in page, f"the viewer's dashboard shows changes to {entity}"


def test_the_table_holds_no_surprises():
    """Deny by default, read off the table itself: secretariat-only pages refuse viewers and party groups,
    party pages refuse viewers, and only the login, the language and public reading are open to all."""
    for (endpoint, method), expected in ACCESS.items():
        if method != GET:
            assert expected["viewer"] != "ok" or endpoint in {"auth.login", "auth.logout"}, (
                f"{endpoint} {method}: a viewer changes nothing")
            assert expected["anonymous"] != "ok" or endpoint == "auth.login", (
                f"{endpoint} {method}: nobody changes anything without signing in")
        if expected["party_a"] == "ok" and expected["viewer"] != "ok":
            assert expected["viewer"] == "forbidden", f"{endpoint} {method}: party pages refuse viewers"
        if expected in (SECRETARIAT, SECRETARIAT_AND_VIEWER):
            assert expected["party_a"] == expected["party_b"] == "forbidden"

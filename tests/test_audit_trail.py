"""The audit trail: the secretariat browses, filters and exports it; no one can change it; nothing escapes it."""

import csv
import enum
import io
import re
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from registry.appointments.models import Appointment, Role
from registry.audit.models import AuditEntry
from registry.audit.services import Actor, acting_as, record
from registry.auth.models import LoginDelay, LoginFailure, User, UserRole
from registry.exchange.models import Upload
from registry.extensions import db
from registry.mandates.models import CouncilMandate
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.nominations.models import Call, CallReason, Nomination
from registry.notifications.models import Message, MessageKind, Reminder
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people.models import Municipality, Party, Person
from registry.rounds.models import ElectoralGroup, PeriodParty, ShareOut
from tests import factories as make

# Both databases: the audit triggers.
pytestmark = pytest.mark.both_databases

ROOT = Path(__file__).resolve().parent.parent


def login_as(client, role: UserRole = UserRole.secretariat, username: str = "haan") -> User:
    user = make.user(username, role, party_letter="F" if role is UserRole.party else None)
    db.session.commit()
    assert make.login(client, username).status_code == 302
    return user


def rows(html: str) -> list[str]:
    """The trail's table rows as plain text, newest first."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("<tr>")[1:]]


def trail(client, query: str = "") -> list[str]:
    response = client.get("/revisionsspor" + query)
    assert response.status_code == 200, response.text
    return rows(response.text)


def link(response, rel: str) -> str | None:
    """The pager's link to older (next) or newer (prev) entries."""
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.text)
    return found.group(1).replace("&amp;", "&") if found else None


def entries(**where) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)).all()


def stamped(at: datetime, action: str = "update", **values) -> None:
    """An entry written at a given (UTC) time, as the flush listener would have written it then."""
    db.session.add(AuditEntry(at=at, actor=values.pop("actor", "haan"), action=action, **values))


# Browsing

def test_secretariat_sees_who_when_where_and_what_changed_newest_first(client, app):
    with acting_as(Actor("ascm", 41, "10.0.0.7")):
        person = make.person("Lotte Kofoed")
        db.session.commit()
        person.name = "Lotte Kofoed Hansen"
        db.session.commit()
    stamped(datetime(2024, 4, 19, 8, 5), entity="organisations", entity_id=9, changes={"note": [None, "Ny"]})
    db.session.commit()
    login_as(client)
    shown = trail(client, "?handling=update")
    (lotte,) = [row for row in shown if "Lotte Kofoed → Lotte Kofoed Hansen" in row]
    assert "ascm" in lotte
    assert "10.0.0.7" in lotte
    assert f"Person {person.id}" in lotte
    assert "Ændret" in lotte
    (earlier,) = [row for row in shown if "Organisation 9" in row]
    # Stored in UTC, shown in Copenhagen time: 08:05 UTC is 10:05 in summer.
    assert "19.04.2024 10:05:00" in earlier
    assert "– → Ny" in earlier
    # Newest (last written) first.
    assert shown.index(earlier) < shown.index(lotte)


def test_private_fields_stay_masked_on_the_page_and_in_the_export(client, app):
    make.person("Lotte Kofoed", email="lotte@example.dk", phone="12345678")
    db.session.commit()
    login_as(client)
    page = client.get("/revisionsspor").text
    exported = client.get("/revisionsspor.csv").text
    assert "email" in page
    assert "***" in page
    assert "lotte@example.dk" not in page + exported
    assert "12345678" not in page + exported


@pytest.mark.parametrize("path", ["/revisionsspor", "/revisionsspor.csv"])
@pytest.mark.parametrize(("role", "status"), [(UserRole.admin, 200), (UserRole.secretariat, 200),
                                          (UserRole.viewer, 403), (UserRole.party, 403)])
def test_only_admin_and_secretariat_may_read_the_trail(client, app, path, role, status):
    login_as(client, role, username="bruger")
    assert client.get(path).status_code == status


@pytest.mark.parametrize("path", ["/revisionsspor", "/revisionsspor.csv"])
def test_anonymous_is_sent_to_login(client, app, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_trail_pages_by_id_to_older_and_back_to_newer_entries(client, app):
    login_as(client)
    for number in range(1, 121):
        record(db.session, "lockout", "users", number)
    db.session.commit()
    first = client.get("/revisionsspor?handling=lockout")
    assert [row.split("Bruger ")[1] for row in rows(first.text)] == [str(n) for n in range(120, 70, -1)]
    assert link(first, "prev") is None
    second = client.get(link(first, "next"))
    assert [row.split("Bruger ")[1] for row in rows(second.text)] == [str(n) for n in range(70, 20, -1)]
    third = client.get(link(second, "next"))
    assert len(rows(third.text)) == 20
    assert link(third, "next") is None
    back = client.get(link(third, "prev"))
    assert rows(back.text) == rows(second.text)


# Filters

def test_filter_by_person_finds_the_person_and_their_appointments_and_nominations(client, app):
    seat = make.seat()
    anna, bo = make.person("Anna Andersen"), make.person("Bo Berg")
    appointment = make.appoint(seat, anna, date(2024, 1, 1))
    member = Nomination(seat=seat, role=Role.member, party=make.party(), person=bo, substitute=anna)
    other = Nomination(seat=make.seat(label="Plads 2"), role=Role.member, party=make.party(), person=bo)
    db.session.add_all([member, other])
    db.session.commit()
    login_as(client)
    shown = trail(client, f"?person={anna.id}")
    whats = sorted(re.search(r"(Person|Udpegning|Indstilling) (\d+)", row).group(0) for row in shown)
    assert whats == sorted([f"Person {anna.id}", f"Udpegning {appointment.id}", f"Indstilling {member.id}"])


def test_filter_by_organisation_finds_its_seats_and_what_happened_on_them(client, app):
    rar = make.organisation("RAR Hovedstaden")
    seat = make.seat(rar)
    movia_seat = make.seat(make.organisation("Movia"))
    person = make.person("Anna Andersen")
    appointment = make.appoint(seat, person, date(2024, 1, 1))
    make.appoint(movia_seat, person, date(2024, 1, 1))
    nomination = Nomination(seat=seat, role=Role.substitute, party=make.party(), person=make.person("Bo Berg"))
    db.session.add(nomination)
    db.session.commit()
    login_as(client)
    whats = sorted(re.search(r"(Organisation|Plads|Udpegning|Indstilling) \d+", row).group(0)
                   for row in trail(client, f"?organisation={rar.id}"))
    assert whats == sorted([f"Organisation {rar.id}", f"Plads {seat.id}", f"Udpegning {appointment.id}",
                            f"Indstilling {nomination.id}"])
    assert "RAR Hovedstaden" in client.get(f"/revisionsspor?organisation={rar.id}").text


def test_filter_by_user_takes_a_username_a_user_id_or_an_actor_without_user(client, app):
    gitb = make.user("gitb")
    db.session.commit()
    with acting_as(Actor("gitb", gitb.id, "10.0.0.2")):
        make.organisation("Movia")
        db.session.commit()
    with acting_as(Actor("system")):
        make.organisation("SSU")
        db.session.commit()
    login_as(client)
    assert all("gitb" in row for row in trail(client, "?bruger=gitb"))
    assert trail(client, "?bruger=gitb") == trail(client, f"?bruger={gitb.id}")
    assert any("Organisation" in row for row in trail(client, "?bruger=gitb"))
    by_system = trail(client, "?bruger=system")
    assert by_system
    assert all("system" in row for row in by_system)
    assert trail(client, "?bruger=ukendt") == []


def test_date_range_is_inclusive_in_copenhagen_days(client, app):
    for at, entity_id in [(datetime(2024, 4, 18, 21, 59), 1),   # 23:59 on the 18th in Copenhagen
                          (datetime(2024, 4, 18, 22, 0), 2),    # 00:00 on the 19th
                          (datetime(2024, 4, 19, 21, 59), 3),   # 23:59 on the 19th
                          (datetime(2024, 4, 19, 22, 0), 4)]:   # 00:00 on the 20th
        stamped(at, entity="meetings", entity_id=entity_id)
    db.session.commit()
    login_as(client)
    ids = lambda query: [int(row.split("Møde ")[1].split()[0])  # noqa: E731
                         for row in trail(client, query + "&handling=update") if "Møde " in row]
    assert ids("?fra=2024-04-19&til=2024-04-19") == [3, 2]
    assert ids("?fra=2024-04-19") == [4, 3, 2]
    assert ids("?til=2024-04-18") == [1]
    assert ids("?fra=0001-01-01&til=9999-12-31") == [4, 3, 2, 1]


@pytest.mark.parametrize(("action", "label"), [("login", "Logget ind"), ("login_failed", "Mislykket login"),
                                           ("lockout", "Konto spærret"), ("logout", "Logget ud")])
def test_logins_failures_lockouts_and_logouts_can_be_listed_by_action(client, app, action, label):
    for event in ("login", "login_failed", "lockout", "logout"):
        record(db.session, event, "users", 99, {"username": "ascm"} if event == "login_failed" else None)
    db.session.commit()
    login_as(client)
    shown = trail(client, f"?handling={action}")
    assert shown
    assert all(label in row for row in shown)
    assert f'<option selected value="{action}">' in client.get(f"/revisionsspor?handling={action}").text


def test_real_logins_and_failed_logins_show_under_their_actions(client, app):
    make.user("ascm")
    db.session.commit()
    assert make.login(client, "ascm", "forkert adgangskode").status_code == 200
    login_as(client)
    (login,) = trail(client, "?handling=login")
    assert "haan" in login
    assert "Bruger" in login
    assert "127.0.0.1" in login
    (failed,) = trail(client, "?handling=login_failed")
    assert "127.0.0.1" in failed


@pytest.mark.parametrize("query", [
    "?person=abc", "?person=-1", "?person=12345678901", "?organisation=1.5", "?fra=2024-13-01", "?til=19.04.2024",
    "?fra=2024-05-01&til=2024-04-01", "?handling=drop", "?bruger=" + "x" * 101,
    "?person=%D9%A3",  # an Arabic-Indic digit three
])
def test_bad_filters_give_a_danish_form_error(client, app, query):
    login_as(client)
    response = client.get("/revisionsspor" + query)
    assert response.status_code == 400
    assert 'class="form-error-message"' in response.text
    exported = client.get("/revisionsspor.csv" + query)
    assert exported.status_code == 400
    assert "Filteret er ugyldigt" in exported.text
    assert entries(action="export_audit") == []


def test_a_nul_character_is_refused_before_any_filter_is_read(client, app):
    login_as(client)
    for path in ("/revisionsspor?bruger=%00", "/revisionsspor.csv?bruger=a%00b"):
        response = client.get(path)
        assert response.status_code == 400
        assert "ugyldigt tegn (NUL)" in response.text
    assert entries(action="export_audit") == []


@pytest.mark.parametrize("query", ["?foer=abc", "?efter=-3", "?foer=" + "9" * 30, "?efter=2147483648"])
def test_bad_page_markers_give_400(client, app, query):
    login_as(client)
    assert client.get("/revisionsspor" + query).status_code == 400


def test_a_page_marker_beyond_the_ids_is_just_an_empty_page(client, app):
    login_as(client)
    assert client.get("/revisionsspor?foer=1").status_code == 200
    assert client.get("/revisionsspor?efter=2147483647").status_code == 200
    assert client.get("/revisionsspor?bruger=99999999999").status_code == 200


# Export

def read_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    body = data.decode("utf-8-sig")
    assert "\r\n" in body
    assert "\n" not in body.replace("\r\n", "")
    return list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))


def test_the_export_holds_the_filtered_trail_and_is_itself_audited(client, app):
    with acting_as(Actor("=HYPERLINK(\"http://x\")", None, "10.0.0.9")):
        make.organisation("Movia")
        db.session.commit()
    record(db.session, "lockout", "users", 5)
    db.session.commit()
    user = login_as(client)
    response = client.get("/revisionsspor.csv?handling=create&fra=2024-01-01")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="revisionsspor.csv"'
    header, *lines = read_csv(response)
    assert header == ["tidspunkt", "bruger", "bruger_id", "adresse", "handling", "hvad", "id", "ændringer"]
    assert {line[4] for line in lines} == {"create"}
    assert "Organisation" in {line[5] for line in lines}
    movia = next(line for line in lines if line[5] == "Organisation")
    assert movia[1] == "'=HYPERLINK(\"http://x\")"
    assert movia[3] == "10.0.0.9"
    assert '"name": "Movia"' in movia[7]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", movia[0])
    # Committed in the same request: the test's own session sees it.
    (exported,) = entries(action="export_audit")
    assert exported.user_id == user.id
    assert exported.actor == "haan"
    assert exported.changes == {"filters": {"handling": "create", "fra": "2024-01-01"}}


def test_the_page_links_to_the_export_of_what_it_shows(client, app):
    login_as(client)
    page = client.get("/revisionsspor?person=4&handling=update").text
    assert 'href="/revisionsspor.csv?person=4&amp;handling=update"' in page


# Append-only

def test_the_orm_cannot_change_an_entry(app):
    record(db.session, "login", "users", 1)
    db.session.commit()
    (entry,) = entries()
    entry.actor = "someone else"
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert entries()[0].actor == "system"


def test_the_orm_cannot_delete_an_entry(app):
    record(db.session, "login", "users", 1)
    db.session.commit()
    db.session.delete(entries()[0])
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert len(entries()) == 1


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET changes = NULL WHERE id > 0",
                                       "DELETE FROM audit_entries WHERE action = 'login'"])
def test_raw_sql_cannot_change_or_delete_entries(app, statement):
    record(db.session, "login", "users", 1)
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert len(entries(action="login")) == 1


def test_no_route_under_the_trail_accepts_anything_but_reading(client, app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/revisionsspor")]
    assert {rule.endpoint for rule in rules} >= {"audit.index", "audit.export"}
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    login_as(client)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/revisionsspor").status_code == 405


def test_no_code_updates_or_deletes_entries():
    """The database refuses it anyway; this keeps anyone from writing code that tries."""
    forbidden = re.compile(r"(update|delete)\s*\(\s*AuditEntry|(UPDATE|DELETE\s+FROM)\s+audit_entries", re.I)
    offenders = [f"{path.relative_to(ROOT)}:{number}" for path in (ROOT / "registry").rglob("*.py")
                 for number, source in enumerate(path.read_text().splitlines(), start=1) if forbidden.search(source)]
    assert offenders == []


# Nothing escapes the trail: every mapped class, created, changed and deleted through the ORM.

def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value


def _seat_allocation():
    period = ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    return SeatAllocation(seat=make.seat(), period=period, party=make.party()), "note", "Efter aftale"


def _agenda_item():
    meeting = Meeting(council_name="KKR Hovedstaden", date=date(2024, 4, 19))
    return AgendaItem(meeting=meeting, number="4.1", position=4001, title="Indstilling"), "title", "Ny titel"


def _upload():
    user = make.user("ulla")
    db.session.flush()
    return Upload(token="t" * 43, user_id=user.id, filename="import.csv", sha256="0" * 64, size=3,
                  data=b"a;b"), "filename", "andet.csv"


# Per model: a new row (its dependencies flushed alongside), a column to change and its new value.
# A model that is not here fails the test below: add a builder, so the proof covers it too.
BUILDERS: dict[type, Callable[[], tuple[object, str, object]]] = {
    Municipality: lambda: (Municipality(name="Malmö"), "name", "Malmö kommun"),
    Party: lambda: (Party(letter="Ø", name="Enhedslisten"), "name", "Enhedslisten – De Rød-Grønne"),
    Person: lambda: (Person(name="Lotte Kofoed", email="lotte@example.dk", municipality=make.municipality()),
                     "email", "ny@example.dk"),
    ElectionPeriod: lambda: (ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1),
                                            end_date=date(2029, 12, 31)), "end_date", date(2029, 12, 30)),
    Organisation: lambda: (Organisation(name="Movia", appointing_authority="KKR Hovedstaden"), "note", "Trafik"),
    Seat: lambda: (Seat(organisation=make.organisation(), label="Plads 1"), "has_substitute", True),
    SeatAllocation: _seat_allocation,
    Appointment: lambda: (Appointment(seat=make.seat(), person=make.person(), role=Role.member,
                                      start_date=date(2024, 1, 1)), "end_date", date(2025, 12, 31)),
    Meeting: lambda: (Meeting(council_name="KKR Hovedstaden", date=date(2024, 4, 19)), "location", "Glostrup"),
    AgendaItem: _agenda_item,
    Decision: lambda: (Decision(item=_agenda_item()[0], outcome=Outcome.noted), "outcome", Outcome.approved),
    Call: lambda: (Call(seat=make.seat(), role=Role.member, party=make.party(), reason=CallReason.resignation,
                        deadline=date(2024, 5, 1), opened_on=date(2024, 4, 1)), "closed_on", date(2024, 5, 2)),
    Nomination: lambda: (Nomination(seat=make.seat(), role=Role.member, party=make.party(), person=make.person()),
                         "motivation", "Erfaren"),
    User: lambda: (User(username="revisor", role=UserRole.viewer, password_hash="x" * 20), "name", "Revisor"),
    # Operational rows, audited all the same: the per-address login limit's failures, and the outbox.
    LoginFailure: lambda: (LoginFailure(remote_addr="10.0.0.9", username="haan"), "username", "ascm"),
    LoginDelay: lambda: (LoginDelay(username_key="k" * 64, remote_addr="10.0.0.9", failures=1), "failures", 2),
    Upload: _upload,
    Message: lambda: (Message(recipient="sf@example.dk", subject="Indstilling", body="Tekst"), "recipient",
                      "ny@example.dk"),
    Reminder: lambda: (Reminder(key="weekly-digest:2026-W02", kind=MessageKind.weekly_digest,
                                sent_on=date(2026, 1, 5)), "sent_on", date(2026, 1, 6)),
    CouncilMandate: lambda: (CouncilMandate(person=make.person(), municipality=make.municipality(),
                                            start_date=date(2026, 1, 1)), "office", "borgmester"),
    ElectoralGroup: lambda: (ElectoralGroup(period=_period(), name="A+F+Ø"), "note", "Aftalt 5. januar"),
    PeriodParty: lambda: (PeriodParty(period=_period(), party=make.party("A"), members=9), "members", 10),
    ShareOut: lambda: (ShareOut(period=_period(), seats=5, result="{}"), "note", "efter aftale"),
}


def _period() -> ElectionPeriod:
    period = ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1), end_date=date(2029, 12, 31))
    db.session.add(period)
    return period

MODELS = sorted((mapper.class_ for mapper in db.Model.registry.mappers if mapper.class_ is not AuditEntry),
                key=lambda cls: cls.__name__)


def test_every_table_belongs_to_a_mapped_model():
    """A table written without a model would escape the listener and the test below."""
    mapped = {mapper.local_table.name for mapper in db.Model.registry.mappers}
    assert {table.name for table in db.metadata.sorted_tables} - mapped == set()


def _private(model, key: str) -> bool:
    return bool(sa.inspect(model).column_attrs[key].columns[0].info.get("private"))


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
def test_no_model_changes_without_an_audit_entry(app, model):
    if model not in BUILDERS:
        pytest.fail(f"{model.__name__} has no builder in BUILDERS (tests/test_audit_trail.py): add one, so this "
                    "test proves its rows are audited when created, changed and deleted.")
    entity = model.__tablename__
    with acting_as(Actor("haan", 7, "10.0.0.1")):
        row, field, new_value = BUILDERS[model]()
        db.session.add(row)
        db.session.commit()
        row_id = row.id
        stored = {attr.key: getattr(row, attr.key) for attr in sa.inspect(model).column_attrs
                  if attr.key != "version"}
        before = stored[field]
        assert before != new_value
        setattr(row, field, new_value)
        db.session.commit()
        db.session.delete(row)
        db.session.commit()

    created, updated, deleted = entries(entity=entity, entity_id=row_id)
    assert [created.action, updated.action, deleted.action] == ["create", "update", "delete"]
    for entry in (created, updated, deleted):
        assert (entry.actor, entry.user_id, entry.remote_addr) == ("haan", 7, "10.0.0.1")
    masked = {key: "***" if _private(model, key) else _plain(value)
              for key, value in stored.items() if value is not None}
    # The key is the entry's entity_id; a new row's other values are there, column defaults included.
    assert created.changes == {key: value for key, value in masked.items() if key != "id"}
    if _private(model, field):
        assert updated.changes == {field: ["***" if before is not None else None, "***"]}
    else:
        assert updated.changes == {field: [_plain(before), _plain(new_value)]}
    assert deleted.changes == masked | {field: "***" if _private(model, field) else _plain(new_value)}


@pytest.mark.parametrize(("query", "index"), [
    ("person", "ix_audit_entries_entity"), ("organisation", "ix_audit_entries_entity"),
    ("user", "ix_audit_entries_user_id"), ("unknown_user", "ix_audit_entries_user_id"),
    ("days", "ix_audit_entries_at"), ("action", None)])
def test_each_filter_but_the_action_is_served_by_an_index_on_postgresql(app, dialect, query, index):
    """With sequential scans priced out, PostgreSQL finds a plan through the filter's index. (The action alone
    has none: it is the one filter that reads the table, newest first until a page is full.)"""
    from registry.audit.trail import Filters, trail

    if dialect != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    seat = make.seat()
    person = make.person()
    make.appoint(seat, person, date(2024, 1, 1))
    user = make.user("gitb")
    db.session.commit()
    filters = {"person": Filters(person_id=person.id), "organisation": Filters(organisation_id=seat.organisation_id),
               "user": Filters(user=user.username), "unknown_user": Filters(user="system"),
               "days": Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)),
               "action": Filters(action="lockout")}[query]
    compiled = trail(filters).compile(db.engine, compile_kwargs={"render_postcompile": True})
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.connection().exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).scalars())
    if index is None:
        assert "Seq Scan on audit_entries" in plan, plan
    else:
        assert "Seq Scan on audit_entries" not in plan, plan
        assert index in plan, plan

"""Hostile input never gives a 500: property-based tests (hypothesis) on every form, every page's query
parameters and the CSV import.

The forms are not listed by hand: every POST rule in the app's URL map is fuzzed, with the field names
learnt from the HTML of the pages a user sees (a form that posts to itself, or a button on a detail page
that posts elsewhere). Each field gets either the value the form showed, one of its options, or something
hostile: very long strings, control characters and NUL, letters where ids and dates go, dates out of
range, unicode tricks (right-to-left override, combining marks, zero-width, superscript and fullwidth
digits), huge integers. The answer must be a page (200 with the form's message, a redirect) or a 4xx,
and a refused form writes nothing (the audit trail, which every change writes to, does not grow).
Before the random examples, each form gets a fixed sweep: every field in turn holds one of the nastiest
values while the others hold what the form would take, so the value gets past the form to the service and
the database. The import gets the same (one bad cell in a good line) and random files; the pages get
random query parameters and huge ids in their paths, and the query parameters that name a row or a day
a fixed list of hand-edited values.

Examples per test are few, so each file stays within a minute or two per database.
"""

import base64
import html.parser
import io
import urllib.parse
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from registry.appointments.models import Role
from registry.audit.models import AuditEntry
from registry.auth.models import UserRole
from registry.dates import today
from registry.exchange.csv_export import HEADER
from registry.exchange.csv_import import ImportResult, import_csv
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from tests import factories as make
from tests import nomination_factories as nominate
from tests.conftest import OwnContextClient, make_app

# No shrinking: the failure message names the input, and shrinking a slow web round trip costs minutes.
# The number of examples comes from the profile (tests/conftest.py): 25, or 250 with `make test-deep`.
FUZZ = settings(deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])
FEW = settings(FUZZ, max_examples=max(8, settings.default.max_examples // 3))

HOSTILE = [
    "", " ", "x" * 10_001, "æøå" * 4_000, "\x00", "a\x00b", "\x00" * 300, "\x01\x02\x1b[31m\x7f", "\r\n\t",
    "\u202eRTL\u202c", "e\u0301\u0301\u0301", "\u200b", "\ufeff", "²", "¹²³", "١٢٣", "１２３",
    "２０２４-０４-１９", "2024-02-30", "0001-01-01", "9999-12-31", "10000-01-01", "0000-00-00", "2024-13-01",
    "19.04.2024", "2024-04-19T00:00", "2024-W16-5", "-1", "0", "1.5", "1e309", "NaN", "inf",
    "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "9" * 40, "-" + "9" * 40,
    "None", "null", "true", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --", "=HYPERLINK(\"x\")",
    "../../etc/passwd", "%00", "ja", "nej", "medlem", "suppleant", "appointed", "4.1", "999.999.999",
    "@", "a@b.c", "\U0001F600" * 50,
]
# Tried on every field of every form, the others valid, before the random examples.
NASTIEST = ["a\x00b", "x" * 10_001, "0001-01-01", "9999-12-31", "2147483648", "9" * 20, "２０２４-０４-１９"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
HOSTILE_VALUE = st.one_of(st.sampled_from(HOSTILE), TEXT,
                          st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str))

PASSWORD = make.PASSWORD


# The registry the forms work on: one of everything a route's <id> can name.

@pytest.fixture
def world(app):
    rar = nominate.allocated_seat("F", "RAR Hovedstaden", authority_is_external=True,
                                  appointing_authority="Beskæftigelsesministeren")
    movia = nominate.allocated_seat("F", "Movia")
    lonely = nominate.allocated_seat("F", "Skoletjenesten")
    kofoed = make.person("Lotte Kofoed", "Frederiksberg", email="lotte@example.dk")
    held = make.appoint(rar, kofoed, date(2022, 1, 1))
    make.appoint(movia, make.person("Mette Movia"), date(2022, 1, 1))
    twin = make.person("Lotte Kofoed B", "Frederiksberg")
    call = nominate.call(lonely)
    sent = nominate.nomination(rar, nominate.candidate("Anna Andersen"))
    on_agenda = nominate.nomination(movia, nominate.candidate("Bo Berg", gender=None))
    item = agenda.place_on_agenda(on_agenda, today(), "4.1", council="KKR Hovedstaden")
    pending = nominate.nomination(rar, nominate.candidate("Cilla Clausen"), role=Role.substitute)
    agenda.place_on_agenda(pending, today(), "4.2", council="KKR Hovedstaden")
    agenda.decide(pending, Outcome.recommended)
    make.user("haan", UserRole.admin)
    nominate.party_user("sf", "F")
    db.session.commit()
    ids = {"organisation_id": rar.organisation_id, "seat_id": rar.id, "person_id": twin.id,
           "appointment_id": held.id, "call_id": call.id, "meeting_id": item.meeting_id, "item_id": item.id,
           "key": "F", "code": "da", "decision_id": pending.decision_id}
    per_endpoint = {"meetings.decide": on_agenda.id, "meetings.take_off": on_agenda.id,
                    "meetings.record_appointment": pending.id}
    return {"ids": ids, "nomination": lambda endpoint: per_endpoint.get(endpoint, sent.id),
            "municipality": kofoed.municipality_id}


# The forms of the app, learnt from its pages.

class Forms(html.parser.HTMLParser):
    """The POST forms of a page: action → {field name: (value shown, [options])}."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.forms: dict[str, dict[str, tuple[str, list[str]]]] = {}
        self.current: dict | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = urllib.parse.urlsplit(urllib.parse.urljoin(self.path, attrs.get("action") or self.path))
                self.current = self.forms.setdefault(action.path, {})
            return
        if self.current is None or not attrs.get("name"):
            if tag == "option" and self.current is not None and self.select:
                self.current[self.select][1].append(attrs.get("value") or "")
            return
        name = attrs["name"]
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            self.current[name] = (attrs.get("value") or "", [])
        elif tag == "input" and attrs.get("type") == "file":
            self.current[name] = ("FILE", [])
        elif tag == "select":
            self.select = name
            self.current[name] = ("", [])
        elif tag == "textarea":
            self.textarea = name
            self.current[name] = ("", [])

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            value, options = self.current[self.textarea]
            self.current[self.textarea] = (value + data, options)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


PARTY_ENDPOINTS = {"nominations.create", "nominations.edit", "nominations.withdraw"}
# Nothing to fuzz, or fuzzed by its own test below.
# A POST that writes an audit entry even when it changes nothing: an export of private data, a failed login.
AUDITED_ANYWAY = {"auth.login", "people.access_request"}
NOT_FUZZED = {"auth.logout": "ends the session the other forms need; it takes no fields"}


def rules(method: str) -> list:
    app = make_app("sqlite://")
    return sorted((rule for rule in app.url_map.iter_rules() if method in rule.methods
                   and rule.endpoint != "static" and not rule.rule.startswith("/api/")),
                  key=lambda rule: rule.rule)


POST_RULES = [rule.endpoint for rule in rules("POST")]
GET_RULES = [rule.endpoint for rule in rules("GET")]


def path_of(app, endpoint: str, world, override: dict | None = None) -> str:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values = {}
    for argument in rule.arguments:
        if argument == "nomination_id":
            values[argument] = world["nomination"](endpoint)
        elif endpoint == "people.municipality" and argument == "key":
            values[argument] = world["municipality"]
        elif argument in world["ids"]:
            values[argument] = world["ids"][argument]
        else:
            pytest.skip(f"{endpoint}: no id for <{argument}> in the fuzz world; add one to world()")
    values.update(override or {})
    # Built by hand: url_for would refuse what the converters refuse, and the point is to send it anyway.
    path = rule.rule
    for argument, value in values.items():
        path = path.replace(f"<{argument}>", str(value))
        for converter in ("int", "int(min=1, max=2147483647)", "path", "string"):
            path = path.replace(f"<{converter}:{argument}>", str(value))
    return path


def browser(app, username: str | None):
    """A browser of its own, logged in as the user; each request in its own app context, as in production."""
    app.test_client_class = OwnContextClient
    client = app.test_client()
    if username:
        assert make.login(client, username).status_code == 302
    return client


def learn_fields(app, client, endpoint: str, world) -> dict[str, tuple[str, list[str]]]:
    """The fields of the form that posts to the endpoint, from the page that shows it (or any GET page)."""
    target = path_of(app, endpoint, world)
    pages = [target] if "GET" in next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint).methods \
        else []
    pages += [path_of(app, name, world) for name in GET_RULES if name != endpoint]
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        parser = Forms(page)
        parser.feed(response.text)
        if target in parser.forms:
            return parser.forms[target]
    return {}


DATE_FIELDS = {"start_date", "end_date", "deadline", "meeting_date", "effective_date", "appointed_on"}
REQUIRED_TEXT = {"name": "Fuzz Navn", "label": "Fuzz plads", "appointing_authority": "KKR Hovedstaden",
                 "comment": "Ret venligst motivationen.", "item_number": "4.9", "username": "haan",
                 "password": PASSWORD}


def plausible(name: str, shown: str, options: list[str]) -> str:
    """A value the form would take: what it showed, its first real option, today for a date."""
    if shown.strip() and shown != "FILE":
        return shown
    if real := [option for option in options if option]:
        return real[0]
    if name in DATE_FIELDS:
        return (today() + timedelta(days=1)).isoformat()
    return REQUIRED_TEXT.get(name, "")


def audit_count() -> int:
    db.session.commit()  # a fresh snapshot: what the requests committed
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))


ACCEPTABLE = {200, 302, 303, 400, 403, 404, 405, 409, 413, 422, 429}


def send(client, method: str, path: str, what: str, **kwargs):
    """The response; an exception in the app (the test app passes them on) becomes a readable failure."""
    try:
        return client.open(path, method=method, **kwargs)
    except Exception as error:  # noqa: BLE001 - any of them is the bug being looked for
        raise AssertionError(f"500 on {what}: {type(error).__name__}: {str(error)[:300]}") from error


def assert_clean(response, what: str) -> None:
    assert response.status_code in ACCEPTABLE, f"{what}: {response.status_code}"
    if response.status_code == 200 and "html" in response.content_type:
        assert "Der opstod en fejl" not in response.text, what


@pytest.mark.parametrize("endpoint", POST_RULES)
def test_no_form_answers_hostile_input_with_a_server_error(app, world, endpoint):
    if endpoint in NOT_FUZZED:
        pytest.skip(NOT_FUZZED[endpoint])
    username = None if endpoint == "auth.login" else "sf" if endpoint in PARTY_ENDPOINTS else "haan"
    client = browser(app, username)
    fields = learn_fields(app, client, endpoint, world)
    if endpoint == "auth.login":
        fields = {"username": ("haan", []), "password": (PASSWORD, [])}
    if not fields:
        fields = {"version": ("1", []), "comment": ("", [])}
    path = path_of(app, endpoint, world)

    def value_of(shown: str, options: list[str]):
        return st.one_of(st.just(shown), st.sampled_from(options or [shown]), HOSTILE_VALUE,
                         st.lists(HOSTILE_VALUE, min_size=2, max_size=3), st.just(None))

    valid = {name: plausible(name, *spec) for name, spec in fields.items()}
    # Half the examples: every field random. The other half: a form a user could send, with one field
    # hostile, so the value gets past the other fields' checks to the service and the database.
    strategy = st.one_of(
        st.fixed_dictionaries({name: value_of(*spec) for name, spec in fields.items()}),
        st.builds(lambda name, value: dict(valid, **{name: value}), st.sampled_from(sorted(fields)),
                  st.one_of(HOSTILE_VALUE, st.lists(HOSTILE_VALUE, min_size=2, max_size=3))))

    @FUZZ
    @given(values=strategy)
    def post(values):
        data = {}
        for name, value in values.items():
            if value is None:
                continue
            if fields[name][0] == "FILE":
                raw = value if isinstance(value, str) else ";".join(value)
                data[name] = (io.BytesIO(raw.encode("utf-8")), "fuzz.csv")
            else:
                data[name] = value
        before = audit_count()
        what = f"POST {path} {data!r:.300}"
        response = send(client, "POST", path, what, data=data)
        assert_clean(response, what)
        if response.status_code != 302 and endpoint not in AUDITED_ANYWAY:
            # A refused form writes nothing.
            assert audit_count() == before, f"POST {path} wrote although refused: {data!r:.300}"

    for name in sorted(fields):
        for value in NASTIEST:
            post = example(values=dict(valid, **{name: value}))(post)
    post()


QUERY = ["side", "as_of", "status", "organisation", "person", "moede", "plads", "rolle", "parti", "q", "all",
         "delimiter", "next", "organisation_id", "party_id", "municipality_id", "fra", "til", "bruger",
         "handling", "ledige", "udloeb", "nedlaeggelser", "aendringer"]
PATH_IDS = st.sampled_from(["0", "2147483647", "2147483648", "9223372036854775808", "9" * 30])


@pytest.mark.parametrize("endpoint", GET_RULES)
def test_no_page_answers_hostile_query_parameters_with_a_server_error(app, world, endpoint):
    user = "sf" if endpoint == "nominations.party_home" else "haan"
    client = browser(app, user)
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    int_arguments = [name for name, converter in rule._converters.items()
                     if type(converter).__name__ == "IntegerConverter"]

    @FEW
    @given(query=st.dictionaries(st.sampled_from(QUERY), HOSTILE_VALUE, min_size=1, max_size=4),
           ids=st.fixed_dictionaries({name: st.one_of(st.none(), PATH_IDS) for name in int_arguments}))
    def get(query, ids):
        path = path_of(app, endpoint, world, {name: value for name, value in ids.items() if value is not None})
        what = f"GET {path} ?{query!r:.300}"
        assert_clean(send(client, "GET", path, what, query_string=query), what)

    get()


# The CSV import: fuzzed files straight into import_csv, and through the upload page.

CELL = st.one_of(st.sampled_from(HOSTILE), TEXT, st.sampled_from(
    ["RAR Hovedstaden", "Plads 1", "medlem", "suppleant", "Lotte Kofoed", "F", "Hvidovre", "2024-04-19",
     "19-04-2024", "fratrådt", "KKR Hovedstaden", "KKR Hovedstaden 2024-04-19 pkt. 4.1",
     "KKR Hovedstaden 9999-12-31 pkt. 4.1", "K" * 150 + " 2024-04-19 pkt. 4.1", "kvinde", "a@b.dk"]))
COLUMNS = HEADER + ["køn", "email"]


def rows_to_bytes(header, rows, delimiter, encoding) -> bytes:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '";,\r\n') else text

    lines = [delimiter.join(cell(c) for c in row) for row in [header, *rows]]
    return "\r\n".join(lines).encode(encoding, errors="replace")


CSV_FILES = st.one_of(
    st.builds(rows_to_bytes, st.permutations(COLUMNS).map(list),
              st.lists(st.lists(CELL, min_size=len(COLUMNS), max_size=len(COLUMNS)), min_size=1, max_size=4),
              st.sampled_from([";", ","]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
    st.builds(rows_to_bytes, st.just(COLUMNS),
              st.lists(st.lists(CELL, min_size=0, max_size=len(COLUMNS) + 2), min_size=1, max_size=3),
              st.just(";"), st.just("utf-8")),
    st.binary(max_size=300),
    st.builds(lambda head, tail: head + tail, st.just(";".join(HEADER).encode() + b"\r\n"), st.binary(max_size=200)),
)


def counts() -> dict[str, int]:
    db.session.commit()
    return {table.name: db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables}


@FUZZ
@given(data=CSV_FILES)
def test_the_import_answers_any_file_with_errors_or_a_clean_import(app, world, data):
    before = counts()
    result = import_csv(data, dry_run=False)
    assert isinstance(result, ImportResult)
    if result.errors:
        assert not result.applied
        db.session.rollback()
        assert counts() == before
    else:
        db.session.commit()  # what the import page does; the database's own checks have their say here


@FEW
@given(data=CSV_FILES)
def test_the_import_pages_answer_any_file_with_a_page(app, world, data):
    client = browser(app, "haan")
    before = counts()
    what = f"POST /import {data!r:.300}"
    assert_clean(send(client, "POST", "/import", what, data={"file": (io.BytesIO(data), "fuzz.csv")}), what)
    assert counts() == before
    what = f"POST /import/confirm {data!r:.300}"
    content = base64.b64encode(data).decode()
    assert_clean(send(client, "POST", "/import/confirm", what, data={"content": content, "filename": "x"}), what)


VALID_ROW = {"organisation": "Fuzzrådet", "plads": "Plads 1", "rolle": "medlem", "navn": "Fuzz Person",
             "parti": "F", "kommune": "Hvidovre", "startdato": "2024-04-19", "slutdato": "", "ophørsårsag": "",
             "udpegende_myndighed": "KKR Hovedstaden", "indstilling": "KKR Hovedstaden 2024-04-19 pkt. 4.1",
             "køn": "kvinde", "email": "fuzz@example.dk"}
IMPORT_NASTIEST = NASTIEST + ["K" * 150 + " 2024-04-19 pkt. 4.1", "KKR Hovedstaden 9999-12-31 pkt. 4.1",
                              "KKR Hovedstaden 0001-01-01 pkt. 9999999999999999999", "31-12-9999", "x" * 201,
                              "KKR Hovedstaden 2024-04-19 pkt. 3000000", "KKR Hovedstaden 2024-04-19 pkt. abc",
                              "KKR Hovedstaden 2024-04-19 pkt. ²", "KKR Hovedstaden ２０２４-０４-１９ pkt. 4.1",
                              "a\x01b", "=1+1", "'=1+1", "\u202e"]


def one_bad_cell(column: str, value: str) -> bytes:
    """A line the registry would take, on a body of its own (so no earlier import decides its fate), but for
    the one cell."""
    one_bad_cell.bodies += 1
    row = dict(VALID_ROW, organisation=f"Fuzzrådet {one_bad_cell.bodies}")
    row[column] = value
    return rows_to_bytes(list(row), [list(row.values())], ";", "utf-8")


one_bad_cell.bodies = 0


def import_is_clean(data: bytes) -> None:
    """import_csv returns errors (and writes nothing) or imports; it never raises, and what it flushed commits."""
    before = counts()
    try:
        result = import_csv(data, dry_run=False)
        assert isinstance(result, ImportResult)
        if not result.errors:
            db.session.commit()  # as the page does: the database's own checks have their say here
            return
    except Exception as error:  # noqa: BLE001 - any of them is the bug being looked for
        db.session.rollback()
        raise AssertionError(f"import_csv raised on {data!r:.400}: {type(error).__name__}: {str(error)[:300]}") \
            from error
    assert not result.applied
    db.session.rollback()
    assert counts() == before, f"half an import left behind: {data!r:.300}"


def test_one_bad_cell_in_a_good_line_is_refused_or_imported_never_a_crash(app, world):
    """Every column of an otherwise valid line, with each of the nastiest values."""
    failures = []
    for column in VALID_ROW:
        for value in IMPORT_NASTIEST:
            try:
                import_is_clean(one_bad_cell(column, value))
            except AssertionError as failure:
                failures.append(str(failure).splitlines()[0][:400])
    assert not failures, "\n".join(failures)


@FUZZ
@given(column=st.sampled_from(sorted(VALID_ROW)), value=CELL)
def test_one_random_cell_in_a_good_line_is_refused_or_imported_never_a_crash(app, world, column, value):
    import_is_clean(one_bad_cell(column, value))


# Query parameters that name a row or a day, with what a hand-edited URL may hold.

ID_PARAMETERS = [("/pladser", "organisation"), ("/beslutninger", "organisation"), ("/beslutninger", "person"),
                 ("/beslutninger", "moede"), ("/export/appointments.csv", "organisation_id"),
                 ("/export/appointments.csv", "party_id"), ("/export/appointments.csv", "municipality_id"),
                 ("/export/indstillinger.csv", "organisation"), ("/export/indstillinger.csv", "meeting_id"),
                 ("/export/indstillinger.csv", "person_id"), ("/udpegninger/ny", "plads"),
                 ("/indstillinger/ny", "plads"), ("/opfordringer/ny", "plads"), ("/partigruppe", "parti"),
                 ("/soeg", "q"), ("/indstillinger", "status"), ("/", "as_of"), ("/organisationer", "side"),
                 ("/sekretariat", "ledige"), ("/beslutninger", "side")]
BAD_VALUES = ["2147483648", "9223372036854775808", "9" * 20, "-1", "0", "a\x00b", "１２", "²", "9999-12-31",
              "0001-01-01", "x" * 10_001, "\u202e1"]


@pytest.mark.parametrize(("path", "parameter"), ID_PARAMETERS)
def test_a_hand_edited_query_parameter_is_a_4xx_or_a_page(app, world, path, parameter):
    client = browser(app, "haan")
    failures = []
    for value in BAD_VALUES:
        what = f"GET {path}?{parameter}={value!r:.40}"
        try:
            assert_clean(send(client, "GET", path, what, query_string={parameter: value}), what)
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0][:300])
    assert not failures, "\n".join(failures)

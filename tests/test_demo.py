"""The KKR Hovedstaden demo data: the seed's facts, loaded once however often it runs."""

import csv
import io
from datetime import date, time

import sqlalchemy as sa

from registry import PROJECT_ROOT
from registry.appointments.models import Appointment, EndReason, Role
from registry.appointments.services import active_on
from registry.audit.models import AuditEntry
from registry.auth.models import User, UserRole
from registry.extensions import db
from registry.meetings.drafting import draft
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.models import (
    Call,
    ElectionPeriod,
    Municipality,
    Nomination,
    NominationStatus,
    Organisation,
    Party,
    Person,
    Seat,
)
from registry.nominations.models import CallReason
from registry.rounds.models import ElectoralGroup, PeriodParty, ShareOut
from tests import factories as make


def load(runner):
    result = runner.invoke(args=["registry", "load-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Municipality, Party, Person, Organisation, Appointment, Meeting, AgendaItem, User,
                          ElectionPeriod, AuditEntry, Call, Nomination, Decision)}


def test_loading_twice_changes_nothing(runner, app):
    first = load(runner)
    before = counts()
    second = load(runner)
    assert counts() == before
    assert "adgangskoderne vises kun denne ene gang" in first
    assert "findes allerede" in second


def test_demo_users_one_per_role_with_generated_passwords(runner, app):
    output = load(runner)
    users = db.session.scalars(sa.select(User)).all()
    assert {user.role for user in users} == set(UserRole)
    sf = db.session.scalar(sa.select(User).where(User.username == "sf"))
    assert sf.party.letter == "F"
    # Each password is printed once, and is the one that works.
    for user in users:
        line = next(line for line in output.splitlines() if line.split()[:1] == [user.username])
        assert user.check_password(line.split()[-1])


def test_demo_passwords_differ_between_installations(runner, app):
    output = load(runner)
    password = next(line.split()[-1] for line in output.splitlines() if line.strip().startswith("admin"))
    assert password not in (PROJECT_ROOT / "registry" / "demo.py").read_text()


def test_reference_lists(runner, app):
    load(runner)
    municipalities = dict(db.session.execute(sa.select(Municipality.name, Municipality.code)).all())
    assert len(municipalities) == 98  # all of Denmark, from the migration
    assert municipalities["Frederiksberg"] == 147
    assert municipalities["Bornholm"] == 400
    letters = set(db.session.scalars(sa.select(Party.letter)))
    assert letters == set("ABCDFIKMOVÆØÅ")
    periods = db.session.execute(sa.select(ElectionPeriod.name, ElectionPeriod.start_date,
                                           ElectionPeriod.end_date)).all()
    assert set(periods) == {("2022-2025", date(2022, 1, 1), date(2025, 12, 31)),
                            ("2026-2029", date(2026, 1, 1), date(2029, 12, 31))}


def test_bodies_from_the_seed(runner, app):
    load(runner)
    names = set(db.session.scalars(sa.select(Organisation.name)))
    assert {"Sundhedssamarbejdsudvalget", "Danmarks Erhvervsfremmebestyrelse", "Erhvervshus Hovedstaden",
            "RAR Hovedstaden", "Movia", "Wonderful Copenhagen", "Copenhagen Capacity",
            "Politisk Uddannelses- og Praktikpladsforum", "SOSU H", "Københavns Professionshøjskole",
            "Skoletjenesten"} <= names
    rar = db.session.scalar(sa.select(Organisation).where(Organisation.name == "RAR Hovedstaden"))
    assert rar.appointing_authority == "Beskæftigelsesministeren"
    assert rar.authority_is_external


def _holding(name: str) -> Appointment:
    return db.session.scalar(sa.select(Appointment).join(Appointment.person).where(Person.name == name))


def test_rar_hovedstaden_before_item_4_1(runner, app):
    load(runner)
    kofoed = _holding("Lotte Kofoed")
    peschardt = _holding("Marie-Louise Peschardt Jørgensen")
    assert kofoed.seat is peschardt.seat
    assert kofoed.seat.organisation.name == "RAR Hovedstaden"
    assert (kofoed.role, kofoed.party.letter, kofoed.person.municipality.name, kofoed.end_date) == \
        (Role.member, "F", "Frederiksberg", None)
    assert (peschardt.role, peschardt.party.letter, peschardt.person.municipality.name) == \
        (Role.substitute, "F", "Hvidovre")
    assert "Eksempeldata" in kofoed.seat.note


def test_senturk_on_skoletjenesten_until_dissolution(runner, app):
    load(runner)
    senturk = _holding("Esat Sentürk")
    assert senturk.seat.organisation.name == "Skoletjenesten"
    assert senturk.seat.organisation.end_date == date(2024, 10, 31)
    assert (senturk.party.letter, senturk.person.municipality.name) == ("B", "Høje-Taastrup")
    assert (senturk.end_date, senturk.end_reason) == (date(2024, 10, 31), EndReason.body_dissolved)


def test_meeting_of_19_april_2024_with_items_3_10_and_4_1(runner, app):
    load(runner)
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.date == date(2024, 4, 19)))
    assert (meeting.council_name, meeting.starts_at, meeting.case_number) == \
        ("KKR Hovedstaden", time(10, 0), "SAG-2024-01064")
    assert meeting.location == "Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup"
    assert [item.number for item in meeting.items] == ["3.10", "4.1"]
    item = meeting.items[1]
    assert item.title == "Indstilling af medlem til RAR Hovedstaden"
    assert item.recommendation == ("Det indstilles, at KKR Hovedstaden tager Socialistisk Folkepartis indstilling "
                                   "af nyt medlem og ny suppleant til RAR Hovedstaden til efterretning.")
    assert {m.date for m in db.session.scalars(sa.select(Meeting))} == \
        {date(2024, 2, 6), date(2024, 4, 19), date(2024, 6, 18), date(2026, 1, 26)}


def test_the_2026_round_tells_its_story_as_of_three_days(runner, app, client):
    """SOSU H: Gitte carries on after the period until Hans is seated on 1 March; the minister appoints Karen,
    recommended at the constituent meeting of 26 January, on 16 March."""
    load(runner)

    def holders(day: date) -> list[tuple[str, str]]:
        return sorted(db.session.execute(
            sa.select(Seat.label, Person.name).select_from(Appointment).join(Appointment.seat)
            .join(Appointment.person).join(Seat.organisation)
            .where(Organisation.name == "SOSU H", active_on(day))).all())
    assert holders(date(2025, 12, 31)) == [("Plads 1", "Gitte Eksempel")]
    assert holders(date(2026, 2, 1)) == [("Plads 1", "Gitte Eksempel")]
    assert holders(date(2026, 4, 1)) == [("Plads 1", "Hans Eksempel"), ("Plads 2", "Karen Eksempel")]
    gitte = db.session.scalar(sa.select(Appointment).join(Appointment.person)
                              .where(Person.name == "Gitte Eksempel"))
    assert (gitte.end_date, gitte.end_reason) == (date(2026, 2, 28), EndReason.term_ended)
    # The roster of 1 February says what that day was, although her end date was entered since.
    sosu = db.session.scalar(sa.select(Organisation).where(Organisation.name == "SOSU H"))
    roster = " ".join(client.get(f"/organisationer/{sosu.id}?as_of=2026-02-01").text.split())
    assert ('Gitte Eksempel (F)</a> <span class="meta">fortsatte til 28.02.2026, indtil ny blev udpeget</span>'
            in roster)
    items = db.session.scalars(sa.select(AgendaItem).join(AgendaItem.meeting)
                               .where(Meeting.date == date(2026, 1, 26))).all()
    assert [(item.number, item.title) for item in items] == [
        ("5.1", "Indstilling af medlem til Movia"), ("5.2", "Indstilling af medlemmer til SOSU H"),
        ("5.3", "Indstilling af medlemmer til Sundhedssamarbejdsudvalget"),
        ("5.4", "Indstilling af medlem til Wonderful Copenhagen")]


def test_fictitious_people_say_so(runner, app):
    load(runner)
    seed_people = {"Lotte Kofoed", "Marie-Louise Peschardt Jørgensen", "Esat Sentürk"}
    for person in db.session.scalars(sa.select(Person)):
        if person.name not in seed_people:
            assert "Eksempel" in person.name
            assert "eksempeldata" in person.office


def test_item_4_1_as_kkr_left_it_pending_the_ministers_appointment(runner, app):
    load(runner)
    nomination = db.session.scalar(sa.select(Nomination))
    assert (nomination.person.name, nomination.role, nomination.party.letter) == \
        ("Marie-Louise Peschardt Jørgensen", Role.member, "F")
    assert nomination.status is NominationStatus.pending
    assert (nomination.item.number, nomination.item.meeting.date) == ("4.1", date(2024, 4, 19))
    assert nomination.decision.outcome is Outcome.noted
    # The current holders stay until the minister has appointed.
    assert _holding("Lotte Kofoed").role is Role.member
    assert _holding("Marie-Louise Peschardt Jørgensen").role is Role.substitute
    # SF's suppleant nomination is still open: a call for it, without a nomination.
    open_calls = db.session.scalars(sa.select(Call).where(Call.closed_on.is_(None),
                                                          Call.seat_id == nomination.seat_id)).all()
    assert [(call.role, call.party.letter) for call in open_calls] == [(Role.substitute, "F")]


def test_the_registry_drafts_item_4_1_word_for_word_as_the_agenda_has_it(runner, app):
    load(runner)
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.number == "4.1"))
    drafted = draft(item)
    assert drafted.title == item.title
    assert drafted.background == item.background
    assert drafted.recommendation == item.recommendation


def test_party_group_users_for_the_seeds_parties_with_a_contact_address(runner, app):
    load(runner)
    party_users = db.session.scalars(sa.select(User).where(User.role == UserRole.party)).all()
    assert {(user.party.letter, user.email) for user in party_users} == \
        {("F", "sf@example.org"), ("B", "radikale@example.org")}


def test_the_2026_composition_and_the_share_out_of_ssus_seats(runner, app):
    load(runner)
    assert db.session.scalar(sa.select(sa.func.sum(PeriodParty.members))) == 52
    assert db.session.scalars(sa.select(ElectoralGroup.name)).all() == ["A+F+Ø"]
    share = db.session.scalar(sa.select(ShareOut))
    assert (share.seats, share.organisation.name, share.lot) == (5, "Sundhedssamarbejdsudvalget", None)


def test_a_councillor_not_re_elected_left_his_seat_with_his_mandate(runner, app):
    load(runner)
    held = db.session.scalar(sa.select(Appointment).join(Appointment.person).where(Person.name == "Lars Eksempel"))
    assert (held.end_date, held.end_reason) == (date(2025, 12, 31), EndReason.resigned)
    assert "Udtrådt af kommunalbestyrelsen." in held.note


def _round_nominations() -> list[Nomination]:
    return db.session.scalars(sa.select(Nomination).join(Nomination.item).join(AgendaItem.meeting)
                              .where(Meeting.date == date(2026, 1, 26))
                              .order_by(AgendaItem.position, Nomination.id)).all()


def test_the_constituent_meeting_has_an_item_per_body_with_the_party_groups_nominations(runner, app):
    load(runner)
    items = {}
    for nomination in _round_nominations():
        body = nomination.seat.organisation.name
        assert nomination.item.title.endswith(f" til {body}")
        items.setdefault((nomination.item.number, body), []).append(
            (nomination.party.letter, nomination.person.name, nomination.status))
    assert items == {
        ("5.1", "Movia"): [("C", "Carla Eksempel", NominationStatus.appointed)],
        ("5.2", "SOSU H"): [("F", "Hans Eksempel", NominationStatus.appointed),
                            ("A", "Karen Eksempel", NominationStatus.appointed)],
        ("5.3", "Sundhedssamarbejdsudvalget"): [("A", "Anne Eksempel", NominationStatus.appointed),
                                                ("V", "Bo Eksempel", NominationStatus.appointed)],
        ("5.4", "Wonderful Copenhagen"): [("Ø", "Dan Eksempel", NominationStatus.appointed)],
    }
    # Each answers its party group's call of the new period, due before the meeting and closed by its decision.
    for nomination in _round_nominations():
        call = nomination.call
        assert (call.reason, call.party_id, call.seat_id, call.role) == \
            (CallReason.new_period, nomination.party_id, nomination.seat_id, nomination.role)
        assert (call.opened_on, call.deadline, call.closed_on) == \
            (date(2025, 12, 1), date(2026, 1, 12), date(2026, 1, 26))
        assert nomination.submitted_at.date() < call.deadline


def test_every_example_holder_is_re_appointed_on_the_decision_of_26_january_without_a_gap(runner, app):
    load(runner)
    for name in ("Anne Eksempel", "Bo Eksempel", "Carla Eksempel", "Dan Eksempel"):
        old, new = db.session.scalars(sa.select(Appointment).join(Appointment.person).where(Person.name == name)
                                      .order_by(Appointment.start_date)).all()
        assert old.seat is new.seat
        assert (old.start_date, old.end_date, old.end_reason) == \
            (date(2022, 1, 1), date(2026, 2, 28), EndReason.term_ended)
        assert old.decision is None
        assert new.start_date == date(2026, 3, 1)
        assert (new.decision.outcome, new.decision.item.meeting.date) == (Outcome.appointed, date(2026, 1, 26))
        for day, held in ((date(2025, 12, 31), old), (date(2026, 2, 1), old), (date(2026, 4, 1), new)):
            assert db.session.scalars(sa.select(Appointment).where(
                Appointment.seat_id == old.seat_id, Appointment.role == old.role, active_on(day))).all() == [held]


def test_on_1_february_2026_the_example_holders_carry_on_until_the_decision_seats_them(runner, app, client):
    load(runner)
    ssu = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Sundhedssamarbejdsudvalget"))
    page = client.get(f"/organisationer/{ssu.id}?as_of=2026-02-01").text
    row = next(row for row in page.split("<tr") if "Anne Eksempel" in row)
    assert "indtil ny" in row
    page = client.get(f"/organisationer/{ssu.id}?as_of=2026-04-01").text
    row = next(row for row in page.split("<tr") if "Anne Eksempel" in row)
    assert "Næstformand" in row
    assert "indtil ny" not in row


def test_the_round_page_counts_the_calls_decisions_and_radikales_overdue_call(runner, app, client):
    load(runner)
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    assert make.login(client, "haan").status_code == 302
    assert client.get("/runde?periode=2026-2029").status_code == 200
    text = client.get("/runde.csv?periode=2026-2029").data.decode("utf-8-sig")
    header, *lines = csv.reader(io.StringIO(text), delimiter=";")
    seats = {(line[0], line[1]): dict(zip(header, line, strict=True)) for line in lines}
    stages = {seat: line["Status"] for seat, line in seats.items()}
    assert stages == {("Erhvervshus Hovedstaden", "Plads 1"): "opfordret",
                      ("Movia", "Plads 1"): "besat",
                      # SF's member from item 4.1 still waits for the minister: its new call was closed.
                      ("RAR Hovedstaden", "Plads 1"): "ikke opfordret",
                      ("SOSU H", "Plads 1"): "besat", ("SOSU H", "Plads 2"): "besat",
                      ("Sundhedssamarbejdsudvalget", "Plads 1"): "besat",
                      ("Sundhedssamarbejdsudvalget", "Plads 2"): "besat",
                      ("Wonderful Copenhagen", "Plads 1"): "besat"}
    for stage in ("Opfordret", "Indstillet", "Besluttet"):
        assert sum(line[stage] == "ja" for line in seats.values()) == (7 if stage == "Opfordret" else 6)
    # Radikale Venstre has not nominated for Erhvervshus Hovedstaden: its call is past the deadline.
    radikale = seats["Erhvervshus Hovedstaden", "Plads 1"]
    assert (radikale["Partigruppe"], radikale["Frist"], radikale["Frist overskredet"]) == \
        ("B – Radikale Venstre", "2026-01-12", "ja")

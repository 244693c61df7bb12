"""The round's first steps: election periods, the KKR's composition and valggrupper, recorded share-outs and the
allocation grid, for the secretariat; the composition and allocation for everyone."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from registry.auth.models import UserRole
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.http import commit
from registry.organisations import services as organisations
from registry.organisations.models import ElectionPeriod, SeatAllocation, SeatFiller
from registry.rounds import grid, services
from registry.rounds.models import ElectoralGroup, PeriodParty, ShareOut
from registry.rounds.services import Member
from tests import factories as make
from tests.test_rounds_dhondt import Draw


def login_as(client, role: UserRole = UserRole.secretariat, username: str = "haan") -> None:
    make.user(username, role)
    db.session.commit()
    assert make.login(client, username).status_code == 302


def period(name: str = "2026-2029", start: date = date(2026, 1, 1), end: date = date(2029, 12, 31)):
    return organisations.create_period(name, start, end)


def composed(new_period: ElectionPeriod) -> dict[str, object]:
    """KKR 2026-2029 by hand: A 6, F 2, Ø 1 in the valggruppe A+F+Ø; V 6; C 3."""
    parties = {letter: make.party(letter) for letter in ("A", "F", "Ø", "V", "C")}
    group = "A+F+Ø"
    services.set_composition(new_period, [Member(parties["A"], 6, group), Member(parties["F"], 2, group),
                                          Member(parties["Ø"], 1, group), Member(parties["V"], 6, None),
                                          Member(parties["C"], 3, None)])
    return parties


def bodies():
    """Movia (follows the period) with three party seats, a seat DI nominates for and one another appointer fills;
    KommuneKredit with its own term."""
    movia = make.organisation("Movia")
    seats = [make.seat(movia, f"Plads {n}", position=n) for n in (1, 2, 3)]
    make.seat(movia, "Erhvervsplads", nominated_by="Dansk Industri", position=4)
    make.seat(movia, "Regionens plads", filled_by=SeatFiller.other, position=5)
    own_term = make.organisation("KommuneKredit", follows_election_period=False, term_years=4)
    make.seat(own_term, "Plads 1")
    return movia, seats


def allocations() -> list:
    db.session.rollback()
    return db.session.execute(sa.select(SeatAllocation.seat_id, SeatAllocation.party_id, SeatAllocation.group_id)
                              .order_by(SeatAllocation.seat_id)).all()


# Election periods.

@pytest.mark.both_databases
def test_periods_are_found_by_day(app):
    old = period("2022-2025", date(2022, 1, 1), date(2025, 12, 31))
    new = period()
    assert organisations.period_on(date(2025, 12, 31)) == old
    assert organisations.period_on(date(2026, 1, 1)) == new
    assert organisations.period_on(date(2030, 1, 1)) is None
    assert organisations.default_period(date(2030, 1, 1)) == new  # the last one, when none contains the day
    assert organisations.default_period(date(2021, 6, 1)) == old  # the next to begin


@pytest.mark.parametrize(("name", "start", "end", "field", "message"), [
    ("2026-2029", date(2030, 1, 1), date(2033, 12, 31), "name", "Der findes allerede en valgperiode med navnet"),
    ("2029-2031", date(2029, 6, 1), date(2031, 12, 31), "start_date", "overlapper valgperioden 2026-2029"),
    ("2030-2033", date(2033, 12, 31), date(2030, 1, 1), "end_date", "Sidste dag ligger før første dag."),
])
def test_a_period_that_overlaps_or_ends_before_it_begins_is_refused(app, name, start, end, field, message):
    period()
    with pytest.raises(RuleViolation, match=message) as refused:
        organisations.create_period(name, start, end)
    assert refused.value.field == field


def test_a_period_is_edited_and_may_keep_its_own_days(app):
    edited = period()
    organisations.update_period(edited, "2026-2030", date(2026, 1, 1), date(2029, 12, 31))
    assert edited.name == "2026-2030"
    with pytest.raises(Conflict):
        organisations.update_period(edited, "2026-2029", date(2026, 1, 1), date(2029, 12, 31),
                                    fingerprint="2026-2029|2026-01-01|2029-12-31")


def test_the_secretariat_creates_and_edits_a_period(client):
    period("2022-2025", date(2022, 1, 1), date(2025, 12, 31))
    db.session.commit()
    login_as(client)
    response = client.post("/valgperioder/ny", data={"name": "2026-2029", "start_date": "2025-12-01",
                                                     "end_date": "2029-12-31"})
    assert response.status_code == 200
    assert "Perioden overlapper valgperioden 2022-2025 (01.01.2022–31.12.2025)" in response.text
    response = client.post("/valgperioder/ny", data={"name": "2026-2029", "start_date": "2026-01-01",
                                                     "end_date": "2029-12-31"})
    assert response.status_code == 302
    new = db.session.scalar(sa.select(ElectionPeriod).where(ElectionPeriod.name == "2026-2029"))
    assert client.get("/valgperioder").text.count("31.12.2029") == 1
    page = client.get(f"/valgperioder/rediger?periode={new.id}")
    seen = page.text.split('name="seen" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/valgperioder/rediger?periode={new.id}",
                           data={"name": "2026-2030", "start_date": "2026-01-01", "end_date": "2029-12-31",
                                 "seen": seen})
    assert response.status_code == 302
    # A second save from the same old form: someone else changed the period meanwhile.
    response = client.post(f"/valgperioder/rediger?periode={new.id}",
                           data={"name": "2026-2029", "start_date": "2026-01-01", "end_date": "2029-12-31",
                                 "seen": seen})
    assert "mens du havde formularen åben" in response.text
    db.session.rollback()
    assert db.session.get(ElectionPeriod, new.id).name == "2026-2030"


# The KKR's composition and valggrupper.

def test_the_composition_and_its_valggruppe(app):
    new = period()
    composed(new)
    assert [(c.name, c.members, c.parties) for c in services.contestants(new)] == [
        ("V", 6, ("V",)), ("C", 3, ("C",)), ("A+F+Ø", 9, ("A", "F", "Ø"))]


def test_a_valggruppe_is_renamed_when_a_party_joins_and_keeps_its_seats(app):
    new = period()
    parties = composed(new)
    group = db.session.scalar(sa.select(ElectoralGroup))
    movia, seats = bodies()
    organisations.allocate(seats[0], new, parties["F"], group=group)
    lines = [Member(parties["A"], 6, "A+F+Ø+C"), Member(parties["F"], 2, "A+F+Ø+C"),
             Member(parties["Ø"], 1, "A+F+Ø+C"), Member(parties["V"], 6, None), Member(parties["C"], 3, "A+F+Ø+C")]
    services.set_composition(new, lines)
    assert db.session.scalars(sa.select(ElectoralGroup.id)).all() == [group.id]
    assert group.name == "A+F+Ø+C"


@pytest.mark.parametrize(("lines", "message"), [
    (lambda p: [Member(p["A"], 6, "A+F"), Member(p["F"], 2, None)], "Valggruppen A\\+F har kun ét parti"),
    (lambda p: [Member(p["A"], 6, "A+F"), Member(p["F"], None, "A+F")], "F har ingen medlemmer i KKR"),
    # F nominates for a seat the group holds; F cannot simply leave the group.
    (lambda p: [Member(p["A"], 6, "A+Ø"), Member(p["F"], 2, None), Member(p["Ø"], 1, "A+Ø")],
     "F indstiller til Plads 1 i Movia for valggruppen A\\+Ø"),
    (lambda p: [Member(p["A"], 6, None), Member(p["F"], 2, None), Member(p["Ø"], 1, None)],
     "Valggruppen A\\+F\\+Ø har 1 plads"),
])
def test_a_composition_that_breaks_the_rules_is_refused(app, lines, message):
    new = period()
    parties = composed(new)
    movia, seats = bodies()
    organisations.allocate(seats[0], new, parties["F"], group=db.session.scalar(sa.select(ElectoralGroup)))
    db.session.commit()
    with pytest.raises(RuleViolation, match=message):
        commit(lambda: services.set_composition(new, lines(parties)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeriodParty)) == 5


def test_the_secretariat_records_the_composition_in_one_form(client):
    new = period()
    parties = {letter: make.party(letter) for letter in ("A", "F", "V")}
    db.session.commit()
    login_as(client)
    url = f"/valgperioder/sammensaetning/rediger?periode={new.id}"
    assert 'id="members_' in client.get(url).text
    data = {f"members_{parties['A'].id}": "6", f"group_{parties['A'].id}": "A+F",
            f"members_{parties['F'].id}": "2", f"group_{parties['F'].id}": " A+F ",
            f"members_{parties['V'].id}": "5"}
    response = client.post(url, data=data | {"seen": services.composition_fingerprint(new)})
    assert response.status_code == 302
    page = client.get(f"/valgperioder/sammensaetning?periode={new.id}").text
    assert "A+F" in page
    assert ">13<" in page


# Share-outs.

@pytest.mark.both_databases
def test_a_share_out_is_recorded_with_its_lot_and_agreed_otherwise_with_a_note(app):
    new = period()
    composed(new)
    share = services.record_share_out(new, 5, note="Konstituerende møde", rng=Draw(2, 0))
    db.session.commit()
    db.session.expire_all()
    share = db.session.get(ShareOut, share.id)
    stored = json.loads(share.result)
    assert [(row["name"], row["share"]) for row in stored["rows"]] == [("A+F+Ø", 3), ("V", 1), ("C", 1)]
    assert share.lot == "Lodtrækning om 2 pladser mellem A+F+Ø, V, C (kvotient 3): udtrukket C, A+F+Ø."
    with pytest.raises(RuleViolation, match="Skriv i noten"):
        services.agree(share, {"V": 2, "C": 0}, None)
    with pytest.raises(RuleViolation, match="giver 6 pladser, men der fordeles 5"):
        services.agree(share, {"V": 2}, "Efter aftale")
    commit(lambda: services.agree(share, {"V": 2, "C": 0}, "V og C har aftalt, at V tager pladsen."))
    db.session.expire_all()
    assert [row["agreed"] for row in json.loads(db.session.get(ShareOut, share.id).result)["rows"]] == [3, 2, 0]


def test_the_secretariat_shares_out_and_sees_the_quotient_table(client):
    new = period()
    composed(new)
    db.session.commit()
    login_as(client)
    response = client.post(f"/valgperioder/fordelinger?periode={new.id}", data={"seats": "3", "organisation": "0"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "<strong>9 (1)</strong>" in page
    assert "<strong>6 (2)</strong>" in page
    assert "<strong>4,5 (3)</strong>" in page
    assert "Lodtrækning" not in page


def test_a_share_out_without_a_composition_is_refused(client):
    new = period()
    db.session.commit()
    login_as(client)
    response = client.post(f"/valgperioder/fordelinger?periode={new.id}", data={"seats": "3", "organisation": "0"})
    assert "KKR&#39;s sammensætning i 2026-2029 er ikke registreret" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ShareOut)) == 0


# The allocation grid.

def test_the_grid_holds_the_party_seats_of_bodies_that_follow_the_period(app):
    new = period()
    movia, seats = bodies()
    assert [row.seat for row in grid.rows(new)] == seats


@pytest.mark.both_databases
def test_the_grid_is_saved_all_or_nothing(app):
    new = period()
    parties = composed(new)
    movia, seats = bodies()
    group = db.session.scalar(sa.select(ElectoralGroup))
    db.session.commit()
    rows = grid.rows(new)
    values = {seats[0].id: f"g{group.id}:{parties['A'].id}", seats[1].id: f"p{parties['V'].id}",
              # V is in no valggruppe: the group cannot let V nominate.
              seats[2].id: f"g{group.id}:{parties['V'].id}"}
    with pytest.raises(grid.GridRefused) as refused:
        commit(lambda: grid.save(new, rows, values, seen=grid.grid_fingerprint(rows)))
    assert list(refused.value.errors) == [f"seat_{seats[2].id}"]
    assert "V er ikke med i valggruppen A+F+Ø" in refused.value.errors[f"seat_{seats[2].id}"]
    assert allocations() == []
    values[seats[2].id] = f"p{parties['C'].id}"
    rows = grid.rows(new)
    assert commit(lambda: grid.save(new, rows, values, seen=grid.grid_fingerprint(rows))) == 3
    assert allocations() == [(seats[0].id, parties["A"].id, group.id), (seats[1].id, parties["V"].id, None),
                             (seats[2].id, parties["C"].id, None)]


def test_the_grid_is_filled_from_a_share_out_and_saved_in_one_form(client):
    new = period()
    parties = composed(new)
    movia, seats = bodies()
    share = services.record_share_out(new, 3, organisation=movia)
    db.session.commit()
    group = db.session.scalar(sa.select(ElectoralGroup))
    login_as(client)
    url = f"/valgperioder/pladsfordeling?periode={new.id}&organisation={movia.id}"
    page = client.get(f"{url}&fordeling={share.id}").text
    # Seat 1 and 3 to A+F+Ø (A, its largest party, nominates), seat 2 to V: the order the seats were won.
    form = {f"seat_{seat.id}": page.split(f'id="seat_{seat.id}"')[1].split('selected value="')[1].split('"')[0]
            for seat in seats}
    assert form == {f"seat_{seats[0].id}": f"g{group.id}:{parties['A'].id}",
                    f"seat_{seats[1].id}": f"p{parties['V'].id}",
                    f"seat_{seats[2].id}": f"g{group.id}:{parties['A'].id}"}
    seen = page.split('name="seen" type="hidden" value="')[1].split('"')[0]
    form[f"seat_{seats[2].id}"] = f"g{group.id}:{parties['F'].id}"
    assert client.post(url, data=form | {"seen": seen}).status_code == 302
    assert allocations() == [(seats[0].id, parties["A"].id, group.id), (seats[1].id, parties["V"].id, None),
                             (seats[2].id, parties["F"].id, group.id)]
    public = client.get(f"/valgperioder/sammensaetning?periode={new.id}").text
    assert public.count("A+F+Ø") >= 3


def test_the_grid_page_takes_as_many_queries_for_many_bodies_as_for_one(client):
    new = period()
    parties = composed(new)
    group = db.session.scalar(sa.select(ElectoralGroup))
    movia, seats = bodies()
    organisations.allocate(seats[0], new, parties["A"], group=group)
    services.record_share_out(new, 3)
    db.session.commit()
    login_as(client)
    period_id = new.id
    url = f"/valgperioder/pladsfordeling?periode={period_id}"
    public = f"/valgperioder/sammensaetning?periode={period_id}"
    small, small_public = make.count_queries(client, url), make.count_queries(client, public)
    new = db.session.get(ElectionPeriod, period_id)
    parties = {letter: make.party(letter) for letter in parties}
    group = db.session.scalar(sa.select(ElectoralGroup))
    for n in range(4):
        body = make.organisation(f"Organisation {n}")
        for label in ("Plads 1", "Plads 2", "Plads 3"):
            seat = make.seat(body, label)
            organisations.allocate(seat, new, parties["V" if n % 2 else "F"], group=None if n % 2 else group)
        services.record_share_out(new, 2 + n, organisation=body)
    db.session.commit()
    assert make.count_queries(client, url) == small < 15
    assert make.count_queries(client, public) == small_public


def test_the_public_page_shows_the_current_period_without_asking(client):
    from tests.nomination_factories import allocated_seat, current_period

    seat = allocated_seat("F", "RAR Hovedstaden")
    db.session.commit()
    page = client.get("/valgperioder/sammensaetning")
    assert page.status_code == 200
    assert current_period().name in page.text
    assert seat.label in page.text
    assert "Ret sammensætning" not in page.text


# The command line.

def test_the_share_out_command_prints_the_quotient_table(app, runner):
    new = period()
    composed(new)
    db.session.commit()
    result = runner.invoke(args=["registry", "share-out", "--period", "2026-2029", "--seats", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Fordeling af 3 pladser, valgperioden 2026-2029, efter d'Hondt:"
    assert "9 (1)" in lines[2]
    assert "4,5 (3)" in lines[2]
    assert lines[2].endswith("2")
    assert "6 (2)" in lines[3]
    assert lines[3].endswith("1")
    assert "ikke gemt" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ShareOut)) == 0
    result = runner.invoke(args=["registry", "share-out", "--seats", "3", "--period", "1999", "--save"])
    assert result.exit_code != 0
    assert "Valgperioden 1999 findes ikke" in result.output


def test_the_add_period_command_refuses_an_overlap(app, runner):
    period()
    db.session.commit()
    result = runner.invoke(args=["registry", "add-period", "2030-2033", "2030-01-01", "2033-12-31"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["registry", "add-period", "x", "2033-01-01", "2034-12-31"])
    assert result.exit_code != 0
    assert "overlapper valgperioden 2030-2033" in result.output

"""The party group's period page (issue 13, step 5): every seat the group holds in the period in one form,
drafts the secretariat does not see, one click to re-nominate the current holders, and the gender rule checked
per body over the group's whole proposal when it submits."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import User, UserRole
from registry.errors import RuleViolation
from registry.extensions import db
from registry.mandates import services as mandates
from registry.nominations import period as period_calls
from registry.nominations import progress as round_progress
from registry.nominations import proposals
from registry.nominations.models import Nomination, NominationStatus
from registry.nominations.progress import Stage
from registry.notifications.models import Message
from registry.organisations.models import ElectionPeriod, GenderRule, SeatAllocation
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate

URL = "/partigruppe/valgperiode"


def seats(count: int, body: str = "Movia", letter: str = "F", rule: GenderRule = GenderRule.section_10a):
    return [nominate.allocated_seat(letter, body, gender_rule=rule) for _ in range(count)]


@pytest.fixture
def sf(app):
    user = nominate.party_user("sf", "F")
    user.email = "sf@example.org"
    db.session.flush()
    return user


@pytest.mark.both_databases
def test_drafts_then_one_submission_with_the_gender_rule_over_the_body(sf):
    first, second = seats(2)
    women = [nominate.candidate(f"Kvinde {n}", "F", Gender.woman) for n in range(3)]
    man, other_man = (nominate.candidate(name, "F", Gender.man) for name in ("Mand", "Anden mand"))
    period = nominate.current_period()
    party = make.party("F")
    proposals.save(party, period, {first.id: proposals.Choice(women[0], women[1]),
                                   second.id: proposals.Choice(women[2], man)}, {}, submit=False, by=sf)
    drafts = db.session.scalars(sa.select(Nomination).order_by(Nomination.id)).all()
    assert [n.status for n in drafts] == [NominationStatus.draft] * 2
    # Three women and one man for Movia's two seats: refused as a whole, and nothing is submitted.
    with pytest.raises(RuleViolation, match="indstillet 3 kvinder og 1 mand blandt 4 personer") as refused:
        proposals.save(party, period, {}, {}, submit=True, by=sf)
    assert refused.value.field == f"reason_{first.organisation_id}"
    assert {n.status for n in drafts} == {NominationStatus.draft}
    # Changing one seat's pair balances the proposal; the same nominations are kept, not new ones.
    sent = proposals.save(party, period, {first.id: proposals.Choice(women[0], man),
                                          second.id: proposals.Choice(women[2], other_man)}, {}, submit=True, by=sf)
    assert sorted(n.id for n in sent) == [n.id for n in drafts]
    assert {n.status for n in drafts} == {NominationStatus.submitted}
    # One message to the group for the whole submission.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 1


@pytest.mark.both_databases
def test_særlige_grunde_for_the_body_let_an_unbalanced_proposal_through(sf):
    (seat,) = seats(1)
    proposals.save(make.party("F"), nominate.current_period(),
                   {seat.id: proposals.Choice(nominate.candidate("A", "F", Gender.woman),
                                              nominate.candidate("B", "F", Gender.woman))},
                   {seat.organisation_id: "Kun kvinder i gruppen med den faglige baggrund."}, submit=True, by=sf)
    sent = db.session.scalars(sa.select(Nomination)).one()
    assert (sent.status, sent.gender_reason) == (NominationStatus.submitted,
                                                 "Kun kvinder i gruppen med den faglige baggrund.")


def test_the_page_shows_the_groups_seats_and_holders_and_not_another_partys(client, sf):
    (own,) = seats(1, "Movia")
    other = nominate.allocated_seat("A", "Movia")
    make.appoint(own, nominate.candidate("Siddende Sofie", "F"), date(2022, 1, 1))
    make.appoint(own, nominate.candidate("Skiftet Søren", "A", Gender.man), date(2022, 1, 1),
                 role=Role.substitute)
    make.appoint(other, nominate.candidate("Anden Anders", "A", Gender.man), date(2022, 1, 1))
    db.session.commit()
    make.login(client, "sf")
    page = client.get(URL)
    assert page.status_code == 200
    assert "Indstillinger til valgperioden 2026-2029" in page.text
    assert "Siddende Sofie" in page.text
    assert "Skiftet Søren er ikke længere registreret i partiet." in page.text
    assert "Anden Anders" not in page.text


def test_genindstil_nuvaerende_puts_the_holders_in_a_draft_that_the_secretariat_does_not_see(client, sf):
    (seat,) = seats(1, rule=GenderRule.none)
    sofie = nominate.candidate("Siddende Sofie", "F")
    make.appoint(seat, sofie, date(2022, 1, 1))
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "sf")
    response = client.post(URL, data={"handling": f"genindstil-{seat.id}"}, follow_redirects=True)
    assert "Kladden er gemt" in response.text
    db.session.commit()
    draft = db.session.scalars(sa.select(Nomination)).one()
    assert (draft.person_id, draft.status) == (sofie.id, NominationStatus.draft)
    assert client.get(f"/indstillinger/{draft.id}").status_code == 200
    client.post("/logout")
    make.login(client, "haan")
    assert client.get(f"/indstillinger/{draft.id}").status_code == 404
    assert "Siddende Sofie" not in client.get("/indstillinger?status=alle").text


def test_submitting_from_the_page_and_a_refusal_at_the_bodys_field(client, sf):
    first, second = seats(2)
    people = [nominate.candidate(f"Kvinde {n}", "F", Gender.woman) for n in range(4)]
    db.session.commit()
    make.login(client, "sf")
    data = {f"member_{first.id}": people[0].id, f"substitute_{first.id}": people[1].id,
            f"member_{second.id}": people[2].id, f"substitute_{second.id}": people[3].id, "handling": "indsend"}
    refused = client.post(URL, data=data)
    assert refused.status_code == 200
    assert "indstillet 4 kvinder og 0 mænd" in refused.text
    assert f'id="reason_{first.organisation_id}-error"' in refused.text
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 0
    data[f"reason_{first.organisation_id}"] = "Særlige grunde: faglig baggrund."
    sent = client.post(URL, data=data, follow_redirects=True)
    assert "2 indstillinger er sendt til sekretariatet." in sent.text
    # Submitted: shown, no longer a choice on the page.
    assert f'name="member_{first.id}"' not in sent.text


def test_a_holder_without_a_mandate_on_the_periods_first_day_is_a_doubt(client, sf):
    (seat,) = seats(1, rule=GenderRule.none)
    first_day = nominate.current_period().start_date
    sofie = nominate.candidate("Siddende Sofie", "F")
    mandates.record(sofie, make.municipality("Hvidovre"), date(2018, 1, 1), end=first_day - timedelta(days=1))
    make.appoint(seat, sofie, date(2022, 1, 1))
    db.session.commit()
    make.login(client, "sf")
    page = client.get(URL).text
    assert f"Siddende Sofie har ikke mandat i kommunalbestyrelsen fra {first_day:%d.%m.%Y}." in page
    assert "Kan fortsætte" not in page


@pytest.mark.parametrize("action", ["gem", "indsend"])
def test_proposing_someone_without_a_mandate_on_the_periods_first_day_is_a_warning_not_a_refusal(client, sf,
                                                                                                  action):
    first, second = seats(2, rule=GenderRule.none)
    first_day = nominate.current_period().start_date
    hvidovre = make.municipality("Hvidovre")
    left = nominate.candidate("Ikke Genvalgt", "F")
    mandates.record(left, hvidovre, date(2022, 1, 1), end=first_day - timedelta(days=1))
    reelected = nominate.candidate("Genvalgt Gitte", "F")
    mandates.record(reelected, hvidovre, date(2022, 1, 1), end=first_day - timedelta(days=1))
    mandates.record(reelected, hvidovre, first_day)
    never = nominate.candidate("Aldrig Valgt", "F")
    unknown = nominate.candidate("Ukendt Byråd", "F", municipality_name="Dragør")
    db.session.commit()
    make.login(client, "sf")
    data = {f"member_{first.id}": left.id, f"substitute_{first.id}": reelected.id,
            f"member_{second.id}": never.id, f"substitute_{second.id}": unknown.id, "handling": action}
    page = client.post(URL, data=data, follow_redirects=True).text
    assert ("Kladden er gemt" if action == "gem" else "2 indstillinger er sendt til sekretariatet.") in page
    day = f"{first_day:%d.%m.%Y}"
    assert f"Ikke Genvalgt har ikke mandat i kommunalbestyrelsen fra {day}." in page
    assert f"Aldrig Valgt har ikke mandat i kommunalbestyrelsen fra {day}." in page
    assert "Genvalgt Gitte har ikke mandat" not in page
    # Dragør: the registry knows no council there, so no warning.
    assert "Ukendt Byråd har ikke mandat" not in page
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 2


def test_the_page_takes_the_same_queries_for_few_and_many_seats(client, sf):
    by_id = sf.id

    def rendered(count: int, body: str) -> int:
        party, period, by = make.party("F"), nominate.current_period(), db.session.get(User, by_id)
        chosen = {}
        for seat in seats(count, body):
            holder = nominate.candidate(f"Holder {seat.id}", "F")
            make.appoint(seat, holder, date(2022, 1, 1))
            mandates.record(holder, make.municipality("Hvidovre"), date(2022, 1, 1),
                            end=period.start_date - timedelta(days=1))
            chosen[seat.id] = proposals.Choice(nominate.candidate(f"Ny {seat.id}", "F"),
                                               nominate.candidate(f"Ny suppleant {seat.id}", "F"))
        proposals.save(party, period, chosen, {}, submit=False, by=by)
        db.session.commit()
        return make.count_queries(client, URL)
    db.session.commit()
    make.login(client, "sf")
    assert rendered(2, "Movia") == rendered(8, "SSU Hovedstaden")


def test_only_a_party_group_has_a_period_page(client, sf):
    make.user("haan", UserRole.secretariat)
    db.session.commit()
    make.login(client, "haan")
    assert client.get(URL).status_code == 403




@pytest.mark.both_databases
def test_a_round_prepared_before_the_election_counts_for_its_period(sf):
    """Calls for 2030-2033 sent now, with a deadline in that round, and the drafts and nominations that answer
    them belong to the 2030-2033 round, though made long before its usual start."""
    later = ElectionPeriod(name="2030-2033", start_date=date(2030, 1, 1), end_date=date(2033, 12, 31))
    db.session.add(later)
    (seat,) = seats(1, rule=GenderRule.none)
    db.session.add(SeatAllocation(seat_id=seat.id, period_id=later.id, party_id=make.party("F").id))
    db.session.flush()
    assert len(period_calls.open_period_calls(later, date(2029, 12, 15))) == 2
    proposals.save(make.party("F"), later, {seat.id: proposals.Choice(nominate.candidate("Tidlig Tine", "F"),
                                                                      nominate.candidate("Tidlig Tom", "F"))},
                   {}, submit=True, by=sf)
    (body,) = proposals.proposal(make.party("F"), later)
    assert body.seats[0].nomination.status is NominationStatus.submitted
    assert round_progress.progress(later).total.count(Stage.nominated) == 1
    # The current period's round knows nothing of it.
    assert round_progress.progress(nominate.current_period()).total.count(Stage.nominated) == 0

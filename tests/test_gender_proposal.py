"""The gender rule over a whole proposal (ligestillingsloven § 9 and § 10a): everything one nominator proposes
for a body in a round, not only each member and suppleant pair."""

import pytest

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.extensions import db
from registry.nominations import progress as round_progress
from registry.nominations import services
from registry.nominations.models import Nomination, NominationStatus
from registry.nominations.period import proposal_gender_problem
from registry.organisations.models import GenderRule, Organisation
from registry.people.models import Gender, Person
from tests import factories as make
from tests import nomination_factories as nominate

W, M, OTHER, U = Gender.woman, Gender.man, Gender.other, None


def body(rule: GenderRule = GenderRule.section_10a) -> Organisation:
    return Organisation(name="Movia", appointing_authority="KKR Hovedstaden", gender_rule=rule)


def people(*genders: Gender | None) -> list[Person]:
    return [Person(name=f"Person {number}", gender=gender) for number, gender in enumerate(genders, start=1)]


@pytest.mark.parametrize("genders", [
    (W, M),              # one seat: member and suppleant, a woman and a man
    (W, M, M, W),        # two seats: as many women as men
    (W, W, W, M, M, M),
])
def test_an_even_proposal_with_as_many_women_as_men_passes(app, genders):
    assert proposal_gender_problem(body(), people(*genders)) is None


@pytest.mark.parametrize("genders", [(W, W, M), (M, M, W), (W, M, W, M, W), (M, W, M, W, M)])
def test_an_odd_proposal_may_have_one_more_of_one_gender(app, genders):
    assert proposal_gender_problem(body(), people(*genders)) is None


@pytest.mark.parametrize("rule", [GenderRule.section_9, GenderRule.section_10a])
def test_one_seat_needs_a_woman_and_a_man(app, rule):
    problem = str(proposal_gender_problem(body(rule), people(W, W)))
    assert f"Movia er omfattet af {rule.label}: indstil både en kvinde og en mand" in problem
    assert proposal_gender_problem(body(rule), people(M)) is not None


@pytest.mark.parametrize("genders", [(W, W, W, M), (W, W, W), (M, M, M, M, W), (W, OTHER, M, M)])
def test_an_unbalanced_proposal_needs_saerlige_grunde(app, genders):
    problem = str(proposal_gender_problem(body(), people(*genders)))
    assert "indstil lige mange kvinder og mænd (ved et ulige antal én mere af det ene køn)" in problem
    assert "eller angiv de særlige grunde" in problem
    women = "1 kvinde" if genders.count(W) == 1 else f"{genders.count(W)} kvinder"
    men = "1 mand" if genders.count(M) == 1 else f"{genders.count(M)} mænd"
    assert f"Der er indstillet {women} og {men} blandt {len(genders)} personer." in problem


def test_stated_saerlige_grunde_answer_the_rule(app):
    assert proposal_gender_problem(body(), people(W, W, W, M), reason="Kun kvinder i udvalget.") is None
    assert proposal_gender_problem(body(), people(W, W, W, M), reason="   ") is not None


def test_an_unknown_gender_cannot_be_checked(app):
    problem = str(proposal_gender_problem(body(), [*people(W, M, W), Person(name="Kim Ukendt", gender=None)]))
    assert "kønnet er ikke oplyst for Kim Ukendt, så reglen kan ikke efterprøves" in problem


def test_unknown_genders_do_not_hide_an_imbalance_they_cannot_mend(app):
    problem = str(proposal_gender_problem(body(), people(W, W, W, U)))
    assert "indstil lige mange kvinder og mænd" in problem


@pytest.mark.parametrize("genders", [(W,), (W, W, W), (U, U)])
def test_a_body_outside_the_act_has_no_rule(app, genders):
    assert proposal_gender_problem(body(GenderRule.none), people(*genders)) is None


def test_nothing_proposed_is_no_problem(app):
    assert proposal_gender_problem(body(), []) is None


def test_a_single_vacancy_is_still_checked_per_nomination(app):
    seat = nominate.allocated_seat("F", gender_rule=GenderRule.section_10a)
    assert services.gender_problem(seat, people(W, M)) is None
    assert services.gender_problem(seat, people(W, W)) is not None


# On the round page, per body and party group.

def proposed(seat, gender: Gender, *, reason: str | None = None) -> Nomination:
    """A nomination as a period page would save it, checked over the proposal, not per pair."""
    person = nominate.candidate(f"Kandidat {seat.label}", gender=gender)
    nomination = Nomination(seat_id=seat.id, role=Role.member, party_id=make.party("F").id, person_id=person.id,
                            status=NominationStatus.submitted, gender_reason=reason)
    db.session.add(nomination)
    db.session.flush()
    return nomination


def three_seats(organisation_name: str) -> list:
    return [nominate.allocated_seat("F", organisation_name, label=f"Plads {number}", has_substitute=False,
                                    gender_rule=GenderRule.section_10a) for number in range(3)]


@pytest.mark.both_databases
def test_the_round_page_warns_per_body_and_party_group(client, app):
    balanced, unbalanced, explained = three_seats("Movia"), three_seats("SSU"), three_seats("RAR Hovedstaden")
    for seat, gender in zip(balanced, (W, M, W), strict=True):
        proposed(seat, gender)
    for seat in unbalanced:
        proposed(seat, W)
    for seat in explained:
        proposed(seat, M, reason="Partiet har kun mænd i kommunalbestyrelserne.")
    make.user("haan", UserRole.secretariat)
    db.session.commit()

    groups = {tally.organisation.name: tally for tally in round_progress.progress(nominate.current_period()).groups}
    assert groups["Movia"].gender_problem is None
    assert "Der er indstillet 3 kvinder og 0 mænd blandt 3 personer." in groups["SSU"].gender_problem
    assert groups["RAR Hovedstaden"].gender_reasons == ["Partiet har kun mænd i kommunalbestyrelserne."]

    make.login(client, "haan")
    page = client.get("/runde").text
    assert page.count("<strong>Advarsel:</strong>") == 1
    assert "SSU er omfattet af ligestillingsloven § 10a: indstil lige mange kvinder og mænd" in page
    assert "Særlige grunde angivet: Partiet har kun mænd i kommunalbestyrelserne." in page

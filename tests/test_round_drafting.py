"""The constituent meeting's items drafted in the style of the seed's item 4.1 (issue 13, steps 7 and 10): every
nominee for the body, who formally appoints to each seat, numbers in their plural, and the gender rule over
everything one nominator proposes for the body, said in the text KKR reads."""

from datetime import date

import pytest

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.extensions import db
from registry.meetings import constituent
from registry.meetings.drafting import decision_text, draft
from registry.meetings.models import AgendaItem, Outcome
from registry.nominations.models import CallReason, Nomination
from registry.organisations.models import GenderRule, Seat
from registry.people.models import Gender
from tests import factories as make
from tests import nomination_factories as nominate

MEETING = date(2026, 1, 26)
COUNCIL = "KKR Hovedstaden"
MINISTER = "Børne- og undervisningsministeren"


@pytest.fixture
def parties(app):
    """The two party groups, named as agenda prose names them."""
    make.party("A", "A – Socialdemokratiet")
    make.party("F", "SF – Socialistisk Folkeparti")


def placed(nominations: list[Nomination]) -> AgendaItem:
    """The round's nominations onto the constituent meeting: one body, one item."""
    [item] = constituent.place_round(nominations, MEETING, "5", council=COUNCIL)
    return item


def called(seat: Seat, letter: str) -> None:
    """The round's calls for the seat: member, and its personal suppleant where it has one."""
    for role in ([Role.member, Role.substitute] if seat.has_substitute else [Role.member]):
        nominate.call(seat, role=role, reason=CallReason.new_period, party_letter=letter)


def person(name: str, letter: str, gender: Gender | None, municipality: str = "Hvidovre"):
    return nominate.candidate(name, letter, gender, municipality)


def test_a_round_item_names_every_nominee_of_both_party_groups_and_kkr_appoints_them(parties):
    seats = [nominate.allocated_seat(letter, "Sundhedsrådet") for letter in ("F", "F", "A")]
    for seat, letter in zip(seats, ("F", "F", "A"), strict=True):
        called(seat, letter)
    made = [nominate.nomination(seats[0], person("Anna Andersen", "F", Gender.woman),
                                substitute=person("Bo Berg", "F", Gender.man)),
            nominate.nomination(seats[1], person("Carl Carlsen", "F", Gender.man, "Gentofte"),
                                substitute=person("Dorte Dam", "F", Gender.woman)),
            nominate.nomination(seats[2], person("Eva Ebbesen", "A", Gender.woman, "Ballerup"),
                                substitute=person("Finn Friis", "A", Gender.man, "Ballerup"))]
    item = placed(made)
    drafted = draft(item)
    assert drafted.title == item.title == "Indstilling af medlemmer og suppleanter til Sundhedsrådet"
    assert drafted.background == (
        "Med den nye valgperiode skal der indstilles tre nye medlemmer og tre nye suppleanter til Sundhedsrådet."
        "\n\n"
        "Socialistisk Folkeparti indstiller, at Anna Andersen (F), Hvidovre Kommune, udpeges som nyt medlem, og at "
        "Bo Berg (F), Hvidovre Kommune, udpeges som ny suppleant til Sundhedsrådet."
        "\n\n"
        "Socialistisk Folkeparti indstiller, at Carl Carlsen (F), Gentofte Kommune, udpeges som nyt medlem, og at "
        "Dorte Dam (F), Hvidovre Kommune, udpeges som ny suppleant til Sundhedsrådet."
        "\n\n"
        "Socialdemokratiet indstiller, at Eva Ebbesen (A), Ballerup Kommune, udpeges som nyt medlem, og at "
        "Finn Friis (A), Ballerup Kommune, udpeges som ny suppleant til Sundhedsrådet.")
    assert drafted.recommendation == (
        "Det indstilles,\n"
        "– at KKR Hovedstaden udpeger Anna Andersen (F), Hvidovre Kommune, som medlem, Bo Berg (F), Hvidovre "
        "Kommune, som suppleant, Carl Carlsen (F), Gentofte Kommune, som medlem og Dorte Dam (F), Hvidovre "
        "Kommune, som suppleant af Sundhedsrådet\n"
        "– at KKR Hovedstaden udpeger Eva Ebbesen (A), Ballerup Kommune, som medlem og Finn Friis (A), Ballerup "
        "Kommune, som suppleant af Sundhedsrådet.")
    assert drafted.warnings == []


def test_a_body_with_a_kkr_seat_and_the_ministers_seat_says_both(parties):
    kkr_seat = nominate.allocated_seat("F", "SOSU H", has_substitute=False)
    ministers = nominate.allocated_seat("A", "SOSU H", has_substitute=False)
    ministers.appointing_authority, ministers.authority_is_external = MINISTER, True
    db.session.flush()
    hans = nominate.nomination(kkr_seat, person("Hans Eksempel", "F", Gender.man, "Helsingør"))
    karen = nominate.nomination(ministers, person("Karen Eksempel", "A", Gender.woman, "Ballerup"))
    drafted = draft(placed([hans, karen]))
    assert drafted.background == (
        "Der skal indstilles to nye medlemmer til SOSU H."
        "\n\n"
        "Socialistisk Folkeparti indstiller, at Hans Eksempel (F), Helsingør Kommune, udpeges som nyt medlem til "
        "SOSU H."
        "\n\n"
        "Socialdemokratiet indstiller, at Karen Eksempel (A), Ballerup Kommune, udpeges som nyt medlem til SOSU H."
        "\n\n"
        "Det er børne- og undervisningsministeren, der efter indstilling fra KKR Hovedstaden varetager den "
        "endelige udpegning af Karen Eksempel (A).")
    assert drafted.recommendation == (
        "Det indstilles,\n"
        "– at KKR Hovedstaden udpeger Hans Eksempel (F), Helsingør Kommune, som medlem af SOSU H\n"
        "– at KKR Hovedstaden tager Socialdemokratiets indstilling af nyt medlem til SOSU H til efterretning.")
    # The minutes name the seat's authority too, not the body's (KKR Hovedstaden).
    assert decision_text(karen, Outcome.recommended) == (
        "KKR Hovedstaden indstillede Karen Eksempel (A), Ballerup Kommune, som medlem af SOSU H over for "
        "børne- og undervisningsministeren.")


def test_several_seats_are_counted_in_their_plural(parties):
    seats = [nominate.allocated_seat("F", "RAR Hovedstaden", appointing_authority="Beskæftigelsesministeren",
                                     authority_is_external=True) for _ in range(2)]
    for seat in seats:
        called(seat, "F")
    made = [nominate.nomination(seats[0], person("Anna Andersen", "F", Gender.woman),
                                substitute=person("Bo Berg", "F", Gender.man)),
            nominate.nomination(seats[1], person("Carl Carlsen", "F", Gender.man),
                                substitute=person("Dorte Dam", "F", Gender.woman))]
    drafted = draft(placed(made))
    assert drafted.title == "Indstilling af medlemmer og suppleanter til RAR Hovedstaden"
    why, who, *_ = drafted.background.split("\n\n")
    assert why == ("Med den nye valgperiode skal der indstilles to nye medlemmer og to nye suppleanter til RAR "
                   "Hovedstaden.")
    assert who == ("Det er beskæftigelsesministeren, der efter indstilling fra KKR Hovedstaden varetager den "
                   "endelige udpegning.")
    assert drafted.recommendation == (
        "Det indstilles, at KKR Hovedstaden tager Socialistisk Folkepartis indstilling af to nye medlemmer og to "
        "nye suppleanter til RAR Hovedstaden til efterretning.")


@pytest.fixture
def all_women(parties):
    """SF proposes two women for its two seats on a body under § 10a; Socialdemokratiet a woman and a man. Each
    nomination was made before the body was set as covered, so the rule meets them first on the agenda."""
    seats = [nominate.allocated_seat(letter, "Sundhedsrådet", has_substitute=False) for letter in ("F", "F", "A")]
    made = [nominate.nomination(seats[0], person("Anna Andersen", "F", Gender.woman)),
            nominate.nomination(seats[1], person("Birgit Bach", "F", Gender.woman)),
            nominate.nomination(seats[2], person("Eva Ebbesen", "A", Gender.woman, "Ballerup"),
                                role=Role.member)]
    return seats, made


def covered(seats: list[Seat]) -> None:
    seats[0].organisation.gender_rule = GenderRule.section_10a
    db.session.flush()


def test_a_nominator_who_breaks_the_gender_rule_without_reasons_is_said_to_have_done_so(all_women):
    seats, made = all_women
    made.append(nominate.nomination(nominate.allocated_seat("A", "Sundhedsrådet", has_substitute=False),
                                    person("Finn Friis", "A", Gender.man, "Ballerup")))
    covered(seats)
    drafted = draft(placed(made))
    assert drafted.background.count("har ikke indstillet") == 1
    assert ("Socialistisk Folkeparti indstiller, at Birgit Bach (F), Hvidovre Kommune, udpeges som nyt medlem til "
            "Sundhedsrådet. Socialistisk Folkeparti har ikke indstillet både en kvinde og en mand og har ikke "
            "angivet særlige grunde.") in drafted.background
    assert [warning.split(":")[0] for warning in drafted.warnings] == ["Socialistisk Folkeparti"]
    assert "omfattet af ligestillingsloven § 10a" in drafted.warnings[0]


def test_the_item_page_warns_of_a_proposal_that_breaks_the_gender_rule(all_women, client):
    seats, made = all_women
    covered(seats)
    item = placed(made)
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "gitb")
    page = client.get(f"/moeder/punkter/{item.id}").text
    warning = page.split("Ligestillingsloven", 1)[1].split("</ul>", 1)[0]
    assert "Socialistisk Folkeparti:" in warning
    assert "omfattet af ligestillingsloven § 10a" in warning

def test_three_of_one_gender_break_the_rule_for_an_odd_number(parties):
    seats = [nominate.allocated_seat("F", "Sundhedsrådet", has_substitute=False) for _ in range(3)]
    made = [nominate.nomination(seat, person(name, "F", Gender.woman))
            for seat, name in zip(seats, ("Anna Andersen", "Birgit Bach", "Clara Clausen"), strict=True)]
    covered(seats)
    assert ("Socialistisk Folkeparti har ikke indstillet lige mange kvinder og mænd (ved et ulige antal én mere af "
            "det ene køn) og har ikke angivet særlige grunde.") in draft(placed(made)).background


def test_the_særlige_grunde_are_shown_once_for_everything_the_nominator_proposes(parties):
    reason = "Gruppen har kun kvinder, der kan påtage sig hvervene."
    seats = [nominate.allocated_seat("F", "Sundhedsrådet", has_substitute=False) for _ in range(2)]
    made = [nominate.nomination(seat, person(name, "F", Gender.woman), gender_reason=reason)
            for seat, name in zip(seats, ("Anna Andersen", "Birgit Bach"), strict=True)]
    covered(seats)
    drafted = draft(placed(made))
    assert drafted.background.count(reason) == 1
    assert drafted.background.endswith(
        "Socialistisk Folkeparti har ikke indstillet både en kvinde og en mand og oplyser som særlige grunde: "
        + reason)
    assert drafted.warnings == []


def test_a_gender_not_recorded_is_a_warning_not_a_claim_in_the_text(parties):
    seats = [nominate.allocated_seat("F", "Sundhedsrådet", has_substitute=False) for _ in range(2)]
    made = [nominate.nomination(seats[0], person("Anna Andersen", "F", Gender.woman)),
            nominate.nomination(seats[1], person("Kim Ukendt", "F", None))]
    covered(seats)
    drafted = draft(placed(made))
    assert "særlige grunde" not in drafted.background
    assert drafted.warnings == [
        "Socialistisk Folkeparti: Sundhedsrådet er omfattet af ligestillingsloven § 10a, men kønnet er ikke oplyst "
        "for Kim Ukendt, så reglen kan ikke efterprøves."]


def test_a_holder_proposed_for_a_new_term_is_to_be_re_appointed(parties):
    seat = nominate.allocated_seat("F", "Sundhedsrådet", has_substitute=False)
    anna = person("Anna Andersen", "F", Gender.woman)
    make.appoint(seat, anna, date(2022, 1, 1))
    drafted = draft(placed([nominate.nomination(seat, anna)]))
    assert ("Socialistisk Folkeparti indstiller, at Anna Andersen (F), Hvidovre Kommune, genudpeges som medlem til "
            "Sundhedsrådet.") in drafted.background

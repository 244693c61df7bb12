"""Term rules per body: the last day of a term (the election period, a term of years from a first day such as
1 June, or from each appointment), the expected last day of an open appointment, terms in a row, and where
they show: the roster, the dashboard's ending terms and the nomination warnings."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.organisations import services
from registry.organisations.models import ElectionPeriod, Organisation
from registry.organisations.terms import add_years, expected_end, term_end, terms_in_a_row
from tests import factories as make

PERIODS = [ElectionPeriod(name="2022-2025", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31)),
           ElectionPeriod(name="2026-2029", start_date=date(2026, 1, 1), end_date=date(2029, 12, 31))]


def body(**rules) -> Organisation:
    return Organisation(name="Testorganet", appointing_authority="KKR Hovedstaden",
                        **({"follows_election_period": False} | rules))


def test_a_body_that_follows_the_election_period_ends_a_term_with_the_period():
    follows = Organisation(name="Movia", appointing_authority="KKR", follows_election_period=True)
    assert term_end(follows, date(2022, 1, 12), PERIODS) == date(2025, 12, 31)  # constituted mid-January
    assert term_end(follows, date(2026, 3, 1), PERIODS) == date(2029, 12, 31)
    assert term_end(follows, date(2031, 1, 1), PERIODS) is None  # no period registered yet


@pytest.mark.parametrize(("start", "end"), [
    (date(2022, 6, 1), date(2026, 5, 31)),    # the first day of a term
    (date(2024, 2, 10), date(2026, 5, 31)),   # mid-term: the term's own end
    (date(2026, 5, 31), date(2026, 5, 31)),   # its last day
    (date(2026, 6, 1), date(2030, 5, 31)),    # the next term
    (date(2019, 1, 1), date(2022, 5, 31)),    # before the first registered term: counted backwards
])
def test_a_four_year_term_from_1_june(start, end):
    kommunekredit = body(term_years=4, term_start=date(2022, 6, 1))
    assert term_end(kommunekredit, start, PERIODS) == end


def test_a_term_counted_from_each_appointment_and_29_february():
    erhvervsfremme = body(term_years=4)
    assert term_end(erhvervsfremme, date(2023, 3, 15), PERIODS) == date(2027, 3, 14)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert term_end(body(), date(2023, 3, 15), PERIODS) is None  # no rule at all


def test_an_open_appointment_is_expected_to_last_to_its_term_or_the_body_whichever_ends_first(app):
    organisation = make.organisation("Erhvervsfremme", follows_election_period=False, term_years=4)
    seat = make.seat(organisation, "Plads 1")
    open_ended = make.appoint(seat, make.person("Åben Udpegning"), date(2023, 3, 15))
    assert expected_end(open_ended, PERIODS) == date(2027, 3, 14)
    organisation.end_date = date(2026, 12, 31)
    assert expected_end(open_ended, PERIODS) == date(2026, 12, 31)
    open_ended.end_date = date(2024, 1, 31)
    assert expected_end(open_ended, PERIODS) == date(2024, 1, 31)  # an entered end date wins


def test_terms_in_a_row_count_an_unbroken_run_only():
    erhvervsfremme = body(term_years=4, max_terms=2)
    first, second = (date(2016, 1, 1), date(2019, 12, 31)), (date(2020, 1, 1), None)
    assert terms_in_a_row(erhvervsfremme, [first, second], date(2023, 6, 1), PERIODS) == 2
    assert terms_in_a_row(erhvervsfremme, [second], date(2023, 6, 1), PERIODS) == 1
    gap = (date(2020, 2, 1), None)  # a month away breaks the run
    assert terms_in_a_row(erhvervsfremme, [first, gap], date(2023, 6, 1), PERIODS) == 1
    assert terms_in_a_row(erhvervsfremme, [(date(2010, 1, 1), date(2013, 12, 31))], date(2023, 6, 1), PERIODS) == 0


@pytest.mark.both_databases
def test_a_nomination_past_the_most_terms_in_a_row_is_warned_of(app):
    from registry.nominations.services import warnings

    organisation = make.organisation("Erhvervsfremme", follows_election_period=False, term_years=4, max_terms=2)
    seat = make.seat(organisation, "Plads 1")
    veteran, newcomer = make.person("Vera Veteran"), make.person("Niels Ny")
    make.appoint(seat, veteran, today() - timedelta(days=6 * 365), today() - timedelta(days=2 * 365 + 1))
    make.appoint(seat, veteran, today() - timedelta(days=2 * 365))
    secretariat = make.user("gitb")
    db.session.commit()
    found = [str(text) for text in warnings(seat, Role.member, veteran.party, [veteran, newcomer],
                                            viewer=secretariat)]
    assert "Vera Veteran har siddet 2 perioder i træk i Erhvervsfremme, som højst tillader 2." in found
    assert not any("Niels Ny har siddet" in text for text in found)


@pytest.mark.both_databases
def test_the_dashboard_lists_terms_ending_within_each_bodys_warning(client, app):
    day = today()
    db.session.add(ElectionPeriod(name="Nu", start_date=day - timedelta(days=400), end_date=day + timedelta(days=60)))
    follows = make.seat(make.organisation("Følger perioden"), "Plads 1")
    make.appoint(follows, make.person("Periode Slutter"), day - timedelta(days=10))
    short = make.seat(make.organisation("Kort varsel", warning_days=30), "Plads 1")
    make.appoint(short, make.person("Ikke Endnu"), day - timedelta(days=10), day + timedelta(days=45))
    long = make.seat(make.organisation("Langt varsel", warning_days=365), "Plads 1")
    make.appoint(long, make.person("Om Et Halvt År"), day - timedelta(days=10), day + timedelta(days=180))
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "gitb")
    page = client.get("/sekretariat").text
    ending = page[page.index('id="udloeb"'):page.index('id="nedlaeggelser"')]
    assert "Periode Slutter" in ending
    assert "(periodens udløb)" in ending
    assert (day + timedelta(days=60)).strftime("%d.%m.%Y") in ending
    assert "Om Et Halvt År" in ending
    assert "Ikke Endnu" not in ending


def test_the_roster_and_the_body_page_show_the_rules_and_each_holders_last_day(client, app):
    organisation = make.organisation("KommuneKredit", follows_election_period=False, term_years=4,
                                     term_start=date(2022, 6, 1), max_terms=3)
    make.appoint(make.seat(organisation, "Plads 1"), make.person("Kirsten Kredit"), date(2022, 6, 1))
    db.session.commit()
    page = " ".join(client.get(f"/organisationer/{organisation.id}?as_of=2024-01-01").text.split())
    assert "4 år ad gangen fra 01.06.2022; højst 3 perioder i træk" in page
    assert "Kirsten Kredit (F)</a> <span class=\"meta\">til 31.05.2026</span>" in page


@pytest.mark.parametrize(("rules", "field", "message"), [
    ({"follows_election_period": True, "term_years": 4}, "term_years", "følger valgperioden"),
    ({"follows_election_period": False, "term_start": date(2022, 6, 1)}, "term_years", "længde i år"),
])
def test_contradicting_rules_are_refused(app, rules, field, message):
    with pytest.raises(RuleViolation, match=message) as refused:
        services.create_organisation(name="Modsigelse", appointing_authority="KKR", **rules)
    assert refused.value.field == field


def test_the_secretariat_sets_the_rules_in_the_form(client, app):
    organisation = make.organisation("KommuneKredit")
    make.user("gitb", UserRole.secretariat)
    db.session.commit()
    make.login(client, "gitb")
    form = client.get(f"/organisationer/{organisation.id}/rediger").text
    assert "Egen funktionsperiode i år" in form
    data = {"name": "KommuneKredit", "kind": "other", "appointing_authority": "KKR Hovedstaden",
            "authority_is_external": "nej", "gender_rule": "none", "follows_election_period": "nej",
            "term_years": "4", "term_start": "2022-06-01", "max_terms": "", "warning_days": "120", "version": 1}
    assert client.post(f"/organisationer/{organisation.id}/rediger", data=data).status_code == 302
    db.session.rollback()  # a fresh read: on SQLite the open one would not see the request's write
    stored = db.session.get(Organisation, organisation.id)
    assert (stored.term_years, stored.term_start, stored.max_terms, stored.warning_days) == (
        4, date(2022, 6, 1), None, 120)
    refused = client.post(f"/organisationer/{organisation.id}/rediger",
                          data=data | {"warning_days": "1000", "version": stored.version})
    assert "Skriv et tal fra 0 til 730." in refused.text
    db.session.rollback()
    assert db.session.scalar(sa.select(Organisation.warning_days)) == 120

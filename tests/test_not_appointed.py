"""Ikke beskikket: KKR recommended, but the outside authority did not appoint (e.g. ligestillingsloven § 9,
stk. 3). The seat stays as it is, and the nomination's history says so."""

from datetime import date

import pytest
import sqlalchemy as sa

from registry.auth.models import UserRole
from registry.errors import RuleViolation
from registry.extensions import db
from registry.meetings import services as agenda
from registry.meetings.models import Outcome
from registry.nominations.models import Nomination, NominationStatus
from registry.notifications.models import Message
from tests import factories as make
from tests.test_meetings_pages import Rar, log_in_as

REASON = "Ministeren har besluttet, at rådet fungerer uden medlemmet (ligestillingslovens § 9, stk. 3)."


@pytest.fixture
def recommended(app):
    """The seed's item 4.1, taken to note by KKR on 19 April 2024: waiting for the minister."""
    rar = Rar()
    agenda.place_on_agenda(rar.nomination, date(2024, 4, 19), "4.1", council="KKR Hovedstaden")
    agenda.decide(rar.nomination, Outcome.noted)
    db.session.commit()
    return rar


def test_the_minister_does_not_appoint_and_the_seat_stays_as_it_is(client, recommended):
    holders = recommended.holders()
    log_in_as(client)
    url = f"/indstillinger/{recommended.nomination.id}/ikke-beskikket"
    form = client.get(url).text
    assert "Registrér, at kandidaten ikke blev beskikket" in form
    assert "Beskæftigelsesministeren har valgt ikke at udpege" in form

    response = client.post(url, data={"decided_on": "2024-05-20", "note": REASON,
                                      "version": recommended.version()}, follow_redirects=True)
    assert "Registreret: Beskæftigelsesministeren har ikke beskikket" in response.text
    assert "Pladsen er uændret." in response.text
    assert recommended.status() is NominationStatus.not_appointed
    assert recommended.holders() == holders  # Kofoed sits on; nobody is seated, nobody ends
    nomination = db.session.get(Nomination, recommended.nomination.id)
    assert nomination.not_appointed_on == date(2024, 5, 20)
    assert nomination.comment == REASON

    page = client.get(f"/indstillinger/{nomination.id}").text
    assert "Ikke beskikket" in page
    assert "Beskæftigelsesministeren, 20.05.2024" in page
    assert REASON in page


def test_only_a_pending_nomination_can_be_not_appointed(client, recommended):
    log_in_as(client)
    url = f"/indstillinger/{recommended.nomination.id}/ikke-beskikket"
    data = {"decided_on": "2024-05-20", "version": recommended.version()}
    assert client.post(url, data=data).status_code == 302
    again = client.post(url, data={**data, "version": recommended.version()})
    assert "Indstillingen er ikke beskikket, ikke afventende." in again.text
    assert "Kun en indstilling, der afventer udpegning" in client.get(url).text


def test_the_decision_cannot_be_dated_before_the_meeting(app, recommended):
    with pytest.raises(RuleViolation, match="før mødet den 19.04.2024") as refused:
        agenda.record_not_appointed(recommended.nomination, date(2024, 4, 1))
    assert refused.value.field == "decided_on"
    db.session.rollback()
    assert recommended.status() is NominationStatus.pending


def test_the_party_group_is_told(app, recommended):
    user = make.user("sf", UserRole.party, "F")
    user.email = "sf@example.org"
    db.session.commit()
    agenda.record_not_appointed(recommended.nomination, date(2024, 5, 20), note=REASON)
    db.session.commit()
    (message,) = db.session.scalars(sa.select(Message).where(Message.recipient == "sf@example.org")).all()
    assert message.subject == "Indstillingen er ikke beskikket: RAR Hovedstaden"
    assert "Status: ikke beskikket" in message.body
    assert "Ikke beskikket: 20.05.2024 (Beskæftigelsesministeren)" in message.body

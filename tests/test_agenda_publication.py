"""A saved agenda text names candidates KKR has yet to decide on: it is public only once the secretariat has
published the agenda, and it goes when the nomination it was drafted from is taken off the agenda.

The attack it answers: a party nominates a new person with særlige grunde, the secretariat places the
nomination and saves the drafted text, then takes it off the agenda and the party withdraws it. The
person was never seated and KKR never decided: the name must not stay on a public page.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.appointments.models import Role
from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from registry.meetings.models import AgendaItem, Meeting
from registry.nominations import services
from registry.nominations.models import Nomination, NominationStatus
from registry.people.models import Gender, Person
from tests import factories as make
from tests.test_meetings_pages import Rar, log_in_as

CANDIDATE = "Karoline Aldrigvalgt"
REASON = "Ingen andre kvinder i gruppen ønskede pladsen."


@pytest.fixture
def rar(app):
    rar = Rar()
    # A second nomination for the suppleant: a new person, nominated with særlige grunde.
    newcomer = make.person(CANDIDATE, "Hvidovre", "F", gender=Gender.man)
    rar.newcomer = services.submit(rar.seat, Role.substitute, rar.nomination.party, newcomer,
                                   gender_reason=REASON)
    db.session.commit()
    return rar


def place_both_and_save_the_text(client, rar) -> AgendaItem:
    assert rar.place(client).status_code == 302
    item = rar.item()
    # The same meeting, picked from the list.
    data = {"meeting": item.meeting_id, "item_number": "4.1", "version": version(rar.newcomer)}
    assert client.post(f"/indstillinger/{rar.newcomer.id}/dagsorden", data=data).status_code == 302
    assert client.post(f"/moeder/punkter/{item.id}/tekst").status_code == 302
    item = rar.item()
    assert CANDIDATE in item.background + item.recommendation
    return item


def version(nomination: Nomination) -> int:
    db.session.commit()
    return db.session.get(Nomination, nomination.id).version


def meeting(item: AgendaItem) -> Meeting:
    db.session.commit()
    return db.session.get(Meeting, item.meeting_id)


def test_an_unpublished_agenda_shows_its_texts_to_the_secretariat_only(client, app, rar):
    log_in_as(client)
    item = place_both_and_save_the_text(client, rar)
    assert meeting(item).published_on is None
    secretariat_page = client.get(f"/moeder/{item.meeting_id}").text
    assert CANDIDATE in secretariat_page
    assert "Offentliggør dagsordenen" in secretariat_page

    public = app.test_client()
    page = public.get(f"/moeder/{item.meeting_id}").text
    assert CANDIDATE not in page
    assert "Dagsordenen er ikke offentliggjort endnu." in page
    assert "Indstilling af medlem og suppleant til RAR Hovedstaden" in page  # the title names no one

    response = client.post(f"/moeder/{item.meeting_id}/offentliggoer", follow_redirects=True)
    assert "Dagsordenen er offentliggjort" in response.text
    assert meeting(item).published_on == today()
    page = public.get(f"/moeder/{item.meeting_id}").text
    assert CANDIDATE in page
    assert REASON not in page or "særlige grunde" in page.lower()

    client.post(f"/moeder/{item.meeting_id}/tilbagekald")
    assert meeting(item).published_on is None
    assert CANDIDATE not in public.get(f"/moeder/{item.meeting_id}").text


def test_a_publication_date_to_come_keeps_the_texts_back_until_that_day(client, app, rar):
    log_in_as(client)
    item = place_both_and_save_the_text(client, rar)
    db.session.execute(sa.update(Meeting).values(published_on=today() + timedelta(days=1)))
    db.session.commit()
    page = app.test_client().get(f"/moeder/{item.meeting_id}").text
    assert CANDIDATE not in page
    assert "Dagsordenen offentliggøres den" in page


def test_taking_a_nomination_off_the_agenda_removes_the_text_that_names_it(client, app, rar):
    log_in_as(client)
    item = place_both_and_save_the_text(client, rar)
    client.post(f"/moeder/{item.meeting_id}/offentliggoer")

    response = client.post(f"/indstillinger/{rar.newcomer.id}/tag-af-dagsorden",
                           data={"version": version(rar.newcomer)}, follow_redirects=True)
    assert "Punktets gemte tekst nævnte indstillingen og er fjernet." in response.text
    db.session.commit()
    item = db.session.get(AgendaItem, item.id)
    assert (item.background, item.recommendation) == (None, None)
    party = app.test_client()
    make.user("sf", UserRole.party, "F")
    db.session.commit()
    make.login(party, "sf")
    withdrawn = party.post(f"/indstillinger/{rar.newcomer.id}/traek-tilbage", data={"version": version(rar.newcomer)})
    assert withdrawn.status_code == 302
    db.session.expire_all()
    db.session.commit()
    assert db.session.get(Nomination, rar.newcomer.id).status is NominationStatus.withdrawn

    public = app.test_client()
    person_id = db.session.scalar(sa.select(Person.id).where(Person.name == CANDIDATE))
    for url in (f"/moeder/{item.meeting_id}", "/moeder", "/beslutninger", "/export/indstillinger.csv",
                "/api/v1/decisions", f"/soeg?q={CANDIDATE.split()[1]}"):
        response = public.get(url)
        assert response.status_code == 200, url
        assert CANDIDATE not in response.text, url
        assert REASON not in response.text, url
    assert public.get(f"/personer/{person_id}").status_code == 404
    assert public.get(f"/api/v1/persons/{person_id}").status_code == 404

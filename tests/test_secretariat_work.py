"""The secretariat's daily work (issue 14): calls from where the need is seen, a body created with its seats, the
allocation opening on today's period, the latest changes in words, export file names after what they hold,
plural forms, one quote style, choosing which record a merge keeps, and a refused duplicate linking to the
person who exists."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.appointments.models import Appointment, Role
from registry.audit.services import Actor, acting_as
from registry.auth.models import UserRole
from registry.dates import today
from registry.extensions import db
from registry.nominations.models import Nomination, NominationStatus
from registry.organisations import services as organisations
from registry.organisations.models import ElectionPeriod, Organisation, Seat, SeatAllocation
from registry.people import services as people
from registry.people.models import Municipality, Person
from registry.rounds import services as rounds
from registry.rounds.services import Member
from tests import factories as make
from tests import nomination_factories as nominations


def login_as(client, role: UserRole = UserRole.secretariat, username: str = "gitb", name: str | None = None):
    user = make.user(username, role, party_letter="F" if role is UserRole.party else None)
    user.name = name
    db.session.commit()
    assert make.login(client, username).status_code == 302
    return user


def section(html: str, heading: str) -> str:
    return html.split(heading, 1)[1].split("<h2", 1)[0]


# Point 6: a call for nominations from where the need is seen.

def test_a_vacancy_on_the_dashboard_offers_a_call_or_says_one_is_out(client, app):
    empty = nominations.allocated_seat("F", "SOSU H", label="Plads 1", has_substitute=True)
    called = nominations.allocated_seat("F", "SOSU H", label="Plads 2", has_substitute=False)
    nominations.call(called, deadline=today() + timedelta(days=14))
    nominations.organisation_seat("Dansk Industri", "Erhvervshus Hovedstaden", label="DI-plads")
    db.session.commit()
    login_as(client)
    vacancies = section(client.get("/sekretariat").text, "Ledige pladser i dag")
    assert f'href="/opfordringer/ny?plads={empty.id}&amp;rolle=member">Opfordr til indstilling af medlem' in vacancies
    assert f'href="/opfordringer/ny?plads={empty.id}&amp;rolle=substitute">Opfordr til indstilling af suppleant' \
        in vacancies
    assert f"Opfordring om medlem sendt, frist {today() + timedelta(days=14):%d.%m.%Y}" in vacancies
    assert f"plads={called.id}" not in vacancies
    assert "Indstilles af Dansk Industri" in vacancies
    # The form opens on the seat and the role.
    form = client.get(f"/opfordringer/ny?plads={empty.id}&rolle=substitute").text
    assert re.search(rf'<option selected value="{empty.id}">|<option value="{empty.id}" selected', form)
    assert re.search(r'<option selected value="substitute">|<option value="substitute" selected', form)


def test_a_reader_sees_the_vacancies_without_the_call_links(client, app):
    nominations.allocated_seat("F", "SOSU H", label="Plads 1")
    db.session.commit()
    login_as(client, UserRole.viewer, "laeser")
    vacancies = section(client.get("/sekretariat").text, "Ledige pladser i dag")
    assert "SOSU H" in vacancies
    assert "Opfordr" not in vacancies


def test_the_organisation_page_offers_a_call_per_vacant_seat_to_the_secretariat(client, app):
    held = nominations.allocated_seat("F", "SOSU H", label="Plads 1", has_substitute=True)
    make.appoint(held, make.person("Hans Eksempel"), today() - timedelta(days=10))
    empty = nominations.allocated_seat("F", "SOSU H", label="Plads 2", has_substitute=False)
    db.session.commit()
    organisation_id = held.organisation_id
    public = client.get(f"/organisationer/{organisation_id}").text
    assert "Opfordr til indstilling" not in public
    login_as(client)
    page = client.get(f"/organisationer/{organisation_id}").text
    assert f'href="/opfordringer/ny?plads={held.id}&amp;rolle=substitute">' in page
    assert "Opfordr til indstilling: Plads 1, suppleant" in page
    assert f'href="/opfordringer/ny?plads={empty.id}&amp;rolle=member">' in page
    assert f"plads={held.id}&amp;rolle=member" not in page
    assert f'href="/valgperioder/pladsfordeling?organisation={organisation_id}"' in page
    # Another day's roster is history: no calls from it.
    earlier = client.get(f"/organisationer/{organisation_id}?as_of={(today() - timedelta(days=400)).isoformat()}")
    assert "Opfordr til indstilling" not in earlier.text


def new_body(**values) -> dict:
    return {"name": "Sundhedsråd Hovedstaden", "short_name": "", "kind": "council",
            "appointing_authority": "KKR Hovedstaden", "authority_is_external": "nej", "gender_rule": "none",
            "follows_election_period": "ja", "legal_basis": "", "start_date": "", "note": "", "version": ""} | values


def test_a_body_is_created_with_its_seats(client, app):
    login_as(client)
    response = client.post("/organisationer/ny", data=new_body(seats="3", seats_have_substitute="ja"),
                           follow_redirects=True)
    assert "Sundhedsråd Hovedstaden er oprettet med 3 pladser." in response.text
    db.session.rollback()
    body = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Sundhedsråd Hovedstaden"))
    assert [(seat.label, seat.position, seat.has_substitute) for seat in body.seats] == [
        ("Plads 1", 1, True), ("Plads 2", 2, True), ("Plads 3", 3, True)]
    one = client.post("/organisationer/ny", data=new_body(name="Et lille råd", seats="1"), follow_redirects=True)
    assert "Et lille råd er oprettet med 1 plads." in one.text
    none = client.post("/organisationer/ny", data=new_body(name="Uden pladser", seats=""), follow_redirects=True)
    assert "Uden pladser er oprettet. Tilføj nu organisationens pladser." in none.text


@pytest.mark.parametrize("seats", ["-1", "101", "tre"])
def test_a_number_of_seats_out_of_range_is_refused_and_nothing_is_made(client, app, seats):
    login_as(client)
    page = client.post("/organisationer/ny", data=new_body(seats=seats)).text
    assert "Skriv et tal fra 0 til 100." in page or "Skriv et helt tal." in page
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_the_allocation_form_opens_on_the_period_containing_today_with_its_party(client, app):
    year = today().year
    past = organisations.create_period("Før", date(year - 4, 1, 1), date(year - 1, 12, 31))
    current = organisations.create_period("Nu", date(year, 1, 1), date(year + 3, 12, 31))
    seat = make.seat(make.organisation("Movia"), "Plads 1", has_substitute=False)
    organisations.allocate(seat, past, make.party("A"))
    organisations.allocate(seat, current, make.party("Ø", "Enhedslisten"))
    db.session.commit()
    login_as(client)
    page = client.get(f"/organisationer/{seat.organisation_id}/pladser/{seat.id}/partigrupper").text
    assert re.search(rf'<option selected value="{current.id}">Nu</option>', page)
    assert re.search(r'<option selected value="\d+">Ø – Enhedslisten</option>', page)
    assert f'href="/valgperioder/pladsfordeling?organisation={seat.organisation_id}&amp;periode={current.id}"' \
        in page


def test_the_allocation_form_still_saves_another_period(client, app):
    year = today().year
    past = organisations.create_period("Før", date(year - 4, 1, 1), date(year - 1, 12, 31))
    organisations.create_period("Nu", date(year, 1, 1), date(year + 3, 12, 31))
    seat = make.seat(make.organisation("Movia"), "Plads 1", has_substitute=False)
    party = make.party("B")
    db.session.commit()
    login_as(client)
    url = f"/organisationer/{seat.organisation_id}/pladser/{seat.id}/partigrupper"
    assert client.post(url, data={"period": past.id, "party": party.id}).status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(SeatAllocation.period_id).where(SeatAllocation.seat_id == seat.id)) == past.id


# Point 7: the latest changes in words.

def changes(client) -> str:
    return section(client.get("/sekretariat").text, "Seneste ændringer")


def test_the_latest_changes_read_as_a_person_would_write_them(client, app):
    user = login_as(client, name="Gitte Testsekretær")
    seat = make.seat(make.organisation("SOSU H"), "Plads 2", has_substitute=False)
    hans = make.person("Hans Eksempel")
    db.session.commit()
    with acting_as(Actor(user.username, user.id)):
        appointment = make.appoint(seat, hans, date(2026, 1, 1))
        db.session.commit()
        appointment.end_date = date(2026, 11, 30)
        db.session.commit()
    with acting_as(Actor("cli:load-demo")):
        make.organisation("Movia")
        db.session.commit()
    text = changes(client)
    holder = (f'<a href="/personer/{hans.id}">Hans Eksempel</a> som medlem af '
              f'<a href="/organisationer/{seat.organisation_id}">SOSU H</a> '
              f'(<a href="/pladser/{seat.id}">Plads 2</a>)')
    assert f"Gitte Testsekretær udpegede {holder} fra 01.01.2026" in text
    assert f"Gitte Testsekretær afsluttede udpegningen af {holder} pr. 30.11.2026" in text
    assert "Kommandoen load-demo oprettede organisationen" in text
    assert "ændrede Udpegning" not in text


def test_a_party_groups_draft_names_no_one_to_the_secretariat(client, app):
    seat = nominations.allocated_seat("F", "SOSU H", label="Plads 1")
    secret = nominations.candidate("Hemmelig Kandidat")
    party = make.party("F")
    db.session.commit()
    with acting_as(Actor("sf")):
        db.session.add(Nomination(seat_id=seat.id, role=Role.member, party_id=party.id, person_id=secret.id,
                                  status=NominationStatus.draft))
        db.session.commit()
    login_as(client)
    text = changes(client)
    assert "sf gemte en kladde til en indstilling" in text
    assert "indstillede" not in text


def test_a_reader_is_told_the_names_of_the_public_only(client, app):
    candidate = make.person("Ukendt Kandidat")
    seated = make.person("Siddende Medlem")
    make.appoint(make.seat(make.organisation("Movia"), "Plads 1"), seated, date(2024, 1, 1))
    db.session.commit()
    candidate_id = candidate.id
    login_as(client, UserRole.viewer, "laeser")
    read = changes(client)
    assert "Siddende Medlem" in read
    assert "Ukendt Kandidat" not in read
    assert f"Systemet oprettede Person {candidate_id}" in read
    client.post("/logout")
    db.session.rollback()
    login_as(client)
    assert f'Systemet oprettede <a href="/personer/{candidate_id}">Ukendt Kandidat</a>' in changes(client)


def test_the_latest_changes_take_as_many_queries_for_every_kind_of_change_as_for_one(client, app):
    login_as(client)
    make.organisation("Movia")
    db.session.commit()
    few = make.count_queries(client, "/sekretariat")
    period = nominations.current_period()
    for n in range(4):
        seat = nominations.allocated_seat("F", f"Råd {n}", label="Plads 1")
        appointment = make.appoint(seat, make.person(f"Person {n}"), date(2024, 1, 1))
        appointment.end_date = date(2024, 12, 31)
        nominations.call(seat, role=Role.substitute)
        nominations.nomination(seat, nominations.candidate(f"Kandidat {n}"))
        make.decision(number=f"4.{n + 1}")
    rounds.set_composition(period, [Member(make.party("F"), 3, None)])
    db.session.commit()
    assert make.count_queries(client, "/sekretariat") == few


def test_the_outbox_speaks_danish_about_the_mail_server(client, app):
    login_as(client)
    page = client.get("/udbakke").text
    assert "Registret er ikke sat op til at sende e-mail" in page
    assert "MAIL_SERVER" not in page


# Point 9: file names, plural forms, quotes, merge and duplicates.

def download_name(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)


def test_csv_files_are_named_after_what_they_hold(client, app):
    day = "2026-12-01"
    rar = make.organisation("RAR Hovedstaden", short_name="RAR")
    movia = make.organisation("Movia")
    sf = make.party("F", "SF – Socialistisk Folkeparti")
    venstre = make.party("V", "Venstre")
    taastrup = db.session.scalar(sa.select(Municipality).where(Municipality.name == "Høje-Taastrup"))
    db.session.commit()
    url = "/export/appointments.csv?as_of=" + day
    assert download_name(client, url) == f"udpegninger-{day}.csv"
    assert download_name(client, f"{url}&party_id={sf.id}") == f"udpegninger-sf-{day}.csv"
    assert download_name(client, f"{url}&party_id={venstre.id}") == f"udpegninger-venstre-{day}.csv"
    assert download_name(client, f"{url}&organisation_id={rar.id}") == f"udpegninger-rar-{day}.csv"
    assert download_name(client, f"{url}&organisation_id={movia.id}") == f"udpegninger-movia-{day}.csv"
    assert download_name(client, f"{url}&municipality_id={taastrup.id}") == f"udpegninger-hoeje-taastrup-{day}.csv"
    assert download_name(client, "/export/appointments.csv?all=1") == f"udpegninger-alle-{today().isoformat()}.csv"
    assert download_name(client, f"/export/indstillinger.csv?organisation={movia.id}") == "indstillinger-movia.csv"
    assert download_name(client, "/export/indstillinger.csv") == "indstillinger.csv"


HEADER = "organisation;plads;rolle;navn;parti;kommune;startdato;slutdato;ophørsårsag;udpegende_myndighed;indstilling"


def test_the_import_counts_in_the_singular_and_the_plural(client, app):
    login_as(client)
    data = (HEADER + "\r\nMovia;Plads 1;medlem;Bo Eksempel;F;Hvidovre;2022-01-01;;;KKR Hovedstaden;\r\n"
            ).encode("utf-8-sig")
    html = client.post("/import", data={"file": (io.BytesIO(data), "movia.csv")},
                       content_type="multipart/form-data").text
    fields = {name: re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)
              for name in ("token", "sha256", "since", "stale")}
    done = client.post("/import/confirm", data=fields, follow_redirects=True).text
    assert ("Importen er gennemført: 1 organisation, 1 plads, 1 person, 1 parti, 1 udpegning oprettet, "
            "intet ændret.") in done


def test_a_share_out_of_one_seat_says_one_seat(client, app):
    period = organisations.create_period("Nu", date(today().year, 1, 1), date(today().year + 3, 12, 31))
    rounds.set_composition(period, [Member(make.party("A"), 3, None), Member(make.party("V"), 2, None)])
    share = rounds.record_share_out(period, 1)
    db.session.commit()
    login_as(client)
    page = client.get(f"/valgperioder/fordelinger/vis?fordeling={share.id}&periode={period.id}").text
    assert "Fordeling af 1 plads, Nu" in page


# A marked text as the source writes it: "…" or '…' (Jinja), on one line.
MARKED = re.compile(r"""\b(?:_|_l|gettext|ngettext|lazy_ngettext)\((?:\s*,?\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'))+""")
LITERAL = re.compile(r""""((?:[^"\\]|\\.)*)"|'([^']*)'""")


def test_the_ui_quotes_one_way():
    """'…', the style used most: never »…«, „…", "…" (curly or straight) in a text the pages show."""
    root = Path(__file__).parent.parent
    found = []
    for path in [*root.joinpath("templates").rglob("*.html"), *root.joinpath("registry").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        for call in MARKED.finditer(source):
            for double, single in LITERAL.findall(call.group()):
                if re.search("[»«„“”]", double + single) or '\\"' in double or '"' in single:
                    line = source.count("\n", 0, call.start()) + 1
                    found.append(f"{path.relative_to(root)}:{line}: {call.group()}")
    assert found == []


def test_the_secretariat_chooses_which_record_a_merge_keeps(client, app):
    older = make.person("Lotte Kofoed", "Frederiksberg")
    newer = make.person("Lotte Kofoed", "Hvidovre", phone="99 88 77 66")
    moved = make.appoint(make.seat(make.organisation("RAR Hovedstaden")), older, date(2022, 1, 1))
    db.session.commit()
    older_id, newer_id = older.id, newer.id
    login_as(client)
    url = f"/personer/{older_id}/sammenlaeg"
    form = client.get(url).text
    assert "Den ældste registrering (registreret først)" in form
    page = client.post(url, data={"other": newer_id, "keep": "other"}).text
    assert f"Beholdes: Lotte Kofoed (registreret som nr. {newer_id})" in page
    assert f"Slettes: Lotte Kofoed (registreret som nr. {older_id})" in page
    assert f"Behold i stedet nr. {older_id}" in page
    swapped = client.post(url, data={"other": newer_id, "keep": "other", "swap": "1", "confirmed": "ja",
                                     "version": older.version, "other_version": newer.version}).text
    assert f"Beholdes: Lotte Kofoed (registreret som nr. {older_id})" in swapped
    done = client.post(url, data={"other": newer_id, "keep": "other", "confirmed": "ja", "version": older.version,
                                  "other_version": newer.version}, follow_redirects=True)
    assert "De to registreringer er lagt sammen til Lotte Kofoed." in done.text
    db.session.rollback()
    assert db.session.get(Person, older_id) is None
    kept = db.session.get(Person, newer_id)
    assert kept.municipality.name == "Hvidovre"
    assert db.session.get(Appointment, moved.id).person_id == newer_id


def test_a_merge_takes_the_nominations_along(app):
    seat = nominations.allocated_seat("F", "SOSU H", label="Plads 1")
    older = nominations.candidate("Anna Andersen")
    newer = nominations.candidate("Anna Andersen", municipality_name="Ishøj")
    sent = nominations.nomination(seat, newer)
    db.session.commit()
    people.merge(older, newer)
    db.session.commit()
    assert db.session.get(Nomination, sent.id).person_id == older.id


def test_a_refused_duplicate_links_to_the_person_who_exists(client, app):
    existing = make.person("Lotte Kofoed", "Frederiksberg")
    frederiksberg = existing.municipality_id
    db.session.commit()
    login_as(client)
    page = client.post("/personer/ny", data={"name": "Lotte  Kofoed", "municipality": frederiksberg, "party": "",
                                            "gender": "", "office": "", "email": "", "phone": ""}).text
    assert "Der findes allerede en person ved navn Lotte Kofoed i den kommune." in page
    assert f'<a href="/personer/{existing.id}">Lotte Kofoed, Frederiksberg</a>' in page
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_a_body_made_with_its_seats_takes_allocations_like_any_other(app):
    body = organisations.create_organisation(name="Ny bestyrelse", appointing_authority="KKR Hovedstaden", seats=2)
    period = organisations.create_period("Nu", date(today().year, 1, 1), date(today().year + 3, 12, 31))
    organisations.allocate(body.seats[0], period, make.party("F"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Seat)) == 2
    assert db.session.scalar(sa.select(ElectionPeriod.name)) == "Nu"

"""KKR Hovedstaden's demo data, from the agenda of 19 April 2024 (shared/seeds).

What the agenda says is loaded as it stands. What it does not say (seat
counts, start dates, further members) is fictitious and says so: the
organisations' and seats' notes say "Eksempeldata", and the fictitious people
are named "... Eksempel". Loading twice changes nothing: everything is looked
up by its natural key before it is created.
"""

import secrets
from datetime import date, datetime, time

import sqlalchemy as sa

from registry.appointments import services as appointments
from registry.appointments.models import Appointment, EndReason, Office, OfficeChooser, Role
from registry.auth import services as users
from registry.auth.models import User, UserRole
from registry.extensions import db
from registry.mandates import services as mandates
from registry.mandates.models import CouncilMandate
from registry.meetings import constituent
from registry.meetings import services as meetings
from registry.meetings.models import AgendaItem, Meeting, Outcome
from registry.nominations import period as round_rules
from registry.nominations import services as nominations
from registry.nominations.models import Call, CallReason, Nomination
from registry.organisations.models import (
    ElectionPeriod,
    Organisation,
    OrganisationKind,
    Seat,
    SeatAllocation,
    SeatFiller,
    SeatKind,
)
from registry.people.models import Gender, Municipality, Party, Person
from registry.people.reference import DENMARK, PARTIES
from registry.rounds import services as rounds
from registry.rounds.models import PeriodParty

COUNCIL = "KKR Hovedstaden"
EXAMPLE = "Eksempeldata: ikke fra kilden."

PERIODS = [("2022-2025", date(2022, 1, 1), date(2025, 12, 31)), ("2026-2029", date(2026, 1, 1), date(2029, 12, 31))]

# (name, short name, kind, appointing authority, external?, end date, note)
ORGANISATIONS = [
    ("Sundhedssamarbejdsudvalget", "SSU", OrganisationKind.committee, COUNCIL, False, date(2026, 12, 31),
     "Nedlægges ved lov fra 1. januar 2027 til fordel for sundhedsråd. Pladser: " + EXAMPLE),
    ("Danmarks Erhvervsfremmebestyrelse", None, OrganisationKind.board, COUNCIL, False, None, EXAMPLE),
    ("Erhvervshus Hovedstaden", None, OrganisationKind.board, COUNCIL, False, None, EXAMPLE),
    ("RAR Hovedstaden", "RAR", OrganisationKind.council, "Beskæftigelsesministeren", True, None,
     "Det regionale arbejdsmarkedsråd. Erstattet af regionalt beskæftigelsesråd (lov nr. 1656 af "
     "30/12/2024); ophørsdatoen er ikke registreret. Pladser og startdatoer: " + EXAMPLE),
    ("Movia", None, OrganisationKind.board, COUNCIL, False, None, EXAMPLE),
    ("Wonderful Copenhagen", None, OrganisationKind.board, COUNCIL, False, None, EXAMPLE),
    ("Copenhagen Capacity", None, OrganisationKind.board, COUNCIL, False, None, EXAMPLE),
    ("Politisk Uddannelses- og Praktikpladsforum", None, OrganisationKind.forum, COUNCIL, False, None, EXAMPLE),
    ("SOSU H", None, OrganisationKind.board, COUNCIL, False, None, EXAMPLE),
    ("Københavns Professionshøjskole", None, OrganisationKind.board, COUNCIL, False, None, EXAMPLE),
    ("Skoletjenesten", None, OrganisationKind.board, COUNCIL, False, date(2024, 10, 31),
     "KKR Hovedstaden udpeger ét medlem til bestyrelsen, der ophæves pr. 31. oktober 2024 "
     "(dagsorden 19. april 2024, pkt. 3.10). Startdato for udpegningen: " + EXAMPLE),
]

# Term rules where a body does not follow the election period (DOMAIN.md, "Bodies keep their own terms").
TERM_RULES = {
    # Its municipal members serve up to 4 years and may be re-appointed once.
    "Danmarks Erhvervsfremmebestyrelse": {"follows_election_period": False, "term_years": 4, "max_terms": 2},
    # Terms of 4 years from 1 June, like KommuneKredit's 1 June to 31 May (example data).
    "Københavns Professionshøjskole": {"follows_election_period": False, "term_years": 4,
                                       "term_start": date(2022, 6, 1)},
}

# The bodies as their public rules describe them (DOMAIN.md, "Bodies as they are"); the names of the seats'
# holders are fictitious. (organisation, seat label, position, what the seat is)
REGION_H = "Regionsrådet, Region Hovedstaden"
OTHER = {"filled_by": SeatFiller.other}
BODY_SEATS = [
    # SSU: 5 from the regional council, 5 from KKR Hovedstaden, 2 from Praksisudvalget.
    *[("Sundhedssamarbejdsudvalget", f"Plads {n}", n, {}) for n in (3, 4, 5)],
    *[("Sundhedssamarbejdsudvalget", f"Regionsrådet {n}", 10 + n, {**OTHER, "appointing_authority": REGION_H})
      for n in range(1, 6)],
    *[("Sundhedssamarbejdsudvalget", f"Praksisudvalget {n}", 20 + n,
       {**OTHER, "appointing_authority": "Praksisudvalget"}) for n in (1, 2)],
    # Erhvervshus Hovedstaden: KKR's chair and 3 politicians, 4 business seats on the business organisations'
    # recommendation, 1 from a knowledge institution, 1 from the employee side.
    ("Erhvervshus Hovedstaden", "Formand", 0, {}),
    *[("Erhvervshus Hovedstaden", f"Plads {n}", n, {}) for n in (2, 3)],
    *[("Erhvervshus Hovedstaden", f"Erhverv {n}", 10 + n, {"nominated_by": nominator})
      for n, nominator in enumerate(("Dansk Industri", "Dansk Erhverv", "Dansk Industri", "SMVdanmark"), start=1)],
    ("Erhvervshus Hovedstaden", "Videninstitution", 20, {"nominated_by": "Universiteterne i hovedstadsregionen"}),
    ("Erhvervshus Hovedstaden", "Lønmodtagerside", 21, {"nominated_by": "FH Hovedstaden"}),
    # Movia: fixed seats for Region Hovedstaden, Region Sjælland and Copenhagen, the others chosen by the
    # repræsentantskab, and an employee observer.
    ("Movia", "Region Hovedstaden", 10, {**OTHER, "appointing_authority": REGION_H}),
    ("Movia", "Region Sjælland", 11, {**OTHER, "appointing_authority": "Regionsrådet, Region Sjælland"}),
    ("Movia", "Københavns Kommune", 12, {**OTHER, "appointing_authority": "Københavns Borgerrepræsentation"}),
    *[("Movia", f"Repræsentantskabet {n}", 20 + n, {**OTHER, "appointing_authority": "Movias repræsentantskab"})
      for n in range(2, 7)],
    ("Movia", "Medarbejderobservatør", 30, {**OTHER, "kind": SeatKind.observer,
                                             "appointing_authority": "Movias medarbejdere"}),
    # RAR: the council adds a tilforordnet without a vote.
    ("RAR Hovedstaden", "Tilforordnet", 10, {**OTHER, "kind": SeatKind.observer,
                                              "appointing_authority": "RAR Hovedstaden"}),
    # Pooled suppleants who step in by turn: KKR's two, and FH's three and DA's two (as in AMU-loven).
    *[("Politisk Uddannelses- og Praktikpladsforum", f"KKR-suppleant {n}", 10 + n,
       {"kind": SeatKind.pooled_substitute, "pool_rank": n}) for n in (1, 2)],
    *[("Politisk Uddannelses- og Praktikpladsforum", f"FH-suppleant {n}", 20 + n,
       {**OTHER, "kind": SeatKind.pooled_substitute, "pool_rank": n, "nominated_by": "FH",
        "appointing_authority": "FH Hovedstaden"}) for n in (1, 2, 3)],
    *[("Politisk Uddannelses- og Praktikpladsforum", f"DA-suppleant {n}", 30 + n,
       {**OTHER, "kind": SeatKind.pooled_substitute, "pool_rank": n, "nominated_by": "DA",
        "appointing_authority": "DA"}) for n in (1, 2)],
    # An ex officio seat: whoever is Copenhagen's lord mayor.
    ("Copenhagen Capacity", "Overborgmesteren", 0, {**OTHER, "kind": SeatKind.ex_officio,
                                                    "ex_officio": "overborgmester i Københavns Kommune",
                                                    "appointing_authority": "Vedtægterne (født medlem)"}),
]

# Fictitious holders of the seats above from 1 January 2026: (organisation, seat, role, name, party,
# municipality, gender, office and who chose it)
BODY_HOLDERS = [
    ("Sundhedssamarbejdsudvalget", "Regionsrådet 1", Role.member, "Helle Eksempel", "A", None, Gender.woman,
     (Office.chair, OfficeChooser.body)),
    ("Sundhedssamarbejdsudvalget", "Regionsrådet 2", Role.member, "Ib Eksempel", "V", None, Gender.man, None),
    ("Sundhedssamarbejdsudvalget", "Regionsrådet 3", Role.member, "Jytte Eksempel", "F", None, Gender.woman, None),
    ("Sundhedssamarbejdsudvalget", "Praksisudvalget 1", Role.member, "Karl Eksempel", None, None, Gender.man, None),
    ("Erhvervshus Hovedstaden", "Formand", Role.member, "Lise Eksempel", "A", "Albertslund", Gender.woman,
     (Office.chair, OfficeChooser.kkr)),
    ("Erhvervshus Hovedstaden", "Erhverv 1", Role.member, "Mads Eksempel", None, None, Gender.man, None),
    ("Erhvervshus Hovedstaden", "Lønmodtagerside", Role.member, "Nina Eksempel", None, None, Gender.woman, None),
    ("Movia", "Region Hovedstaden", Role.member, "Ole Eksempel", "A", None, Gender.man,
     (Office.chair, OfficeChooser.body)),
    ("Movia", "Region Sjælland", Role.member, "Pia Eksempel", "V", None, Gender.woman, None),
    ("Movia", "Medarbejderobservatør", Role.member, "Rasmus Eksempel", None, None, Gender.man, None),
    ("RAR Hovedstaden", "Tilforordnet", Role.member, "Signe Eksempel", None, None, Gender.woman, None),
    ("Politisk Uddannelses- og Praktikpladsforum", "KKR-suppleant 1", Role.substitute, "Tage Eksempel", "C",
     "Dragør", Gender.man, None),
    ("Politisk Uddannelses- og Praktikpladsforum", "FH-suppleant 1", Role.substitute, "Ulla Eksempel", None,
     None, Gender.woman, None),
    ("Copenhagen Capacity", "Overborgmesteren", Role.member, "Viggo Eksempel", "A", "København", Gender.man,
     None),
]
# Offices of the example holders above: SSU's vice-chair comes from the municipal side.
EXAMPLE_OFFICES = {("Sundhedssamarbejdsudvalget", "Plads 1"): (Office.vice_chair, OfficeChooser.body),
                   ("Movia", "Plads 1"): (Office.vice_chair, OfficeChooser.body)}

# Fictitious holders, so the roster is not empty: appointed in 2022, carried over after the period, and
# re-appointed by KKR in the 2026-2029 round (_round_2026). (organisation, seat, role, name, party,
# municipality, gender)
EXAMPLE_HOLDERS = [
    ("Sundhedssamarbejdsudvalget", "Plads 1", Role.member, "Anne Eksempel", "A", "Gladsaxe", Gender.woman),
    ("Sundhedssamarbejdsudvalget", "Plads 2", Role.member, "Bo Eksempel", "V", "Rudersdal", Gender.man),
    ("Movia", "Plads 1", Role.member, "Carla Eksempel", "C", "Gentofte", Gender.woman),
    ("Wonderful Copenhagen", "Plads 1", Role.member, "Dan Eksempel", "Ø", "København", Gender.man),
]

# (organisation, seat, party letter) in 2026-2029: the example holders' parties, and a vacant seat for Radikale.
EXAMPLE_ALLOCATIONS = [
    ("Sundhedssamarbejdsudvalget", "Plads 1", "A"), ("Sundhedssamarbejdsudvalget", "Plads 2", "V"),
    ("Movia", "Plads 1", "C"), ("Wonderful Copenhagen", "Plads 1", "Ø"), ("Erhvervshus Hovedstaden", "Plads 1", "B"),
]

MEETING_4_1_BACKGROUND = (
    "Da Lotte Kofoed (F), Frederiksberg Kommune, ønsker at udtræde af RAR Hovedstaden, skal der indstilles "
    "et nyt medlem.\n\nDet er beskæftigelsesministeren, der efter indstilling fra KKR Hovedstaden varetager "
    "den endelige udpegning.\n\nSocialistisk Folkeparti indstiller, at nuværende suppleant Marie-Louise "
    "Peschardt Jørgensen (F), Hvidovre Kommune, udpeges som nyt medlem til RAR Hovedstaden. Socialistisk "
    "Folkeparti vil i forbindelse med mødet i KKR Hovedstaden indstille en ny suppleant til RAR Hovedstaden."
)
MEETING_4_1_RECOMMENDATION = (
    "Det indstilles, at KKR Hovedstaden tager Socialistisk Folkepartis indstilling af nyt medlem og ny "
    "suppleant til RAR Hovedstaden til efterretning."
)
MEETING_3_10_BACKGROUND = (
    "Skoletjenestens bestyrelse ønsker en ny organisering og har nedsat en initiativgruppe, der arbejder med "
    "at gøre Skoletjenesten selvstændig. En selvstændiggørelse kræver en ophævelse af Skoletjenestens "
    "nuværende vedtægter og bestyrelse.\n\nKKR Hovedstaden udpeger et medlem til Skoletjenestens bestyrelse, "
    "og KKR skal derfor godkende en ophævelse af Skoletjenestens nuværende vedtægter og bestyrelse. "
    "KKR Hovedstaden har udpeget Esat Sentürk (B), kommunalbestyrelsesmedlem i Høje-Taastrup Kommune, til "
    "Skoletjenestens bestyrelse."
)
MEETING_3_10_RECOMMENDATION = (
    "Det indstilles,\n– at KKR Hovedstaden godkender, at Skoletjenestens selvstændige vedtægter og "
    "selvstændige bestyrelse ophæves pr. den 31. oktober 2024, hvis der også kan findes opbakning til dette "
    "i Københavns Kommunes Børne- og Ungdomsudvalg og KKR Sjælland.\n– at KKR Hovedstaden tager til "
    "efterretning, at Skoletjenesten overgår til en selvstændig organisering, når initiativkredsen beslutter "
    "dette, og at Skoletjenesten indtil en selvstændig organisering fortsætter som en kommunal enhed."
)

# (username, role, party letter, e-mail): the party groups of the seed, SF and Radikale Venstre, get messages
# about their nominations at an example address (they stay in the outbox unless SMTP is configured).
DEMO_USERS = [
    ("admin", UserRole.admin, None, None), ("sekretariat", UserRole.secretariat, None, None),
    ("sf", UserRole.party, "F", "sf@example.org"), ("radikale", UserRole.party, "B", "radikale@example.org"),
    ("laeser", UserRole.viewer, None, None),
]


def _one(model, **key):
    return db.session.scalar(sa.select(model).filter_by(**key))


def _ensure(model, key: dict, **values):
    """The row with this natural key, created with the values if it is missing."""
    row = _one(model, **key)
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
    return row


def _seat(organisation: Organisation, label: str, position: int, has_substitute: bool, note: str,
          **kind) -> Seat:
    return _ensure(Seat, {"organisation_id": organisation.id, "label": label},
                   position=position, has_substitute=has_substitute, note=note, **kind)


def _person(name: str, municipality: str | None, party: str | None, gender: Gender | None,
            office: str | None) -> Person:
    municipality_id = _one(Municipality, name=municipality).id if municipality else None
    return _ensure(Person, {"name": name, "municipality_id": municipality_id},
                   party=_one(Party, letter=party) if party else None, gender=gender, office=office)


def _hold(seat: Seat, person: Person, role: Role, start: date, end: date | None = None,
          reason: EndReason | None = None, office: tuple[Office, OfficeChooser] | None = None) -> None:
    appointment = db.session.scalar(sa.select(Appointment).filter_by(
        seat_id=seat.id, person_id=person.id, role=role, start_date=start))
    if appointment is None:
        appointment = appointments.appoint(seat, person, role, start, end=end)
        if reason is not None:
            appointments.end(appointment, end, reason)
    if office is not None and appointment.office is None:
        appointments.set_office(appointment, office[0], chosen_by=office[1])


def load() -> list[tuple[str, str, str]]:
    """Load what is missing; return (username, role, password) for each demo user created now."""
    for code, name, region in DENMARK:  # there already, from migration 0010, unless someone deleted them
        _ensure(Municipality, {"code": code}, name=name, region_code=region)
    for letter, name in PARTIES:
        _ensure(Party, {"letter": letter}, name=name)
    periods = {name: _ensure(ElectionPeriod, {"name": name}, start_date=start, end_date=end)
               for name, start, end in PERIODS}

    organisations = {}
    for name, short, kind, authority, external, end, note in ORGANISATIONS:
        organisations[name] = _ensure(Organisation, {"name": name}, short_name=short, kind=kind,
                                      appointing_authority=authority, authority_is_external=external,
                                      end_date=end, note=note, **TERM_RULES.get(name, {}))

    rar = organisations["RAR Hovedstaden"]
    rar_seat = _seat(rar, "Plads 1", 1, True, "KKR-plads med personlig suppleant. " + EXAMPLE)
    for period in periods.values():
        _ensure(SeatAllocation, {"seat_id": rar_seat.id, "period_id": period.id},
                party=_one(Party, letter="F"), note=EXAMPLE)
    kofoed = _person("Lotte Kofoed", "Frederiksberg", "F", None, None)
    peschardt = _person("Marie-Louise Peschardt Jørgensen", "Hvidovre", "F", None, None)
    # Start dates are not in the agenda: the start of the election period stands in for them.
    _hold(rar_seat, kofoed, Role.member, date(2022, 1, 1))
    _hold(rar_seat, peschardt, Role.substitute, date(2022, 1, 1))

    school_seat = _seat(organisations["Skoletjenesten"], "Plads 1", 1, False, "KKR Hovedstadens plads.")
    senturk = _person("Esat Sentürk", "Høje-Taastrup", "B", None, "Kommunalbestyrelsesmedlem")
    _hold(school_seat, senturk, Role.member, date(2022, 1, 1), date(2024, 10, 31), EndReason.body_dissolved)

    for organisation in organisations.values():
        _seat(organisation, "Plads 1", 1, False, EXAMPLE)  # RAR's and Skoletjenesten's exist already
    _seat(organisations["Sundhedssamarbejdsudvalget"], "Plads 2", 2, False, EXAMPLE)
    # The party groups holding the other seats this period, so every demo party group has a page to see.
    for org_name, label, letter in EXAMPLE_ALLOCATIONS:
        seat = _one(Seat, organisation_id=organisations[org_name].id, label=label)
        _ensure(SeatAllocation, {"seat_id": seat.id, "period_id": periods["2026-2029"].id},
                party=_one(Party, letter=letter), note=EXAMPLE)
    for org_name, label, role, name, party, municipality, gender in EXAMPLE_HOLDERS:
        seat = _one(Seat, organisation_id=organisations[org_name].id, label=label)
        # No end date: they carry on after 2025 until the round's decision seats them again (_round_2026).
        _hold(seat, _person(name, municipality, party, gender, "Fiktiv person (eksempeldata)"), role,
              date(2022, 1, 1))
    for org_name, label, position, kind in BODY_SEATS:
        _seat(organisations[org_name], label, position, False, EXAMPLE, **kind)
    for org_name, label, role, name, party, municipality, gender, office in BODY_HOLDERS:
        organisation = organisations[org_name]
        seat = _one(Seat, organisation_id=organisation.id, label=label)
        person = _person(name, municipality, party, gender, "Fiktiv person (eksempeldata)")
        _hold(seat, person, role, date(2026, 1, 1), organisation.end_date, office=office)

    # Agendas are published a week before the meeting (the publication dates are example data).
    _ensure(Meeting, {"council_name": COUNCIL, "date": date(2024, 2, 6)}, published_on=date(2024, 1, 30))
    meeting = _ensure(Meeting, {"council_name": COUNCIL, "date": date(2024, 4, 19)}, starts_at=time(10, 0),
                      location="Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup", case_number="SAG-2024-01064",
                      published_on=date(2024, 4, 12))
    _ensure(Meeting, {"council_name": COUNCIL, "date": date(2024, 6, 18)}, starts_at=time(10, 0),
            ends_at=time(12, 0), published_on=date(2024, 6, 11))
    for number, title, background, recommendation in [
        ("3.10", "Omorganisering af Skoletjenesten", MEETING_3_10_BACKGROUND, MEETING_3_10_RECOMMENDATION),
        ("4.1", "Indstilling af medlem til RAR Hovedstaden", MEETING_4_1_BACKGROUND, MEETING_4_1_RECOMMENDATION),
    ]:
        _ensure(AgendaItem, {"meeting_id": meeting.id, "number": number}, position=AgendaItem.position_of(number),
                title=title, case_worker="gitb", background=background, recommendation=recommendation)

    created = []
    for username, role, letter, email in DEMO_USERS:
        if _one(User, username=username) is None:
            password = secrets.token_urlsafe(12)
            users.create_user(username, password, role, _one(Party, letter=letter) if letter else None,
                              name=f"Demobruger ({role.danish})", email=email)
            created.append((username, role.value, password))

    _item_4_1(rar_seat, peschardt, _one(AgendaItem, meeting_id=meeting.id, number="4.1"))
    _composition_2026(periods["2026-2029"], organisations["Sundhedssamarbejdsudvalget"])
    _round_2026(organisations, periods["2026-2029"])
    _not_re_elected(organisations["Københavns Professionshøjskole"])
    return created


def _item_4_1(seat: Seat, peschardt: Person, item: AgendaItem) -> None:
    """Item 4.1 as KKR left it on 19 April 2024: SF's nomination of Peschardt as member taken to note and
    waiting for the minister's appointment; SF's suppleant still to be nominated.

    The calls are written as rows, since they were opened in the past (the service
    refuses a deadline before today); the nomination goes the way of the pages: submitted,
    put on the agenda, decided.
    """
    if _one(Nomination, seat_id=seat.id, person_id=peschardt.id, role=Role.member) is not None:
        return
    sf = _one(Party, letter="F")
    member_call = Call(seat=seat, role=Role.member, party=sf, reason=CallReason.resignation,
                       deadline=date(2024, 4, 5), opened_on=date(2024, 3, 15),
                       note="Lotte Kofoed (F), Frederiksberg Kommune, ønsker at udtræde af RAR Hovedstaden.")
    db.session.add_all([member_call, Call(
        seat=seat, role=Role.substitute, party=sf, reason=CallReason.other, deadline=date(2024, 4, 19),
        opened_on=date(2024, 4, 5),
        note="Nuværende suppleant indstilles som medlem; SF indstiller en ny suppleant i forbindelse med mødet.")])
    db.session.flush()
    nomination = nominations.submit(seat, Role.member, sf, peschardt,
                                    by=_one(User, username="sf"))
    nomination.submitted_at = datetime(2024, 4, 5, 10, 0)
    meetings.place_on_agenda(nomination, date(2024, 4, 19), "4.1", council=COUNCIL)
    meetings.decide(nomination, Outcome.noted)


CONSTITUENT_MEETING = date(2026, 1, 26)
# The round's days (example data): the calls go out after the election of 18 November 2025, due two weeks before
# the constituent meeting; the party groups nominate before the deadline; KKR's appointments take effect on
# 1 March 2026, and the minister appoints on 16 March.
CALLS_OPENED, CALLS_DUE = date(2025, 12, 1), date(2026, 1, 12)
NOMINATED = datetime(2026, 1, 8, 10, 0)
SEATED, MINISTER_APPOINTS = date(2026, 3, 1), date(2026, 3, 16)
MINISTER = "Børne- og undervisningsministeren"


def _round_2026(organisations: dict[str, Organisation], period: ElectionPeriod) -> None:
    """KKR Hovedstaden's 2026-2029 round, step by step as the secretariat and the party groups take it
    (example data).

    The secretariat asks every party group for its seats of the period; the groups nominate: the example holders
    again, and on SOSU H a new member, Hans Eksempel (F), and Karen Eksempel (A) for the seat the minister fills.
    Every nomination goes onto the constituent meeting of 26 January 2026, one item per body (5.1, 5.2, …), and
    KKR decides them all: it appoints from 1 March 2026, and recommends Karen to the minister, who appoints her on
    16 March. Until 1 March the holders appointed in 2022 carry on (Gitte Eksempel on SOSU H, whom Hans
    succeeds); a re-appointed holder's old appointment ends the day before the new one, which rests on KKR's
    decision. Radikale Venstre has not nominated for Erhvervshus Hovedstaden: its call is past its deadline.
    Rosters as of 31 December 2025, 1 February and 1 April 2026 tell it.
    """
    if _one(Meeting, council_name=COUNCIL, date=CONSTITUENT_MEETING) is not None:
        return
    sosu = organisations["SOSU H"]
    plads_1 = _one(Seat, organisation_id=sosu.id, label="Plads 1")
    plads_2 = _seat(sosu, "Plads 2", 2, False, EXAMPLE, appointing_authority=MINISTER, authority_is_external=True)
    for seat, letter in ((plads_1, "F"), (plads_2, "A")):
        _ensure(SeatAllocation, {"seat_id": seat.id, "period_id": period.id}, party=_one(Party, letter=letter),
                note=EXAMPLE)
    example = "Fiktiv person (eksempeldata)"
    gitte = _person("Gitte Eksempel", "Hillerød", "F", Gender.woman, example)
    _hold(plads_1, gitte, Role.member, date(2022, 1, 1))
    candidates = [(plads_1, Role.member, _person("Hans Eksempel", "Helsingør", "F", Gender.man, example)),
                  (plads_2, Role.member, _person("Karen Eksempel", "Ballerup", "A", Gender.woman, example))]
    for org_name, label, role, name, party, municipality, gender in EXAMPLE_HOLDERS:
        seat = _one(Seat, organisation_id=organisations[org_name].id, label=label)
        candidates.append((seat, role, _person(name, municipality, party, gender, example)))

    _period_calls(period)
    group_users = {letter: _one(User, username=username) for username, _, letter, _ in DEMO_USERS if letter}
    for seat, role, person in candidates:
        # nominations.submit answers the party group's open call for the seat and role.
        nomination = nominations.submit(seat, role, person.party, person, by=group_users.get(person.party.letter))
        nomination.submitted_at = NOMINATED
    constituent.place_round(constituent.round_nominations(period), CONSTITUENT_MEETING, "5", council=COUNCIL,
                            location="Glostrup Park Hotel, Hovedvejen 41, 2600 Glostrup")
    meeting = _one(Meeting, council_name=COUNCIL, date=CONSTITUENT_MEETING)
    meeting.published_on = date(2026, 1, 19)
    constituent.decide_meeting(meeting, {}, SEATED)
    constituent.record_authoritys_appointments(MINISTER, MINISTER_APPOINTS)
    for seat, role, person in candidates:
        if office := EXAMPLE_OFFICES.get((seat.organisation.name, seat.label)):
            appointments.set_office(_one(Appointment, seat_id=seat.id, person_id=person.id, role=role,
                                         start_date=SEATED), office[0], chosen_by=office[1])


def _period_calls(period: ElectionPeriod) -> None:
    """The calls nominations.period.open_period_calls opens for the period: each allocated seat's missing roles,
    with the reason "ny valgperiode" and one deadline. Written as rows, as the service refuses a deadline before
    today, and without its e-mails to the party groups, which would arrive long after the round."""
    calls = [Call(seat=allocation.seat, role=role, party=allocation.party, reason=CallReason.new_period,
                  deadline=CALLS_DUE, opened_on=CALLS_OPENED, note=EXAMPLE)
             for allocation, role in round_rules.missing_calls(period)]
    db.session.add_all(calls)
    db.session.flush()
    for call in calls:
        if call.seat.organisation.name == "RAR Hovedstaden" and call.role is Role.member:
            # SF's member for RAR Hovedstaden, nominated at item 4.1, still waits for the minister: the
            # secretariat closes the call instead of asking SF for a second one.
            nominations.close_call(call, CALLS_OPENED)


# KKR Hovedstaden's members per party in 2026-2029, and the valggruppe A, F and Ø formed for the sharing-out:
# example data, not from the source.
COMPOSITION_2026 = [("A", 14, "A+F+Ø"), ("F", 7, "A+F+Ø"), ("Ø", 5, "A+F+Ø"), ("V", 9, None), ("C", 8, None),
                    ("B", 4, None), ("I", 3, None), ("O", 2, None)]


def _composition_2026(period: ElectionPeriod, ssu: Organisation) -> None:
    """The KKR's composition in 2026-2029 and the d'Hondt share-out of KKR's 5 seats on SSU (no tie to draw)."""
    if _one(PeriodParty, period_id=period.id) is not None:
        return
    rounds.set_composition(period, [rounds.Member(_one(Party, letter=letter), members, group)
                                    for letter, members, group in COMPOSITION_2026])
    rounds.record_share_out(period, 5, organisation=ssu, note=EXAMPLE)


def _not_re_elected(kp: Organisation) -> None:
    """Lars Eksempel (V) sat on Gladsaxe's council until 31 December 2025 and was not re-elected; his seat on
    Københavns Professionshøjskole's board (terms from 1 June) ended with his mandate (example data)."""
    lars = _person("Lars Eksempel", "Gladsaxe", "V", Gender.man, "Fiktiv person (eksempeldata)")
    if _one(CouncilMandate, person_id=lars.id) is not None:
        return
    mandates.record(lars, _one(Municipality, name="Gladsaxe"), date(2022, 1, 1), end=date(2025, 12, 31),
                    party=_one(Party, letter="V"))
    seat = _one(Seat, organisation_id=kp.id, label="Plads 1")
    _hold(seat, lars, Role.member, date(2022, 6, 1))
    held = _one(Appointment, seat_id=seat.id, person_id=lars.id)
    mandates.end_all_lapsed([held.id], date(2026, 1, 2))

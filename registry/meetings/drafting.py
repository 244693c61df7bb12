"""Agenda text drafted from the nominations on an item, in the style of KKR Hovedstaden's agendas.

The model is item 4.1 of 19 April 2024 (shared/seeds): a "Baggrund" of short
paragraphs and an "Indstilling" sentence, ready to copy into the agenda. The
words follow the seat's situation on the meeting day: who is leaving, who is
the current suppleant, who formally appoints.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role
from registry.appointments.services import active_on
from registry.dates import danish_date
from registry.extensions import db
from registry.meetings.models import AgendaItem, Outcome
from registry.nominations.models import Call, CallReason, Nomination, NominationStatus
from registry.organisations.models import Organisation
from registry.people.models import Municipality, Party, Person

# Municipalities whose official name is not "<name> Kommune".
OFFICIAL_NAMES = {"København": "Københavns Kommune", "Bornholm": "Bornholms Regionskommune"}

NEW = {Role.member: "nyt medlem", Role.substitute: "ny suppleant"}
# The same with its article: "skal der indstilles et nyt medlem".
A_NEW = {Role.member: "et nyt medlem", Role.substitute: "en ny suppleant"}


@dataclass
class Draft:
    title: str
    background: str
    recommendation: str


def party_name(party: Party) -> str:
    """The name agenda prose uses: parties are listed as 'SF – Socialistisk Folkeparti', and the text says the
    full name after the dash."""
    return party.name.split(" – ", 1)[-1]


def nominator_name(nomination: Nomination) -> str:
    """Who proposes, in agenda prose: the party group ('Socialistisk Folkeparti'), or the organisation that
    nominates for the seat ('Dansk Industri')."""
    return party_name(nomination.party) if nomination.party is not None else nomination.nominated_by or ""


def _nominator_key(nomination: Nomination) -> tuple[int | None, str | None]:
    return nomination.party_id, nomination.nominated_by


def genitive(name: str) -> str:
    """Danish genitive: Socialistisk Folkepartis, Venstres; a name ending in s, x or z takes an apostrophe, and
    so does an abbreviation: FH's, DI's."""
    if name[-1:].lower() in "sxz":
        return f"{name}'"
    return f"{name}'s" if name.isupper() else f"{name}s"


def municipality_name(municipality: Municipality | None) -> str:
    if municipality is None:
        return ""
    return OFFICIAL_NAMES.get(municipality.name, f"{municipality.name} Kommune")


def as_role(person: Person, party: Party | None, role: Role) -> str:
    """'Marie-Louise Peschardt Jørgensen (F), Hvidovre Kommune, som medlem'."""
    reference = person_ref(person, party)
    return f"{reference}{',' if person.municipality else ''} som {role.danish}"


def person_ref(person: Person, party: Party | None) -> str:
    """'Marie-Louise Peschardt Jørgensen (F), Hvidovre Kommune'."""
    text = person.name + (f" ({party.letter})" if party else "")
    if person.municipality is not None:
        text += f", {municipality_name(person.municipality)}"
    return text


def authority_in_prose(organisation: Organisation) -> str:
    """'Beskæftigelsesministeren' is a title and takes a small letter mid-sentence; 'Region Hovedstaden' keeps its."""
    authority = organisation.appointing_authority
    return authority[:1].lower() + authority[1:] if " " not in authority else authority


def join(parts: list[str]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _holders(seat_id: int, day: date) -> dict[Role, Appointment]:
    rows = db.session.scalars(sa.select(Appointment).where(Appointment.seat_id == seat_id, active_on(day))
                              .options(joinedload(Appointment.person).joinedload(Person.municipality),
                                       joinedload(Appointment.party)))
    return {row.role: row for row in rows}


def _why(nomination: Nomination, holders: dict[Role, Appointment], council: str) -> str:
    """The first paragraph: why a seat needs a nomination."""
    organisation = nomination.seat.organisation
    what = A_NEW[nomination.role]
    reason = nomination.call.reason if nomination.call else None
    leaving = holders.get(nomination.role)
    if reason is CallReason.resignation and leaving is not None:
        return (f"Da {person_ref(leaving.person, leaving.party)}, ønsker at udtræde af {organisation.name}, "
                f"skal der indstilles {what}.")
    if reason is CallReason.new_period:
        return f"Med den nye valgperiode skal der indstilles {what} til {organisation.name}."
    if reason is CallReason.new_body:
        return f"{organisation.name} er oprettet, og {council} skal indstille {what}."
    return f"Der skal indstilles {what} til {organisation.name}."


def _proposal(nomination: Nomination, holders: dict[Role, Appointment]) -> str:
    organisation = nomination.seat.organisation
    phrases = []
    for person, role in nomination.candidates:
        current = next((held for held in holders.values() if held.person_id == person.id), None)
        now = f"nuværende {current.role.danish} " if current is not None and current.role is not role else ""
        phrases.append(f"{now}{person_ref(person, nomination.party)}, udpeges som {NEW[role]}")
    text = f"{nominator_name(nomination)} indstiller, at " + ", og at ".join(phrases) + f" til {organisation.name}."
    if nomination.gender_reason:
        text += (f" {nominator_name(nomination)} har ikke indstillet både en kvinde og en mand og oplyser "
                 f"som særlige grunde: {nomination.gender_reason.strip()}")
    return text


def _open_calls(nominations: list[Nomination]) -> list[Call]:
    """Calls still open for the same seats and party groups that no nomination on the item answers."""
    named = {(n.seat_id, role) for n in nominations for _, role in n.candidates}
    seats = {n.seat_id for n in nominations}
    parties = {n.party_id for n in nominations if n.party_id is not None}
    calls = db.session.scalars(sa.select(Call).where(Call.seat_id.in_(seats), Call.party_id.in_(parties),
                                                     Call.closed_on.is_(None)).order_by(Call.role, Call.id))
    return [call for call in calls if (call.seat_id, call.role) not in named]


def nominations_on(item: AgendaItem) -> list[Nomination]:
    return list(db.session.scalars(
        sa.select(Nomination).where(Nomination.item_id == item.id,
                                    Nomination.status.not_in([NominationStatus.withdrawn, NominationStatus.returned]))
        .order_by(Nomination.role, Nomination.id)))


def draft(item: AgendaItem) -> Draft | None:
    """The item's text drafted from its nominations; None when it has none."""
    nominations = nominations_on(item)
    if not nominations:
        return None
    council = item.meeting.council_name
    calls = _open_calls(nominations)
    return Draft(_title(nominations), _background(nominations, calls, item.meeting.date, council),
                 _recommendation(nominations, calls, council))


def _title(nominations: list[Nomination]) -> str:
    roles = {role for n in nominations for _, role in n.candidates}
    organisations = list(dict.fromkeys(n.seat.organisation for n in nominations))
    return (f"Indstilling af {join([role.danish for role in Role if role in roles])} til "
            f"{join([organisation.name for organisation in organisations])}")


def _background(nominations: list[Nomination], calls: list[Call], day: date, council: str) -> str:
    """Why each body needs someone, who formally appoints, and each party's proposal, in the agenda's order."""
    paragraphs: list[str] = []
    organisations = []
    proposals: list[int] = []  # per nomination, the paragraph that proposes its candidates
    for nomination in nominations:
        organisation = nomination.seat.organisation
        holders = _holders(nomination.seat_id, day)
        if organisation not in organisations:
            organisations.append(organisation)
            paragraphs.append(_why(nomination, holders, council))
            if organisation.authority_is_external:
                paragraphs.append(f"Det er {authority_in_prose(organisation)}, der efter indstilling fra {council} "
                                  "varetager den endelige udpegning.")
        paragraphs.append(_proposal(nomination, holders))
        proposals.append(len(paragraphs) - 1)
    for call in calls:
        promise = (f"{party_name(call.party)} vil i forbindelse med mødet i {council} indstille "
                   f"{A_NEW[call.role]} til {call.seat.organisation.name}.")
        # Said in the same breath as the party's nomination for the seat, as item 4.1 does.
        own = [i for i, n in enumerate(nominations) if n.party_id == call.party_id and n.seat_id == call.seat_id]
        if own:
            paragraphs[proposals[own[-1]]] += " " + promise
        else:
            paragraphs.append(promise)
    return "\n\n".join(paragraphs)


def _recommendation(nominations: list[Nomination], calls: list[Call], council: str) -> str:
    """One recommendation per proposer (party group or organisation) and body: "Det indstilles, at ..."."""
    groups: dict[tuple[tuple[int | None, str | None], int], list] = {}
    for nomination in nominations:
        groups.setdefault((_nominator_key(nomination), nomination.seat.organisation_id), []).append(nomination)
    recommendations = []
    for ((party_id, _organisation_nominator), organisation_id), members in groups.items():
        organisation = members[0].seat.organisation
        roles = {role for n in members for _, role in n.candidates}
        roles |= {call.role for call in calls if party_id is not None and call.party_id == party_id
                  and call.seat.organisation_id == organisation_id}
        if organisation.authority_is_external:
            recommendations.append(
                f"{council} tager {genitive(nominator_name(members[0]))} indstilling af "
                f"{join([NEW[role] for role in Role if role in roles])} til {organisation.name} til efterretning")
        else:
            named = [as_role(person, n.party, role) for n in members for person, role in n.candidates]
            recommendations.append(f"{council} udpeger {join(named)} af {organisation.name}")
    if len(recommendations) == 1:
        return f"Det indstilles, at {recommendations[0]}."
    return "Det indstilles,\n" + "\n".join(f"– at {text}" for text in recommendations) + "."


def decision_text(nomination: Nomination, outcome: Outcome, effective: date | None = None) -> str:
    """What the minutes say KKR decided on one nomination."""
    council = nomination.item.meeting.council_name if nomination.item else "KKR"
    organisation = nomination.seat.organisation
    named = join([as_role(person, nomination.party, role) for person, role in nomination.candidates])
    proposer = genitive(nominator_name(nomination))
    if outcome is Outcome.appointed:
        since = f" fra {danish_date(effective, long=True)}" if effective else ""
        return f"{council} udpegede {named} af {organisation.name}{since}."
    if outcome is Outcome.recommended:
        return (f"{council} indstillede {named} af {organisation.name} over for "
                f"{authority_in_prose(organisation)}.")
    if outcome is Outcome.noted:
        return f"{council} tog {proposer} indstilling af {named} af {organisation.name} til efterretning."
    if outcome is Outcome.not_supported:
        return f"{council} tiltrådte ikke {proposer} indstilling af {named} af {organisation.name}."
    return f"{council} godkendte {proposer} indstilling af {named} af {organisation.name}."

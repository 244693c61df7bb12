"""Agenda text drafted from the nominations on an item, in the style of KKR Hovedstaden's agendas.

The model is item 4.1 of 19 April 2024 (shared/seeds): a "Baggrund" of short
paragraphs and an "Indstilling" sentence, ready to copy into the agenda. The
words follow the seat's situation on the meeting day: who is leaving, who is
the current suppleant, who formally appoints (the seat's own authority, or its
body's), and whether what each nominator proposes for a body meets the gender
rule. The text is Danish data for a Danish agenda, not the page's language, so
it is written here in Danish and not translated.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.appointments.models import Appointment, Role
from registry.appointments.services import active_on
from registry.dates import danish_date
from registry.extensions import db
from registry.meetings.models import AgendaItem, Outcome
from registry.nominations.models import Call, CallReason, Nomination, NominationStatus
from registry.nominations.period import proposal_gender_problem
from registry.organisations.models import Organisation
from registry.people.models import Municipality, Party, Person

# Municipalities whose official name is not "<name> Kommune".
OFFICIAL_NAMES = {"København": "Københavns Kommune", "Bornholm": "Bornholms Regionskommune"}

NEW = {Role.member: "nyt medlem", Role.substitute: "ny suppleant"}
NEW_PLURAL = {Role.member: "nye medlemmer", Role.substitute: "nye suppleanter"}
# The same with its article: "skal der indstilles et nyt medlem".
A_NEW = {Role.member: "et nyt medlem", Role.substitute: "en ny suppleant"}
PLURAL = {Role.member: "medlemmer", Role.substitute: "suppleanter"}
# Agenda prose writes small numbers in words: "to nye medlemmer".
NUMBERS = {2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "syv", 8: "otte", 9: "ni", 10: "ti",
           11: "elleve", 12: "tolv"}


@dataclass
class Draft:
    title: str
    background: str
    recommendation: str
    # What the secretariat must sort out before the text goes to KKR (the gender rule), for the item page.
    warnings: list[str] = field(default_factory=list)


@dataclass
class Proposal:
    """Everything one nominator (a party group, or an organisation that nominates) proposes for one body on
    the item: what the gender rule is checked over, and what the Indstilling speaks of in one breath."""

    organisation: Organisation
    nominations: list[Nomination]

    @property
    def nominator(self) -> str:
        return nominator_name(self.nominations[0])

    @property
    def people(self) -> list[Person]:
        return [person for nomination in self.nominations for person, _ in nomination.candidates]

    @property
    def reason(self) -> str:
        """The særlige grunde given; a round gives them per body, so each nomination carries the same."""
        return " ".join(dict.fromkeys(n.gender_reason.strip() for n in self.nominations
                                      if n.gender_reason and n.gender_reason.strip()))


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
    text = short_ref(person, party)
    if person.municipality is not None:
        text += f", {municipality_name(person.municipality)}"
    return text


def short_ref(person: Person, party: Party | None) -> str:
    """'Marie-Louise Peschardt Jørgensen (F)', for a person the text has named already or names again."""
    return person.name + (f" ({party.letter})" if party else "")


def authority_in_prose(authority: str) -> str:
    """A title takes a small letter mid-sentence: 'beskæftigelsesministeren', 'børne- og undervisningsministeren',
    'regionsrådet, Region Hovedstaden'; a name keeps its capital: 'Region Hovedstaden', 'KKR Hovedstaden'."""
    first, _, rest = authority.partition(" ")
    if first.isupper() or (rest[:1].isupper() and not first.endswith(",")):
        return authority
    return authority[:1].lower() + authority[1:]


def join(parts: list[str]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def new_ones(roles: Counter[Role], *, article: bool) -> str:
    """'et nyt medlem og en ny suppleant', 'to nye medlemmer'; without the article for one: 'nyt medlem'."""
    parts = []
    for role in Role:
        count = roles[role]
        if count == 1:
            parts.append(A_NEW[role] if article else NEW[role])
        elif count > 1:
            parts.append(f"{NUMBERS.get(count, str(count))} {NEW_PLURAL[role]}")
    return join(parts)


def _roles(nominations: list[Nomination]) -> Counter[Role]:
    return Counter(role for nomination in nominations for _, role in nomination.candidates)


def _holders(seat_id: int, day: date) -> dict[Role, Appointment]:
    rows = db.session.scalars(sa.select(Appointment).where(Appointment.seat_id == seat_id, active_on(day))
                              .options(joinedload(Appointment.person).joinedload(Person.municipality),
                                       joinedload(Appointment.party)))
    return {row.role: row for row in rows}


def _why(nominations: list[Nomination], holders: dict[int, dict[Role, Appointment]], council: str) -> str:
    """The first paragraph: why the body needs nominations, naming how many members and suppleants."""
    organisation = nominations[0].seat.organisation
    what = new_ones(_roles(nominations), article=True)
    reasons = {nomination.call.reason if nomination.call else None for nomination in nominations}
    reason = reasons.pop() if len(reasons) == 1 else None
    if reason is CallReason.resignation and len(nominations) == 1:
        leaving = holders[nominations[0].seat_id].get(nominations[0].role)
        if leaving is not None:
            return (f"Da {person_ref(leaving.person, leaving.party)}, ønsker at udtræde af {organisation.name}, "
                    f"skal der indstilles {what}.")
    if reason is CallReason.new_period:
        return f"Med den nye valgperiode skal der indstilles {what} til {organisation.name}."
    if reason is CallReason.new_body:
        return f"{organisation.name} er oprettet, og {council} skal indstille {what}."
    return f"Der skal indstilles {what} til {organisation.name}."


def _authorities(nominations: list[Nomination], council: str) -> tuple[str | None, list[str]]:
    """Who makes the final appointment where an outside authority does, by the seat's own authority: one
    paragraph before the proposals when it appoints to every seat on the item (item 4.1), else one after them
    per authority, naming whom it appoints."""
    external = [nomination for nomination in nominations if nomination.seat.external]
    by_authority: dict[str, list[Nomination]] = {}
    for nomination in external:
        by_authority.setdefault(nomination.seat.authority, []).append(nomination)
    if len(external) == len(nominations) and len(by_authority) == 1:
        return (f"Det er {authority_in_prose(next(iter(by_authority)))}, der efter indstilling fra {council} "
                "varetager den endelige udpegning."), []
    return None, [f"Det er {authority_in_prose(authority)}, der efter indstilling fra {council} varetager den "
                  f"endelige udpegning af {join([short_ref(p, n.party) for n in own for p, _ in n.candidates])}."
                  for authority, own in by_authority.items()]


def _proposal(nomination: Nomination, holders: dict[Role, Appointment]) -> str:
    organisation = nomination.seat.organisation
    phrases = []
    for person, role in nomination.candidates:
        current = next((held for held in holders.values() if held.person_id == person.id), None)
        if current is not None and current.role is role:  # the holder proposed for a new term
            phrases.append(f"{person_ref(person, nomination.party)}, genudpeges som {role.danish}")
            continue
        now = f"nuværende {current.role.danish} " if current is not None else ""
        phrases.append(f"{now}{person_ref(person, nomination.party)}, udpeges som {NEW[role]}")
    return f"{nominator_name(nomination)} indstiller, at " + ", og at ".join(phrases) + f" til {organisation.name}."


def _gender(proposal: Proposal) -> tuple[str | None, str | None]:
    """What the text says of the gender rule for one nominator's proposal for a body, and the warning for the
    item page. The rule is checked over the whole proposal (period.proposal_gender_problem); særlige grunde
    given are always shown to KKR, and a proposal that breaks the rule without them is said so, not passed
    over. Where a gender is not recorded the rule cannot be checked: only the warning says so."""
    organisation, people, reason = proposal.organisation, proposal.people, proposal.reason
    broken = proposal_gender_problem(organisation, people) is not None
    unchecked = any(person.gender is None for person in people)
    if len(people) <= 2:
        rule = "både en kvinde og en mand"
    elif len(people) % 2:
        rule = "lige mange kvinder og mænd (ved et ulige antal én mere af det ene køn)"
    else:
        rule = "lige mange kvinder og mænd"
    if reason:
        said = (f"{proposal.nominator} har ikke indstillet {rule} og oplyser som særlige grunde: {reason}"
                if broken and not unchecked else f"{proposal.nominator} oplyser som særlige grunde: {reason}")
        return said, None
    if (problem := proposal_gender_problem(organisation, people, reason)) is None:
        return None, None
    warning = f"{proposal.nominator}: {problem}"
    if unchecked:
        return None, warning
    return f"{proposal.nominator} har ikke indstillet {rule} og har ikke angivet særlige grunde.", warning


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


def _bodies(nominations: list[Nomination]) -> list[list[Proposal]]:
    """The nominations by body and, within a body, by nominator, each in the order it first appears."""
    bodies: dict[int, dict[tuple[int | None, str | None], Proposal]] = {}
    for nomination in nominations:
        organisation = nomination.seat.organisation
        proposals = bodies.setdefault(organisation.id, {})
        proposals.setdefault(_nominator_key(nomination), Proposal(organisation, [])).nominations.append(nomination)
    return [list(proposals.values()) for proposals in bodies.values()]


def draft(item: AgendaItem) -> Draft | None:
    """The item's text drafted from its nominations; None when it has none."""
    nominations = nominations_on(item)
    if not nominations:
        return None
    council = item.meeting.council_name
    calls = _open_calls(nominations)
    bodies = _bodies(nominations)
    background, warnings = _background(bodies, calls, item.meeting.date, council)
    return Draft(title(nominations), background, _recommendation(bodies, calls, council), warnings)


def title(nominations: list[Nomination]) -> str:
    """'Indstilling af medlem og suppleant til RAR Hovedstaden'; 'medlemmer' where several are proposed. The
    constituent meeting's items get the same title when they are placed."""
    roles = _roles(nominations)
    organisations = list(dict.fromkeys(n.seat.organisation for n in nominations))
    named = [PLURAL[role] if roles[role] > 1 else role.danish for role in Role if roles[role]]
    return f"Indstilling af {join(named)} til {join([organisation.name for organisation in organisations])}"


def _background(bodies: list[list[Proposal]], calls: list[Call], day: date,
                council: str) -> tuple[str, list[str]]:
    """Per body: why it needs someone, who formally appoints, each nominator's proposals with what they say of
    the gender rule, and what the party groups will still nominate, in the agenda's order."""
    paragraphs: list[str] = []
    warnings: list[str] = []
    for proposals in bodies:
        nominations = [nomination for proposal in proposals for nomination in proposal.nominations]
        holders = {n.seat_id: _holders(n.seat_id, day) for n in nominations}
        paragraphs.append(_why(nominations, holders, council))
        before, after = _authorities(nominations, council)
        if before:
            paragraphs.append(before)
        for proposal in proposals:
            paragraphs += [_proposal(n, holders[n.seat_id]) for n in proposal.nominations]
            # Said in the same breath as the party's last proposal for the body, as item 4.1 does.
            promised = Counter(call.role for call in calls if proposal.nominations[0].party_id is not None
                               and call.party_id == proposal.nominations[0].party_id
                               and call.seat.organisation_id == proposal.organisation.id)
            if promised:
                paragraphs[-1] += (f" {proposal.nominator} vil i forbindelse med mødet i {council} indstille "
                                   f"{new_ones(promised, article=True)} til {proposal.organisation.name}.")
            said, warning = _gender(proposal)
            if said:
                paragraphs[-1] += " " + said
            if warning:
                warnings.append(warning)
        paragraphs += after
    return "\n\n".join(paragraphs), warnings


def _recommendation(bodies: list[list[Proposal]], calls: list[Call], council: str) -> str:
    """Per body and proposer (party group or organisation), "Det indstilles, at ...": KKR appoints those on the
    seats it appoints to, and takes note of the proposal for the seats an outside authority appoints to."""
    recommendations = []
    for proposals in bodies:
        for proposal in proposals:
            organisation = proposal.organisation
            own = [n for n in proposal.nominations if not n.seat.external]
            if own:
                named = [as_role(person, n.party, role) for n in own for person, role in n.candidates]
                recommendations.append(f"{council} udpeger {join(named)} af {organisation.name}")
            external = [n for n in proposal.nominations if n.seat.external]
            if external:
                party_id = proposal.nominations[0].party_id
                roles = _roles(external) + Counter(
                    call.role for call in calls if party_id is not None and call.party_id == party_id
                    and call.seat.organisation_id == organisation.id and call.seat.external)
                recommendations.append(
                    f"{council} tager {genitive(proposal.nominator)} indstilling af "
                    f"{new_ones(roles, article=False)} til {organisation.name} til efterretning")
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
                f"{authority_in_prose(nomination.seat.authority)}.")
    if outcome is Outcome.noted:
        return f"{council} tog {proposer} indstilling af {named} af {organisation.name} til efterretning."
    if outcome is Outcome.not_supported:
        return f"{council} tiltrådte ikke {proposer} indstilling af {named} af {organisation.name}."
    return f"{council} godkendte {proposer} indstilling af {named} af {organisation.name}."

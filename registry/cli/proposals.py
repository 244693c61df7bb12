"""`flask registry propose`: a party group's whole proposal for an election period's round, as the secretariat
enters it when the group sends it by e-mail: the party group's period page /partigruppe/valgperiode from the
command line, through the same service (nominations/proposals.py). "Gem kladde" without --submit, "Indsend alle"
with it; all or nothing, the gender rule checked per body over the group's whole proposal."""

import click
import sqlalchemy as sa
from flask_babel import ngettext

from registry.auth.models import User, UserRole
from registry.auth.permissions import SECRETARIAT
from registry.cli.groups import needs_schema, registry_cli
from registry.cli.rounds import chosen_period, pairs, parties_by_letter, party_lettered, save_as, whole_number
from registry.dates import today
from registry.errors import RuleViolation
from registry.extensions import db
from registry.nominations import proposals
from registry.nominations.models import Nomination
from registry.nominations.period import ROUND_LEAD
from registry.notifications import services as notifications
from registry.organisations.models import ElectionPeriod
from registry.people.models import Party, Person

# As the page's field for særlige grunde.
REASON_LENGTH = 2000


@registry_cli.command("propose")
@click.option("--party", "letter", required=True, metavar="BOGSTAV", help="Partigruppen, fx F.")
@click.option("--period", "period_name", metavar="NAVN",
              help="Valgperioden, fx 2026-2029 (standard: som partigruppens side, den der genbesættes: fra "
                   "rundens start efter valget den næste).")
@click.option("--by", "username", required=True, metavar="BRUGERNAVN",
              help="Den bruger i sekretariatet, der indtaster forslaget (registreres som indsender).")
@click.option("--reappoint", "reappointed", multiple=True, metavar="PLADS_ID",
              help="Genindstil pladsens nuværende medlem og suppleant.")
@click.option("--reappoint-all", is_flag=True,
              help="Genindstil de nuværende på alle pladser, der har en indehaver (undtagen dem, --seat nævner).")
@click.option("--seat", "seats", multiple=True, callback=pairs, metavar="PLADS_ID=PERSON_ID[/SUPPLEANT_ID]",
              help="Indstil en person (og en personlig suppleant) til pladsen, fx 12=40/41; 12= fjerner kladden.")
@click.option("--reason", "reasons", multiple=True, callback=pairs, metavar="ORGANISATION_ID=TEKST",
              help="Særlige grunde for en organisation under ligestillingsloven.")
@click.option("--submit", is_flag=True, help='Indsend alle gruppens kladder til sekretariatet ("Indsend alle"); '
                                             'uden: gem som kladde ("Gem kladde").')
@needs_schema
def propose(letter, period_name, username, reappointed, reappoint_all, seats, reasons, submit):
    """Gem en partigruppes forslag til valgperiodens pladser som kladder, eller indsend dem alle, som på
    partigruppens side /partigruppe/valgperiode. Pladser, der ikke nævnes, beholder deres kladde."""
    party = party_lettered(parties_by_letter(), letter)
    # Without --period, the period the group's page shows: the one being re-filled.
    period = chosen_period(period_name, today() + ROUND_LEAD)
    user = _secretary(username)
    bodies = proposals.proposal(party, period)
    seat_of = {proposed.seat.id: proposed for body in bodies for proposed in body.seats}
    people = {person.id: person for person in proposals.people_to_choose(party, bodies)}
    chosen = _as_saved(bodies)
    named: set[int] = set()
    for seat_text in reappointed:
        proposed = _editable(seat_of, whole_number(seat_text, "--reappoint"), named, party, period, "--reappoint")
        if proposed.holders[0] is None:
            raise click.ClickException(f"{_seat(proposed)} har ingen nuværende indehaver at genindstille.")
        chosen[proposed.seat.id] = proposals.reappoint(proposed)
    if reappoint_all:
        for proposed in seat_of.values():
            if proposed.editable and proposed.seat.id not in named and proposed.holders[0] is not None:
                chosen[proposed.seat.id] = proposals.reappoint(proposed)
    for seat_text, candidates in seats:
        proposed = _editable(seat_of, whole_number(seat_text, "--seat"), named, party, period, "--seat")
        chosen[proposed.seat.id] = _choice(proposed, candidates, people, party)
    given = _reasons(bodies, reasons)
    saved = save_as("cli:propose", lambda: _save(party, period, chosen, given, submit, user, seat_of))
    notifications.deliver_after_commit()
    _tell(party, period)
    if submit:
        click.echo(ngettext("%(num)d indstilling er sendt til sekretariatet.",
                            "%(num)d indstillinger er sendt til sekretariatet.", len(saved)))
    else:
        click.echo("Kladden er gemt. Sekretariatet ser den først, når partigruppen indsender (--submit).")


def _secretary(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        raise click.ClickException(f"Brugeren '{username.strip()}' findes ikke eller er deaktiveret.")
    if user.role not in SECRETARIAT:
        role = "en partigruppes" if user.role is UserRole.party else "en læsers"
        raise click.ClickException(f"Brugeren '{user.username}' har {role} rolle; forslaget indtastes af "
                                   "sekretariatet (rollen admin eller secretariat).")
    return user


def _seat(proposed: proposals.SeatProposal) -> str:
    return f"{proposed.seat.organisation.name}, {proposed.seat.label} (plads {proposed.seat.id})"


def _as_saved(bodies: list[proposals.BodyProposal]) -> dict[int, proposals.Choice]:
    """Every seat the group may still change, as saved: what the page's form holds before the user changes it,
    so that a body's særlige grunde go with each of its nominations, as when the page is saved."""
    return {proposed.seat.id: proposals.Choice(proposed.nomination.person if proposed.nomination else None,
                                               proposed.nomination.substitute if proposed.nomination else None)
            for body in bodies for proposed in body.seats if proposed.editable}


def _editable(seat_of: dict[int, proposals.SeatProposal], seat_id: int, named: set[int], party: Party,
              period: ElectionPeriod, option: str) -> proposals.SeatProposal:
    proposed = seat_of.get(seat_id)
    if proposed is None:
        raise click.ClickException(f"Plads {seat_id} er ikke fordelt til {party.letter} i valgperioden "
                                   f"{period.name}.")
    if seat_id in named:
        raise click.BadParameter(f"Plads {seat_id} er nævnt mere end én gang.", param_hint=option)
    if not proposed.editable:
        raise click.ClickException(f"{_seat(proposed)}: indstillingen er {proposed.nomination.status.danish} og "
                                   "kan ikke længere ændres her.")
    named.add(seat_id)
    return proposed


def _choice(proposed: proposals.SeatProposal, candidates: str, people: dict[int, Person],
            party: Party) -> proposals.Choice:
    """PERSON_ID[/SUPPLEANT_ID], or nothing for no one: among the people the group's page offers."""
    if not candidates:
        return proposals.Choice(None)
    member_text, slash, substitute_text = candidates.partition("/")
    if slash and not proposed.takes_substitute:
        raise click.ClickException(f"{_seat(proposed)} har ingen personlig suppleant.")
    member = _person(whole_number(member_text.strip(), "--seat"), people, party)
    substitute = _person(whole_number(substitute_text.strip(), "--seat"), people, party) if slash else None
    return proposals.Choice(member, substitute)


def _person(person_id: int, people: dict[int, Person], party: Party) -> Person:
    person = people.get(person_id)
    if person is None:
        raise click.ClickException(f"Person {person_id} kan ikke vælges: partigruppen {party.letter} vælger blandt "
                                   "partiets egne og dem, der har eller er indstillet til gruppens pladser.")
    return person


def _reasons(bodies: list[proposals.BodyProposal], given: list[tuple[str, str]]) -> dict[int, str | None]:
    """Each body's særlige grunde as saved, and those given; only for bodies under the gender rule, as the page."""
    reasons = {body.organisation.id: body.reason for body in bodies if body.gender_rule_applies}
    by_id = {body.organisation.id: body for body in bodies}
    changed: set[int] = set()
    for id_text, text in given:
        organisation_id = whole_number(id_text, "--reason")
        body = by_id.get(organisation_id)
        if body is None:
            raise click.ClickException(f"Organisation {organisation_id} har ingen af partigruppens pladser i "
                                       "valgperioden.")
        if not body.gender_rule_applies:
            raise click.ClickException(f"{body.organisation.name} er ikke omfattet af ligestillingsloven; der er "
                                       "ingen særlige grunde at give.")
        if organisation_id in changed:
            raise click.BadParameter(f"Organisation {organisation_id} er nævnt mere end én gang.",
                                     param_hint="--reason")
        if len(text) > REASON_LENGTH:
            raise click.BadParameter(f"Højst {REASON_LENGTH} tegn.", param_hint="--reason")
        reasons[organisation_id] = text
        changed.add(organisation_id)
    return reasons


def _save(party: Party, period: ElectionPeriod, chosen: dict[int, proposals.Choice], reasons: dict[int, str | None],
          submit: bool, user: User, seat_of: dict[int, proposals.SeatProposal]) -> list[Nomination]:
    """proposals.save, with a refusal named by the seat or body it concerns, as the page shows it at the field."""
    try:
        return proposals.save(party, period, chosen, reasons, submit=submit, by=user)
    except RuleViolation as refused:
        kind, _sep, number = (refused.field or "").rpartition("_")
        if kind in ("member", "substitute") and number.isdigit() and int(number) in seat_of:
            raise RuleViolation(f"{_seat(seat_of[int(number)])}: {refused}") from None
        bodies = {proposed.seat.organisation_id: proposed.seat.organisation for proposed in seat_of.values()}
        if kind == "reason" and number.isdigit() and int(number) in bodies:
            raise RuleViolation(f"{bodies[int(number)].name} (organisation {number}): {refused}") from None
        raise


def _tell(party: Party, period: ElectionPeriod) -> None:
    """The group's proposal as saved, body by body."""
    click.echo(f"Partigruppen {party.letter}s forslag til valgperioden {period.name}:")
    for body in proposals.proposal(party, period):
        click.echo(f"  {body.organisation.name}")
        for proposed in body.seats:
            nomination = proposed.nomination
            if nomination is None:
                click.echo(f"    {proposed.seat.label} (plads {proposed.seat.id}): ingen")
                continue
            names = " / ".join(f"{person.name} ({role.danish})" for person, role in nomination.candidates)
            click.echo(f"    {proposed.seat.label} (plads {proposed.seat.id}): {names} – "
                       f"{nomination.status.danish}")
            for doubt in proposed.doubts:
                click.echo(f"      {doubt}")
            for warning in proposed.warnings:
                click.echo(f"      Advarsel: {warning}")
        if body.reason:
            click.echo(f"    Særlige grunde: {body.reason}")

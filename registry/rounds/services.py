"""The KKR's composition per election period, its valggrupper, and the sharing-out of seats by d'Hondt.

Services check, change and flush; the view or command that called them commits once. The audit trail records
every row they change (its flush listener).
"""

import hashlib
import json
from dataclasses import dataclass
from random import Random

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.orm import joinedload

from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.organisations.models import ElectionPeriod, Organisation, SeatAllocation
from registry.people.models import Party
from registry.rounds import dhondt
from registry.rounds.models import ElectoralGroup, PeriodParty, ShareOut
from registry.types import danish_order


def fingerprint(parts) -> str:
    """A short digest of what a form saw, for the forms over rows that carry no version of their own."""
    return hashlib.sha256(repr(sorted(parts)).encode()).hexdigest()[:16]


def composition(period: ElectionPeriod) -> list[PeriodParty]:
    """The KKR's members per party in the period, largest first, with each party's valggruppe."""
    return list(db.session.scalars(
        sa.select(PeriodParty).join(PeriodParty.party).where(PeriodParty.period_id == period.id)
        .options(joinedload(PeriodParty.party), joinedload(PeriodParty.group))
        .order_by(PeriodParty.members.desc(), danish_order(Party.letter))))


def groups(period: ElectionPeriod) -> list[ElectoralGroup]:
    return list(db.session.scalars(sa.select(ElectoralGroup).where(ElectoralGroup.period_id == period.id)
                                   .order_by(danish_order(ElectoralGroup.name))))


def composition_fingerprint(period: ElectionPeriod) -> str:
    rows = db.session.execute(sa.select(PeriodParty.id, PeriodParty.version)
                              .where(PeriodParty.period_id == period.id)).all()
    named = db.session.execute(sa.select(ElectoralGroup.id, ElectoralGroup.version)
                               .where(ElectoralGroup.period_id == period.id)).all()
    return fingerprint([("party", *row) for row in rows] + [("group", *row) for row in named])


@dataclass(frozen=True)
class Member:
    """One line of the composition form: a party's members in KKR (None: not in KKR) and its valggruppe."""

    party: Party
    members: int | None
    group: str | None


def set_composition(period: ElectionPeriod, lines: list[Member], *, seen: str | None = None) -> ElectionPeriod:
    """Record the KKR's composition and valggrupper for the period, from one form.

    A valggruppe is named by what its parties' lines say ("A+F+Ø"), so a party is in one group at most. A group
    that disappears while its name's parties live on under a new name is renamed, keeping the seats it holds.
    """
    if seen is not None and seen != composition_fingerprint(period):
        raise Conflict()
    members_of: dict[str, list[Member]] = {}
    for line in lines:
        if line.group and not line.members:
            raise RuleViolation(_l("%(party)s har ingen medlemmer i KKR og kan ikke være med i en valggruppe.",
                                   party=line.party.letter), field=f"group_{line.party.id}")
        if line.group:
            members_of.setdefault(line.group, []).append(line)
    for name, members in members_of.items():
        if len(members) < 2:
            raise RuleViolation(_l("Valggruppen %(group)s har kun ét parti. En valggruppe samler mindst to partier; "
                                   "lad feltet stå tomt for et parti, der står alene.", group=name),
                                field=f"group_{members[0].party.id}")
    rows = {row.party_id: row for row in db.session.scalars(
        sa.select(PeriodParty).where(PeriodParty.period_id == period.id))}
    existing = {group.name: group for group in groups(period)}
    named = _groups_named(period, members_of, existing, rows)
    for line in lines:
        row = rows.get(line.party.id)
        if line.members is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = PeriodParty(period_id=period.id, party_id=line.party.id, members=line.members)
            db.session.add(row)
        row.members = line.members
        row.group = named.get(line.group) if line.group else None
    db.session.flush()
    for group in existing.values():
        if group not in named.values():
            _check_unused(group)
            db.session.delete(group)
    db.session.flush()
    _check_nominators(period)
    return period


def _groups_named(period: ElectionPeriod, members_of: dict[str, list[Member]], existing: dict[str, ElectoralGroup],
                  rows: dict[int, PeriodParty]) -> dict[str, ElectoralGroup]:
    named = {name: existing[name] for name in members_of if name in existing}
    leaving = [group for name, group in existing.items() if name not in members_of]
    for name in sorted(set(members_of) - set(named)):
        parties = {line.party.id for line in members_of[name]}

        def overlap(group: ElectoralGroup, parties=parties) -> int:
            return sum(1 for party_id, row in rows.items() if row.group_id == group.id and party_id in parties)

        renamed = max(leaving, key=overlap, default=None)
        if renamed is not None and overlap(renamed):
            leaving.remove(renamed)
            renamed.name = name
            named[name] = renamed
        else:
            named[name] = ElectoralGroup(period_id=period.id, name=name)
            db.session.add(named[name])
    db.session.flush()
    return named


def _check_unused(group: ElectoralGroup) -> None:
    held = db.session.scalar(sa.select(sa.func.count()).select_from(SeatAllocation)
                             .where(SeatAllocation.group_id == group.id))
    if held:
        raise RuleViolation(lazy_ngettext(
            "Valggruppen %(group)s har %(num)d plads i fordelingen. Fordel den til en anden partigruppe eller "
            "valggruppe først.",
            "Valggruppen %(group)s har %(num)d pladser i fordelingen. Fordel dem til en anden partigruppe eller "
            "valggruppe først.", held, group=group.name))


def _check_nominators(period: ElectionPeriod) -> None:
    """A valggruppe's seat is nominated for by one of its own parties, also after the composition changed."""
    stray = db.session.execute(
        sa.select(SeatAllocation, ElectoralGroup.name)
        .join(ElectoralGroup, SeatAllocation.group_id == ElectoralGroup.id)
        .outerjoin(PeriodParty, sa.and_(PeriodParty.period_id == period.id,
                                        PeriodParty.party_id == SeatAllocation.party_id,
                                        PeriodParty.group_id == SeatAllocation.group_id))
        .where(SeatAllocation.period_id == period.id, PeriodParty.id.is_(None)).limit(1)).first()
    if stray is not None:
        allocation, name = stray
        raise RuleViolation(_l("%(party)s indstiller til %(seat)s i %(body)s for valggruppen %(group)s, men er ikke "
                               "længere med i den. Ret pladsfordelingen først.", party=allocation.party.letter,
                               seat=allocation.seat.label, body=allocation.seat.organisation.name, group=name))


def contestants(period: ElectionPeriod) -> list[dhondt.Contestant]:
    """Who shares the seats: each valggruppe with its parties' members together, and each party in none."""
    together: dict[int, list[PeriodParty]] = {}
    found = []
    for row in composition(period):
        if row.group is None:
            found.append(dhondt.Contestant(row.party.letter, row.members, f"p{row.party_id}", (row.party.letter,)))
        else:
            together.setdefault(row.group_id, []).append(row)
    for rows in together.values():
        group = rows[0].group
        found.append(dhondt.Contestant(group.name, sum(row.members for row in rows), f"g{group.id}",
                                       tuple(row.party.letter for row in rows)))
    return found


def calculate(period: ElectionPeriod, seats: int, rng: Random | None = None) -> dhondt.Result:
    found = contestants(period)
    if not any(contestant.members for contestant in found):
        raise RuleViolation(_l("KKR's sammensætning i %(period)s er ikke registreret. Skriv partiernes medlemstal "
                               "først.", period=period.name), field="seats")
    return dhondt.share_out(found, seats, rng)


def record_share_out(period: ElectionPeriod, seats: int, *, organisation: Organisation | None = None,
                     note: str | None = None, by=None, rng: Random | None = None) -> ShareOut:
    """Share the seats out now (drawing lots where needed) and keep the result as the round's record."""
    result = calculate(period, seats, rng)
    share = ShareOut(period_id=period.id, organisation_id=organisation.id if organisation else None, seats=seats,
                     result=json.dumps(dhondt.to_json(result), ensure_ascii=False),
                     lot=result.lot.text() if result.lot else None, note=note,
                     made_by_id=by.id if by is not None else None)
    db.session.add(share)
    db.session.flush()
    return share


def stored(share: ShareOut) -> dict:
    return json.loads(share.result)


def agree(share: ShareOut, agreed: dict[str, int], note: str | None) -> ShareOut:
    """The shares KKR agreed on ("efter aftale"), where they differ from the calculation: stated with a note."""
    data = stored(share)
    total = sum(agreed.get(row["name"], row["agreed"]) for row in data["rows"])
    if total != share.seats:
        raise RuleViolation(_l("Fordelingen efter aftale giver %(total)s, men der fordeles %(seats)d.",
                               total=lazy_ngettext("%(num)d plads", "%(num)d pladser", total), seats=share.seats))
    for row in data["rows"]:
        row["agreed"] = agreed.get(row["name"], row["agreed"])
    differs = any(row["agreed"] != row["share"] for row in data["rows"])
    if differs and not note:
        raise RuleViolation(_l("Skriv i noten, hvad der er aftalt, når fordelingen afviger fra beregningen."),
                            field="note")
    share.result = json.dumps(data, ensure_ascii=False)
    share.note = note
    db.session.flush()
    return share


def share_outs(period: ElectionPeriod) -> list[ShareOut]:
    return list(db.session.scalars(sa.select(ShareOut).where(ShareOut.period_id == period.id)
                                   .options(joinedload(ShareOut.organisation))
                                   .order_by(ShareOut.made_at.desc(), ShareOut.id.desc())))

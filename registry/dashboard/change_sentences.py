"""One sentence per kind of row the latest changes name: "Gitte Testsekretær udpegede Hans Eksempel som medlem
af SOSU H (Plads 2) fra 01.01.2026". Each function takes the entry, the rows the page names and who acted, and
gives the sentence, or None where the entry says too little (changes.describe then names it as the trail does).
"""

from collections.abc import Callable

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from registry.appointments.models import Appointment, Role, Status
from registry.audit.models import AuditEntry
from registry.audit.trail import CHANGES, entity_name
from registry.dashboard.change_fields import changed_fields, updated
from registry.dashboard.change_rows import Names, changed, stated
from registry.dashboard.change_words import (
    actor,
    day,
    gone,
    holding,
    link,
    meeting,
    organisation,
    party,
    person,
    role_of,
    seat,
    sentence,
)
from registry.mandates.models import CouncilMandate
from registry.meetings.models import AgendaItem, Decision
from registry.nominations.models import Call, Nomination, NominationStatus
from registry.organisations.models import Seat, SeatAllocation
from registry.people.models import Person


def _appointment(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("appointments", entry.entity_id), stated(entry)
    if isinstance(row, Appointment):
        holder, role, place, start = row.person, row.role, row.seat, row.start_date
    else:
        holder, place = names.get("persons", values.get("person_id")), names.get("seats", values.get("seat_id"))
        role, start = role_of(values.get("role")), values.get("start_date")
    if holder is None or place is None or role is None:
        return None
    what = holding(holder, role, place)
    if entry.action == "create":
        if values.get("status") == Status.recommended.value:
            return sentence(_l("%(actor)s registrerede KKR's indstilling af %(what)s"), actor=who, what=what)
        return sentence(_l("%(actor)s udpegede %(what)s fra %(day)s"), actor=who, what=what, day=day(start))
    if entry.action == "delete":
        return sentence(_l("%(actor)s slettede udpegningen af %(what)s"), actor=who, what=what)
    if changed(entry, "status") == (Status.recommended.value, Status.appointed.value):
        return sentence(_l("%(actor)s registrerede beskikkelsen af %(what)s fra %(day)s"), actor=who, what=what,
                        day=day(start))
    if end := changed(entry, "end_date"):
        before, after = end
        if after is None:
            return sentence(_l("%(actor)s genåbnede udpegningen af %(what)s (ingen slutdato)"), actor=who, what=what)
        if before is None:
            return sentence(_l("%(actor)s afsluttede udpegningen af %(what)s pr. %(day)s"), actor=who, what=what,
                            day=day(after))
    subject = sentence(_l("udpegningen af %(what)s"), what=what)
    return (updated(entry, who, subject, private=names.private)
            or sentence(_l("%(actor)s ændrede udpegningen af %(what)s"), actor=who, what=what))


def _organisation(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row = names.get("organisations", entry.entity_id)
    if entry.action == "delete" or row is None:
        return gone(entry, _l("%(actor)s oprettede organisationen %(name)s"),
                    _l("%(actor)s slettede organisationen %(name)s"), actor=who)
    if entry.action == "create":
        return sentence(_l("%(actor)s oprettede organisationen %(organisation)s"), actor=who,
                        organisation=organisation(row))
    if (end := changed(entry, "end_date")) and end[1] and not end[0]:
        return sentence(_l("%(actor)s nedlagde %(organisation)s pr. %(day)s"), actor=who,
                        organisation=organisation(row), day=day(end[1]))
    if (name := changed(entry, "name")) and name[0] and changed_fields(entry) == ["name"]:
        return sentence(_l("%(actor)s omdøbte %(before)s til %(organisation)s"), actor=who, before=name[0],
                        organisation=organisation(row))
    return (updated(entry, who, organisation(row), private=names.private)
            or sentence(_l("%(actor)s ændrede oplysningerne om %(organisation)s"), actor=who,
                        organisation=organisation(row)))


def _seat(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("seats", entry.entity_id), stated(entry)
    if isinstance(row, Seat) and entry.action != "delete":
        body, label = row.organisation, seat(row)
    elif entry.action in ("create", "delete") and values.get("label"):
        body, label = names.get("organisations", values.get("organisation_id")), values["label"]
    else:
        return None
    if body is None:
        return None
    parts = dict(actor=who, organisation=organisation(body), seat=label)
    if entry.action == "create":
        return sentence(_l("%(actor)s oprettede %(seat)s i %(organisation)s"), **parts)
    if entry.action == "delete":
        return sentence(_l("%(actor)s slettede %(seat)s i %(organisation)s"), **parts)
    if (end := changed(entry, "end_date")) and end[1] and not end[0]:
        return sentence(_l("%(actor)s nedlagde %(seat)s i %(organisation)s pr. %(day)s"), day=day(end[1]), **parts)
    if (name := changed(entry, "label")) and name[0] and changed_fields(entry) == ["label"]:
        return sentence(_l("%(actor)s omdøbte %(before)s i %(organisation)s til %(seat)s"), before=name[0], **parts)
    return (updated(entry, who, sentence(_l("%(seat)s i %(organisation)s"), **parts), private=names.private)
            or sentence(_l("%(actor)s ændrede %(seat)s i %(organisation)s"), **parts))


def _allocation(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("seat_allocations", entry.entity_id), stated(entry)
    if isinstance(row, SeatAllocation):
        place, holder, period = row.seat, row.party, row.period
    else:
        place, holder = names.get("seats", values.get("seat_id")), names.get("parties", values.get("party_id"))
        period = names.get("election_periods", values.get("period_id"))
    if place is None or period is None:
        return None
    parts = dict(actor=who, seat=seat(place), organisation=organisation(place.organisation), period=period.name)
    if entry.action == "delete":
        return sentence(_l("%(actor)s fjernede partifordelingen af %(seat)s i %(organisation)s i valgperioden "
                           "%(period)s"), **parts)
    if holder is None:
        return None
    return sentence(_l("%(actor)s fordelte %(seat)s i %(organisation)s til %(party)s i valgperioden %(period)s"),
                    party=party(holder), **parts)


def _named(table: str, templates: tuple, show: Callable[[object], Markup | str]):
    """A sentence about a row that is one name: (created, changed, deleted), each with %(name)s."""
    def describe_row(entry: AuditEntry, names: Names, who: str) -> Markup | None:
        created, updated, deleted = templates
        row = names.get(table, entry.entity_id)
        if entry.action == "delete" or row is None:
            # A person gone, or not public: by name to the secretariat only.
            return gone(entry, created, deleted, actor=who) if table != "persons" or names.private else None
        return sentence(created if entry.action == "create" else updated, actor=who, name=show(row))
    return describe_row


_named_person = _named("persons", (_l("%(actor)s oprettede %(name)s"),
                                   _l("%(actor)s ændrede oplysningerne om %(name)s"),
                                   _l("%(actor)s slettede %(name)s")), person)


def _person(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    """What changed about a person, where the viewer may know who it is (a reader: the public only)."""
    row = names.get("persons", entry.entity_id)
    if entry.action == "update" and isinstance(row, Person):
        if found := updated(entry, who, person(row), private=names.private):
            return found
    return _named_person(entry, names, who)


def _round(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    """The KKR's composition, its valggrupper and the share-outs by d'Hondt (registry/rounds)."""
    if entry.entity == "period_parties":
        return sentence(_l("%(actor)s ændrede KKR's sammensætning i en valgperiode"), actor=who)
    if entry.entity == "share_outs":
        return sentence(_l("%(actor)s gemte en fordeling efter d'Hondt"), actor=who)
    return gone(entry, _l("%(actor)s oprettede valggruppen %(name)s"), _l("%(actor)s slettede valggruppen %(name)s"),
                actor=who)


def _mandate(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("council_mandates", entry.entity_id), stated(entry)
    if isinstance(row, CouncilMandate):
        holder, council = row.person, row.municipality
    else:
        holder = names.get("persons", values.get("person_id"))
        council = names.get("municipalities", values.get("municipality_id"))
    if holder is None or council is None:
        return None
    parts = dict(actor=who, person=person(holder), municipality=council.name)
    if entry.action == "create":
        return sentence(_l("%(actor)s registrerede mandatet for %(person)s i %(municipality)s"), **parts)
    if entry.action == "delete":
        return sentence(_l("%(actor)s slettede mandatet for %(person)s i %(municipality)s"), **parts)
    if (end := changed(entry, "end_date")) and end[1]:
        return sentence(_l("%(actor)s afsluttede mandatet for %(person)s i %(municipality)s pr. %(day)s"),
                        day=day(end[1]), **parts)
    return sentence(_l("%(actor)s ændrede mandatet for %(person)s i %(municipality)s"), **parts)


def _agenda_item(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("agenda_items", entry.entity_id), stated(entry)
    held = row.meeting if isinstance(row, AgendaItem) else names.get("meetings", values.get("meeting_id"))
    number = row.number if isinstance(row, AgendaItem) else values.get("number")
    if held is None or not number:
        return None
    template = {"create": _l("%(actor)s oprettede punkt %(number)s på mødet %(meeting)s"),
                "delete": _l("%(actor)s slettede punkt %(number)s på mødet %(meeting)s")}.get(
        entry.action, _l("%(actor)s ændrede punkt %(number)s på mødet %(meeting)s"))
    return sentence(template, actor=who, number=number, meeting=meeting(held))


def _decision(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("decisions", entry.entity_id), stated(entry)
    item = row.item if isinstance(row, Decision) else names.get("agenda_items", values.get("item_id"))
    if not isinstance(item, AgendaItem):
        return None
    template = {"create": _l("%(actor)s registrerede KKR's beslutning på punkt %(number)s på mødet %(meeting)s"),
                "delete": _l("%(actor)s slettede KKR's beslutning på punkt %(number)s på mødet %(meeting)s")}.get(
        entry.action, _l("%(actor)s ændrede KKR's beslutning på punkt %(number)s på mødet %(meeting)s"))
    return sentence(template, actor=who, number=item.number, meeting=meeting(item.meeting))


def _meeting(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row = names.get("meetings", entry.entity_id)
    if entry.action == "delete" or row is None:
        held_on = day(stated(entry).get("date"))
        return sentence(_l("%(actor)s slettede mødet %(day)s"), actor=who, day=held_on) if held_on else None
    if entry.action == "create":
        return sentence(_l("%(actor)s oprettede mødet %(meeting)s"), actor=who, meeting=meeting(row))
    if (published := changed(entry, "published_on")) and published[1]:
        return sentence(_l("%(actor)s offentliggjorde dagsordenen til mødet %(meeting)s"), actor=who,
                        meeting=meeting(row))
    return sentence(_l("%(actor)s ændrede mødet %(meeting)s"), actor=who, meeting=meeting(row))


def _nomination(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("nominations", entry.entity_id), stated(entry)
    draft = NominationStatus.draft.value
    # A party group's draft is its own: the secretariat sees neither it nor whom it names (nominations/period.py).
    if (isinstance(row, Nomination) and row.status is NominationStatus.draft) or values.get("status") == draft:
        return sentence(_l("%(actor)s gemte en kladde til en indstilling"), actor=who)
    if isinstance(row, Nomination):
        what = holding(row.person, row.role, row.seat)
        named = link(gettext("indstillingen"), "nominations.detail", nomination_id=row.id)
    else:
        holder, place = names.get("persons", values.get("person_id")), names.get("seats", values.get("seat_id"))
        role = role_of(values.get("role"))
        if holder is None or place is None or role is None:
            return None
        what, named = holding(holder, role, place), gettext("indstillingen")
    if entry.action == "create":
        return sentence(_l("%(actor)s indstillede %(what)s"), actor=who, what=what)
    if entry.action == "delete":
        return sentence(_l("%(actor)s slettede %(nomination)s af %(what)s"), actor=who, nomination=named, what=what)
    if (status := changed(entry, "status")) and status[1]:
        try:
            label = NominationStatus(status[1]).label
        except ValueError:
            label = status[1]
        return sentence(_l("%(actor)s ændrede %(nomination)s af %(what)s til %(status)s"), actor=who,
                        nomination=named, what=what, status=label)
    return sentence(_l("%(actor)s ændrede %(nomination)s af %(what)s"), actor=who, nomination=named, what=what)


def _call(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    row, values = names.get("calls", entry.entity_id), stated(entry)
    if isinstance(row, Call):
        asked, place, role = row.party, row.seat, row.role
    else:
        asked, place = names.get("parties", values.get("party_id")), names.get("seats", values.get("seat_id"))
        role = role_of(values.get("role"))
    if asked is None or place is None or role is None:
        return None
    parts = dict(actor=who, party=party(asked), organisation=organisation(place.organisation), seat=seat(place))
    if entry.action == "create":
        template = (_l("%(actor)s opfordrede %(party)s til at indstille et medlem af %(organisation)s (%(seat)s)")
                    if role is Role.member else
                    _l("%(actor)s opfordrede %(party)s til at indstille en suppleant i %(organisation)s (%(seat)s)"))
        return sentence(template, **parts)
    if (closed := changed(entry, "closed_on")) and closed[1]:
        return sentence(_l("%(actor)s lukkede opfordringen til %(party)s om %(organisation)s (%(seat)s)"), **parts)
    return sentence(_l("%(actor)s ændrede opfordringen til %(party)s om %(organisation)s (%(seat)s)"), **parts)


def _import(entry: AuditEntry, names: Names, who: str) -> Markup | None:
    lines = (entry.changes or {}).get("lines") if isinstance(entry.changes, dict) else None
    if not isinstance(lines, int):
        return None
    if entry.entity == "council_mandates":
        template = ngettext("%(actor)s importerede kommunalbestyrelsesmandater fra en fil med %(num)d linje",
                            "%(actor)s importerede kommunalbestyrelsesmandater fra en fil med %(num)d linjer", lines,
                            actor="%(actor)s")
    else:
        template = ngettext("%(actor)s importerede udpegninger fra en CSV-fil med %(num)d linje",
                            "%(actor)s importerede udpegninger fra en CSV-fil med %(num)d linjer", lines,
                            actor="%(actor)s")
    return sentence(template, actor=who)


SENTENCES: dict[str | None, Callable[[AuditEntry, Names, str], Markup | None]] = {
    "appointments": _appointment,
    "organisations": _organisation,
    "seats": _seat,
    "seat_allocations": _allocation,
    "persons": _person,
    "parties": _named("parties", (_l("%(actor)s oprettede partiet %(name)s"),
                                  _l("%(actor)s ændrede partiet %(name)s"),
                                  _l("%(actor)s slettede partiet %(name)s")), party),
    "municipalities": _named("municipalities", (_l("%(actor)s oprettede kommunen %(name)s"),
                                                _l("%(actor)s ændrede kommunen %(name)s"),
                                                _l("%(actor)s slettede kommunen %(name)s")), lambda row: row.name),
    "election_periods": _named("election_periods", (_l("%(actor)s oprettede valgperioden %(name)s"),
                                                    _l("%(actor)s ændrede valgperioden %(name)s"),
                                                    _l("%(actor)s slettede valgperioden %(name)s")),
                               lambda row: row.name),
    "users": _named("users", (_l("%(actor)s oprettede brugeren %(name)s"), _l("%(actor)s ændrede brugeren %(name)s"),
                              _l("%(actor)s slettede brugeren %(name)s")), lambda row: row.username),
    "council_mandates": _mandate,
    "meetings": _meeting,
    "agenda_items": _agenda_item,
    "decisions": _decision,
    "nominations": _nomination,
    "calls": _call,
    "period_parties": _round,
    "share_outs": _round,
    "electoral_groups": _round,
}


def describe(entry: AuditEntry, names: Names) -> Markup:
    """The entry as a sentence; where it says too little, as the trail names it: "haan ændrede Valggruppe 4"."""
    who = actor(entry, names)
    describe_entry = _import if entry.action == "import" else SENTENCES.get(entry.entity)
    if describe_entry is not None and (found := describe_entry(entry, names, who)) is not None:
        return found
    what = entity_name(entry.entity)
    if entry.entity_id:
        what = f"{what} {entry.entity_id}"
    template = CHANGES.get(entry.action)
    if template is None:
        return escape(f"{who} {entry.action} {what}".strip())
    return sentence(template, actor=who, what=what)

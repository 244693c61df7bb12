"""The words of the latest changes' sentences: who acted, and the things named, each a link where there is a
page to go to."""

from datetime import date

from flask import url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from registry.appointments.models import Role
from registry.audit.models import AuditEntry
from registry.auth.models import User
from registry.dashboard.change_rows import Names, stated
from registry.dates import local_date
from registry.meetings.models import Meeting
from registry.organisations.models import Organisation, Seat
from registry.people.models import Party, Person


def day(value) -> str:
    try:
        return local_date(value if isinstance(value, date) else date.fromisoformat(value))
    except (TypeError, ValueError):
        return ""


def link(text, endpoint: str, **values) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url_for(endpoint, **values), text)


def sentence(template, **parts) -> Markup:
    """The translated sentence with its parts put in: each escaped, unless it is already markup (a link)."""
    return Markup(escape(str(template))) % parts


# The parts of a sentence: who and what, each a link where there is a page to go to.

def actor(entry: AuditEntry, names: Names) -> str:
    user = names.get("users", entry.user_id)
    if isinstance(user, User):
        return user.name or user.username
    name = entry.actor or ""
    if name.startswith("cli:"):
        return gettext("Kommandoen %(command)s", command=name.removeprefix("cli:"))
    return {"system": gettext("Systemet"), "anonym": gettext("En anonym bruger")}.get(name, name)


def person(row: Person) -> Markup:
    return link(row.name, "people.detail", person_id=row.id)


def organisation(row: Organisation) -> Markup:
    return link(row.name, "organisations.detail", organisation_id=row.id)


def seat(row: Seat) -> Markup:
    return link(row.label, "appointments.seat", seat_id=row.id)


def party(row: Party) -> Markup:
    return link(f"{row.letter} – {row.name}", "people.party", key=row.letter)


def meeting(row: Meeting) -> Markup:
    return link(f"{row.council_name} {local_date(row.date)}", "meetings.detail", meeting_id=row.id)


def holding(who: Person, role: Role, where: Seat) -> Markup:
    """"Hans Eksempel som medlem af SOSU H (Plads 2)"."""
    template = (_l("%(person)s som medlem af %(organisation)s (%(seat)s)") if role is Role.member
                else _l("%(person)s som suppleant i %(organisation)s (%(seat)s)"))
    return sentence(template, person=person(who), organisation=organisation(where.organisation), seat=seat(where))


def role_of(value) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


def gone(entry: AuditEntry, created, deleted, **parts) -> Markup | None:
    """A row that is no longer there, by the name its creation or deletion recorded; None for an update, which
    records only what changed."""
    name = stated(entry).get("name") if entry.action in ("create", "delete") else None
    if not name:
        return None
    return sentence(deleted if entry.action == "delete" else created, name=name, **parts)

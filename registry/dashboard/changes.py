"""The dashboard's "Seneste ændringer": each change to the registry as a sentence a person would write, with
names and links: "Gitte Testsekretær udpegede Hans Eksempel som medlem af SOSU H (Plads 2) fra 01.01.2026".

A sentence is made from the audit entry (registry/audit): its table, row and changes, and the row as it is
now, or as the entry recorded it when it is gone. A page of entries takes a fixed number of queries whatever it
holds: the entries, then one query per kind of row a sentence names (appointments with their people and seats,
seats, people, parties, ...), each by id (change_rows.py). The sentences are in change_sentences.py, their
words and links in change_words.py. A change the sentences do not know reads as before: "haan ændrede
Valggruppe 4".
"""

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from markupsafe import Markup

from registry.audit.models import AuditEntry
from registry.audit.trail import CHANGES
from registry.auth.models import User, UserRole
from registry.dashboard.change_rows import Names
from registry.dashboard.change_sentences import describe
from registry.dates import COPENHAGEN
from registry.paging import Page, numbered


@dataclass
class Change:
    entry: AuditEntry
    sentence: Markup     # with links to what it names
    at: datetime

    @property
    def text(self) -> str:
        return self.sentence.striptags()


# What a reader may see change: the public part of the registry. Nominations, calls, the outbox, users and
# failed logins are not, and neither is what a party group does (a new person may be its unpublished candidate).
PUBLIC_ENTITIES = ["organisations", "seats", "seat_allocations", "appointments", "persons", "parties",
                   "municipalities", "election_periods", "meetings", "agenda_items", "decisions"]
# The registry's own bookkeeping: no one's change to its data.
MACHINERY = ["login_failures", "login_delays", "messages", "uploads", "reminders"]


def latest_changes(number: int = 1, size: int = 25, *, private: bool = False) -> Page[Change]:
    """The newest changes to the registry's data (logins and the like are left out); private=True for the
    secretariat, who may also see the changes to nominations, calls and users."""
    stmt = (sa.select(AuditEntry).where(AuditEntry.action.in_(list(CHANGES)),
                                        sa.or_(AuditEntry.entity.is_(None), AuditEntry.entity.not_in(MACHINERY)))
            .order_by(AuditEntry.id.desc()))
    if not private:
        party_users = sa.select(User.id).where(User.role == UserRole.party)
        stmt = stmt.where(AuditEntry.entity.in_(PUBLIC_ENTITIES),
                          sa.or_(AuditEntry.user_id.is_(None), AuditEntry.user_id.not_in(party_users)))
    page = numbered(stmt, number, size)
    names = Names(page.items, private=private)
    page.items = [Change(entry, describe(entry, names), entry.at.replace(tzinfo=timezone.utc).astimezone(COPENHAGEN))
                  for entry in page.items]
    return page

"""KKR's meetings as the secretariat keeps them: created, corrected and listed with their date, time, place and
case number, and picked from a list wherever a nomination goes onto an agenda.

A meeting is created on purpose, never as a side effect of a date typed into another form: "nyt møde" on the
agenda forms is a choice of its own, and it is refused when the council already meets on the day or within
NEARBY days of it (a typo is usually a day or two off), with the meeting to pick instead. The meetings page
creates any meeting, near another or not.

Rules check, change and flush; the view commits once.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from registry.dates import local_date
from registry.errors import RuleViolation, check_version
from registry.extensions import db
from registry.meetings.models import AgendaItem, Decision, Meeting

# A new meeting this close to one the council already has is more likely a typo than a second meeting.
NEARBY = timedelta(days=14)
# How far back the agenda forms offer meetings already held (a nomination placed after the fact), and how many.
RECENT = timedelta(days=180)
RECENT_COUNT = 6


@dataclass(frozen=True)
class NewMeeting:
    """A meeting the secretariat asks for on an agenda form ("nyt møde"), created only with the placing."""

    council: str
    day: date
    starts_at: time | None = None
    ends_at: time | None = None
    location: str | None = None
    case_number: str | None = None


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _check_times(starts_at: time | None, ends_at: time | None) -> None:
    if ends_at is not None and starts_at is None:
        raise RuleViolation(_l("Skriv, hvornår mødet begynder, når det har et sluttidspunkt."), field="starts_at")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise RuleViolation(_l("Mødet skal slutte efter, at det begynder."), field="ends_at")


def _on_the_day(council: str, day: date, *, besides: Meeting | None = None) -> Meeting | None:
    stmt = sa.select(Meeting).where(Meeting.council_name == council, Meeting.date == day)
    if besides is not None:
        stmt = stmt.where(Meeting.id != besides.id)
    return db.session.scalar(stmt)


def _refuse_the_same_day(council: str, day: date, *, besides: Meeting | None = None) -> None:
    if _on_the_day(council, day, besides=besides) is not None:
        raise RuleViolation(_l("%(council)s har allerede et møde den %(day)s.", council=council,
                               day=local_date(day)), field="meeting_date")


def nearest(council: str, day: date, within: timedelta = NEARBY) -> Meeting | None:
    """The council's meeting closest to the day, if one lies within the span either side of it."""
    near = db.session.scalars(sa.select(Meeting).where(Meeting.council_name == council,
                                                       Meeting.date.between(day - within, day + within)))
    return min(near, key=lambda meeting: (abs(meeting.date - day), meeting.date), default=None)


def create_meeting(council: str, day: date, *, starts_at: time | None = None, ends_at: time | None = None,
                   location: str | None = None, case_number: str | None = None) -> Meeting:
    """A new meeting of the council; one a day."""
    _check_times(starts_at, ends_at)
    _refuse_the_same_day(council, day)
    meeting = Meeting(council_name=council, date=day, starts_at=starts_at, ends_at=ends_at,
                      location=_clean(location), case_number=_clean(case_number))
    db.session.add(meeting)
    db.session.flush()
    return meeting


def create_for_agenda(new: NewMeeting) -> Meeting:
    """The meeting "nyt møde" on an agenda form asks for, unless the council already meets on or near the day:
    then the secretariat is to pick that meeting from the list."""
    _check_times(new.starts_at, new.ends_at)
    _refuse_the_same_day(new.council, new.day)
    near = nearest(new.council, new.day)
    if near is not None:
        raise RuleViolation(_l("%(council)s har et møde den %(day)s, tæt på den dato, du har skrevet. Vælg det "
                               "på listen over møder. Er det et andet møde, så opret det først under Møder.",
                               council=new.council, day=local_date(near.date)), field="meeting_date")
    return create_meeting(new.council, new.day, starts_at=new.starts_at, ends_at=new.ends_at,
                          location=new.location, case_number=new.case_number)


def edit_meeting(meeting: Meeting, *, day: date, starts_at: time | None, ends_at: time | None,
                 location: str | None, case_number: str | None, version: int | None = None) -> Meeting:
    """Correct a meeting's facts. Its date stays once KKR's decisions on it are recorded: the decisions are
    cited by it (`KKR Hovedstaden 2024-04-19 pkt. 4.1`) in exports, imports and appointments."""
    check_version(meeting, version)
    _check_times(starts_at, ends_at)
    if day != meeting.date:
        if has_decisions(meeting):
            raise RuleViolation(_l("KKR's beslutninger på mødet er registreret med mødets dato, som derfor ikke "
                                   "kan ændres."), field="meeting_date")
        _refuse_the_same_day(meeting.council_name, day, besides=meeting)
    meeting.date = day
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.location = _clean(location)
    meeting.case_number = _clean(case_number)
    db.session.flush()
    return meeting


def delete_meeting(meeting: Meeting, *, version: int | None = None) -> None:
    """Remove a meeting created by mistake; only one without agenda items, so no nomination or decision is lost."""
    check_version(meeting, version)
    if db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == meeting.id)):
        raise RuleViolation(_l("Mødet har punkter på dagsordenen og kan ikke slettes. Tag indstillingerne af "
                               "dagsordenen, eller ret mødets oplysninger i stedet."))
    db.session.delete(meeting)
    db.session.flush()


def has_decisions(meeting: Meeting) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count()).select_from(Decision).join(AgendaItem)
                                  .where(AgendaItem.meeting_id == meeting.id)))


@dataclass(frozen=True)
class Choices:
    """What an agenda form offers: the meetings to come (soonest first) and those held lately (latest first)."""

    upcoming: list[Meeting]
    recent: list[Meeting]

    @property
    def next(self) -> Meeting | None:
        return self.upcoming[0] if self.upcoming else None


def choices(council: str, day: date, *, also: Meeting | None = None) -> Choices:
    """The council's meetings from the day on, and the last few before it; `also` is added where it would be
    missing (a meeting picked from its own page, or an older one already chosen)."""
    upcoming = list(db.session.scalars(sa.select(Meeting).where(Meeting.council_name == council, Meeting.date >= day)
                                       .order_by(Meeting.date)))
    recent = list(db.session.scalars(
        sa.select(Meeting).where(Meeting.council_name == council, Meeting.date < day, Meeting.date >= day - RECENT)
        .order_by(Meeting.date.desc()).limit(RECENT_COUNT)))
    if also is not None and also not in upcoming and also not in recent:
        (upcoming if also.date >= day else recent).append(also)
        upcoming.sort(key=lambda meeting: meeting.date)
        recent.sort(key=lambda meeting: meeting.date, reverse=True)
    return Choices(upcoming, recent)

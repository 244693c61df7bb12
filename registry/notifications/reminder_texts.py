"""The reminders' messages, in Danish whatever the reader's language, as every message to the party groups.
One writer per kind of reminder: (items, the party group or None for the secretariat, the day's situation)
to (subject, body)."""

from collections.abc import Callable
from datetime import date

from werkzeug.routing import BuildError

from registry.dates import danish_date
from registry.http import external_url
from registry.nominations.models import Call
from registry.notifications import services
from registry.notifications.due import AWAITING_DAYS, DUE_DAYS, Awaiting, Ending, Situation
from registry.notifications.models import MessageKind


def _link(text: str, endpoint: str) -> str:
    try:
        link = external_url(endpoint)
    except BuildError:
        link = None
    return f"{text}: {link}" if link else f"{text}."


def _call_line(call: Call) -> str:
    seat = call.seat
    return (f"- {seat.organisation.name}, {seat.label}: {call.role.danish}, {call.party.name} "
            f"(frist {danish_date(call.deadline)})")


def _ending_line(ending: Ending, *, party: bool) -> str:
    appointment = ending.appointment
    seat = appointment.seat
    who = f"{appointment.person.name} ({appointment.role.danish}"
    who += f", {appointment.party.letter})" if appointment.party is not None else ")"
    line = f"- {seat.organisation.name}, {seat.label}: {who}, sidste dag {danish_date(ending.last_day)}"
    if ending.carried_over:
        line += " (udløbet uden efterfølger; fortsætter, indtil ny er udpeget)"
    elif appointment.end_date is None:
        line += " (periodens udløb)"
    if party and ending.party is not None:
        line += f"; partigruppe: {ending.party.name}"
    return line


def _awaiting_line(awaiting: Awaiting, day: date) -> str:
    nomination = awaiting.nomination
    seat = nomination.seat
    line = f"- Indstilling nr. {nomination.id}: {nomination.person.name} som {nomination.role.danish}"
    if nomination.substitute is not None:
        line += f" (personlig suppleant: {nomination.substitute.name})"
    return (f"{line}, {seat.organisation.name}, {seat.label}; KKR's beslutning {danish_date(awaiting.since)}, "
            f"{(day - awaiting.since).days} dage siden; udpeges af {seat.authority}")


def _calls_due(calls: list[Call], party_id: int | None, now: Situation) -> tuple[str, str]:
    lines = [f"Påmindelse fra KKR-sekretariatet: {calls[0].party.name} er opfordret til at indstille til disse "
             f"pladser, og fristen er om højst {DUE_DAYS} dage.", "", *services.seat_lines(calls), "",
             _link("Indstil i udpegningsregistret", "nominations.party_home")]
    return f"Påmindelse: frist for indstilling om højst {DUE_DAYS} dage", "\n".join(lines)


def _calls_overdue(calls: list[Call], party_id: int | None, now: Situation) -> tuple[str, str]:
    lines = [f"Påmindelse fra KKR-sekretariatet: fristen er overskredet, og sekretariatet mangler stadig en "
             f"indstilling fra {calls[0].party.name} til disse pladser.", "", *services.seat_lines(calls), "",
             _link("Indstil i udpegningsregistret", "nominations.party_home")]
    return "Påmindelse: fristen for indstilling er overskredet", "\n".join(lines)


def _terms_ending(endings: list[Ending], party_id: int | None, now: Situation) -> tuple[str, str]:
    if party_id is None:
        lines = ["Påmindelse: disse medlemmers og suppleanters periode udløber inden for organisationens varsel.",
                 "", *(_ending_line(ending, party=True) for ending in endings), "",
                 _link("Se de udløbende perioder i udpegningsregistret", "dashboard.index")]
        return "Påmindelse: perioder, der udløber", "\n".join(lines)
    lines = [f"Påmindelse fra KKR-sekretariatet: perioden udløber snart eller er udløbet for disse holdere af "
             f"pladser, som {endings[0].party.name} har i valgperioden.", "",
             *(_ending_line(ending, party=False) for ending in endings), "",
             _link("Se partigruppens pladser i udpegningsregistret", "nominations.party_home")]
    return "Påmindelse: pladser, der snart bliver ledige", "\n".join(lines)


def _awaiting_authority(awaiting: list[Awaiting], party_id: int | None, now: Situation) -> tuple[str, str]:
    lines = [f"Påmindelse: disse indstillinger har ventet på den udpegende myndighed i over {AWAITING_DAYS} dage "
             "efter KKR's beslutning.", "", *(_awaiting_line(a, now.day) for a in awaiting), "",
             _link("Registrér myndighedens udpegning i udpegningsregistret", "meetings.authority_appointments")]
    return "Påmindelse: indstillinger, der venter på udpegende myndighed", "\n".join(lines)


def _digest(items: list[Situation], party_id: int | None, now: Situation) -> tuple[str, str]:
    year, week, _ = now.day.isocalendar()

    def section(title: str, lines: list[str]) -> list[str]:
        return ["", f"{title} ({len(lines)}):", *(lines or ["Ingen."])]

    lines = [f"Ugens overblik fra udpegningsregistret, {danish_date(now.day)}.",
             *section(f"Frister inden for {DUE_DAYS} dage", [_call_line(call) for call in now.due]),
             *section("Overskredne frister", [_call_line(call) for call in now.overdue]),
             *section("Perioder, der udløber", [_ending_line(ending, party=True) for ending in now.ending]),
             *section("Afventer udpegende myndighed", [_awaiting_line(a, now.day) for a in now.awaiting]),
             "", _link("Se mere i udpegningsregistret", "dashboard.index")]
    return f"Ugens overblik: uge {week}, {year}", "\n".join(lines)


WRITERS: dict[MessageKind, Callable[[list, int | None, Situation], tuple[str, str]]] = {
    MessageKind.call_due: _calls_due,
    MessageKind.call_overdue: _calls_overdue,
    MessageKind.term_ending: _terms_ending,
    MessageKind.awaiting_authority: _awaiting_authority,
    MessageKind.weekly_digest: _digest,
}

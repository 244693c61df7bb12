"""KKR meetings, their agenda items and decisions: the history of indstillinger.

Meetings, items and decisions are public: what KKR decided is in the
minutes. Nominations KKR has not yet decided are not: only the secretariat
sees them on a meeting's page. The secretariat places a nomination on the
agenda, copies the drafted agenda text, records KKR's decision and, where an
outside authority appoints, that authority's appointment. Every change goes
through meetings/services.py; a refusal is shown on the form and nothing
is saved. A version that changed since the form was shown is a conflict.
"""


from collections import Counter
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from registry.appointments.models import EndReason
from registry.auth.permissions import SECRETARIAT, is_secretariat, role_required
from registry.dates import local_date, today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.forms import show_refusal
from registry.http import commit, conflict_page, id_param, page_param
from registry.meetings import constituent, drafting, schedule, services
from registry.meetings import history as decisions
from registry.meetings.forms import (
    DEFERRED,
    NEW,
    AppointmentForm,
    AuthorityAppointmentsForm,
    DecideForm,
    DecideMeetingForm,
    DeleteMeetingForm,
    MeetingChoiceForm,
    MeetingForm,
    NotAppointedForm,
    PlaceForm,
    PublishForm,
    RoundAgendaForm,
    TakeOffForm,
    meeting_outcome_choices,
    outcome_choices,
)
from registry.meetings.models import AgendaItem, Decision, Meeting, Outcome
from registry.meetings.schedule import NewMeeting
from registry.nominations import services as nominations
from registry.nominations.models import Nomination, NominationStatus
from registry.notifications import services as notifications
from registry.organisations import services as organisation_services
from registry.organisations.models import ElectionPeriod, Organisation, Seat
from registry.paging import numbered
from registry.people import services as people_services
from registry.people.models import Person

bp = Blueprint("meetings", __name__)

PER_PAGE = 20

# Nominations that are on an item: neither withdrawn nor sent back (drafting.nominations_on says the same).
OFF_ITEM = (NominationStatus.withdrawn, NominationStatus.returned)


def conflict_message() -> str:
    return _("Indstillingen er ændret af en anden, mens du havde formularen åben. "
             "Se de nye oplysninger, og prøv igen.")


# Public: meetings and the history of decisions.

@bp.get("/moeder")
def index():
    meetings = numbered(sa.select(Meeting).order_by(Meeting.date.desc(), Meeting.id.desc()), page_param(), PER_PAGE)
    ids = [meeting.id for meeting in meetings.items]
    items = dict(db.session.execute(
        sa.select(AgendaItem.meeting_id, sa.func.count()).where(AgendaItem.meeting_id.in_(ids))
        .group_by(AgendaItem.meeting_id)).all()) if ids else {}
    return render_template("meetings/index.html", meetings=meetings, items=items)


@bp.get("/moeder/<int:meeting_id>")
def detail(meeting_id: int):
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.id == meeting_id)
                                .options(selectinload(Meeting.items).selectinload(AgendaItem.decisions)))
    if meeting is None:
        abort(404)
    # Undecided nominations are the party groups' and the secretariat's until KKR has decided.
    undecided: dict[int, list[Nomination]] = {}
    if is_secretariat():
        for nomination in db.session.scalars(
                sa.select(Nomination).join(AgendaItem, Nomination.item_id == AgendaItem.id)
                .where(AgendaItem.meeting_id == meeting.id, Nomination.status.not_in(OFF_ITEM))
                .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.party),
                         joinedload(Nomination.person), joinedload(Nomination.substitute))
                .order_by(Nomination.role, Nomination.id)):
            undecided.setdefault(nomination.item_id, []).append(nomination)
    # The items' saved texts name candidates KKR has yet to decide on: public once the agenda is published.
    published = meeting.is_published(today())
    return render_template("meetings/detail.html", meeting=meeting, nominations=undecided, published=published,
                           show_texts=published or is_secretariat(), publish_form=PublishForm())


@bp.post("/moeder/<int:meeting_id>/offentliggoer")
@role_required(*SECRETARIAT)
def publish(meeting_id: int):
    return _publication(meeting_id, services.publish_agenda,
                        _("Dagsordenen er offentliggjort: punkternes tekster kan nu ses af alle."))


@bp.post("/moeder/<int:meeting_id>/tilbagekald")
@role_required(*SECRETARIAT)
def unpublish(meeting_id: int):
    return _publication(meeting_id, services.unpublish_agenda,
                        _("Dagsordenen er ikke længere offentlig: punkternes tekster ses kun af sekretariatet."))


def _publication(meeting_id: int, change, message: str):
    meeting = db.get_or_404(Meeting, meeting_id)
    PublishForm().validate_on_submit()
    commit(lambda: change(meeting))
    flash(message, "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


# The secretariat: meetings created and corrected on purpose, never by a date typed into another form.

def _council() -> str:
    return current_app.config["COUNCIL_NAME"]


def _meeting_facts(form: MeetingForm) -> dict:
    return {"starts_at": form.starts_at.data, "ends_at": form.ends_at.data, "location": form.location.data,
            "case_number": form.case_number.data}


@bp.route("/moeder/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def create():
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = commit(lambda: schedule.create_meeting(_council(), form.meeting_date.data,
                                                             **_meeting_facts(form)))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            # Another meeting of the same day was saved between the check and the write.
            form.meeting_date.errors.append(_("Der blev oprettet et møde samme dag imens. Se listen over møder."))
        else:
            flash(_("Mødet den %(day)s er oprettet.", day=local_date(meeting.date)), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=None)


@bp.route("/moeder/<int:meeting_id>/rediger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def edit(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = MeetingForm(version=meeting.version)
    if request.method == "GET":
        form.meeting_date.data, form.location.data, form.case_number.data = (meeting.date, meeting.location,
                                                                             meeting.case_number)
        form.starts_at.data, form.ends_at.data = meeting.starts_at, meeting.ends_at
    context = {"meeting": meeting, "deletable": not meeting.items, "decided": schedule.has_decisions(meeting)}
    if form.validate_on_submit():
        try:
            commit(lambda: schedule.edit_meeting(meeting, day=form.meeting_date.data, version=form.version.data,
                                                 **_meeting_facts(form)))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, meeting, "meetings/form.html",
                                 _("Mødet er ændret af en anden, mens du havde formularen åben. Se de nye "
                                   "oplysninger, og prøv igen."), **context)
        else:
            flash(_("Mødets oplysninger er gemt."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, **context)


@bp.post("/moeder/<int:meeting_id>/slet")
@role_required(*SECRETARIAT)
def delete(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = DeleteMeetingForm()
    form.validate_on_submit()
    day = meeting.date
    try:
        commit(lambda: schedule.delete_meeting(meeting, version=form.version.data))
    except RuleViolation as refused:
        flash(str(refused), "error")
    except Conflict:
        flash(_("Mødet er ændret af en anden imens. Se de nye oplysninger, og prøv igen."), "error")
    else:
        flash(_("Mødet den %(day)s er slettet.", day=local_date(day)), "success")
        return redirect(url_for("meetings.index"))
    return redirect(url_for("meetings.edit", meeting_id=meeting_id))


def _offer_meetings(form: MeetingChoiceForm) -> None:
    """The meetings to pick from, and on a first view the one to start with: the meeting asked for
    (?moede=<id>, from a meeting's page), else the next to come, else a new one."""
    council = _council()
    asked = id_param("moede", prefill=True) if request.method == "GET" else (
        int(form.meeting.data) if (form.meeting.data or "").isascii() and form.meeting.data.isdigit()
        and len(form.meeting.data) < 10 else None)
    also = db.session.get(Meeting, asked) if asked else None
    also = also if also is not None and also.council_name == council else None
    choices = schedule.choices(council, today(), also=also)
    form.offer(choices)
    if request.method == "GET":
        start = also or choices.next
        form.meeting.data = str(start.id) if start else NEW


def _chosen_meeting(form: MeetingChoiceForm) -> Meeting | NewMeeting | None:
    """The meeting the validated form names, or the new one it asks for; None, with the reason on the form,
    when the meeting picked is not (or no longer) there."""
    council = _council()
    if form.meeting.data == NEW:
        return NewMeeting(council, form.meeting_date.data, starts_at=form.starts_at.data,
                          location=form.location.data, case_number=form.case_number.data)
    meeting = db.session.get(Meeting, form.chosen_id())
    if meeting is None or meeting.council_name != council:
        form.meeting.errors.append(_("Mødet findes ikke længere. Vælg et møde på listen."))
        return None
    return meeting


def _filter(name: str, model):
    """?organisation=<id> and the like: the row, None when absent; 400 when not an id, 404 when unknown."""
    row_id = id_param(name)
    return None if row_id is None else db.get_or_404(model, row_id)


@bp.get("/beslutninger")
def history():
    """Every decision KKR has made, newest meeting first; per organisation, person or meeting. A page at a
    time by a stable key: ?efter=<decision> continues after the last decision shown, ?foer=<decision> goes
    back before the first."""
    organisation = _filter("organisation", Organisation)
    person = _filter("person", Person)
    meeting = _filter("moede", Meeting)
    selection = decisions.Selection(meeting_id=meeting.id if meeting else None,
                                    organisation_id=organisation.id if organisation else None,
                                    person_id=person.id if person else None)
    window = decisions.window(selection, after=id_param("efter"), before=id_param("foer"))
    if window is None:
        abort(404)
    if person is not None and not window.items and not is_secretariat() \
            and people_services.get_person(person.id, public=True) is None:
        # The page names the person it is filtered by: a candidate no decision concerns yet is not public.
        abort(404)
    filters = {name: row.id for name, row in
               (("organisation", organisation), ("person", person), ("moede", meeting)) if row is not None}
    export_url = url_for("exchange.decisions_csv", **filters)
    return render_template("meetings/history.html", entries=window.items, window=window,
                           organisation=organisation, person=person, meeting=meeting, filters=filters,
                           export_url=export_url)


@bp.get("/beslutninger/<int:decision_id>")
def decision(decision_id: int):
    """One decision and everyone it concerns, a page at a time (an imported decision may concern hundreds);
    ?organisation= keeps to one organisation's posts, as the list it was reached from."""
    found = db.get_or_404(Decision, decision_id, options=[joinedload(Decision.item).joinedload(AgendaItem.meeting)])
    organisation = _filter("organisation", Organisation)
    selection = decisions.Selection(organisation_id=organisation.id if organisation else None)
    window = decisions.of_decision(found, selection, after=id_param("efter"), before=id_param("foer"))
    if window is None:
        abort(404)
    return render_template("meetings/decision.html", decision=found, window=window, organisation=organisation,
                           filters={"organisation": organisation.id} if organisation else {})


# The secretariat: an item's nominations and drafted text.

@bp.get("/moeder/punkter/<int:item_id>")
@role_required(*SECRETARIAT)
def item(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    day = item.meeting.date
    listed = [(nomination, nominations.warnings(nomination.seat, nomination.role, nomination.party,
                                                [person for person, _ in nomination.candidates], day,
                                                viewer=current_user, nomination=nomination))
              for nomination in drafting.nominations_on(item)]
    return render_template("meetings/item.html", item=item, nominations=listed, draft=drafting.draft(item))


@bp.post("/moeder/punkter/<int:item_id>/tekst")
@role_required(*SECRETARIAT)
def save_draft(item_id: int):
    """Store the text drafted now (not what the browser sent) as the item's title, background and recommendation."""
    item = db.get_or_404(AgendaItem, item_id)
    draft = drafting.draft(item)
    if draft is None:
        flash(_("Der er ingen indstillinger på punktet at skrive teksten ud fra."), "error")
        return redirect(url_for("meetings.item", item_id=item.id))

    def store() -> None:
        item.title = draft.title[:300]
        item.background = draft.background
        item.recommendation = draft.recommendation
        db.session.flush()

    try:
        commit(store)
    except Conflict:
        flash(_("Punktet blev ændret af en anden imens. Prøv igen."), "error")
    else:
        flash(_("Teksten er gemt på punkt %(number)s.", number=item.number), "success")
    return redirect(url_for("meetings.item", item_id=item.id))


# The secretariat: a nomination onto the agenda, KKR's decision, the outside authority's appointment.

def _nomination(nomination_id: int) -> Nomination:
    nomination = nominations.get_visible(nomination_id, current_user)
    if nomination is None:
        abort(404)
    return nomination


def _nomination_url(nomination: Nomination) -> str:
    return url_for("nominations.detail", nomination_id=nomination.id)


def _blocked(nomination: Nomination, status: NominationStatus, message: str) -> str | None:
    """On a GET, why the form cannot succeed now; a POST gets the service's refusal on the form instead."""
    return message if request.method == "GET" and nomination.status is not status else None


def _candidates(nomination: Nomination) -> str:
    return ", ".join(_("%(name)s som %(role)s", name=person.name, role=role.label)
                     for person, role in nomination.candidates)


@bp.route("/indstillinger/<int:nomination_id>/dagsorden", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def place(nomination_id: int):
    nomination = _nomination(nomination_id)
    form = PlaceForm(version=nomination.version)
    _offer_meetings(form)
    blocked = _blocked(nomination, NominationStatus.submitted,
                       _("Indstillingen er %(status)s. Kun en indsendt indstilling kan sættes på dagsordenen.",
                         status=nomination.status.label))
    if form.validate_on_submit() and (meeting := _chosen_meeting(form)) is not None:
        try:
            item = commit(lambda: services.place(nomination, meeting, form.item_number.data, title=form.title.data,
                                                 case_worker=form.case_worker.data, version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, nomination, "meetings/place.html", conflict_message(),
                                 nomination=nomination, blocked=None)
        else:
            notifications.deliver_after_commit()
            flash(_("Indstillingen er sat på dagsordenen for mødet den %(day)s som punkt %(number)s.",
                    day=local_date(item.meeting.date), number=item.number), "success")
            return redirect(url_for("meetings.item", item_id=item.id))
    return render_template("meetings/place.html", form=form, nomination=nomination, blocked=blocked)


@bp.post("/indstillinger/<int:nomination_id>/tag-af-dagsorden")
@role_required(*SECRETARIAT)
def take_off(nomination_id: int):
    nomination = _nomination(nomination_id)
    form = TakeOffForm()
    form.validate_on_submit()
    had_text = nomination.item is not None and bool(nomination.item.background or nomination.item.recommendation)
    try:
        commit(lambda: services.take_off_agenda(nomination, version=form.version.data))
    except RuleViolation as refused:
        flash(str(refused), "error")
    except Conflict:
        flash(conflict_message(), "error")
    else:
        notifications.deliver_after_commit()
        flash(_("Indstillingen er taget af dagsordenen og er igen indsendt."), "success")
        if had_text:
            flash(_("Punktets gemte tekst nævnte indstillingen og er fjernet. Gem en ny tekst til punktet."))
    return redirect(_nomination_url(nomination))


def _not_held(meeting: Meeting | None) -> Meeting | None:
    """The meeting, if it has yet to take place: a decision recorded for it is warned about, not refused."""
    return meeting if meeting is not None and not meeting.is_held(today()) else None


def _warn_not_held(meeting: Meeting | None) -> None:
    if _not_held(meeting) is not None:
        flash(_("Bemærk: KKR's beslutning er registreret for mødet den %(day)s, som ikke har fundet sted endnu.",
                day=local_date(meeting.date)), "warning")


def _same_text(text: str | None) -> str:
    return " ".join((text or "").split())


@bp.route("/indstillinger/<int:nomination_id>/beslutning", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def decide(nomination_id: int):
    nomination = _nomination(nomination_id)
    outcomes = services.outcomes_for(nomination)
    form = DecideForm(version=nomination.version)
    form.outcome.choices = outcome_choices(outcomes)
    # The text as drafted for each outcome: left as it was, it is drafted again for the outcome chosen (with
    # the date KKR appoints from), and the page shows the one for the outcome chosen.
    drafts = {outcome: drafting.decision_text(nomination, outcome) for outcome in outcomes}
    drafted = {_same_text(text) for text in drafts.values()}
    if request.method == "GET":
        chosen = Outcome.noted if Outcome.noted in outcomes else outcomes[0]
        form.outcome.data = chosen.value
        form.text.data = drafts[chosen]
        form.reason.data = services.predecessor_reason(nomination).value
    blocked = _blocked(nomination, NominationStatus.on_agenda,
                       _("Indstillingen er %(status)s. KKR's beslutning kan kun registreres for en indstilling "
                         "på dagsordenen.", status=nomination.status.label))
    meeting = nomination.item.meeting if nomination.item else None
    context = {"nomination": nomination, "drafts": drafts, "not_held": _not_held(meeting)}
    if form.validate_on_submit():
        outcome = Outcome(form.outcome.data)
        text = (form.text.data or "").strip()
        if _same_text(text) in drafted:
            text = None
        try:
            commit(lambda: services.decide(nomination, outcome, text=text, effective=form.effective_date.data,
                                           reason=EndReason(form.reason.data), version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, nomination, "meetings/decide.html", conflict_message(), blocked=None,
                                 **context)
        else:
            notifications.deliver_after_commit()
            if nomination.status is NominationStatus.appointed:
                message = _("KKR's beslutning er registreret: %(who)s er udpeget fra %(day)s.",
                            who=_candidates(nomination), day=local_date(nomination.appointed_on))
            elif nomination.status is NominationStatus.pending:
                message = _("KKR's beslutning er registreret: %(outcome)s. Indstillingen afventer nu udpegningen "
                            "fra %(authority)s.", outcome=outcome.label,
                            authority=nomination.seat.organisation.appointing_authority)
            else:
                message = _("KKR's beslutning er registreret: %(outcome)s.", outcome=outcome.label)
            flash(message, "success")
            _warn_not_held(meeting)
            return redirect(_nomination_url(nomination))
    if request.method == "POST" and _same_text(form.text.data) in drafted and form.outcome.data in {
            outcome.value for outcome in outcomes}:
        # Shown again: an unchanged draft reads as the outcome now chosen.
        form.text.data = drafts[Outcome(form.outcome.data)]
    return render_template("meetings/decide.html", form=form, blocked=blocked, **context)


@bp.route("/indstillinger/<int:nomination_id>/udpegning", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def record_appointment(nomination_id: int):
    """The outside authority has appointed: seat the new holder and end the predecessor the day before."""
    nomination = _nomination(nomination_id)
    form = AppointmentForm(version=nomination.version)
    if request.method == "GET":
        form.reason.data = services.predecessor_reason(nomination).value
    blocked = _blocked(nomination, NominationStatus.pending,
                       _("Indstillingen er %(status)s. Udpegningen kan kun registreres for en indstilling, der "
                         "afventer udpegning.", status=nomination.status.label))
    if form.validate_on_submit():
        try:
            commit(lambda: services.record_appointment(nomination, form.appointed_on.data,
                                                       reason=EndReason(form.reason.data), version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, nomination, "meetings/appointment.html", conflict_message(),
                                 nomination=nomination, blocked=None)
        else:
            notifications.deliver_after_commit()
            flash(_("Udpegningen er registreret: %(who)s fra %(day)s.", who=_candidates(nomination),
                    day=local_date(nomination.appointed_on)), "success")
            return redirect(_nomination_url(nomination))
    return render_template("meetings/appointment.html", form=form, nomination=nomination, blocked=blocked)


@bp.route("/indstillinger/<int:nomination_id>/ikke-beskikket", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def record_not_appointed(nomination_id: int):
    """The outside authority did not appoint: the nomination ends as ikke beskikket, the seat stays as it is."""
    nomination = _nomination(nomination_id)
    form = NotAppointedForm(version=nomination.version)
    blocked = _blocked(nomination, NominationStatus.pending,
                       _("Indstillingen er %(status)s. Kun en indstilling, der afventer udpegning, kan registreres "
                         "som ikke beskikket.", status=nomination.status.label))
    if form.validate_on_submit():
        try:
            commit(lambda: services.record_not_appointed(nomination, form.decided_on.data, note=form.note.data,
                                                         version=form.version.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        except Conflict:
            return conflict_page(form, nomination, "meetings/not_appointed.html", conflict_message(),
                                 nomination=nomination, blocked=None)
        else:
            notifications.deliver_after_commit()
            flash(_("Registreret: %(authority)s har ikke beskikket %(who)s. Pladsen er uændret.",
                    authority=nomination.seat.authority, who=_candidates(nomination)),
                  "success")
            return redirect(_nomination_url(nomination))
    return render_template("meetings/not_appointed.html", form=form, nomination=nomination, blocked=blocked)


# The constituent meeting of an election-period round: everything at once.

def _period_chosen(form) -> ElectionPeriod | None:
    """The period the form names, among those there are (the one containing today by default)."""
    periods = organisation_services.election_periods()
    form.period.choices = [(period.id, period.name) for period in periods]
    chosen = next((period for period in periods if period.id == form.period.data), None)
    if chosen is None:
        chosen = organisation_services.default_period(today())
        if request.method == "GET" and chosen is not None:
            form.period.data = chosen.id
    return chosen


@bp.route("/moeder/runde", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def round_agenda():
    """Every submitted nomination of the period's round onto one meeting, one item per body."""
    form = RoundAgendaForm()
    if request.method == "GET":
        form.period.data = request.args.get("periode", type=int)
    period = _period_chosen(form)
    _offer_meetings(form)
    found = constituent.round_nominations(period) if period else []
    if form.validate_on_submit() and (meeting := _chosen_meeting(form)) is not None:
        try:
            items = commit(lambda: constituent.place_round(found, meeting, form.section.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        else:
            notifications.deliver_after_commit()
            flash(ngettext("%(num)d indstilling er sat på dagsordenen, ét punkt pr. organisation.",
                           "%(num)d indstillinger er sat på dagsordenen, ét punkt pr. organisation.", len(found)),
                  "success")
            return redirect(url_for("meetings.detail", meeting_id=items[0].meeting_id))
    return render_template("meetings/round_agenda.html", form=form, nominations=found, period=period)


@bp.route("/moeder/<int:meeting_id>/beslutninger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def decide_meeting(meeting_id: int):
    """KKR's decisions on every nomination on the meeting's agenda, or on one item of it (?punkt=<item id>), in
    one step; the exceptions are marked, and a nomination marked udsat stays on the agenda."""
    meeting = db.get_or_404(Meeting, meeting_id)
    item = _item_on(meeting, id_param("punkt"))
    waiting = constituent.nominations_on(meeting, item)
    form = DecideMeetingForm()
    if request.method == "GET":
        form.effective_date.data = constituent.seated_from(
            meeting, [n for n in waiting if constituent.usual_outcome(n) is Outcome.appointed])
    choices = {n.id: meeting_outcome_choices(services.outcomes_for(n)) for n in waiting}
    chosen = {n.id: request.form.get(f"outcome-{n.id}") for n in waiting}
    deferred = {n_id for n_id, value in chosen.items() if value == DEFERRED}
    outcomes = {n_id: Outcome(value) for n_id, value in chosen.items()
                if value and value != DEFERRED and value in {choice.value for choice in choices[n_id]}}
    if form.validate_on_submit():
        try:
            # Counted before the commit, which expires the decisions.
            decided = commit(lambda: Counter(decision.outcome for decision in constituent.decide_meeting(
                meeting, outcomes, form.effective_date.data, item=item, deferred=deferred)))
        except RuleViolation as refused:
            show_refusal(form, refused)
        else:
            notifications.deliver_after_commit()
            flash(_decided_message(decided, form.effective_date.data, len(deferred)), "success")
            _warn_not_held(meeting)
            return redirect(url_for("meetings.detail", meeting_id=meeting.id,
                                    _anchor=f"item-{item.id}" if item else None))
    rows = [(nomination, outcomes.get(nomination.id, constituent.usual_outcome(nomination)).value
             if nomination.id not in deferred else DEFERRED, choices[nomination.id]) for nomination in waiting]
    return render_template("meetings/decide_meeting.html", form=form, meeting=meeting, item=item, rows=rows,
                           not_held=_not_held(meeting))


def _item_on(meeting: Meeting, item_id: int | None) -> AgendaItem | None:
    """The item ?punkt= names: one of the meeting's, else 404."""
    if item_id is None:
        return None
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


def _decided_message(counts: Counter[Outcome], effective: date, deferred: int) -> str:
    """What was decided, counted by outcome: "… for 3 indstillinger. Udfald: 2 udpeget, 1 indstillet. …"."""
    message = ngettext("KKR's beslutning er registreret for %(num)d indstilling.",
                       "KKR's beslutning er registreret for %(num)d indstillinger.", counts.total())
    message += " " + _("Udfald: %(outcomes)s.", outcomes=", ".join(f"{counts[outcome]} {outcome.label}"
                                                                   for outcome in Outcome if counts[outcome]))
    if counts[Outcome.appointed]:
        message += " " + ngettext("Udpegningen gælder fra %(day)s.", "Udpegningerne gælder fra %(day)s.",
                                  counts[Outcome.appointed], day=local_date(effective))
    if deferred:
        message += " " + ngettext("%(num)d indstilling er udsat og står stadig på dagsordenen.",
                                  "%(num)d indstillinger er udsat og står stadig på dagsordenen.", deferred)
    return message


@bp.route("/indstillinger/afventende", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def authority_appointments():
    """Recommendations waiting for outside authorities; one date seats all of one authority's."""
    pending = constituent.pending_by_authority()
    form = AuthorityAppointmentsForm()
    form.authority.choices = [(authority, authority) for authority in pending]
    if form.validate_on_submit():
        try:
            seated = commit(lambda: constituent.record_authoritys_appointments(form.authority.data,
                                                                         form.appointed_on.data))
        except RuleViolation as refused:
            show_refusal(form, refused)
        else:
            notifications.deliver_after_commit()
            flash(_("%(authority)s har udpeget %(num)d fra %(day)s.", authority=form.authority.data,
                    num=len(seated), day=local_date(form.appointed_on.data)), "success")
            return redirect(url_for("meetings.authority_appointments"))
    return render_template("meetings/authority_appointments.html", form=form, pending=pending)


@bp.get("/moeder/<int:meeting_id>/bilag")
@role_required(*SECRETARIAT)
def annex(meeting_id: int):
    """The round's annex for KKR to approve: every nomination on the meeting, grouped by body, one page."""
    meeting = db.get_or_404(Meeting, meeting_id)
    listed = db.session.scalars(
        sa.select(Nomination).join(Nomination.item)
        .where(AgendaItem.meeting_id == meeting.id, Nomination.status.not_in(OFF_ITEM))
        .options(joinedload(Nomination.seat).joinedload(Seat.organisation), joinedload(Nomination.person),
                 joinedload(Nomination.substitute), joinedload(Nomination.party), joinedload(Nomination.item))
        .order_by(AgendaItem.position, AgendaItem.number, Seat.position, Nomination.id)
        .join(Nomination.seat)).all()
    by_item: dict[int, list[Nomination]] = {}
    for nomination in listed:
        by_item.setdefault(nomination.item_id, []).append(nomination)
    return render_template("meetings/annex.html", meeting=meeting, by_item=by_item,
                           items={n.item_id: n.item for n in listed})

"""The election-period round's pages: periods, the KKR's composition and valggrupper, share-outs by d'Hondt, and
the allocation grid. The composition and the allocation are public once recorded (what the secretariat records
is what KKR decided); the calculator's share-outs and every form are the secretariat's.

A page that asks for a period (?periode=<id>) shows the one containing today when none is asked for.
"""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry.auth.permissions import SECRETARIAT, role_required
from registry.dates import today
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.forms import show_refusal
from registry.http import commit, id_param
from registry.organisations import services as organisations
from registry.organisations.forms import choices
from registry.organisations.models import ElectionPeriod, Organisation
from registry.people.models import Party
from registry.rounds import dhondt, grid, services
from registry.rounds.forms import PeriodForm, ShareOutForm, agreement_form, composition_form, grid_form
from registry.rounds.models import ShareOut
from registry.types import danish_order

bp = Blueprint("rounds", __name__)

CHANGED_MEANWHILE = _l("Andre har gemt ændringer, mens du havde formularen åben. Se de nye oplysninger, og prøv "
                       "igen.")


def _period() -> ElectionPeriod | None:
    """?periode=<id>, else the period containing today (or the nearest)."""
    if (period_id := id_param("periode")) is not None:
        return db.get_or_404(ElectionPeriod, period_id)
    return organisations.default_period(today())


def _no_period():
    flash(_("Der er ingen valgperioder endnu. Opret den første."), "info")
    return redirect(url_for("rounds.periods"))


def _save(form, change):
    """Run the service and commit; None when refused (shown on the form) or saved by someone else meanwhile."""
    try:
        return commit(change)
    except grid.GridRefused as refused:
        for name, message in refused.errors.items():
            form[name].errors = [*form[name].errors, message]
        form.form_errors.append(_("Intet er gemt. Ret de markerede rækker, og gem igen."))
    except RuleViolation as refused:
        show_refusal(form, refused)
    except Conflict:
        db.session.rollback()
        flash(CHANGED_MEANWHILE, "error")
    return None


# Periods.

@bp.get("/valgperioder")
@role_required(*SECRETARIAT)
def periods():
    return render_template("rounds/periods.html", periods=organisations.election_periods(),
                           current=organisations.period_on(today()))


@bp.route("/valgperioder/ny", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def create_period():
    form = PeriodForm()
    if form.validate_on_submit():
        saved = _save(form, lambda: organisations.create_period(**form.values()))
        if saved is not None:
            flash(_("Valgperioden %(name)s er oprettet. Registrér KKR's sammensætning, og fordel pladserne.",
                    name=saved.name), "success")
            return redirect(url_for("rounds.edit_composition", periode=saved.id))
    return render_template("rounds/period_form.html", form=form, period=None)


@bp.route("/valgperioder/rediger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def edit_period():
    period = _period()
    if period is None:
        return _no_period()
    form = PeriodForm(data=dict(name=period.name, start_date=period.start_date, end_date=period.end_date,
                                seen=organisations.period_fingerprint(period)))
    if form.validate_on_submit():
        saved = _save(form, lambda: organisations.update_period(period, **form.values(), fingerprint=form.seen.data))
        if saved is not None:
            flash(_("Valgperioden %(name)s er gemt.", name=saved.name), "success")
            return redirect(url_for("rounds.periods"))
        form.seen.data = organisations.period_fingerprint(period)
    return render_template("rounds/period_form.html", form=form, period=period)


# The KKR's composition and valggrupper.

@bp.get("/valgperioder/sammensaetning")
def composition():
    period = _period()
    if period is None:
        return render_template("rounds/composition.html", period=None, periods=[])
    members = services.composition(period)
    rows = grid.rows(period)
    named = {group.id: group for group in services.groups(period)}
    return render_template("rounds/composition.html", period=period, periods=organisations.election_periods(),
                           members=members, groups=named, rows=rows, total=sum(row.members for row in members))


@bp.route("/valgperioder/sammensaetning/rediger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def edit_composition():
    period = _period()
    if period is None:
        return _no_period()
    parties = list(db.session.scalars(sa.select(Party).order_by(danish_order(Party.letter))))
    data = {"seen": services.composition_fingerprint(period)}
    for row in services.composition(period):
        data[f"members_{row.party_id}"] = row.members
        data[f"group_{row.party_id}"] = row.group.name if row.group else ""
    form = composition_form(parties, data)
    if form.validate_on_submit():
        if _save(form, lambda: services.set_composition(period, form.lines(parties), seen=form.seen.data)):
            flash(_("KKR's sammensætning i %(period)s er gemt.", period=period.name), "success")
            return redirect(url_for("rounds.composition", periode=period.id))
        form.seen.data = services.composition_fingerprint(period)
    return render_template("rounds/composition_form.html", form=form, period=period, parties=parties)


# Share-outs by d'Hondt.

@bp.route("/valgperioder/fordelinger", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def share_outs():
    period = _period()
    if period is None:
        return _no_period()
    form = ShareOutForm(organisation=id_param("organisation", prefill=True) or 0)
    form.organisation.choices = choices([(0, _("Flere organisationer"))]
                                        + [(body.id, body.name) for body in grid.bodies(period)])
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation.data) if form.organisation.data else None
        note = (form.note.data or "").strip() or None
        saved = _save(form, lambda: services.record_share_out(period, form.seats.data, organisation=organisation,
                                                              note=note, by=current_user))
        if saved is not None:
            flash(_("Fordelingen er beregnet og gemt."), "success")
            return redirect(url_for("rounds.share_out", fordeling=saved.id))
    return render_template("rounds/share_outs.html", form=form, period=period,
                           periods=organisations.election_periods(), share_outs=services.share_outs(period))


@bp.route("/valgperioder/fordelinger/vis", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def share_out():
    share_id = id_param("fordeling")
    if share_id is None:
        return redirect(url_for("rounds.share_outs"))
    share = db.get_or_404(ShareOut, share_id)
    data = services.stored(share)
    result = dhondt.from_json(data)
    names = [row["name"] for row in data["rows"]]
    form = agreement_form(names, {f"share_{index}": row["agreed"] for index, row in enumerate(data["rows"])}
                          | {"note": share.note})
    if form.validate_on_submit():
        agreed = {name: form[f"share_{index}"].data for index, name in enumerate(names)}
        note = (form.note.data or "").strip() or None
        if _save(form, lambda: services.agree(share, agreed, note)) is not None:
            flash(_("Fordelingen efter aftale er gemt."), "success")
            return redirect(url_for("rounds.share_out", fordeling=share.id))
    return render_template("rounds/share_out.html", share=share, result=result, data=data, form=form,
                           format_quotient=dhondt.format_quotient)


# The allocation grid.

@bp.route("/valgperioder/pladsfordeling", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def allocation_grid():
    period = _period()
    if period is None:
        return _no_period()
    body_id = id_param("organisation")
    organisation = db.get_or_404(Organisation, body_id) if body_id else None
    rows = grid.rows(period, organisation)
    data = {f"seat_{row.seat.id}": row.value for row in rows} | {"seen": grid.grid_fingerprint(rows)}
    filled_from = None
    if request.method == "GET" and (share_id := id_param("fordeling")) is not None:
        filled_from = db.get_or_404(ShareOut, share_id)
        if filled_from.period_id != period.id:
            filled_from = None
        else:
            data |= {f"seat_{seat_id}": value for seat_id, value in grid.filled_from(filled_from, rows).items()}
    form = grid_form(rows, grid.holders(period), data)
    if form.validate_on_submit():
        values = {row.seat.id: form[f"seat_{row.seat.id}"].data or "" for row in rows}
        changed = _save(form, lambda: grid.save(period, rows, values, seen=form.seen.data))
        if changed is not None:
            flash(_("Pladsfordelingen for %(period)s er gemt (%(count)d ændret).", period=period.name,
                    count=changed), "success")
            return redirect(url_for("rounds.allocation_grid", periode=period.id,
                                    organisation=organisation.id if organisation else None))
        if not form.errors and not form.form_errors:
            # Someone else saved meanwhile: show the grid as it is now.
            return redirect(url_for("rounds.allocation_grid", periode=period.id,
                                    organisation=organisation.id if organisation else None))
    return render_template("rounds/grid.html", form=form, period=period, rows=rows, organisation=organisation,
                           bodies=grid.bodies(period), periods=organisations.election_periods(),
                           share_outs=services.share_outs(period), filled_from=filled_from)

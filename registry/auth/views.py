import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from registry import security
from registry.audit.services import Actor, acting_as
from registry.auth import services
from registry.auth.forms import LoginForm
from registry.auth.models import UserRole
from registry.dates import utcnow
from registry.extensions import db
from registry.http import local_path

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None, user) -> str:
    """The page the user came for, if it is on this site; otherwise the user's own start page."""
    if path := local_path(target):
        return path
    if user.role is UserRole.party:
        return url_for("nominations.party_home")
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Logging in, throttled per account and per address (registry/auth/services.py).

    Several short transactions rather than one: the attempt is counted and committed before the
    password is checked (so parallel guesses see it), and no transaction is held open while the
    deliberately slow hash is computed.
    """
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    throttle = services.Throttle.from_config(current_app.config)
    address = (request.remote_addr or "ukendt")[:64]
    now = utcnow()

    if until := services.address_refused_until(address, throttle, now):
        db.session.rollback()  # end the read; on SQLite a write must begin its own transaction
        services.login_refused(None, "address", now)
        db.session.commit()
        return _refused(form, until, now, _("Der er for mange mislykkede forsøg på at logge ind fra din "
                                            "adresse."))
    db.session.rollback()

    attempt = services.begin_login(form.username.data.strip(), address, throttle, now)
    if attempt.locked:
        services.login_refused(attempt, "locked", now)
        db.session.commit()
        # The same words whether or not the username exists.
        return _refused(form, attempt.locked_until, now,
                        _("Der er for mange mislykkede forsøg på at logge ind med dette brugernavn fra din "
                          "adresse."))
    db.session.commit()  # counted before the password is checked

    if not services.password_matches(attempt, form.password.data):
        services.login_failed(attempt, throttle, now)
        db.session.commit()
        form.password.errors.append(_("Forkert brugernavn eller adgangskode."))
        return render_template("auth/login.html", form=form)

    # The login is the user's own act in the audit trail, though the session is not theirs until committed.
    with acting_as(Actor(attempt.username, attempt.user_id, address)):
        user = services.login_succeeded(attempt, form.password.data)
        db.session.commit()
    session.clear()  # a new session on login
    login_user(user)
    security.start_session()
    return redirect(_safe_next(request.args.get("next"), user))


def _refused(form: LoginForm, until, now, reason: str):
    """429 with the reason and when to try again; the password was not checked."""
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    again = ngettext("Prøv igen om %(num)d minut.", "Prøv igen om %(num)d minutter.", minutes)
    response = current_app.make_response(
        (render_template("auth/login.html", form=form, refusal=f"{reason} {again}"), 429))
    response.headers["Retry-After"] = str(minutes * 60)
    return response


@bp.post("/logout")
@login_required
def logout():
    services.logout(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du er logget ud."))
    return redirect(url_for("organisations.index"))

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from registry.audit.services import record
from registry.auth.forms import LoginForm
from registry.auth.models import User
from registry.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect to another host.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("organisations.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).where(User.username == form.username.data.strip()))
        if user is not None and user.active and user.check_password(form.password.data):
            session.clear()  # a new session on login
            login_user(user)
            record(db.session, "login", "users", user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        record(db.session, "login_failed", changes={"username": form.username.data[:80]})
        db.session.commit()
        form.password.errors.append(_("Forkert brugernavn eller adgangskode."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    record(db.session, "logout", "users", current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du er logget ud."))
    return redirect(url_for("organisations.index"))

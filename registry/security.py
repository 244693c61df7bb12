"""Security headers on every response, the absolute lifetime of a login, and a Danish page for a refused
CSRF token.

create_app calls register(app) once. CSRF itself is Flask-WTF's CSRFProtect (registry/extensions.py),
which checks every POST, PUT, PATCH and DELETE app-wide before the view runs; nothing is exempt.
"""

import time

from flask import Flask, current_app, flash, render_template, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import logout_user
from flask_wtf.csrf import CSRFError

from registry.http import bad_request, json_error

# Scripts and styles from this site only (the DKFDS files are vendored): no inline script or style,
# no eval. data: images for DKFDS's CSS. No site may frame the pages (clickjacking).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# The session key holding the time of the login (seconds since the epoch); the cookie is signed, so
# the user cannot change it.
LOGIN_AT = "login_at"
# A login time this far ahead of the clock is another host's clock, not a forgery.
CLOCK_SKEW_SECONDS = 300

CSRF_MESSAGE = _l("Formularen kunne ikke sendes, fordi dens sikkerhedsnøgle mangler eller er udløbet. "
                  "Gå tilbage, genindlæs siden, og prøv igen.")


def start_session() -> None:
    """Called right after login_user: the absolute lifetime counts from now."""
    session[LOGIN_AT] = int(time.time())


def register(app: Flask) -> None:
    """Install the hooks on the app. Once is enough; a second call does nothing."""
    if app.extensions.get("registry.security"):
        return
    app.extensions["registry.security"] = True
    app.before_request(_refuse_nul)
    app.before_request(_end_expired_login)
    app.after_request(_add_headers)
    app.register_error_handler(CSRFError, _csrf_refused)


def _refuse_nul() -> None:
    """A NUL character is never part of real input, and PostgreSQL cannot store one: a clear 400, not a 500."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                bad_request(_("Forespørgslen indeholder et ugyldigt tegn (NUL)."))


def _end_expired_login() -> None:
    """Log out a session older than SESSION_LIFETIME_HOURS, however active; and one without a login time."""
    if "_user_id" not in session:
        return
    hours = current_app.config["SESSION_LIFETIME_HOURS"]
    login_at = session.get(LOGIN_AT)
    age = time.time() - login_at if isinstance(login_at, (int, float)) else None
    if age is not None and -CLOCK_SKEW_SECONDS <= age < hours * 3600:
        return
    logout_user()
    session.clear()
    whole = int(hours) if float(hours).is_integer() else None
    if whole is not None:
        flash(ngettext("Du er blevet logget ud, fordi et login højst varer %(num)d time. Log ind igen.",
                       "Du er blevet logget ud, fordi et login højst varer %(num)d timer. Log ind igen.", whole),
              "warning")
    else:
        flash(_l("Du er blevet logget ud, fordi dit login var for gammelt. Log ind igen."), "warning")


def _add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:  # behind a proxy: X-Forwarded-Proto, through ProxyFix (TRUSTED_PROXIES)
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={current_app.config['HSTS_SECONDS']}")
    if "_user_id" in session and request.endpoint != "static" and "Cache-Control" not in response.headers:
        # A page for a logged-in user may hold what others must not see: no browser or proxy keeps it.
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
    return response


def _csrf_refused(error: CSRFError):
    """400 with a Danish page; the refused request has changed nothing (the check runs before the view)."""
    if request.path.startswith("/api/"):
        return json_error(error)
    return render_template("error.html", code=400, message=CSRF_MESSAGE), 400

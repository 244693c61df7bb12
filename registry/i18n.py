"""The two languages: Danish, the source language, and English, its translation.

The choice is kept in the `lang` cookie, so it works without logging in;
`/sprog/<code>` sets it and sends the reader back to the page they came from.
"""

from babel.support import NullTranslations
from flask import Blueprint, Flask, abort, current_app, g, has_request_context, redirect, request, url_for
from flask_babel import get_locale, get_translations

from registry.dates import local_date
from registry.http import local_path

LANGUAGES = {"da": "Dansk", "en": "English"}
DEFAULT_LANGUAGE = "da"
COOKIE = "lang"
ONE_YEAR = 365 * 24 * 60 * 60

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The locale selector for Flask-Babel: the cookie, else Danish."""
    if has_request_context() and (code := request.cookies.get(COOKIE)) in LANGUAGES:
        return code
    return DEFAULT_LANGUAGE


def page_catalogue() -> NullTranslations:
    """The page's catalogue, looked up once per request: Flask-Babel looks it up on every _() (about 12 µs,
    most of a template's _()), and a page of rows has a hundred. Looked up again when the language changes
    within the request (force_locale, refresh), as Flask-Babel then makes a new Locale."""
    locale = get_locale()
    if locale is None:
        return get_translations()
    found = g.get("_page_catalogue")
    if found is None or found[0] is not locale:
        found = g._page_catalogue = (locale, get_translations())
    return found[1]


def install_template_gettext(app: Flask) -> None:
    """The templates' _(), ngettext and pgettext through page_catalogue; Flask-Babel's own, otherwise the same."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: page_catalogue().ugettext(message),
        ngettext=lambda singular, plural, n: page_catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, message: page_catalogue().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: page_catalogue().unpgettext(context, singular, plural, n),
        newstyle=True)


@bp.get("/sprog/<code>")
def switch(code: str):
    if code not in LANGUAGES:
        abort(404)
    response = redirect(local_path(request.args.get("next")) or url_for("organisations.index"))
    response.set_cookie(COOKIE, code, max_age=ONE_YEAR, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.app_context_processor
def language_links() -> dict:
    """The page's language for <html lang>, and the switch to the other one, back to this page."""
    locale = get_locale()
    current = locale.language if locale else DEFAULT_LANGUAGE
    if not has_request_context():
        return {"current_language": current, "other_languages": []}
    here = request.full_path if request.query_string else request.path
    others = [(code, name, url_for("i18n.switch", code=code, next=here))
              for code, name in LANGUAGES.items() if code != current]
    return {"current_language": current, "other_languages": others}


bp.add_app_template_filter(local_date, "date")

"""What every page pays before it shows anything: the templates' _() and dates, and a serving process made ready
(registry/i18n.py page_catalogue, registry/dates.py local_date, registry/__init__.py warm_up)."""

import gc
from datetime import date, datetime, timedelta

import babel.dates
from flask import render_template_string
from flask_babel import force_locale

from registry import warm_up
from registry.dates import DATE_PATTERNS, local_date


def test_danish_dates_read_as_babel_writes_them(app):
    with app.test_request_context("/"):
        day = date(1999, 12, 25)
        while day < date(2031, 1, 1):
            for long, pattern in ((False, DATE_PATTERNS["da"][0]), (True, DATE_PATTERNS["da"][1])):
                assert local_date(day, long) == babel.dates.format_date(day, pattern, locale="da")
            day += timedelta(days=17)


def test_a_time_is_dated_in_copenhagen(app):
    # Babel moves a datetime to the page's time zone; the quick Danish path is for dates only.
    with app.test_request_context("/"):
        assert local_date(datetime(2024, 4, 18, 23, 30)) == "19.04.2024"


def test_english_pages_keep_english_dates(app):
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert local_date(date(2024, 4, 19)) == "19 Apr 2024"
        assert local_date(date(2024, 4, 19), long=True) == "19 April 2024"


def test_templates_follow_a_change_of_language_within_a_request(app):
    # The page's catalogue is looked up once per request, but again when the language changes.
    page = '{{ _("Log ind") }}|{{ ngettext("%(num)d ledig", "%(num)d ledige", 2) }}'
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(page) == "Log in|2 vacant"
        with force_locale("da"):
            assert render_template_string(page) == "Log ind|2 ledige"
        assert render_template_string(page) == "Log in|2 vacant"


def test_a_served_process_has_every_template_compiled_before_its_first_request(app):
    try:
        warm_up(app)
        loaded = {template.name for template in app.jinja_env.cache.values()}
    finally:
        gc.unfreeze()
    assert {"base.html", "organisations/index.html", "auth/login.html"} <= loaded
    assert len(loaded) == len(app.jinja_env.list_templates(extensions=["html"]))

"""The KKR appointment registry: who sits on which body on KKR's recommendation."""

import contextlib
import gc
import os
import re
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from registry import config
from registry.extensions import babel, csrf, db, login_manager, migrate
from registry.http import IdConverter, json_error

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Static files: a vendored package carries its version in its path (static/vendor/dkfds-11.2.0/...), so a new
# version is a new address and a browser may keep these for good (WhiteNoise's "immutable", ten years). The
# project's own files (registry.css, registry.js, print.css, the favicon) keep their address when they
# change: a browser keeps them five minutes, then asks again and gets a 304 while they are unchanged.
VERSIONED_STATIC = re.compile(r"^/static/vendor/[^/]+-\d+(\.\d+)+/")
STATIC_MAX_AGE = 300


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("REGISTRY_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(config.load(app.instance_path))
    app.config.update(overrides or {})
    if "PUBLIC_URL" in (overrides or {}):
        app.config.update(config.public_url(app.config["PUBLIC_URL"]))
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy the client's address (kept in the audit trail) comes from X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.wsgi_app = serve_static(app.wsgi_app, app.static_folder, autorefresh=app.debug)
    register_extensions(app)
    # Before the blueprints: their <int:…> rules are built with it.
    app.url_map.converters["int"] = IdConverter
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def warm_up(app: Flask) -> None:
    """Ready a serving process (wsgi.py) before its first request. Every template is compiled now, once per
    process, where a worker would otherwise compile each on the first request that needs it (the home page's
    six take a fifth of a second). Then the ~150,000 objects the app keeps for good are moved where the
    garbage collector no longer walks them (gc.freeze): a page of many rows sets off full collections,
    which walked them all, several milliseconds each time."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    gc.collect()
    gc.freeze()


def serve_static(application, root: str, autorefresh: bool = False) -> WhiteNoise:
    """WhiteNoise in front of the app serves static/: from memory of what is there at start (a release
    restarts the workers), compressed where a precompressed .gz lies beside the file (`make compress`),
    with the cache lifetimes above, and with the security headers the app's own responses carry (they
    never reach Flask's after_request). `autorefresh` looks again on every request, for development."""
    from registry.security import HEADERS

    def add_security_headers(headers, path: str, url: str) -> None:
        for name, value in HEADERS.items():
            headers[name] = value

    return WhiteNoise(application, root=root, prefix="static/", autorefresh=autorefresh, max_age=STATIC_MAX_AGE,
                      immutable_file_test=lambda path, url: bool(VERSIONED_STATIC.match(url)),
                      add_headers_function=add_security_headers, allow_all_origins=False)


def register_extensions(app: Flask) -> None:
    # models: imported so every model is known to the metadata and to Alembic.
    from registry import models, security  # noqa: F401
    from registry.audit import services as audit
    from registry.i18n import install_template_gettext, select_locale
    from registry.people import privacy

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    security.register(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(PROJECT_ROOT / "translations"))
    install_template_gettext(app)
    audit.register()
    privacy.register(app)

    from registry.auth.services import load_user
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Log ind for at se siden.")


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # SQLite leaves foreign keys off unless asked, per connection; WAL lets
    # readers go on while one writer writes; busy_timeout waits for that writer.
    if isinstance(dbapi_connection, sqlite3.Connection):
        # The driver's own transaction handling breaks SAVEPOINT; SQLAlchemy
        # then begins transactions itself (see _sqlite_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@sa.event.listens_for(sa.engine.Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


def register_blueprints(app: Flask) -> None:
    from registry.api.views import bp as api
    from registry.appointments.views import bp as appointments
    from registry.audit.views import bp as audit
    from registry.auth.views import bp as auth
    from registry.dashboard.views import bp as dashboard
    from registry.exchange.views import bp as exchange
    from registry.i18n import bp as i18n
    from registry.mandates.views import bp as mandates
    from registry.meetings.views import bp as meetings
    from registry.nominations.views import bp as nominations
    from registry.notifications.views import bp as notifications
    from registry.organisations.views import bp as organisations
    from registry.people.views import bp as people
    from registry.rounds.views import bp as rounds
    from registry.search.views import bp as search

    app.register_blueprint(auth)
    app.register_blueprint(organisations)
    app.register_blueprint(exchange)
    app.register_blueprint(api)
    app.register_blueprint(i18n)
    app.register_blueprint(dashboard)
    app.register_blueprint(appointments)
    app.register_blueprint(people)
    app.register_blueprint(search)
    app.register_blueprint(nominations)
    app.register_blueprint(meetings)
    app.register_blueprint(notifications)
    app.register_blueprint(audit)
    app.register_blueprint(mandates)
    app.register_blueprint(rounds)


def register_commands(app: Flask) -> None:
    from registry import cli

    cli.register(app)


def register_errorhandlers(app: Flask) -> None:
    messages = {
        400: lazy_gettext("Forespørgslen kunne ikke forstås."),
        403: lazy_gettext("Du har ikke adgang til denne side."),
        404: lazy_gettext("Siden findes ikke."),
        405: lazy_gettext("Handlingen er ikke tilladt her."),
        413: lazy_gettext("Filen er for stor (højst %(mb)d MB).", mb=app.config["IMPORT_MAX_MB"]),
        500: lazy_gettext("Der opstod en fejl. Prøv igen senere."),
    }

    def render_error(error):
        if request.path.startswith("/api/"):
            return json_error(error)
        code = getattr(error, "code", 500) or 500
        description = getattr(error, "description", None)
        # Our own aborts carry a Danish description; Werkzeug's defaults are English.
        message = description if getattr(error, "danish", False) else messages.get(code, messages[500])
        if request_ctx.url_adapter is None:
            # The request named a host this site does not answer to (TRUSTED_HOSTS): no link can be built.
            return app.response_class(str(message), code, mimetype="text/plain")
        try:
            return render_template("error.html", code=code, message=message), code
        except Exception:  # noqa: BLE001 - the page names the user, which may need the very database that failed
            app.logger.exception("The error page could not be drawn")
            return render_template("unavailable.html", title=lazy_gettext("Fejl %(code)s", code=code),
                                   message=message), code

    def unavailable(error):
        """The database cannot be reached (or failed mid-request): 503 and a page that needs no database."""
        app.logger.error("The database is unavailable: %s", error)
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            db.session.rollback()
        if request.path.startswith("/api/"):
            response = json_error(ServiceUnavailable("The registry's database cannot be reached; try again shortly."))
        else:
            response = app.make_response((render_template(
                "unavailable.html", title=lazy_gettext("Registret er ikke tilgængeligt lige nu"),
                message=lazy_gettext("Prøv igen om lidt.")), 503))
        response.headers["Retry-After"] = "30"
        return response

    for code in messages:
        app.register_error_handler(code, render_error)
    for failure in (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.PendingRollbackError):
        app.register_error_handler(failure, unavailable)


def register_template_helpers(app: Flask) -> None:
    from registry.auth.permissions import is_secretariat

    app.jinja_env.globals["council_name"] = lambda: app.config["COUNCIL_NAME"]
    app.jinja_env.globals["is_secretariat"] = is_secretariat

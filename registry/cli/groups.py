"""The command groups and what every command shares."""

import functools
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from registry.audit.services import Actor, acting_as
from registry.dates import parse_iso
from registry.errors import RuleViolation
from registry.extensions import db

registry_cli = AppGroup("registry", help="Registrets data: demodata, eksport og import, sikkerhedskopier.")
users_cli = AppGroup("users", help="Brugere og adgangskoder.")
notifications_cli = AppGroup("notifications", help="E-mail fra udbakken: beskeder om indstillinger og påmindelser.")


def needs_schema(command):
    """A clear word instead of a traceback when the database has not been created yet."""

    @functools.wraps(command)
    def checked(*args, **kwargs):
        if not sa.inspect(db.engine).has_table("alembic_version"):
            raise click.ClickException("Databasen er ikke oprettet. Kør først: flask --app wsgi db upgrade")
        return command(*args, **kwargs)

    return checked


def iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def read_input(file) -> bytes:
    """The bytes of a FILE argument, '-' for stdin; a file that cannot be read is a clear error."""
    try:
        return sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except FileNotFoundError:
        raise click.ClickException(f"Filen '{file}' findes ikke.") from None
    except OSError as error:
        raise click.ClickException(f"Filen '{file}' kan ikke læses ({error.strerror}).") from None


def run_import(actor: str, run):
    """An all-or-nothing import as `actor`: committed when it wrote (result.applied), else rolled back; the
    database's refusal (RuleViolation) is a clear error with nothing saved."""
    with acting_as(Actor(actor)):
        try:
            result = run()
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        if result.applied:
            db.session.commit()
        else:
            db.session.rollback()
    return result


def refuse_if_failed(result) -> None:
    """A refused import's errors to stderr, the first ones and how many more, and exit status 1."""
    if result.ok:
        return
    for error in result.errors:
        click.echo(error, err=True)
    if result.untold_errors:
        click.echo(f"… og {result.untold_errors} flere fejl.", err=True)
    click.echo(f"Importen er afvist ({result.error_count} fejl); intet er gemt.", err=True)
    sys.exit(1)

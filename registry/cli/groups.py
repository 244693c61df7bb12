"""The command groups and what every command shares."""

import functools

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from registry.dates import parse_iso
from registry.extensions import db

registry_cli = AppGroup("registry", help="Registrets data: demodata, eksport og import, sikkerhedskopier.")
users_cli = AppGroup("users", help="Brugere og adgangskoder.")
notifications_cli = AppGroup("notifications", help="E-mail til partigrupperne om deres indstillinger.")


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

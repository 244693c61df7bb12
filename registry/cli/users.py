"""`flask users ...`: users and passwords."""

import sys

import click
import sqlalchemy as sa

from registry.audit.services import Actor, acting_as
from registry.auth import services as users
from registry.auth.models import User, UserRole
from registry.cli.groups import needs_schema, users_cli
from registry.errors import RuleViolation
from registry.extensions import db
from registry.people.models import Party


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Adgangskode", hide_input=True, confirmation_prompt="Gentag adgangskoden")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in UserRole]))
@click.option("--party", "party_letter", metavar="BOGSTAV", help="Partiets listebogstav (kun for rollen party).")
@click.option("--name", help="Brugerens navn.")
@click.option("--email", help="E-mailadresse; en partigruppes brugere får besked om gruppens indstillinger.")
@click.option("--password-stdin", is_flag=True, help="Læs adgangskoden fra standard input.")
@needs_schema
def create_user(username, role, party_letter, name, email, password_stdin):
    """Opret en bruger."""
    party = None
    if party_letter:
        party = db.session.scalar(sa.select(Party).where(Party.letter == party_letter))
        if party is None:
            raise click.ClickException(f"Ukendt parti '{party_letter}'.")
    password = _read_password(password_stdin)
    with acting_as(Actor("cli:users")):
        try:
            users.create_user(username, password, UserRole(role), party, name, email)
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(f"Brugeren '{username}' er oprettet.")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Læs adgangskoden fra standard input.")
@needs_schema
def set_password(username, password_stdin):
    """Sæt en ny adgangskode (logger brugeren ud alle steder)."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"Ukendt bruger '{username}'.")
    password = _read_password(password_stdin)
    with acting_as(Actor("cli:users")):
        try:
            users.set_password(user, password)
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(f"Adgangskoden for '{username}' er ændret.")


def _user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"Ukendt bruger '{username}'.")
    return user


@users_cli.command("disable")
@click.argument("username")
@needs_schema
def disable_user(username):
    """Spær en bruger: brugeren kan ikke logge ind og logges ud alle steder med det samme."""
    user = _user(username)
    with acting_as(Actor("cli:users")):
        users.disable_user(user)
        db.session.commit()
    click.echo(f"Brugeren '{username}' er spærret og logget ud alle steder.")


@users_cli.command("enable")
@click.argument("username")
@needs_schema
def enable_user(username):
    """Giv en spærret bruger adgang igen (ophæver også en spærring efter mislykkede logins)."""
    user = _user(username)
    with acting_as(Actor("cli:users")):
        users.enable_user(user)
        db.session.commit()
    click.echo(f"Brugeren '{username}' kan logge ind igen.")

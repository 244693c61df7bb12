"""`flask registry ...` and `flask users ...`: the same services as the views, one commit per command."""

import functools
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from registry import backup
from registry.audit.services import Actor, acting_as
from registry.auth import services as users
from registry.auth.models import User, UserRole
from registry.csvfiles import DELIMITERS
from registry.dates import parse_iso, today
from registry.errors import RuleViolation
from registry.exchange import csv_decisions, csv_export, csv_import
from registry.extensions import db
from registry.people.models import Party

registry_cli = AppGroup("registry", help="Registrets data: demodata, eksport og import.")
users_cli = AppGroup("users", help="Brugere og adgangskoder.")


def needs_schema(command):
    """A clear word instead of a traceback when the database has not been created yet."""

    @functools.wraps(command)
    def checked(*args, **kwargs):
        if not sa.inspect(db.engine).has_table("alembic_version"):
            raise click.ClickException("Databasen er ikke oprettet. Kør først: flask --app wsgi db upgrade")
        return command(*args, **kwargs)

    return checked


def _iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@registry_cli.command("load-demo")
@needs_schema
def load_demo():
    """Indlæs KKR Hovedstadens demodata (kan køres flere gange)."""
    from registry.demo import load

    with acting_as(Actor("cli:load-demo")):
        created_logins = load()
        db.session.commit()
    click.echo("Demodata er indlæst.")
    if created_logins:
        click.echo("Demobrugere (adgangskoderne vises kun denne ene gang):")
        for username, role, password in created_logins:
            click.echo(f"  {username:<14} {role:<12} {password}")
    else:
        click.echo("Demobrugerne findes allerede. Ny adgangskode: "
                   "flask --app wsgi users set-password BRUGERNAVN")


@registry_cli.command("export-csv")
@click.option("--as-of", callback=_iso_date, metavar="ÅÅÅÅ-MM-DD", help="Udpegningerne på denne dag (standard: i dag).")
@click.option("--all", "all_", is_flag=True, help="Hele historikken.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fil (standard: stdout).")
@click.option("--delimiter", type=click.Choice(DELIMITERS), default=";", show_default=True)
@click.option("--organisation-id", type=click.IntRange(min=0), help="Kun denne organisation.")
@click.option("--party-id", type=click.IntRange(min=0), help="Kun udpegninger på vegne af dette parti.")
@click.option("--municipality-id", type=click.IntRange(min=0), help="Kun personer fra denne kommune.")
@needs_schema
def export_csv(as_of, all_, output, delimiter, organisation_id, party_id, municipality_id):
    """Eksportér udpegningerne som CSV (UTF-8 med BOM)."""
    if as_of and all_:
        raise click.UsageError("Brug enten --as-of eller --all, ikke begge.")
    day = None if all_ else (as_of or today())
    chunks = csv_export.export(csv_export.Selection(day, organisation_id, party_id, municipality_id), delimiter)
    _save(output, chunks)


@registry_cli.command("export-decisions")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fil (standard: stdout).")
@click.option("--delimiter", type=click.Choice(DELIMITERS), default=";", show_default=True)
@click.option("--meeting-id", type=click.IntRange(min=0), help="Kun beslutningerne på dette møde.")
@click.option("--organisation-id", type=click.IntRange(min=0), help="Kun beslutninger om denne organisation.")
@click.option("--person-id", type=click.IntRange(min=0), help="Kun beslutninger om denne person.")
@needs_schema
def export_decisions(output, delimiter, meeting_id, organisation_id, person_id):
    """Eksportér historikken over indstillinger (KKR's beslutninger) som CSV (UTF-8 med BOM)."""
    selection = csv_decisions.Selection(meeting_id=meeting_id, organisation_id=organisation_id, person_id=person_id)
    _save(output, csv_decisions.export(selection, delimiter))


def _save(output: Path | None, chunks) -> None:
    if output is None:
        _write(sys.stdout.buffer, chunks)
        return
    # Written beside the target and renamed, so a failed export leaves no half file.
    partial = output.with_name(output.name + ".part")
    with partial.open("wb") as f:
        _write(f, chunks)
    partial.replace(output)


@registry_cli.command("import-csv")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Kontrollér filen og vis, hvad der ville ske, uden at gemme.")
@click.option("--verbose", "-v", is_flag=True, help="Vis hver linjes udfald.")
@needs_schema
def import_csv_command(file, dry_run, verbose):
    """Indlæs udpegninger fra en CSV-fil i eksportens format (alt eller intet)."""
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except FileNotFoundError:
        raise click.ClickException(f"Filen '{file}' findes ikke.") from None
    except OSError as error:
        raise click.ClickException(f"Filen '{file}' kan ikke læses ({error.strerror}).") from None
    with acting_as(Actor("cli:import-csv")):
        try:
            result = csv_import.import_csv(data, dry_run=dry_run)
        except RuleViolation as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        if result.applied:
            db.session.commit()
        else:
            db.session.rollback()
    if verbose:
        for outcome in result.lines:
            click.echo(f"linje {outcome.line}: {outcome.text}")
    if any(outcome.line > 1 for outcome in result.lines):  # not when the header (line 1) was refused
        click.echo(_import_summary(result))
    if not result.ok:
        for error in result.errors:
            click.echo(error, err=True)
        click.echo(f"Importen er afvist ({len(result.errors)} fejl); intet er gemt.", err=True)
        sys.exit(1)
    if dry_run:
        click.echo("Prøvekørsel: intet er gemt.")
    elif any(result.created.values()) or any(result.changed.values()):
        click.echo("Importen er gemt.")
    else:
        click.echo("Intet nyt: registret havde allerede alt, hvad filen indeholder.")


def _import_summary(result: csv_import.ImportResult) -> str:
    counts = {action: 0 for action in ("create", "change", "unchanged", "refused")}
    for outcome in result.lines:
        counts[outcome.action] += 1
    return (f"Linjer: {len(result.lines)} (nye: {counts['create']}, ændrede: {counts['change']}, "
            f"uændrede: {counts['unchanged']}, afviste: {counts['refused']})\n"
            f"Nye: {_totals(result.created)}\n"
            f"Ændrede: {_totals(result.changed)}")


def _totals(numbers: dict[str, int]) -> str:
    return ", ".join(f"{what} {n}" for what, n in numbers.items() if n) or "intet"


def _write(stream, chunks) -> None:
    for chunk in chunks:
        stream.write(chunk.encode("utf-8"))
    stream.flush()


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


from registry.people.privacy import anonymise_command  # noqa: E402

registry_cli.add_command(anonymise_command)

for _command in backup.commands:
    registry_cli.add_command(_command)

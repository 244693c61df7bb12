"""`flask registry backup|restore|anonymise` and `flask notifications send-mail`: what cron and the operator run."""

from pathlib import Path

import click
from flask_babel import ngettext

from registry import backup
from registry.audit.services import Actor, acting_as
from registry.cli.groups import needs_schema, notifications_cli, registry_cli
from registry.extensions import db
from registry.notifications import services as notifications
from registry.people import privacy


@registry_cli.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
def backup_command(file):
    """Tag en sikkerhedskopi af hele databasen (SQLite: online-backup; PostgreSQL: pg_dump) til FILE."""
    try:
        revision = backup.current_revision()
        if revision is None:
            raise backup.BackupError("Databasen er ikke oprettet. Kør først: flask --app wsgi db upgrade")
        size = backup.backup(file)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    audited = backup.audit("backup", {"file": str(file), "bytes": size, "revision": revision})
    click.echo(f"Sikkerhedskopien af {backup.describe_database()} er gemt i {file} ({_size(size)}, "
               f"skemaversion {revision}).")
    if not audited:
        click.echo("Advarsel: sikkerhedskopien kunne ikke skrives i auditloggen.", err=True)


@registry_cli.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Spørg ikke om bekræftelse.")
def restore_command(file, yes):
    """Erstat HELE databasen med sikkerhedskopien FILE (kontrolleres først; alt eller intet)."""
    try:
        archive = backup.inspect(file)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    if not yes:
        click.confirm(f"Alt i {backup.describe_database()} erstattes af indholdet af {file} (skemaversion "
                      f"{archive.revision}). Stop programmets processer først. Fortsæt?", abort=True)
    try:
        backup.restore(file)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    audited = backup.audit("restore", {"file": str(file), "revision": archive.revision})
    click.echo(f"{backup.describe_database()} er gendannet fra {file}.")
    if not archive.current:
        click.echo(f"Sikkerhedskopien har skemaversion {archive.revision}. Kør nu: flask --app wsgi db upgrade")
    if not audited:
        click.echo("Advarsel: gendannelsen kunne ikke skrives i auditloggen (kør db upgrade).", err=True)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


@registry_cli.command("anonymise")
@click.option("--dry-run", is_flag=True, help="Vis, hvem der ville blive anonymiseret, uden at gemme.")
def anonymise_command(dry_run: bool) -> None:
    """Anonymisér alle, der har forladt deres pladser, og hvis opbevaringsperiode er udløbet."""
    with acting_as(Actor("cli:anonymise")):
        ids = privacy.anonymise_eligible(dry_run=dry_run)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    for person_id in ids:
        click.echo(f"person {person_id}")
    click.echo(ngettext("%(num)d person ville blive anonymiseret.", "%(num)d personer ville blive anonymiseret.",
                        len(ids)) if dry_run else
               ngettext("%(num)d person er anonymiseret.", "%(num)d personer er anonymiseret.", len(ids)))
    if dry_run:
        click.echo("Prøvekørsel: intet er gemt.")


@notifications_cli.command("send-mail")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="Højst så mange beskeder i denne kørsel.")
@needs_schema
def send_mail(limit):
    """Send beskeder, der venter i udbakken (til cron: prøver igen, hvad der fejlede)."""
    if not notifications.mail_configured():
        raise click.ClickException("MAIL_SERVER er ikke sat, så beskederne bliver i udbakken (/udbakke).")
    try:
        sent = notifications.deliver(limit)
    except notifications.MailServerUnavailable as error:
        raise click.ClickException(f"{error.sent} sendt; resten venter i udbakken. {error}") from None
    if sent:
        click.echo(f"{sent} sendt.")

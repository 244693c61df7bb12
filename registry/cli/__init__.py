"""The command line: `flask registry ...`, `flask users ...` and `flask notifications ...`.

Every command is defined in this package and calls the same services as the
views, with one commit per command.
"""

from flask import Flask

# Importing the modules defines their commands on the groups.
from registry.cli import (  # noqa: F401
    calls,
    constituent,
    data,
    maintenance,
    mandates,
    notifications,
    popolo,
    proposals,
    rounds,
    users,
)
from registry.cli.groups import notifications_cli, registry_cli, users_cli


def register(app: Flask) -> None:
    for group in (registry_cli, users_cli, notifications_cli):
        app.cli.add_command(group)

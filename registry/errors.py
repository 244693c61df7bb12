class RuleViolation(Exception):
    """A registry rule refused a change. The message is meant for the user.

    field names the form field the refusal concerns ("item_number"), so that a page shows it there;
    None when it concerns the change as a whole. str() gives the message.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Conflict(Exception):
    """Someone else saved the same record while this change was being made."""


def check_version(row, version: int | None) -> None:
    """The version the user saw must still be the stored one (optimistic locking, as the models'
    version_id_col does at the flush); None when the caller saw no version (a command, a test)."""
    if version is not None and version != row.version:
        raise Conflict()

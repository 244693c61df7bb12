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

class RuleViolation(Exception):
    """A registry rule refused a change. The message is Danish and meant for the user."""


class Conflict(Exception):
    """Someone else saved the same record while this change was being made."""

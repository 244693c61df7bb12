class RuleViolation(Exception):
    """A registry rule refused a change. The message is Danish and meant for the user."""

"""E-mail to party groups when their nominations change status, through an outbox."""

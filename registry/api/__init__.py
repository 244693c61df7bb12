"""The public, read-only JSON API under /api/v1/, with Popolo field names."""

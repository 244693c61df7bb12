"""The read-only JSON API under /api/v1/, with Popolo field names: public, except the nominations."""

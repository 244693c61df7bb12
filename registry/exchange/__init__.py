"""Data in and out of the registry: the CSV export (and later import and the JSON API)."""

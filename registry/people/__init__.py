"""People, their parties and municipalities."""

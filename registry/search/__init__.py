"""Search: people and bodies by part of the name, with or without Danish letters."""

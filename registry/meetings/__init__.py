"""KKR meetings, their agenda items and decisions: the history of indstillinger."""

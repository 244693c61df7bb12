"""The secretariat's front page: what needs doing soon, and what was changed lately."""

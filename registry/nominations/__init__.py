"""Party groups' nominations (indstillinger) and the secretariat's calls for them."""

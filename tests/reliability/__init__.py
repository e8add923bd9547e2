"""reliability tier."""

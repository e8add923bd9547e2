"""web tier."""

"""Users, sessions and personal API tokens."""

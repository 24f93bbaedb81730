"""Teams, members and invitations."""

"""Access for the web views of a competition's organizers (the API has judge.api.access)."""

from __future__ import annotations

from flask import abort

from judge.competitions import policy, services
from judge.competitions.models import Competition
from judge.core.web import actor


def organized(slug: str) -> Competition:
    """The competition, for its organizers (and site admins); 403 for anyone else."""
    competition = services.get_competition(slug)
    if not policy.is_organizer(actor(), competition):
        abort(403)
    return competition

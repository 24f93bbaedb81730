"""The reminder that submissions close within 24 hours: once per competition and person."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from judge.competitions.models import Competition
from judge.core.extensions import db
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.teams.models import Team

AHEAD = timedelta(hours=24)


def remind_deadline(now: datetime) -> int:
    """Every member of every team of a competition whose submissions close within 24 hours
    (not those without a team: they have nothing to submit); once per competition and
    person, even when the close moves."""
    closing = db.session.scalars(
        sa.select(Competition).where(
            Competition.submissions_close_at > now,
            Competition.submissions_close_at <= now + AHEAD,
        )
    ).all()
    made = 0
    for competition in closing:
        teams = sa.select(Team.id).where(
            Team.competition_id == competition.id, Team.disbanded_at.is_(None)
        )
        close_at = competition.submissions_close_at.isoformat()
        made += len(notifications.notify(
            notifications.members_of(db.session.scalars(teams)), Kind.DEADLINE_SOON, competition,
            f"deadline:{competition.id}", now,
            link=notifications.path("competitions.show", slug=competition.slug),
            params={"close_at": close_at}))  # fmt: skip
    return made

"""What the competition page tells a person about stage two."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from judge.accounts.models import User
from judge.competitions.models import Competition
from judge.core.extensions import db
from judge.finals.models import Finalist, FinalsSettings
from judge.problems.models import Problem
from judge.teams.models import Membership


@dataclass(frozen=True)
class FinalsNotice:
    published: bool = False
    shortlisted: list[Problem] = field(default_factory=list)  # the viewer's team's problems


def finals_notice(competition: Competition, user: User | None) -> FinalsNotice:
    settings = db.session.get(FinalsSettings, competition.id)
    published = settings is not None and settings.locked_at is not None
    if user is None or not getattr(user, "is_authenticated", False):
        return FinalsNotice(published)
    query = (
        sa.select(Problem)
        .join(Finalist, Finalist.problem_id == Problem.id)
        .join(Membership, Membership.team_id == Finalist.team_id)
        .where(Problem.competition_id == competition.id, Membership.user_id == user.id,
               Finalist.disqualified_at.is_(None))
        .order_by(Problem.id)
    )  # fmt: skip
    return FinalsNotice(published, list(db.session.scalars(query)))

"""A competition's state: a draft is seen by its staff only, publishing shows it to everyone,
archiving takes it off the index and makes it read-only for teams, restoring brings it back.
Each move is audited. Services flush; the caller commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions.models import Competition, CompetitionState
from judge.core.errors import Conflict
from judge.core.extensions import db
from judge.notices.models import Notice
from judge.problems.models import Problem
from judge.teams.models import Team

DRAFT, PUBLISHED, ARCHIVED = (
    CompetitionState.DRAFT,
    CompetitionState.PUBLISHED,
    CompetitionState.ARCHIVED,
)


def publish(competition: Competition, actor: User | None) -> Competition:
    """Show a draft to everyone: the index, its pages, problems, boards and notices."""
    if competition.state != DRAFT:
        raise Conflict(_("This competition is already published."))
    return _move(competition, actor, PUBLISHED, "competition_published")


def archive(competition: Competition, actor: User) -> Competition:
    """Take a published competition off the index and close it to teams."""
    if competition.state != PUBLISHED:
        raise Conflict(_("Only a published competition can be archived."))
    return _move(competition, actor, ARCHIVED, "competition_archived")


def restore(competition: Competition, actor: User) -> Competition:
    """Bring an archived competition back as published."""
    if competition.state != ARCHIVED:
        raise Conflict(_("Only an archived competition can be restored."))
    return _move(competition, actor, PUBLISHED, "competition_restored")


def _move(competition: Competition, actor: User | None, target: CompetitionState,
          action: str) -> Competition:  # fmt: skip
    before = {"state": competition.state.value}
    competition.state = target
    audit.record(actor, action, competition.id, competition.title, before,
                 {"state": target.value})  # fmt: skip
    db.session.flush()
    return competition


def all_competitions() -> list[Competition]:
    """Every competition, newest first (the admin console's list)."""
    return list(db.session.scalars(sa.select(Competition).order_by(Competition.created_at.desc())))


def listed(viewer: User | None) -> list[Competition]:
    """What the index lists, newest first: published competitions for everyone; drafts and
    archived ones only for their staff (an archived page stays readable by its address)."""
    return [c for c in all_competitions() if c.state == PUBLISHED or policy.is_staff(viewer, c)]


def by_state(competitions: list[Competition]) -> dict[CompetitionState, list[Competition]]:
    grouped: dict[CompetitionState, list[Competition]] = {state: [] for state in CompetitionState}
    for competition in competitions:
        grouped[competition.state].append(competition)
    return grouped


def counts(competition: Competition) -> dict[str, int]:
    """What a change of state shows or closes: standing teams, problems, published
    problems and notices in effect."""
    return counts_of([competition])[competition.id]


def counts_of(competitions: list[Competition]) -> dict[int, dict[str, int]]:
    """``counts`` of each competition, in one query per kind of thing counted."""
    ids = [c.id for c in competitions]
    found = {
        "teams": _counted(Team.competition_id, ids, Team.disbanded_at.is_(None)),
        "problems": _counted(Problem.competition_id, ids),
        "published_problems": _counted(
            Problem.competition_id, ids, Problem.published_at.is_not(None)
        ),
        "notices": _counted(Notice.competition_id, ids, Notice.withdrawn_at.is_(None)),
    }
    return {i: {name: by_id.get(i, 0) for name, by_id in found.items()} for i in ids}


def _counted(key: sa.ColumnElement, ids: list[int], *where: sa.ColumnElement[bool]) -> dict:
    query = sa.select(key, sa.func.count()).where(key.in_(ids), *where).group_by(key)
    return {key: n for key, n in db.session.execute(query)}

"""Merge requests: one team's leader asks another team to merge into theirs; the other
leader accepts or declines. Services flush; the caller commits.

A merge is refused after the team-change deadline, with a disqualified team (its submissions
would rank again), across divisions, when the merged team would pass the team size, or when
the two teams together made more submissions to a problem than one team could have made by
today (Kaggle's rule: the sum of counted submissions at most the daily limit times the days
the problem has been open, and at most its total limit). On acceptance the members and
submissions move to the asking team, the absorbed team's final selections are cleared, and
the absorbed team is disbanded.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.core.errors import Conflict, NotFound
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.leaderboard import versions
from judge.leaderboard.models import Standing
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.problems.models import Problem
from judge.submissions.models import Quota, Submission
from judge.submissions.quota import local_day
from judge.teams.lifecycle import check_leader
from judge.teams.models import Membership, MergeStatus, Team, TeamMergeRequest


def incoming(team: Team) -> list[TeamMergeRequest]:
    """Pending requests that ``team`` merge into another."""
    return _pending(TeamMergeRequest.team_id == team.id)


def outgoing(team: Team) -> list[TeamMergeRequest]:
    """Pending requests that another team merge into ``team``."""
    return _pending(TeamMergeRequest.into_team_id == team.id)


def _pending(condition: sa.ColumnElement[bool]) -> list[TeamMergeRequest]:
    query = sa.select(TeamMergeRequest).where(
        condition, TeamMergeRequest.status == MergeStatus.PENDING
    )
    return list(db.session.scalars(query.order_by(TeamMergeRequest.id)))


def request_merge(into: Team, team_id: int, actor: User, now: datetime) -> TeamMergeRequest:
    """``into``'s leader asks the team ``team_id`` (same competition) to merge into ``into``."""
    check_leader(into, actor, now)
    team = db.session.get(Team, team_id)
    if team is None or team.competition_id != into.competition_id or team.disbanded:
        raise NotFound(_("No such team in this competition."), field="team_id")
    if team.id == into.id:
        raise Conflict(_("A team cannot merge with itself."), field="team_id")
    check_mergeable(into, team, now)
    if any(r.team_id == team.id for r in outgoing(into)):
        raise Conflict(_("Your team already asked this team to merge."), field="team_id")
    request = TeamMergeRequest(
        competition_id=into.competition_id,
        into_team_id=into.id,
        team_id=team.id,
        requested_by_id=actor.id,
        created_at=now,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "team_merge_requested", into.competition_id, into.name, None,
                 {"into_team_id": into.id, "team_id": team.id})  # fmt: skip
    _notify([team.leader], Kind.MERGE_REQUESTED, request, team, {})
    return request


def check_mergeable(into: Team, team: Team, now: datetime) -> None:
    """Refuse a merge of ``team`` into ``into`` that breaks a rule (see the module)."""
    competition = into.competition
    banned = next((t for t in (team, into) if t.disqualified), None)
    if banned is not None:  # its submissions would rank again under the other team
        raise Conflict(_("The team %(team)s is disqualified: it cannot merge.",
                         team=banned.name), field="team_id")  # fmt: skip
    if into.division_id != team.division_id:
        raise Conflict(_("Teams in different divisions cannot merge."), field="team_id")
    size = into.member_count + team.member_count
    if size > competition.max_team_size:
        raise Conflict(
            _("Together the teams would have %(size)d members; a team may have at most %(n)d.",
              size=size, n=competition.max_team_size), field="team_id")  # fmt: skip
    for problem, made in _counted(into, team).items():
        allowed = allowance(problem, now)
        if allowed is not None and made > allowed:
            raise Conflict(
                _("Together the teams made %(made)d submissions to %(problem)s; one team could "
                  "have made at most %(n)d by today.", made=made, problem=problem.title,
                  n=allowed), field="team_id")  # fmt: skip


def _counted(into: Team, team: Team) -> dict[Problem, int]:
    """Counted submissions of both teams together, by problem."""
    rows = db.session.execute(
        sa.select(Submission.problem_id, sa.func.count())
        .where(Submission.team_id.in_((into.id, team.id)), Submission.counted.is_(True),
               Submission.validation.is_(False))
        .group_by(Submission.problem_id)
    )  # fmt: skip
    return {db.session.get_one(Problem, problem_id): n for problem_id, n in rows}


def allowance(problem: Problem, now: datetime) -> int | None:
    """The most submissions one team could have made to ``problem`` by ``now``'s day."""
    limits = [problem.total_limit] if problem.total_limit is not None else []
    if problem.daily_limit is not None:
        tz = problem.competition.timezone
        opened = problem.window()[0] or problem.created_at
        days = (datetime.fromisoformat(local_day(now, tz)) -
                datetime.fromisoformat(local_day(opened, tz))).days + 1  # fmt: skip
        limits.append(problem.daily_limit * max(days, 1))
    return min(limits, default=None)


def _own_request(team: Team, request_id: int) -> TeamMergeRequest:
    request = db.session.get(TeamMergeRequest, request_id)
    if (
        request is None
        or request.team_id != team.id
        or request.status != MergeStatus.PENDING
        or request.into_team.disbanded  # its last member left since it asked
    ):
        raise NotFound(_("No such pending merge request for your team."))
    return request


def decline(team: Team, request_id: int, actor: User, now: datetime) -> TeamMergeRequest:
    """``team``'s leader declines a request that it merge into another team."""
    check_leader(team, actor, now)
    request = _own_request(team, request_id)
    request.status, request.answered_at = MergeStatus.DECLINED, now
    audit.record(actor, "team_merge_declined", team.competition_id, team.name, None,
                 {"into_team_id": request.into_team_id, "team_id": team.id})  # fmt: skip
    _notify([request.into_team.leader], Kind.MERGE_DECLINED, request, request.into_team, {})
    db.session.flush()
    return request


def cancel(into: Team, request_id: int, actor: User, now: datetime) -> TeamMergeRequest:
    """``into``'s leader withdraws a pending request that another team merge into theirs."""
    check_leader(into, actor, now)
    request = next((r for r in outgoing(into) if r.id == request_id), None)
    if request is None:
        raise NotFound(_("No such pending merge request from your team."))
    request.status, request.answered_at = MergeStatus.WITHDRAWN, now
    audit.record(actor, "team_merge_withdrawn", into.competition_id, into.name, None,
                 {"into_team_id": into.id, "team_id": request.team_id})  # fmt: skip
    db.session.flush()
    return request


def merge_plan(team: Team) -> tuple[int, int]:
    """What :func:`accept` moves out of ``team``: its members and its submissions (changes
    nothing)."""
    moved = sa.select(sa.func.count(Submission.id)).where(  # uploads, not each task's
        Submission.team_id == team.id, Submission.parent_id.is_(None))  # fmt: skip
    return team.member_count, db.session.scalar(moved) or 0


def accept(team: Team, request_id: int, actor: User, now: datetime) -> Team:
    """``team``'s leader accepts: ``team`` merges into the asking team, which is returned."""
    check_leader(team, actor, now)
    request = _own_request(team, request_id)
    into = request.into_team
    check_mergeable(into, team, now)
    absorbed, kept = team.members, into.members
    _move(team, into, now)
    request.status, request.answered_at = MergeStatus.ACCEPTED, now
    for other in incoming(team) + outgoing(team):
        other.status, other.answered_at = MergeStatus.WITHDRAWN, now
    audit.record(actor, "teams_merged", team.competition_id, into.name,
                 {"team_id": team.id, "team_name": team.name},
                 {"into_team_id": into.id, "members": [u.id for u in into.members]})  # fmt: skip
    _notify(absorbed, Kind.TEAMS_MERGED, request, into, {"absorbed": True})
    _notify(kept, Kind.TEAMS_MERGED, request, into, {})
    db.session.flush()
    return into


def _move(team: Team, into: Team, now: datetime) -> None:
    """Members, submissions and used allowance go to ``into``; ``team`` is disbanded."""
    db.session.execute(sa.update(Submission).where(Submission.team_id == team.id)
                       .values(selected=False, team_id=into.id))  # fmt: skip
    _add_quotas(team, into)
    db.session.execute(
        sa.update(Membership).where(Membership.team_id == team.id).values(team_id=into.id)
    )
    db.session.execute(sa.update(Team).where(Team.id == into.id)
                       .values(member_count=Team.member_count + team.member_count))  # fmt: skip
    team.member_count, team.disbanded_at = 0, now
    db.session.flush()
    _restand(team, into, now)


def _restand(team: Team, into: Team, now: datetime) -> None:
    """``into``'s standings from all the submissions it now holds; ``team`` has none left."""
    ranked = sa.select(Standing.problem_id).where(Standing.team_id.in_((team.id, into.id)))
    problems = list(db.session.scalars(sa.select(Problem).where(Problem.id.in_(ranked))))
    db.session.execute(sa.delete(Standing).where(Standing.team_id == team.id))
    versions.bump(db.session, competition_ids=[team.competition_id])  # standings, not by the ORM
    db.session.expire_all()
    for problem in problems:
        leaderboard.refresh_standing(problem, into, now)


def _add_quotas(team: Team, into: Team) -> None:
    """Add ``team``'s used allowance of each problem to ``into``'s."""
    for used in db.session.scalars(sa.select(Quota).where(Quota.team_id == team.id)):
        mine = db.session.scalar(
            sa.select(Quota).where(Quota.team_id == into.id, Quota.problem_id == used.problem_id)
        )
        if mine is None:
            mine = Quota(team_id=into.id, problem_id=used.problem_id, day="", day_count=0,
                         failed_count=0, total_count=0)  # fmt: skip
            db.session.add(mine)
        mine.total_count += used.total_count
        _add_daily(mine, used, "day", ("day_count", "failed_count"))
        _add_daily(mine, used, "validation_day", ("validation_count",))
        mine.last_submitted_at = max(filter(None, (mine.last_submitted_at, used.last_submitted_at)),
                                     default=None)  # fmt: skip
    db.session.flush()


def _add_daily(mine: Quota, used: Quota, day: str, counts: tuple[str, ...]) -> None:
    """Counts of the same local day add up; a later day of ``used`` replaces ``mine``'s."""
    if getattr(used, day) == getattr(mine, day):
        for count in counts:
            setattr(mine, count, getattr(mine, count) + getattr(used, count))
    elif getattr(used, day) > getattr(mine, day):
        for name in (day, *counts):
            setattr(mine, name, getattr(used, name))


def _notify(users: list[User], kind: Kind, request: TeamMergeRequest, team: Team,
            extra: dict) -> None:  # fmt: skip
    notifications.notify(
        users, kind, team.competition, f"{kind.value}:{request.id}", request.answered_at
        or request.created_at, link=notifications.path("teams.show", team_id=team.id),
        params={"team": request.team.name, "into": request.into_team.name} | extra, team=team,
    )  # fmt: skip

"""Submission limits per team and problem, enforced by single guarded UPDATE statements.

A day ends at midnight in the competition's timezone. Parallel uploads race
on one row; the database lets exactly as many through as the limits allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.core.errors import RateLimited
from judge.core.extensions import db
from judge.core.timefmt import local
from judge.problems.models import Problem
from judge.submissions.models import Quota, Submission
from judge.teams.models import Team


@dataclass(frozen=True)
class QuotaStatus:
    daily_left: int | None  # None: no daily limit
    total_left: int | None
    failed_left: int  # failed validations today that will not count
    next_allowed_at: datetime | None  # the minimum interval's end, if still ahead
    resets_at: datetime  # next local midnight, in UTC


def local_day(now: datetime, tz_name: str) -> str:
    return now.astimezone(ZoneInfo(tz_name)).date().isoformat()


def next_reset(now: datetime, tz_name: str) -> datetime:
    zone = ZoneInfo(tz_name)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone).astimezone(UTC)


def _ensure_row(team_id: int, problem_id: int) -> None:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(Quota)
        .values(team_id=team_id, problem_id=problem_id, day="", day_count=0, failed_count=0,
                total_count=0)
        .on_conflict_do_nothing(index_elements=["team_id", "problem_id"])
    )  # fmt: skip


def take(problem: Problem, team: Team, now: datetime) -> str:
    """Use one submission of the team's allowance; returns the local day it counts on."""
    tz = problem.competition.timezone
    today = local_day(now, tz)
    _ensure_row(team.id, problem.id)
    taken = db.session.execute(
        sa.update(Quota)
        .where(
            Quota.team_id == team.id, Quota.problem_id == problem.id, *_room(problem, today, now)
        )
        .values(
            day_count=sa.case((Quota.day == today, Quota.day_count + 1), else_=1),
            failed_count=sa.case((Quota.day == today, Quota.failed_count), else_=0),
            day=today,
            total_count=Quota.total_count + 1,
            last_submitted_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise _refusal(problem, team, now)
    return today


def check_room(problem: Problem, team: Team, now: datetime) -> None:
    """Refuse as :func:`take` would when the team has nothing left now; reads only (an
    upload is refused with this before its body is read; take() still decides)."""
    state = status(problem, team, now)
    if state.total_left == 0 or state.daily_left == 0 or state.next_allowed_at is not None:
        raise _refusal(problem, team, now)


def _room(problem: Problem, today: str, now: datetime) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if problem.daily_limit is not None:
        conditions.append(sa.or_(Quota.day != today, Quota.day_count < problem.daily_limit))
    if problem.total_limit is not None:
        conditions.append(Quota.total_count < problem.total_limit)
    if problem.min_interval_seconds:
        earliest = now - timedelta(seconds=problem.min_interval_seconds)
        conditions.append(
            sa.or_(Quota.last_submitted_at.is_(None), Quota.last_submitted_at <= earliest)
        )
    return conditions


def _refusal(problem: Problem, team: Team, now: datetime) -> RateLimited:
    state = status(problem, team, now)
    tz = problem.competition.timezone
    if state.total_left == 0:
        return RateLimited(
            _("Your team has used all %(n)d submissions for this problem.", n=problem.total_limit)
        )
    if state.daily_left == 0:
        return RateLimited(
            _(
                "Your team has used today's %(n)d submissions. The count resets at %(when)s.",
                n=problem.daily_limit,
                when=local(state.resets_at, tz),
            ),
            resets_at=state.resets_at.isoformat(),
        )
    return RateLimited(
        _(
            "Please wait %(s)d seconds between submissions; the next one is possible at %(when)s.",
            s=problem.min_interval_seconds,
            when=local(state.next_allowed_at or now, tz),
        ),
        retry_at=(state.next_allowed_at or now).isoformat(),
    )


def status(problem: Problem, team: Team, now: datetime) -> QuotaStatus:
    """What the team has left on ``problem`` right now, and when it resets."""
    tz = problem.competition.timezone
    today = local_day(now, tz)
    row = db.session.scalar(
        sa.select(Quota).where(Quota.team_id == team.id, Quota.problem_id == problem.id)
    )
    used_today = row.day_count if row and row.day == today else 0
    failed_today = row.failed_count if row and row.day == today else 0
    total = row.total_count if row else 0
    return QuotaStatus(
        daily_left=None
        if problem.daily_limit is None
        else max(problem.daily_limit - used_today, 0),
        total_left=None if problem.total_limit is None else max(problem.total_limit - total, 0),
        failed_left=max(problem.failed_daily_limit - failed_today, 0),
        next_allowed_at=_next_allowed(problem, row, now),
        resets_at=next_reset(now, tz),
    )


def _next_allowed(problem: Problem, row: Quota | None, now: datetime) -> datetime | None:
    if not problem.min_interval_seconds or row is None or row.last_submitted_at is None:
        return None
    at = row.last_submitted_at + timedelta(seconds=problem.min_interval_seconds)
    return at if at > now else None


def refund_invalid(submission: Submission) -> bool:
    """Give back the count of a submission that failed validation, within the daily allowance.

    Returns True when it no longer counts.
    """
    if not submission.counted:
        return False
    problem = submission.problem
    refunded = db.session.execute(
        sa.update(Quota)
        .where(
            Quota.team_id == submission.team_id,
            Quota.problem_id == submission.problem_id,
            Quota.day == submission.quota_day,
            Quota.day_count > 0,
            Quota.failed_count < problem.failed_daily_limit,
        )
        .values(
            day_count=Quota.day_count - 1,
            total_count=Quota.total_count - 1,
            failed_count=Quota.failed_count + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if refunded == 1:
        submission.counted = False
    return refunded == 1


def refund_system_failure(submission: Submission) -> bool:
    """Give back the count of a submission the platform failed to score."""
    if not submission.counted:
        return False
    refunded = db.session.execute(
        sa.update(Quota)
        .where(
            Quota.team_id == submission.team_id,
            Quota.problem_id == submission.problem_id,
            Quota.total_count > 0,
        )
        .values(
            day_count=sa.case(
                (sa.and_(Quota.day == submission.quota_day, Quota.day_count > 0),
                 Quota.day_count - 1),
                else_=Quota.day_count,
            ),
            total_count=Quota.total_count - 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if refunded == 1:
        submission.counted = False
    return refunded == 1

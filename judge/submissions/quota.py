"""Submission limits per team and problem, enforced by single guarded UPDATE statements.

A day ends at midnight in the competition's timezone. Parallel uploads race
on one row; the database lets exactly as many through as the limits allow.

The limits hold for each person too, across every team they have been in: a
participant who used the day's uploads and then leaves, disbands or joins
another team has none left there either. An upload counts for the person who
made it while it counts at all (``Submission.counted``: a refund gives it back
to both). The free failures hold for each person too: a failed upload is given back
only while both the team and the uploader have some of the day's allowance left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.core.errors import RateLimited
from judge.core.extensions import db
from judge.core.timefmt import local
from judge.problems.models import Problem
from judge.submissions.models import ORGANIZER, FailureKind, Quota, Status, Submission
from judge.teams.models import Team


@dataclass(frozen=True)
class QuotaStatus:
    daily_left: int | None  # None: no daily limit
    total_left: int | None
    failed_left: int  # failed validations today that will not count
    next_allowed_at: datetime | None  # the minimum interval's end, if still ahead
    resets_at: datetime  # next local midnight, in UTC
    validation_left: int | None = None  # validation runs left today (None: the problem has none)


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


def take(problem: Problem, team: Team, now: datetime, person: User) -> str:
    """Use one submission of the team's and of ``person``'s allowance; returns the local day
    it counts on."""
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
    _check_person(problem, person, today, now)
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


def status(problem: Problem, team: Team, now: datetime, person: User | None = None) -> QuotaStatus:
    """What the team (and ``person``, if given) has left on ``problem`` now, and when it resets."""
    tz = problem.competition.timezone
    today = local_day(now, tz)
    row = db.session.scalar(
        sa.select(Quota).where(Quota.team_id == team.id, Quota.problem_id == problem.id)
    )
    used_today = row.day_count if row and row.day == today else 0
    failed_today = row.failed_count if row and row.day == today else 0
    total = row.total_count if row else 0
    if person is not None:
        own_today, own_total = _person_counts(problem, person, today)
        used_today, total = max(used_today, own_today), max(total, own_total)
        failed_today = max(failed_today, _person_given_back(problem, person.id, today))
    return QuotaStatus(
        daily_left=None
        if problem.daily_limit is None
        else max(problem.daily_limit - used_today, 0),
        total_left=None if problem.total_limit is None else max(problem.total_limit - total, 0),
        failed_left=max(problem.failed_daily_limit - failed_today, 0),
        next_allowed_at=_next_allowed(problem, row, now),
        resets_at=next_reset(now, tz),
        validation_left=_validation_left(problem, row, today),
    )


# --- the person's side: the same limits across every team the uploader has been in -------


def _person_counts(problem: Problem, person: User, today: str) -> tuple[int, int]:
    """How many of ``person``'s uploads to ``problem`` count, today and in all."""
    mine = sa.select(sa.func.count(Submission.id)).where(
        Submission.user_id == person.id,
        Submission.problem_id == problem.id,
        Submission.counted.is_(True),
        Submission.validation.is_(False),
    )
    total = db.session.scalar(mine) or 0
    if problem.daily_limit is None:
        return 0, total
    return db.session.scalar(mine.where(Submission.quota_day == today)) or 0, total


def _person_given_back(problem: Problem, person_id: int, today: str) -> int:
    """How many of the person's failed uploads to ``problem`` were given back on ``today``,
    in any team (a failure of the platform itself is given back apart and not counted; one on
    the organizer's side counts, as it is given back within the same allowance)."""
    given_back = sa.select(sa.func.count(Submission.id)).where(
        Submission.user_id == person_id,
        Submission.problem_id == problem.id,
        Submission.quota_day == today,
        Submission.counted.is_(False),
        Submission.validation.is_(False),
        sa.or_(
            Submission.failure_kind.is_distinct_from(FailureKind.SYSTEM),
            Submission.failure_reason == ORGANIZER,
        ),
        Submission.carried_from_id.is_(None),  # a carried entry was never the person's upload
    )
    return db.session.scalar(given_back) or 0


def _lock_person(person_id: int) -> None:
    """Lock the person's row (PostgreSQL; SQLite lets one writer at a time anyway), so that
    their uploads through several teams are counted one after the other; the lock does not
    block rows that merely refer to the user (FOR NO KEY UPDATE)."""
    db.session.execute(
        sa.select(User.id).where(User.id == person_id).with_for_update(key_share=True)
    )


def _check_person(problem: Problem, person: User, today: str, now: datetime) -> None:
    """Refuse an upload past the limits counted over the person's uploads in any team.

    Runs after the team's guarded UPDATE, with the person's row locked first.
    """
    if problem.daily_limit is None and problem.total_limit is None:
        return
    _lock_person(person.id)
    used_today, used = _person_counts(problem, person, today)
    if problem.total_limit is not None and used >= problem.total_limit:
        raise RateLimited(
            _(
                "You have used all %(n)d of your submissions for this problem, counting those "
                "you made in other teams.",
                n=problem.total_limit,
            )
        )
    if problem.daily_limit is not None and used_today >= problem.daily_limit:
        resets_at = next_reset(now, problem.competition.timezone)
        raise RateLimited(
            _(
                "You have used today's %(n)d submissions for this problem, counting those you "
                "made in other teams. The count resets at %(when)s.",
                n=problem.daily_limit,
                when=local(resets_at, problem.competition.timezone),
            ),
            resets_at=resets_at.isoformat(),
        )


def _validation_left(problem: Problem, row: Quota | None, today: str) -> int | None:
    if not problem.takes_validation_runs:
        return None
    used = row.validation_count if row and row.validation_day == today else 0
    return max(problem.validation_daily_limit - used, 0)


def take_validation(problem: Problem, team: Team, now: datetime) -> str:
    """Use one of the team's validation runs of the day (apart from its submissions)."""
    tz = problem.competition.timezone
    today = local_day(now, tz)
    _ensure_row(team.id, problem.id)
    taken = db.session.execute(
        sa.update(Quota)
        .where(Quota.team_id == team.id, Quota.problem_id == problem.id,
               sa.or_(Quota.validation_day != today,
                      Quota.validation_count < problem.validation_daily_limit))
        .values(validation_count=sa.case((Quota.validation_day == today,
                                          Quota.validation_count + 1), else_=1),
                validation_day=today)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if taken != 1:
        raise _validation_refusal(problem, now)
    return today


def check_validation_room(problem: Problem, team: Team, now: datetime) -> None:
    """Refuse as :func:`take_validation` would when none is left today; reads only."""
    if status(problem, team, now).validation_left == 0:
        raise _validation_refusal(problem, now)


def _validation_refusal(problem: Problem, now: datetime) -> RateLimited:
    tz = problem.competition.timezone
    resets = next_reset(now, tz)
    return RateLimited(_("Your team has used today's %(n)d validation runs. The count resets "
                         "at %(when)s.", n=problem.validation_daily_limit,
                         when=local(resets, tz)), resets_at=resets.isoformat())  # fmt: skip


def _next_allowed(problem: Problem, row: Quota | None, now: datetime) -> datetime | None:
    if not problem.min_interval_seconds or row is None or row.last_submitted_at is None:
        return None
    at = row.last_submitted_at + timedelta(seconds=problem.min_interval_seconds)
    return at if at > now else None


def refund_failed_upload(submission: Submission) -> bool:
    """Give an upload's count back once every submission of it failed, each invalid or on the
    platform's side (an upload to a phase is one per task; one on its own is just itself):
    within the daily allowance of free failures (as a failed validation) if any found the file
    invalid or failed on the organizer's side, else in full (a system failure).

    An organizer-side failure is capped too: the team's file or program can cause one on
    purpose (a program that read the hidden inputs exits before writing, or breaks the
    scorer), and a failure that is free without limit would let it spell hidden data one
    free run at a time. The organizers are notified of each and can re-score.

    Decided as each finishes, under a lock on the upload's row: of two tasks finishing at
    once, the second waits and sees the first's outcome. True when it no longer counts."""
    upload_id = submission.parent_id or submission.id
    upload = db.session.get(Submission, upload_id, with_for_update=True, populate_existing=True)
    outcomes = db.session.execute(
        sa.select(Submission.status, Submission.failure_kind, Submission.failure_reason).where(
            sa.or_(Submission.id == upload_id, Submission.parent_id == upload_id))
    ).all()  # fmt: skip
    refundable = (FailureKind.INVALID, FailureKind.SYSTEM)
    if any(status != Status.FAILED or kind not in refundable for status, kind, _ in outcomes):
        return False
    if any(kind == FailureKind.INVALID or reason == ORGANIZER for _, kind, reason in outcomes):
        return refund_invalid(upload)
    return refund_system_failure(upload)


def refund_invalid(submission: Submission) -> bool:
    """Give back the count of a submission that failed validation, within the daily allowance
    of its team and of its uploader (counted over their uploads in every team, with their
    row locked, so that a new team buys no free failures).

    Returns True when it no longer counts.
    """
    if not submission.counted:
        return False
    problem = submission.problem
    if submission.user_id is not None:
        _lock_person(submission.user_id)
        given_back = _person_given_back(problem, submission.user_id, submission.quota_day)
        if given_back >= problem.failed_daily_limit:
            return False
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

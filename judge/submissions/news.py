"""What a team hears about its submissions: scored, failed, and a re-score that changed its
public score. Only what the team may see: the public score, and the message the team is
shown (never the log, never a private score)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from judge.client.scores import score_text
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.problems.models import Problem
from judge.submissions.models import Quota, Submission
from judge.submissions.quota import local_day
from judge.teams.models import Team


def _tell(submission: Submission, kind: Kind, now: datetime, **params) -> None:
    problem = submission.problem
    link = notifications.path("problems.show", slug=problem.competition.slug,
                              problem_slug=problem.slug)  # fmt: skip
    round_ = int((submission.rescored_at or submission.created_at).timestamp())
    notifications.notify_team(submission.team, kind, f"submission:{submission.id}:{round_}", now,
                              link=link, problem=problem,
                              params={"submission": submission.parent_id or submission.id,
                                      "problem": _task_title(problem), **params})  # fmt: skip


def _task_title(problem: Problem) -> str:
    """The problem's title; on a problem with phases, with the task (each task's submission of
    one upload is told apart, under the upload's number)."""
    return problem.title if problem.series_id is None else f"{problem.title} · {problem.slug}"


def scored(submission: Submission, before: float | None, now: datetime) -> None:
    """Scored (the public score as the board shows it); after a re-score, told only when the
    public score changed."""
    score = submission.public_score
    if submission.rescored_at is None:
        shown = score_text(score, submission.problem.score_decimals) or "—"
        _tell(submission, Kind.SUBMISSION_SCORED, now, score=shown)
    elif before is not None and score != before:
        _score_changed(submission, now)


def _score_changed(submission: Submission, now: datetime) -> None:
    """Once per team and re-score of a problem, however many of its submissions changed:
    the submissions queued together share their ``rescored_at``, hence the key. Only the
    public score is compared, so nothing hidden is told."""
    problem, team = submission.problem, submission.team
    link = notifications.path("problems.show", slug=problem.competition.slug,
                              problem_slug=problem.slug)  # fmt: skip
    batch = int(submission.rescored_at.timestamp())
    notifications.notify_team(team, Kind.SCORE_CHANGED, f"rescore:{problem.id}:{team.id}:{batch}",
                              now, link=link, problem=problem,
                              params={"problem": problem.title})  # fmt: skip


def failed(submission: Submission, now: datetime) -> None:
    _tell(submission, Kind.SUBMISSION_FAILED, now, message=submission.error_message)


def organizer_failed(submission: Submission, now: datetime) -> None:
    """The problem's own programs failed on a submission: its organizers and sponsor hear,
    with a link to the log that says why (the team hears only that it failed)."""
    problem = submission.problem
    link = notifications.path("staff_submissions.log", slug=problem.competition.slug,
                              problem_slug=problem.slug, submission_id=submission.id)  # fmt: skip
    round_ = int((submission.rescored_at or submission.created_at).timestamp())
    people = notifications.organizers(problem.competition) + notifications.sponsor_members(problem)
    notifications.notify(people, Kind.SCORING_FAILED, problem.competition,
                         f"organizer-failed:{submission.id}:{round_}", now, link=link,
                         params={"submission": submission.id, "problem": problem.title},
                         problem=problem)  # fmt: skip


def remind_limits_reset(now: datetime) -> int:
    """Teams that used all their daily submissions yesterday (the competition's local day),
    once the new day has begun and while submissions are open."""
    recent = (now - timedelta(days=3)).date().isoformat()
    rows = db.session.execute(
        sa.select(Quota, Problem)
        .join(Problem, Problem.id == Quota.problem_id)
        .where(Problem.daily_limit.is_not(None), Quota.day_count >= Problem.daily_limit,
               Quota.day >= recent)
    ).all()  # fmt: skip
    made = 0
    for quota, problem in rows:
        zone = problem.competition.timezone
        if quota.day != local_day(now - timedelta(days=1), zone):
            continue
        if leaderboard.submissions_closed(problem, now):
            continue
        link = notifications.path("problems.show", slug=problem.competition.slug,
                                  problem_slug=problem.slug)  # fmt: skip
        made += len(notifications.notify_team(
            db.session.get(Team, quota.team_id), Kind.LIMIT_RESET,
            f"reset:{quota.id}:{local_day(now, zone)}", now, link=link, problem=problem,
            params={"problem": problem.title}))  # fmt: skip
    return made

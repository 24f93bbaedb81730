"""A sponsor's problem goes to review: a member of the sponsor submits it, an organizer
publishes it (``services.publish``) or sends it back with a comment. Services flush."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions.models import Competition
from judge.core.errors import Conflict, Invalid
from judge.core.extensions import db
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.problems.models import Problem


def waiting(competition: Competition) -> list[Problem]:
    """The problems waiting for an organizer's review, the longest waiting first."""
    query = sa.select(Problem).where(
        Problem.competition_id == competition.id,
        Problem.published_at.is_(None),
        Problem.review_requested_at.is_not(None),
    )
    return list(db.session.scalars(query.order_by(Problem.review_requested_at)))


def submit(problem: Problem, actor: User, now: datetime) -> Problem:
    """Ask the organizers to publish the draft ``problem``; they are notified."""
    if problem.is_published:
        raise Conflict(_("The problem is already published."))
    if problem.solution is None:
        raise Invalid(_("Upload the solution before submitting the problem for review."))
    if problem.in_review:
        return problem
    problem.review_requested_at = now
    audit.record(actor, "problem_review_requested", problem.competition_id, problem.title)
    competition = problem.competition
    notifications.notify(
        notifications.organizers(competition), Kind.PROBLEM_REVIEW_REQUESTED, competition,
        f"review:{problem.id}:{now.isoformat()}", now, problem=problem,
        link=notifications.path("competitions.manage", slug=competition.slug) + "#review",
        params={"problem": problem.title},
    )  # fmt: skip
    return problem


def send_back(problem: Problem, actor: User, comment: str, now: datetime) -> Problem:
    """Return a problem in review to its sponsor with what to change; its members are told."""
    comment = (comment or "").strip()
    if not comment:
        raise Invalid(_("Please say what the sponsor should change."), field="comment")
    if not problem.in_review:
        raise Conflict(_("This problem is not waiting for review."))
    problem.review_requested_at, problem.review_comment = None, comment
    audit.record(actor, "problem_sent_back", problem.competition_id, problem.title,
                 None, {"comment": comment})  # fmt: skip
    competition = problem.competition
    notifications.notify(
        notifications.sponsor_members(problem), Kind.PROBLEM_SENT_BACK, competition,
        f"sent-back:{problem.id}:{now.isoformat()}", now, problem=problem,
        link=notifications.path("problems.manage", slug=competition.slug,
                                problem_slug=problem.slug),
        params={"problem": problem.title, "comment": comment},
    )  # fmt: skip
    return problem

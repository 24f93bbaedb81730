"""What the organizers hear about a sponsor's change to a published problem: one
notification per change event (a PATCH, a form), naming the settings that changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from judge.accounts.models import User
from judge.competitions import policy
from judge.notifications import services as notifications
from judge.notifications.kinds import WATCHED_SETTINGS, Kind
from judge.problems.models import Problem


def watched(problem: Problem, names: list[str], value_of) -> dict[str, Any]:
    """The watched settings among ``names`` with their values (``value_of(problem, name)``)."""
    return {n: value_of(problem, n) for n in names if n in WATCHED_SETTINGS}


def changed(problem: Problem, actor: User, before: dict, after: dict, now: datetime) -> None:
    """Tell the organizers when someone other than an organizer changed watched settings of
    a published problem."""
    fields = sorted(n for n in before if before[n] != after[n])
    competition = problem.competition
    if not fields or not problem.is_published or policy.is_organizer(actor, competition):
        return
    link = notifications.path("problems.manage", slug=competition.slug,
                              problem_slug=problem.slug)  # fmt: skip
    notifications.notify(notifications.organizers(competition), Kind.PROBLEM_CHANGED,
                         competition, f"changed:{problem.id}:{now.isoformat()}", now,
                         link=link, problem=problem,
                         params={"problem": problem.title, "who": actor.name,
                                 "fields": fields})  # fmt: skip

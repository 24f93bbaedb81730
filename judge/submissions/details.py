"""A built-in metric's details of a submission's score, as people are shown them.

``map_50`` and ``map_50_95`` give, per split, the AP of each class of that split's truth,
keyed by the class as the solution writes it (``judge.scoring.engine.score``). The public
split's name only classes of the public rows. Whether a viewer may see the private split's is
asked as for the private score (``leaderboard.can_see_private``) by the caller; this module
only reads and rounds. A scoring program's details (its leaderboard columns, some of them
hidden from teams) are never shown here.
"""

from __future__ import annotations

from judge.scoring import metrics
from judge.submissions.models import Split, Status, Submission


def label(submission: Submission) -> object | None:
    """What the details of ``submission``'s problem are ("AP per class"), None if it has none."""
    problem = submission.problem
    if problem.mode.scored_by_program:
        return None
    metric = metrics.get(problem.metric or "")
    return metric.details_label if metric is not None else None


def of_split(submission: Submission, split: Split) -> dict[str, float] | None:
    """The details of one split's score, rounded to the problem's decimals, by name; None
    when the submission is not scored or its metric has none."""
    if submission.status != Status.SCORED or label(submission) is None:
        return None
    score = next((s for s in submission.scores if s.split == split), None)
    if score is None or not score.details:
        return None
    decimals = submission.problem.score_decimals
    return {name: round(float(value), decimals) for name, value in sorted(score.details.items())}


def public(submission: Submission) -> dict[str, float] | None:
    return of_split(submission, Split.PUBLIC)


def private(submission: Submission) -> dict[str, float] | None:
    """Only for those who may see the private board now (the caller's check)."""
    return of_split(submission, Split.PRIVATE)

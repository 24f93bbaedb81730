"""Where a competition stands for a participant: the next date worth counting down to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from judge.competitions.models import Competition
from judge.core.i18n import N_

# In order: the first one still ahead of now is the one a participant waits for.
MILESTONES = (
    ("submissions_open_at", N_("Submissions open in")),
    ("submissions_close_at", N_("Submissions close in")),
    ("results_at", N_("Results are announced in")),
)


@dataclass(frozen=True)
class Milestone:
    label: str  # English, marked with N_: translate when shown
    at: datetime


def next_milestone(competition: Competition, now: datetime) -> Milestone | None:
    """The next of: submissions open, submissions close, results; None once all are past."""
    for field, label in MILESTONES:
        at = getattr(competition, field)
        if at is not None and at > now:
            return Milestone(label, at)
    return None

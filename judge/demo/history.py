"""This year's first week: each team's uploads to the breast tumour problem, day by day,
getting better. They are queued for the worker like any upload, so once it has scored
them the leaderboard, the team's score chart and the sponsor's dashboard have something
to show."""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
import pandas as pd

from judge.accounts.models import User
from judge.core import storage
from judge.demo import content
from judge.demo.builder import local_day
from judge.problems.models import Problem
from judge.submissions import services as submissions
from judge.submissions.models import Submission

# How far each upload's predicted probabilities stray from the truth, oldest first
# (smaller is better): one upload a day from six days ago. The weakest team stays last
# whatever public share a load draws (over 3,000 draws its best trailed by 0.05 or more).
PLAN = {
    "KAIST Vision": (0.60, 0.45, 0.30, 0.15),
    "딥러닝연구회": (0.80, 0.45, 0.25),
    "데이터새싹": (1.70, 1.40),
}


def load(problem: Problem, users: dict[str, User], now: datetime) -> list[Submission]:
    uploads = []
    for spec in content.TEAMS:
        leader = users[spec.members[0]]
        for day, noise in enumerate(PLAN[spec.name]):
            when = local_day(now, day - 6, 20 + day % 3)
            seed = sum(map(ord, spec.name)) + day
            uploads.append(noisy_upload(problem, leader, noise, seed, f"v{day + 1}.csv", when))
    return uploads


def noisy_upload(problem: Problem, leader: User, noise: float, seed: int, filename: str,
                 when: datetime) -> Submission:  # fmt: skip
    """The truth plus Gaussian noise of ``noise``, clipped to [0, 1], as the team uploads it."""
    truth = pd.read_csv(storage.path_of(problem.solution.storage_key))
    column = problem.prediction_columns[0]
    rng = np.random.default_rng(seed)
    noisy = truth[column] + rng.normal(0, noise, len(truth))
    body = pd.DataFrame({problem.id_column: truth[problem.id_column],
                         column: noisy.clip(0, 1).round(4)})  # fmt: skip
    data = body.to_csv(index=False).encode()
    with storage.staged(io.BytesIO(data), len(data) + 1, "upload") as upload:
        return submissions.submit(problem, leader, upload, filename, "", when)

"""A batch of uploads through the real web server, and what the database says about them."""

from __future__ import annotations

import requests
import sqlalchemy as sa

from judge.core.extensions import db
from judge.submissions.models import FINISHED, Score, Split, Status, Submission
from tests.integration.conftest import predictions
from tests.integration.test_scoring_end_to_end import token, upload


def upload_batch(url: str, problem, leaders: list, count: int) -> list[int]:
    """``count`` uploads, spread over the teams of ``leaders``; returns the submission ids."""
    headers = [token(url, leader.email) for leader in leaders]
    return [
        upload(url, headers[n % len(headers)], problem.id, predictions(400, seed=n))["id"]
        for n in range(count)
    ]


def rows(ids: list[int]) -> list[Submission]:
    db.session.commit()  # end the read snapshot: see what the workers committed
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Submission).where(Submission.id.in_(ids))))


def all_finished(ids: list[int]) -> bool:
    return all(row.status in FINISHED for row in rows(ids))


def score_rows(ids: list[int]) -> dict[tuple[int, Split], int]:
    """How many score rows each submission has per split."""
    counted = db.session.execute(
        sa.select(Score.submission_id, Score.split, sa.func.count())
        .where(Score.submission_id.in_(ids))
        .group_by(Score.submission_id, Score.split)
    )
    return {(sid, split): n for sid, split, n in counted}


def assert_each_scored_exactly_once(ids: list[int]) -> list[Submission]:
    finished = rows(ids)
    assert {row.status for row in finished} == {Status.SCORED}, [
        (row.id, row.status, row.error_message) for row in finished
    ]
    assert score_rows(ids) == {(sid, split): 1 for sid in ids for split in Split}
    assert all(row.public_score is not None and row.finished_at for row in finished)
    return finished


def public_board(url: str, problem) -> list[str]:
    board = requests.get(f"{url}/api/v1/problems/{problem.id}/leaderboard", timeout=10).json()
    return [row["team"] for row in board["rows"]]

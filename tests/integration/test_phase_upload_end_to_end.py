"""One upload to a two-task phase, through gunicorn, a real Celery worker and bubblewrap:
`judge submit --wait` waits until both tasks are scored, each on its own solution."""

from __future__ import annotations

import json

import requests
import sqlalchemy as sa
from click.testing import CliRunner

from judge.client import config
from judge.client.commands import submit
from judge.core.extensions import db
from judge.submissions.models import Quota, Submission
from tests.integration.test_scoring_end_to_end import serving
from tests.submissions.phases import PREDICTIONS, two_tasks


def test_one_upload_is_scored_on_each_task_and_counted_once(instance, tmp_path):
    phase = two_tasks(instance.make, daily_limit=5)
    file = tmp_path / "predictions.csv"
    file.write_bytes(PREDICTIONS)  # task A's truth: every label right on A, wrong on B
    with serving(instance, tmp_path) as (url, worker):
        env = {config.URL_VARIABLE: url, config.TOKEN_VARIABLE: instance.make.token(phase.leader),
               config.PATH_VARIABLE: str(tmp_path / "client.json")}  # fmt: skip
        result = CliRunner().invoke(submit, [str(phase.first.id), str(file), "--wait", "--json",
                                             "--timeout", "120"], env=env)  # fmt: skip
        assert result.exit_code == 0, (result.output, worker.output())
        answer = json.loads(result.stdout)
        assert answer["status"] == "scored"
        assert [(t["task"], t["status"], t["public_score"]) for t in answer["tasks"]] == [
            ("vision-a", "scored", 1.0), ("vision-b", "scored", 0.0)]  # fmt: skip
        assert all("private_score" not in task for task in answer["tasks"])  # not revealed
        boards = [requests.get(f"{url}/api/v1/problems/{row.id}/leaderboard", timeout=10).json()
                  for row in (phase.first, phase.second)]  # fmt: skip
        assert [[r["score"] for r in board["rows"]] for board in boards] == [[1.0], [0.0]]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 2
    counts = db.session.execute(sa.select(Quota.problem_id, Quota.total_count)).all()
    assert counts == [(phase.first.id, 1)]

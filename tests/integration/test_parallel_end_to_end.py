"""CodaLab 1.8's parallel ingestion through the real pieces: a bundle imported, a team's code
uploaded over HTTP to gunicorn, scored by a real Celery worker running the ingestion and the
scoring program at once in bubblewrap, equal to the two programs run side by side by hand."""

from __future__ import annotations

import tempfile
from pathlib import Path

import requests

from judge.bundles.importing import import_bundle
from judge.bundles.reading import read
from judge.core.db import unit_of_work
from judge.core.extensions import db
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import write_bundle, zipped
from tests.bundles.test_parallel_ingestion import MODEL, files, side_by_side
from tests.integration.test_scoring_end_to_end import serving, token, wait_for_status


def test_a_parallel_bundle_is_scored_by_the_worker_as_by_hand(instance, tmp_path):
    make = instance.make
    competition = make.competition()
    admin = make.user("admin@example.com", admin=True)
    bundle = write_bundle(tmp_path / "parallel.zip", files())
    with tempfile.TemporaryDirectory() as tmp, unit_of_work():
        (problem,) = import_bundle(read(bundle, Path(tmp)), competition, admin).problems
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    leader = make.user("leader@example.com")
    make.team(competition, leader)
    with serving(instance, tmp_path) as (url, worker):
        headers = token(url, leader.email)
        code = {"file": ("model.zip", zipped({"model.py": MODEL}))}
        answer = requests.post(f"{url}/api/v1/problems/{problem.id}/submissions",
                               headers=headers, files=code, timeout=30)  # fmt: skip
        assert answer.status_code == 202, answer.text
        result = wait_for_status(url, headers, answer.json(), 120)
        assert result["status"] == "scored", (result, worker.output())
    by_hand = side_by_side(tmp_path / "by-hand")
    assert result["public_score"] == by_hand["accuracy"] == 0.9

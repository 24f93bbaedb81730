"""Workers on other hosts fetch a job's files from the app with signed, expiring URLs."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.serving import make_server

from judge import create_app
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import fetch, file_tokens, jobs, lifecycle
from judge.submissions.file_tokens import FileGrant
from judge.submissions.models import Status, Submission
from tests.api import test_scoring_programs as programs
from tests.submissions.helpers import LEASE, submit

KEY = "shared-by-web-and-workers"
CONTENT = b"id,label\n1,0.25\n2,0.75\n"


@pytest.fixture
def files_app(app: Flask) -> Flask:
    app.config.update(FILES_KEY=KEY, FILES_URL="http://files.invalid")
    return app


@pytest.fixture
def job(files_app, make):
    """A submission a worker has claimed: (submission, attempt)."""
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, CONTENT)
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), LEASE, "remote@host")
    return submission, attempt


def url_path(grant: FileGrant) -> str:
    return "/internal/files/" + file_tokens.sign(grant)


def prepared_key(submission: Submission) -> str:
    return submission.problem.solution.prepared_key


def test_a_running_job_fetches_its_file_and_its_solution(client, job):
    submission, attempt = job
    for key in (submission.storage_key, prepared_key(submission)):
        answer = client.get(url_path(FileGrant(key, submission.id, attempt)))
        assert answer.status_code == 200
        assert hashlib.sha256(answer.data).hexdigest() == key
        assert answer.headers["Cache-Control"] == "no-store"
    answer = client.get(url_path(FileGrant(submission.storage_key, submission.id, attempt)))
    assert answer.data == CONTENT


def _expired(grant: FileGrant) -> str:
    class AnHourAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3600

    serializer = URLSafeTimedSerializer(KEY, salt=file_tokens.SALT, signer=AnHourAgo)
    return serializer.dumps([grant.key, grant.submission_id, grant.attempt])


def test_unsigned_tampered_expired_or_stale_requests_all_get_the_same_404(
    client, make, job, files_app
):
    submission, attempt = job
    mine = FileGrant(submission.storage_key, submission.id, attempt)
    other_team = make.user()
    make.team(submission.problem.competition, other_team)
    theirs = submit(submission.problem, other_team, b"id,label\n1,0.9\n2,0.1\n")
    public_file = submission.problem.files[0].storage_key
    good = file_tokens.sign(mine)
    forged = URLSafeTimedSerializer("guessed", salt=file_tokens.SALT).dumps(
        [mine.key, mine.submission_id, mine.attempt]
    )
    refused = {
        "unsigned": "/internal/files/" + mine.key,
        "tampered": "/internal/files/" + good[:-3] + ("AAA" if good[-3:] != "AAA" else "BBB"),
        "forged": "/internal/files/" + forged,
        "expired": "/internal/files/" + _expired(mine),
        "another team's file": url_path(FileGrant(theirs.storage_key, submission.id, attempt)),
        "a public file": url_path(FileGrant(public_file, submission.id, attempt)),
        "a file that does not exist": url_path(FileGrant("0" * 64, submission.id, attempt)),
        "an older attempt": url_path(FileGrant(mine.key, submission.id, attempt - 1)),
        "a job not running": url_path(FileGrant(theirs.storage_key, theirs.id, 1)),
    }
    bodies = set()
    for case, path in refused.items():
        answer = client.get(path)
        assert answer.status_code == 404, case
        assert CONTENT not in answer.data, case
        bodies.add(answer.data)
    assert len(bodies) == 1  # nothing tells an existing file from a missing one
    assert client.get("/internal/files/" + good).status_code == 200


def test_a_finished_job_can_no_longer_fetch(client, job):
    submission, attempt = job
    path = url_path(FileGrant(submission.storage_key, submission.id, attempt))
    with unit_of_work():
        lifecycle.record_scores(submission, attempt, 0.5, 0.5, "", utcnow())
    assert client.get(path).status_code == 404


def test_without_a_files_key_the_endpoint_serves_nothing(client, job, files_app):
    submission, attempt = job
    path = url_path(FileGrant(submission.storage_key, submission.id, attempt))
    files_app.config["FILES_KEY"] = None
    assert client.get(path).status_code == 404


# --- the worker's side, against a real HTTP server ---------------------------------------


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def worker_app(web: Flask, storage_dir: Path, files_url: str) -> Iterator[Flask]:
    """The same database, its own empty storage: a worker on another host."""
    config = dict(web.config)
    config.update(STORAGE_DIR=str(storage_dir), FILES_URL=files_url, SERVER_NAME=None)
    worker = create_app(config)
    with worker.app_context():
        yield worker
        db.session.remove()
        db.engine.dispose()


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_worker_without_shared_storage_downloads_checks_and_keeps_the_files(
    files_app, job, tmp_path
):
    submission, attempt = job
    keys = (submission.storage_key, prepared_key(submission))
    with serving(files_app) as url, worker_app(files_app, tmp_path / "worker", url):
        paths = [fetch.local_file(key, submission.id, attempt) for key in keys]
    assert [p.read_bytes() for p in paths] == [storage.path_of(key).read_bytes() for key in keys]
    assert all(str(p).startswith(str(tmp_path / "worker")) for p in paths)
    with worker_app(files_app, tmp_path / "worker", "http://127.0.0.1:9") as _:
        again = fetch.local_file(keys[0], submission.id, attempt)  # no server: from its cache
    assert again == paths[0]
    assert stored_files(tmp_path / "worker") == sorted(paths)


class WrongBytes(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"id,label\n1,1.0\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_a_file_that_does_not_match_its_hash_is_rejected_and_not_kept(files_app, job, tmp_path):
    submission, attempt = job
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WrongBytes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with (
            worker_app(files_app, tmp_path / "worker", f"http://127.0.0.1:{server.server_port}"),
            pytest.raises(fetch.FetchFailed, match="hash"),
        ):
            fetch.local_file(submission.storage_key, submission.id, attempt)
    finally:
        server.shutdown()
        thread.join()
    assert stored_files(tmp_path / "worker") == []


def test_a_job_whose_files_cannot_be_fetched_goes_back_to_the_queue(files_app, make, tmp_path):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, CONTENT)
    with worker_app(files_app, tmp_path / "worker", "http://127.0.0.1:9"):
        outcome = jobs.score_submission(submission.id, "remote@host")
    db.session.expire_all()
    row = db.session.get(Submission, submission.id)
    assert outcome == "released"
    assert row.status == Status.QUEUED
    assert "input files unavailable" in row.log
    assert "/internal/files/" not in row.log  # no signed URL in what organizers read
    assert row.public_score is None


def test_a_remote_worker_scores_a_problem_with_a_sponsors_program(api, files_app, make, tmp_path):
    competition = make.competition()
    problem = make.problem(competition, solution=programs.SOLUTION, daily_limit=None)
    organizer, leader = competition.roles[0].user, make.user()
    make.team(competition, leader)
    assert programs.attach(api, problem, organizer, programs.program_zip()).status_code == 200
    truth = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))
    submission = submit(problem, leader, truth.encode(), name="predictions.csv")
    with serving(files_app) as url, worker_app(files_app, tmp_path / "worker", url):
        outcome = jobs.score_submission(submission.id, "remote@host")
    db.session.expire_all()
    row = db.session.get(Submission, submission.id)
    assert outcome == "scored", row.log
    assert row.public_score == 1.0
    wanted = {submission.storage_key, problem.scoring_program_key, problem.solution.storage_key}
    fetched = {p.parent.name + p.name for p in (tmp_path / "worker" / "blobs").glob("*/*")}
    assert fetched == wanted

"""`judge submit` streams the file to the API; --wait polls the status URL for the outcome."""

import json
from datetime import timedelta

import sqlalchemy as sa
from click.testing import CliRunner

from judge.client import commands, config
from judge.client.commands import submissions, submit
from judge.core import storage
from judge.core.cli import main
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import heartbeat, lifecycle
from judge.submissions.models import FailureKind, Status, Submission
from tests.submissions.helpers import score
from tests.submissions.helpers import submit as submit_file


def latest() -> Submission:
    db.session.expire_all()
    return db.session.scalars(sa.select(Submission).order_by(Submission.id.desc())).first()


def test_submit_prints_the_accepted_id_and_queued_status(run, scene, predictions):
    result = run(submit, scene.problem.id, predictions, "-m", "첫 시도", token=scene.token)
    assert result.exit_code == 0, result.output
    submission = latest()
    assert f"Submission {submission.id} accepted: queued." in result.output
    assert f"/api/v1/submissions/{submission.id}" in result.output
    assert "Submissions left today: 4." in result.output
    assert submission.status == Status.QUEUED  # no worker runs in these tests
    assert submission.description == "첫 시도"
    assert submission.filename == "pred.csv"
    assert storage.path_of(submission.storage_key).read_bytes() == predictions.read_bytes()


def test_submit_json_is_the_servers_answer(run, scene, predictions):
    result = run(submit, scene.problem.id, predictions, "--json", token=scene.token)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["id"] == latest().id
    assert answer["status"] == "queued"
    assert answer["quota"]["daily_left"] == 4


def test_submissions_lists_the_teams_submissions_newest_first(run, scene, predictions, make):
    run(submit, scene.problem.id, predictions, "-m", "first", token=scene.token)
    score(latest(), 0.875, 0.5)
    run(submit, scene.problem.id, predictions, "-m", "second", token=scene.token)
    other = make.team(scene.competition, name="Other")
    run(submit, scene.problem.id, predictions, "-m", "not ours", token=make.token(other.leader))
    result = run(submissions, scene.problem.id, token=scene.token)
    assert result.exit_code == 0, result.output
    header, rule, second, first = result.output.splitlines()
    assert header.split() == ["ID", "Submitted", "Status", "Public", "score", "Message"]
    assert set(rule) == {"-", " "}
    assert "queued" in second and second.endswith("second")
    assert "scored" in first and "0.87500" in first and first.endswith("first")
    assert "not ours" not in result.output


def test_submissions_json_is_parseable(run, scene, predictions):
    run(submit, scene.problem.id, predictions, token=scene.token)
    result = run(submissions, scene.problem.id, "--json", token=scene.token)
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    assert (item["id"], item["status"]) == (latest().id, "queued")


def score_when_polled(public: float):
    def pause(_seconds: float) -> None:
        score(latest(), public, 0.1)

    return pause


def fail_when_polled(message: str):
    def pause(_seconds: float) -> None:
        submission, now = latest(), utcnow()
        with unit_of_work():
            attempt = lifecycle.claim(submission.id, now, timedelta(minutes=5), "test")
            lifecycle.record_failure(submission, attempt, FailureKind.INVALID, message, "", now)

    return pause


def test_wait_prints_the_final_status_and_public_score(run, scene, predictions, monkeypatch):
    monkeypatch.setattr(commands, "pause", score_when_polled(0.625))
    result = run(submit, scene.problem.id, predictions, "--wait", token=scene.token)
    assert result.exit_code == 0, result.output
    assert f"Submission {latest().id} scored: public score 0.62500." in result.output


def test_wait_says_the_place_in_the_queue_and_about_how_long(
    run, scene, predictions, make, monkeypatch
):
    other = make.team(scene.competition, name="Other")
    finished = submit_file(scene.problem, other.leader)
    now = utcnow()
    with unit_of_work():
        attempt = lifecycle.claim(finished.id, now - timedelta(seconds=4), timedelta(minutes=5),
                                  "w1@host")  # fmt: skip
        lifecycle.record_failure(finished, attempt, FailureKind.INVALID, "bad", "", now)
        heartbeat.beat("w1@host", 1, now)
    submit_file(scene.problem, other.leader)
    submit_file(scene.problem, other.leader)
    monkeypatch.setattr(commands, "pause", score_when_polled(0.5))
    result = run(submit, scene.problem.id, predictions, "--wait", token=scene.token)
    assert result.exit_code == 0, result.output
    # Round-robin: behind the other team's first file only; two runs of about 4 s.
    assert "Place in the queue: 2 (about 8 s)." in result.output
    assert "Other" not in result.output


def test_wait_json_prints_the_finished_submission(run, scene, predictions, monkeypatch):
    monkeypatch.setattr(commands, "pause", score_when_polled(0.25))
    result = run(submit, scene.problem.id, predictions, "--wait", "--json", token=scene.token)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert (answer["status"], answer["public_score"]) == ("scored", 0.25)


def test_wait_shows_why_a_submission_failed_and_exits_1(run, scene, predictions, monkeypatch):
    monkeypatch.setattr(commands, "pause", fail_when_polled("Column 'label' is missing."))
    result = run(submit, scene.problem.id, predictions, "--wait", token=scene.token)
    assert result.exit_code == 1
    assert f"Submission {latest().id} failed: Column 'label' is missing." in result.output


def test_wait_gives_up_after_the_timeout(run, scene, predictions):
    result = run(submit, scene.problem.id, predictions, "--wait", "--timeout", "0",
                 token=scene.token)  # fmt: skip
    assert result.exit_code == 1
    assert f"Submission {latest().id} is still queued after 0 s" in result.output
    assert f"judge submissions {scene.problem.id}" in result.output


def test_judge_submit_works_where_the_local_instance_has_no_database(
    server, scene, predictions, tmp_path, client_config, monkeypatch
):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; undone after the test
    nowhere = tmp_path / "no" / "such" / "folder" / "judge.db"  # sqlite cannot create it
    env = {
        "JUDGE_INSTANCE_PATH": str(tmp_path / "laptop"),
        "JUDGE_DATABASE_URL": f"sqlite:///{nowhere}",
        config.URL_VARIABLE: server,
        config.TOKEN_VARIABLE: scene.token,
        config.PATH_VARIABLE: str(client_config),
    }
    args = ["submit", str(scene.problem.id), str(predictions)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "accepted: queued." in result.output
    assert not (tmp_path / "laptop" / "judge.db").exists()
    assert not nowhere.parent.exists()

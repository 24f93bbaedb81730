"""A problem's own programs that give no honest score fail on the organizer's side: the team
is told only that, is not charged, never sees the traceback; the organizers hear why."""

from __future__ import annotations

import zipfile

import sqlalchemy as sa
import yaml

from judge.audit.models import AuditEntry
from judge.core.db import utcnow
from judge.core.extensions import db
from judge.notifications.kinds import Kind
from judge.notifications.models import Notification
from judge.problems.models import Problem
from judge.submissions import jobs, quota
from judge.submissions.models import FailureKind, Status, Submission
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import write_bundle, zipped
from tests.submissions.helpers import submit
from tests.web.forms import read_form

KO = {"Accept-Language": "ko"}

TEAM_MESSAGE = "Scoring failed on the organizer's side (the organizer is notified)."
SECRET = "ORGANIZER-SECRET-PATH /srv/labels"
METADATA = "command: python $program/score.py $input $output\n"
INGEST = "command: python $ingestion_program/ingest.py $input $output\n"
# Writes acc always, mae unless told not to; fails loudly (but exits 0), or writes a report
# that is not numbers, if told to.
SCORER = f"""
import os, sys, traceback
res = open(os.path.join(sys.argv[1], "res", os.listdir(os.path.join(sys.argv[1], "res"))[0]))
mode = res.read().strip()
scores = {{"acc": 0.75, "mae": 0.5}}
if mode == "no-mae":
    del scores["mae"]
if mode == "slow":  # longer than the bundle's execution_time_limit
    print("{SECRET}", file=sys.stderr, flush=True)
    import time; time.sleep(60)
if mode == "bad-report":
    scores["acc"] = "{SECRET}"  # a value read from the hidden reference, not a number
if mode == "traceback":
    try:
        raise FileNotFoundError("{SECRET}")
    except FileNotFoundError:
        traceback.print_exc()
        scores = {{"acc": -0.999999, "mae": -0.999999}}
with open(os.path.join(sys.argv[2], "scores.txt"), "w") as out:
    out.writelines(f"{{k}}: {{v}}\\n" for k, v in scores.items())
"""
INGESTION = f"""
import sys
print("{SECRET}", file=sys.stderr)  # and forgets to write the predictions
"""


def bundle_yaml(ingestion: bool, limit: int = 600) -> str:
    extra = "    ingestion_program: ingestion_program/\n    input_data: input_data/\n"
    return f"""
version: 2
title: Failures
tasks:
  - index: 0
    name: Failing task
    scoring_program: scoring_program/
    reference_data: reference_data/
{extra if ingestion else ""}
phases:
  - {{index: 0, name: Only, tasks: [0], max_submissions_per_day: 3,
      execution_time_limit: {limit}}}
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {{title: Accuracy, key: acc, index: 0}}
      - {{title: MAE, key: mae, index: 1, sorting: asc}}
"""


def imported(runner, competition, tmp_path, ingestion: bool = False, limit: int = 600) -> Problem:
    files = {
        "competition.yaml": bundle_yaml(ingestion, limit),
        "scoring_program/score.py": SCORER,
        "scoring_program/metadata.yaml": METADATA,
        "reference_data/truth": "1 2 3\n",
    }
    if ingestion:
        files |= {
            "ingestion_program/ingest.py": INGESTION,
            "input_data/x.txt": "1\n",
            "ingestion_program/metadata.yaml": INGEST,
        }
    bundle = write_bundle(tmp_path / "b.zip", files)  # fmt: skip
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    problem = db.session.scalars(sa.select(Problem).where(Problem.competition == competition)).one()
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    return problem


def scored(problem, leader, content: bytes, name: str) -> Submission:
    submission = submit(problem, leader, content, name)
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, submission.id)


def assert_organizer_failure(submission, problem, leader, client, login, api, why: str):
    assert submission.status == Status.FAILED and submission.scores == []
    assert submission.failure_kind == FailureKind.SYSTEM
    assert submission.error_message == TEAM_MESSAGE
    assert why in submission.log
    charged = db.session.scalar(
        sa.select(sa.func.count()).where(
            Submission.team_id == submission.team_id, Submission.status == Status.SCORED
        )
    )
    left = quota.status(problem, submission.team, utcnow())
    assert left.daily_left == 3 - charged, "the team's count is given back"  # fmt: skip
    competition = problem.competition
    login(leader)
    here = f"/c/{competition.slug}/p/{problem.slug}"
    team_sees = [
        client.get(here).text,
        client.get(f"{here}/submissions/{submission.id}/status").text,
        client.get("/notifications").text,
        api.get(f"/submissions/{submission.id}", as_=leader).text,
        api.get(f"/problems/{problem.id}/submissions", as_=leader).text,
    ]
    assert client.get(f"{here}/all-submissions/{submission.id}").status_code in (403, 404)
    for body in team_sees:
        assert SECRET not in body and "Traceback" not in body and why not in body
    assert "organizer" in team_sees[1]
    organizer = competition.roles[0].user
    told = db.session.scalars(
        sa.select(Notification).where(
            Notification.user_id == organizer.id, Notification.kind == Kind.SCORING_FAILED
        )
    ).all()
    assert len(told) == 1  # fmt: skip
    login(organizer)
    assert why in client.get(f"{here}/all-submissions/{submission.id}").text


def test_a_program_that_leaves_a_column_without_a_score(runner, client, login, api,
                                                        competition, make, tmp_path):  # fmt: skip
    problem = imported(runner, competition, tmp_path)
    leader = make.user()
    make.team(competition, leader)
    ok = scored(problem, leader, zipped({"p.txt": "fine"}), "p.zip")
    assert ok.status == Status.SCORED and ok.public_score == 0.75, ok.log
    submission = scored(problem, leader, zipped({"p.txt": "no-mae"}), "p.zip")
    assert_organizer_failure(submission, problem, leader, client, login, api,
                             "without a score for the leaderboard columns: mae")  # fmt: skip


def test_a_score_next_to_a_traceback_is_not_kept(runner, client, login, api, competition, make,
                                                 tmp_path):  # fmt: skip
    problem = imported(runner, competition, tmp_path)
    leader = make.user()
    make.team(competition, leader)
    submission = scored(problem, leader, zipped({"p.txt": "traceback"}), "p.zip")
    assert SECRET in submission.log  # the organizers see the program's own words
    assert_organizer_failure(submission, problem, leader, client, login, api,
                             "printed a Python traceback on stderr")  # fmt: skip


def test_a_report_that_is_not_numbers_fails_on_our_side(runner, client, login, api,
                                                        competition, make, tmp_path):  # fmt: skip
    problem = imported(runner, competition, tmp_path)
    leader = make.user()
    make.team(competition, leader)
    submission = scored(problem, leader, zipped({"p.txt": "bad-report"}), "p.zip")
    assert SECRET in submission.log  # the organizers see what the program wrote
    assert_organizer_failure(submission, problem, leader, client, login, api,
                             "is not a number")  # fmt: skip


def test_an_ingestion_program_that_writes_no_predictions(runner, client, login, api,
                                                         competition, make, tmp_path):  # fmt: skip
    problem = imported(runner, competition, tmp_path, ingestion=True)
    assert problem.mode.accepts_code
    leader = make.user()
    make.team(competition, leader)
    code = zipped({"model.py": "def predict(x):\n    return x\n", "metadata.yaml": "command: x\n"})
    submission = scored(problem, leader, code, "code.zip")
    assert SECRET in submission.log
    assert_organizer_failure(submission, problem, leader, client, login, api,
                             "wrote no predictions")  # fmt: skip


def test_a_program_slower_than_the_execution_time_limit(runner, client, login, api, competition,
                                                        make, tmp_path):  # fmt: skip
    problem = imported(runner, competition, tmp_path, limit=2)
    assert problem.scoring_wall_seconds == 2
    leader = make.user()
    make.team(competition, leader)
    ok = scored(problem, leader, zipped({"p.txt": "fine"}), "p.zip")
    assert ok.status == Status.SCORED and ok.public_score == 0.75, ok.log
    submission = scored(problem, leader, zipped({"p.txt": "slow"}), "p.zip")
    assert SECRET in submission.log  # the organizers see what it printed before it was stopped
    assert_organizer_failure(submission, problem, leader, client, login, api,
                             "ran longer than its wall-clock limit (2 s)")  # fmt: skip

    out = tmp_path / "export.zip"
    exported = runner.invoke(args=["export-bundle", str(out), "--competition", competition.slug,
                                   "--problem", problem.slug])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(out) as bundle:
        phase = yaml.safe_load(bundle.read("competition.yaml"))["phases"][0]
    assert phase["execution_time_limit"] == 2
    target = make.competition()
    again = runner.invoke(args=["import-bundle", str(out), "--competition", target.slug])
    assert again.exit_code == 0, again.output
    copy = db.session.scalars(sa.select(Problem).where(Problem.competition == target)).one()
    assert copy.scoring_wall_seconds == 2


def test_organizer_changes_the_scoring_time_limit_on_the_settings_page(runner, client, login,
                                                                       api, competition, make,
                                                                       tmp_path):  # fmt: skip
    problem = imported(runner, competition, tmp_path)
    assert problem.scoring_wall_seconds == 600
    organizer = competition.roles[0].user
    login(organizer)
    manage = f"/c/{competition.slug}/p/{problem.slug}/manage"
    values, _ = read_form(client.get(manage, headers=KO).text, "/settings")
    assert values["scoring_wall_seconds"] == "600"
    settings = f"/c/{competition.slug}/p/{problem.slug}/settings"
    refused = client.post(settings, data=values | {"scoring_wall_seconds": "0"}, headers=KO)
    assert "채점 시간 제한은 1초에서 21600초 사이입니다." in refused.text
    page = client.post(settings, data=values | {"scoring_wall_seconds": "2"}, headers=KO,
                       follow_redirects=True)  # fmt: skip
    assert "설정을 저장했습니다." in page.text
    db.session.expire_all()
    assert problem.scoring_wall_seconds == 2
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "problem_settings_changed")
    ).one()
    assert (entry.before, entry.after) == ({"scoring_wall_seconds": 600},
                                           {"scoring_wall_seconds": 2})  # fmt: skip
    leader = make.user()
    make.team(competition, leader)
    submission = scored(problem, leader, zipped({"p.txt": "slow"}), "p.zip")
    assert_organizer_failure(submission, problem, leader, client, login, api,
                             "ran longer than its wall-clock limit (2 s)")  # fmt: skip


def test_a_built_in_metric_has_no_scoring_time_limit(api, make, competition):
    problem = make.problem(competition)
    organizer = competition.roles[0].user
    answer = api.patch(f"/problems/{problem.id}", json={"scoring_wall_seconds": 60},
                       as_=organizer)  # fmt: skip
    assert answer.status_code == 422
    assert "Only a problem scored by its own program has a scoring time limit." in answer.text

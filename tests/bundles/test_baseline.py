"""A bundle's problem is published only after its baseline run scored on the current scoring
setup; the run is scored by the real worker but belongs to no team."""

from __future__ import annotations

import html
import io

import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core import storage
from judge.core.db import unit_of_work
from judge.core.extensions import db
from judge.problems import programs
from judge.problems.models import Problem
from judge.submissions import jobs
from judge.submissions.models import Quota, Status, Submission
from tests.bundles.test_bundles import (
    CODABENCH_YAML,
    COMMAND,
    PROGRAM,
    SCORER,
    TRUTH,
    problems_of,
    write_bundle,
    zipped,
)
from tests.submissions.helpers import submit

KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
REFUSED = ("Run a baseline on the problem's current solution and scoring program, and wait "
           "until it is scored, before publishing the problem.")  # fmt: skip
HALF = "id,label\n" + "".join(f"r{i},{0 if i < 30 else 9}\n" for i in range(60))


def text(response) -> str:
    return html.unescape(response.text)


def imported(runner, competition, tmp_path) -> Problem:
    bundle = write_bundle(tmp_path / "b.zip", {
        "competition.yaml": CODABENCH_YAML, "evaluation.md": "Accuracy.",
        "scoring_program.zip": PROGRAM, "reference_data/truth.csv": TRUTH,
        "public_data/train.csv": "id,x\n1,2\n"})  # fmt: skip
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    [problem] = problems_of(competition)
    problem.opens_at = problem.closes_at = None
    db.session.commit()
    return problem


def run_baseline(client, problem, content: str) -> Submission:
    """Upload on the manage page, then let the real worker score it."""
    url = f"/c/{problem.competition.slug}/p/{problem.slug}/baseline"
    client.post(url, data={"file": (io.BytesIO(content.encode()), "pred.csv")})
    run = db.session.scalars(sa.select(Submission).where(Submission.team_id.is_(None))
                             .order_by(Submission.id.desc())).first()  # fmt: skip
    jobs.score_submission(run.id, "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, run.id)


def test_publishing_waits_for_a_baseline_scored_on_the_current_program(
    runner, client, login, api, competition, tmp_path
):
    organizer = competition.roles[0].user
    problem = imported(runner, competition, tmp_path)
    publish = f"/c/{competition.slug}/p/{problem.slug}/publish"
    login(organizer)
    page = text(client.post(publish, follow_redirects=True))
    assert REFUSED in page
    assert "베이스라인" in client.post(publish, headers=KO, follow_redirects=True).text
    refused = api.post(f"/problems/{problem.id}/publish", as_=organizer)
    assert refused.status_code == 422 and refused.json["error"]["message"] == REFUSED

    run = run_baseline(client, problem, HALF)
    assert run.status == Status.SCORED, run.log
    assert run.public_score < 1 and run.private_score is not None
    manage = client.get(f"/c/{competition.slug}/p/{problem.slug}/manage").text
    assert "Baseline run" in manage and f"{run.public_score:.3f}" in manage
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "baseline_run"))
    assert entry.actor_id == organizer.id and entry.after["filename"] == "pred.csv"

    new_program = zipped({"score.py": SCORER + "\n# v2\n", "metadata.yaml": COMMAND})
    with unit_of_work(), storage.staged(io.BytesIO(new_program), 10**7, "p") as staged:
        programs.attach_program(problem, staged, "program.zip", problem.score_columns)
    assert REFUSED in text(client.post(publish, follow_redirects=True))
    assert "outdated: the scoring changed since" in client.get(
        f"/c/{competition.slug}/p/{problem.slug}/manage").text  # fmt: skip

    assert run_baseline(client, problem, HALF).status == Status.SCORED
    published = api.post(f"/problems/{problem.id}/publish", as_=organizer)
    assert published.status_code == 200 and published.json["published"] is True


def test_a_failed_baseline_shows_its_error_and_does_not_unlock(
    runner, client, login, competition, tmp_path
):
    problem = imported(runner, competition, tmp_path)
    login(competition.roles[0].user)
    run = run_baseline(client, problem, "id,label\nnot,a,table\n")
    assert run.status == Status.FAILED
    manage = client.get(f"/c/{competition.slug}/p/{problem.slug}/manage").text
    assert run.error_message and run.error_message in html.unescape(manage)
    log = client.get(f"/c/{competition.slug}/p/{problem.slug}/all-submissions/{run.id}")
    assert log.status_code == 200 and run.log.splitlines()[0] in html.unescape(log.text)
    page = text(client.post(f"/c/{competition.slug}/p/{problem.slug}/publish",
                            follow_redirects=True))  # fmt: skip
    assert REFUSED in page


def test_the_baseline_is_on_no_board_and_in_no_count(runner, client, login, api, competition,
                                                     make, tmp_path):  # fmt: skip
    problem = imported(runner, competition, tmp_path)
    login(competition.roles[0].user)
    run = run_baseline(client, problem, TRUTH)
    assert run.public_score == 1.0
    api.post(f"/problems/{problem.id}/publish", as_=competition.roles[0].user)
    leader = make.user()
    make.team(competition, leader, name="Only team")
    jobs.score_submission(submit(problem, leader, HALF.encode(), "pred.csv").id, "test-worker")
    board = api.get(f"/problems/{problem.id}/leaderboard", as_=leader).json
    assert [row["team"] for row in board["rows"]] == ["Only team"], board
    [quota] = db.session.scalars(sa.select(Quota).where(Quota.problem_id == problem.id))
    assert quota.total_count == 1
    assert api.get(f"/submissions/{run.id}", as_=leader).status_code == 404
    assert api.get(f"/submissions/{run.id}/log", as_=leader).status_code == 404
    seen = api.get(f"/submissions/{run.id}/log", as_=competition.roles[0].user)
    assert seen.status_code == 200 and seen.json["id"] == run.id
    staff = client.get(f"/c/{competition.slug}/p/{problem.slug}/all-submissions").text
    assert staff.count("pred.csv") == 1  # the team's only


def test_the_fair_queue_serves_a_baseline_run(runner, client, login, competition, tmp_path):
    problem = imported(runner, competition, tmp_path)
    login(competition.roles[0].user)
    url = f"/c/{competition.slug}/p/{problem.slug}/baseline"
    client.post(url, data={"file": (io.BytesIO(TRUTH.encode()), "pred.csv")})
    assert jobs.score_next("test-worker") == "scored"
    db.session.expire_all()
    [run] = db.session.scalars(sa.select(Submission).where(Submission.team_id.is_(None)))
    assert run.public_score == 1.0

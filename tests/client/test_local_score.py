"""`judge score --problem`: a sponsor's local scores are the leaderboard's, to the digit."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from judge.audit.models import AuditEntry
from judge.client import config
from judge.client.commands import submit
from judge.client.local import score
from judge.competitions.models import SponsorMember
from judge.core.cli import main
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.submissions import jobs
from judge.submissions.models import Submission
from tests.factories import SOLUTION_CSV

# Wrong on every third id: public and private scores differ, and neither is 1.
GUESSES = "id,label\n" + "".join(f"{i},{(i % 2) ^ (i % 3 == 0)}\n" for i in range(1, 41))


def boards(client, problem) -> dict[str, str]:
    """The team's score as each leaderboard shows it."""
    shown = {}
    for board in ("public", "private"):
        answer = client.get(f"/api/v1/problems/{problem.id}/leaderboard?board={board}")
        shown[board] = answer.get_json()["rows"][0]["score_display"]
    return shown


def test_a_sponsors_local_scores_are_the_leaderboards(run, scene, make, tmp_path, client):
    solution, guesses = tmp_path / "solution.csv", tmp_path / "guesses.csv"
    solution.write_text(SOLUTION_CSV)
    guesses.write_text(GUESSES)
    ref = f"{scene.competition.slug}/{scene.problem.slug}"
    assert run(submit, ref, guesses, token=scene.token).exit_code == 0
    jobs.score_submission(db.session.scalar(sa.select(Submission.id)), "test-worker")
    with unit_of_work():
        leaderboard.reveal(scene.problem, utcnow())
    sponsor = make.user()
    make.sponsor_member(scene.competition, sponsor)
    result = run(score, "--problem", ref, solution, guesses, token=make.token(sponsor))
    assert result.exit_code == 0, result.output
    shown = boards(client, scene.problem)
    assert shown["public"] != shown["private"]
    lines = result.output.splitlines()
    assert lines[:2] == [f"Public score: {shown['public']}", f"Private score: {shown['private']}"]
    assert lines[2].startswith("Split: 30% of the ids public by a hash keyed with the problem's")
    entry = db.session.scalars(sa.select(AuditEntry).filter_by(action="split_salt_read")).one()
    assert entry.actor_id == sponsor.id


def test_the_same_in_korean_and_as_json(run, scene, make, tmp_path):
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION_CSV)
    organizer = scene.competition.roles[0].user
    token = make.token(organizer)
    result = run(score, "--lang", "ko", "--problem", scene.problem.id, solution, solution,
                 token=token)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["퍼블릭 점수: 1.00000", "프라이빗 점수: 1.00000"]
    result = run(score, "--problem", scene.problem.id, solution, solution, "--json", token=token)
    assert '"public": 1.0' in result.output and '"public_rows": ' in result.output


def test_a_problem_scored_on_all_rows_scores_locally_the_same(run, scene, make, tmp_path):
    solution, guesses = tmp_path / "solution.csv", tmp_path / "guesses.csv"
    solution.write_text(SOLUTION_CSV)
    guesses.write_text(GUESSES)
    organizer = scene.competition.roles[0].user
    with unit_of_work():
        leaderboard.change_settings(scene.problem, organizer, {"split_method": "all"}, utcnow())
    result = run(score, "--problem", scene.problem.id, solution, guesses,
                 token=make.token(organizer))  # fmt: skip
    assert result.exit_code == 0, result.output
    right = (
        sum(
            int(line.split(",")[1]) == int(truth.split(",")[1])
            for line, truth in zip(
                GUESSES.splitlines()[1:], SOLUTION_CSV.splitlines()[1:], strict=True
            )
        )
        / 40
    )
    assert result.output.splitlines()[:3] == [  # (the test server's request log may follow)
        f"Public score: {right:.5f}", f"Private score: {right:.5f}",
        "Split: every row scores both boards (40 rows); the private score equals the public "
        "one."]  # fmt: skip


def test_a_participant_is_refused_clearly(run, scene, tmp_path):
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION_CSV)
    result = run(score, "--problem", scene.problem.id, solution, solution, token=scene.token)
    assert result.exit_code == 1
    assert "Only the competition's organizers and the problem's sponsor may read its split" in (
        result.output
    )


def test_a_sponsor_member_on_a_team_is_refused(run, scene, tmp_path):
    """The services refuse to make a team member staff (and staff a team member); a row
    written before that rule, or by hand, must still not hand out the split."""
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION_CSV)
    with unit_of_work():
        sponsor = scene.competition.sponsors[0]
        db.session.add(SponsorMember(sponsor_id=sponsor.id, user_id=scene.leader.id))
    result = run(score, "--problem", scene.problem.id, solution, solution, token=scene.token)
    assert result.exit_code == 1
    assert "You are on a team in this competition" in result.output
    assert db.session.scalar(sa.select(AuditEntry).filter_by(action="split_salt_read")) is None


def test_an_unscorable_file_says_why_and_exits_1(run, scene, make, tmp_path):
    solution, broken = tmp_path / "solution.csv", tmp_path / "broken.csv"
    solution.write_text(SOLUTION_CSV)
    broken.write_text("id,label\n1,0\n")
    token = make.token(scene.competition.roles[0].user)
    result = run(score, "--problem", scene.problem.id, solution, broken, token=token)
    assert result.exit_code == 1
    assert "The file was not scored:" in result.output


def test_the_servers_judge_score_takes_a_problem_too(
    server, scene, make, tmp_path, client_config, monkeypatch
):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; undone after the test
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION_CSV)
    env = {
        "JUDGE_INSTANCE_PATH": str(tmp_path / "laptop"),
        config.URL_VARIABLE: server,
        config.TOKEN_VARIABLE: make.token(scene.competition.roles[0].user),
        config.PATH_VARIABLE: str(client_config),
    }
    args = ["score", "--problem", str(scene.problem.id), str(solution), str(solution)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["Public score: 1.00000", "Private score: 1.00000"]

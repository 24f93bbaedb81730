"""`judge leaderboard` prints the standings: a table, CSV or JSON; private only once revealed."""

import csv
import io
import json

from judge.client.commands import leaderboard
from judge.core.db import unit_of_work, utcnow
from judge.leaderboard import services as boards
from tests.submissions.helpers import scored


def board_scene(scene, make):
    """Alpha (graduate) 0.75 public / 0.9 private; 베타팀 (undergraduate) 0.875 / 0.5."""
    beta = make.team(scene.competition, division=1, name="베타팀")
    scored(scene.problem, scene.leader, 0.75, 0.9)
    scored(scene.problem, beta.leader, 0.875, 0.5)
    return beta


def reveal(problem) -> None:
    with unit_of_work():
        boards.reveal(problem, utcnow())


def rows(output: str) -> list[list[str]]:
    """The table's rows after the title, header and rule, split into cells."""
    lines = output.splitlines()
    return [line.split() for line in lines[lines.index("") + 3 :]]


def test_public_board_prints_rank_team_score_entries(run, scene, make):
    board_scene(scene, make)
    result = run(leaderboard, scene.problem.id, token=scene.token)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Public leaderboard of problem {scene.problem.id} (accuracy")
    assert result.output.splitlines()[2].split() == ["Rank", "Team", "Score", "Entries"]
    assert rows(result.output) == [["1", "베타팀", "0.87500", "1"], ["2", "Alpha", "0.75000", "1"]]


def test_public_board_needs_no_token(run, scene, make):
    board_scene(scene, make)
    result = run(leaderboard, scene.problem.id)
    assert result.exit_code == 0, result.output
    assert [row[1] for row in rows(result.output)] == ["베타팀", "Alpha"]


def test_division_filter(run, scene, make):
    board_scene(scene, make)
    division = scene.competition.divisions[0].id
    result = run(leaderboard, scene.problem.id, "--division", division, token=scene.token)
    assert result.exit_code == 0, result.output
    assert rows(result.output) == [["1", "Alpha", "0.75000", "1"]]


def test_private_board_before_the_reveal_prints_the_refusal_and_exits_1(run, scene, make):
    board_scene(scene, make)
    result = run(leaderboard, scene.problem.id, "--private", token=scene.token)
    assert result.exit_code == 1
    assert "The private leaderboard is not revealed yet." in result.output
    assert "0.9" not in result.output


def test_private_board_after_the_reveal(run, scene, make):
    board_scene(scene, make)
    reveal(scene.problem)
    result = run(leaderboard, scene.problem.id, "--private", token=scene.token)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Private leaderboard")
    assert rows(result.output) == [["1", "Alpha", "0.90000", "1"], ["2", "베타팀", "0.50000", "1"]]


def test_csv(run, scene, make):
    beta = board_scene(scene, make)
    reveal(scene.problem)
    result = run(leaderboard, scene.problem.id, "--private", "--csv", token=scene.token)
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["rank"], r["team"], r["score"]) for r in table] == [
        ("1", "Alpha", "0.9"),
        ("2", "베타팀", "0.5"),
    ]
    assert table[1]["team_id"] == str(beta.id)
    assert table[1]["public_score"] == "0.875"


def test_json_is_the_servers_board(run, scene, make):
    board_scene(scene, make)
    result = run(leaderboard, scene.problem.id, "--json", token=scene.token)
    assert result.exit_code == 0, result.output
    board = json.loads(result.stdout)
    assert board["board"] == "public"
    assert [(r["rank"], r["team"], r["score"]) for r in board["rows"]] == [
        (1, "베타팀", 0.875),
        (2, "Alpha", 0.75),
    ]


def test_an_empty_board(run, scene):
    result = run(leaderboard, scene.problem.id, token=scene.token)
    assert result.exit_code == 0, result.output
    assert "No ranked teams yet." in result.output


def test_csv_and_json_together_is_a_usage_error(run, scene):
    result = run(leaderboard, scene.problem.id, "--csv", "--json")
    assert result.exit_code == 2
    assert "Choose --csv or --json" in result.output

"""One precision per board: the leaderboard page, the team's submission list, the API and the
`judge` client write a score the same way, with the problem's decimals, in both languages."""

from __future__ import annotations

import re

import pytest

from judge.client.commands import leaderboard, submissions
from tests.submissions.helpers import scored

LANGUAGES = ["ko", "en"]


def row_of(page: str, team: str) -> str:
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*?" + re.escape(team) + r".*?</tr>", page, re.S)
    assert match, f"no row for {team}"
    return match.group(0)


def cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", html, re.S)]


def everywhere(client, login, run, scene, language: str) -> dict[str, str]:
    """The team's public score as each place shows it, read in ``language``."""
    headers = {"Accept-Language": language}
    login(scene.leader)
    address = f"/c/{scene.competition.slug}/p/{scene.problem.slug}"
    board = client.get(f"{address}/leaderboard", headers=headers).text
    own = client.get(address, headers=headers).text
    api_board = client.get(f"/api/v1/problems/{scene.problem.id}/leaderboard", headers=headers)
    api_submissions = client.get(
        f"/api/v1/problems/{scene.problem.id}/submissions",
        headers=headers | {"Authorization": f"Bearer {scene.token}"},
    )
    cli_board = run(leaderboard, "--lang", language, scene.problem.id, token=scene.token)
    cli_submissions = run(submissions, "--lang", language, scene.problem.id, token=scene.token)
    assert cli_board.exit_code == 0 and cli_submissions.exit_code == 0, cli_board.output
    team_row = cells(row_of(board, "Alpha"))
    public_cell = re.search(r'data-cell="public"[^>]*>([^<]*)<', own).group(1).strip()
    return {
        "leaderboard page": team_row[2],
        "submission list": public_cell,
        "API leaderboard": api_board.json["rows"][0]["score_display"],
        "API submissions": api_submissions.json[0]["public_score_display"],
        "CLI leaderboard": cli_board.output.splitlines()[-1].split()[2],
        "CLI submissions": next(
            line for line in cli_submissions.output.splitlines() if "scored" in line
        ).split()[-1],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_score_shows_five_decimals_everywhere(client, login, run, scene, language):
    scored(scene.problem, scene.leader, 1.0, 0.5)
    shown = everywhere(client, login, run, scene, language)
    assert set(shown.values()) == {"1.00000"}, shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_problem_s_decimals_round_every_view_alike(client, login, run, make, scene, language):
    problem = make.problem(scene.competition, score_decimals=2)
    scene.problem = problem
    scored(problem, scene.leader, 0.97479, 0.5)
    shown = everywhere(client, login, run, scene, language)
    assert set(shown.values()) == {"0.97"}, shown


def test_the_api_keeps_the_raw_value_beside_the_text(client, scene):
    scored(scene.problem, scene.leader, 0.974791234, 0.5)
    body = client.get(f"/api/v1/problems/{scene.problem.id}/leaderboard").json
    assert body["score_decimals"] == 5
    assert body["rows"][0]["score"] == 0.974791234
    assert body["rows"][0]["score_display"] == "0.97479"


def test_the_client_csv_keeps_the_raw_value(run, scene):
    scored(scene.problem, scene.leader, 0.974791234, 0.5)
    result = run(leaderboard, scene.problem.id, "--csv", token=scene.token)
    assert result.exit_code == 0, result.output
    assert "0.974791234" in result.stdout

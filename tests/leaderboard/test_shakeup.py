"""The shake-up (issue 15, item 6): each team's public rank, private rank and the change, per
problem and division, only once the private board is revealed."""

from __future__ import annotations

from judge.core.db import unit_of_work, utcnow
from judge.leaderboard import services as leaderboard
from judge.leaderboard import shakeup
from tests.submissions.helpers import scored

# (team, division, public, private): accuracy, higher is better.
TEAMS = [("가람", 0, 0.90, 0.70), ("나래", 0, 0.85, 0.80), ("다솜", 0, 0.80, 0.90),
         ("라온", 1, 0.95, 0.60), ("마루", 1, 0.50, 0.65)]  # fmt: skip


def board(make):
    organizer = make.user()
    competition = make.competition(organizer)
    problem = make.problem(competition, slug="shake")
    leaders = {}
    for name, division, public, private in TEAMS:
        leaders[name] = make.user(name=f"{name} 팀장")
        make.team(competition, leaders[name], division=division, name=name)
        scored(problem, leaders[name], public, private)
    return problem, organizer, leaders


def rows(page: str) -> dict[str, str]:
    """team -> "private rank|public rank|change" as the table shows them."""
    table = page.split("data-shakeup>")[1].split("</table>")[0]
    out = {}
    for row in table.split('<tr data-team="')[1:]:
        cells = [c.split("</td>")[0] for c in row.split('<td class="num"')[1:]]
        values = [c.split(">", 1)[1].strip() for c in cells]
        out[row.split('"')[0]] = "|".join(_plain(v) for v in values)
    return out


def _plain(cell: str) -> str:
    while "<" in cell:
        start = cell.index("<")
        cell = cell[:start] + cell[cell.index(">", start) + 1 :]
    return cell.strip()


def url(problem, division=None) -> str:
    query = f"?division={division.id}" if division else ""
    return f"/c/{problem.competition.slug}/p/{problem.slug}/shakeup{query}"


def test_the_shakeup_shows_each_move_once_revealed(client, make):
    problem, organizer, _ = board(make)
    with unit_of_work():
        leaderboard.reveal(problem, utcnow(), organizer)
    page = client.get(url(problem)).text
    assert rows(page) == {
        "다솜": "1|4|↑3", "나래": "2|3|↑1", "가람": "3|2|↓1", "마루": "4|5|↑1", "라온": "5|1|↓4",
    }  # fmt: skip
    graduate = rows(client.get(url(problem, problem.competition.divisions[0])).text)
    assert graduate == {"다솜": "1|3|↑2", "나래": "2|2|–", "가람": "3|1|↓2"}
    korean = client.get(url(problem), headers={"Accept-Language": "ko"}).text
    assert "순위 변동" in korean and "퍼블릭 순위" in korean
    link = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}/leaderboard").text
    assert "data-shakeup-link" in link


def test_a_team_without_a_public_rank_is_new_and_others_move_by_places():
    assert shakeup.Move(1, "바다", private_rank=1, public_rank=None).change is None
    assert shakeup.Move(2, "가람", private_rank=3, public_rank=1).change == -2


def test_before_the_reveal_there_is_no_shakeup_for_anyone(client, login, make):
    problem, organizer, leaders = board(make)
    assert client.get(url(problem)).status_code == 404
    for who in (leaders["가람"], organizer):
        login(who)
        assert client.get(url(problem)).status_code == 404
        assert client.get(url(problem, problem.competition.divisions[1])).status_code == 404
    page = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}/leaderboard").text
    assert "data-shakeup-link" not in page

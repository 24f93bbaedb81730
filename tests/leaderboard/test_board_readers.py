"""Boards kept per process, read by different readers one after another: each sees what it
may see, and a change of what a board shows reaches the next reader."""

from __future__ import annotations

from datetime import timedelta

import pytest

from judge.competitions import services as competitions
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.teams.models import Team
from tests.api.conftest import ApiClient
from tests.submissions.helpers import scored
from tests.web.forms import read_form


@pytest.fixture
def api(client, make) -> ApiClient:
    return ApiClient(client, make)


@pytest.fixture
def problem(make):
    return make.problem(make.competition(), daily_limit=None)


def team_of(make, problem, name):
    user = make.user()
    team = make.team(problem.competition, user, name=name)
    return team, user


def board(api, problem, user=None, **query):
    response = api.get(f"/problems/{problem.id}/leaderboard", as_=user, query_string=query)
    return response.status_code, response.get_json()


def test_the_organizers_kept_private_board_is_not_served_before_the_reveal(api, make, problem):
    _team, user = team_of(make, problem, "Alpha")
    scored(problem, user, 0.5, 0.9)
    organizer = make.user(admin=True)
    status, staff = board(api, problem, organizer, board="private")
    assert status == 200 and staff["rows"][0]["private_score"] == 0.9
    assert board(api, problem, user, board="private")[0] == 403
    assert board(api, problem, None, board="private")[0] == 403
    assert board(api, problem, user)[1]["rows"][0]["private_score"] is None
    problem.revealed_at = utcnow()
    db.session.commit()
    assert board(api, problem, None, board="private")[1]["rows"][0]["private_score"] == 0.9
    problem.revealed_at = None  # hidden again
    db.session.commit()
    assert board(api, problem, None, board="private")[0] == 403


def test_a_rename_a_disqualification_and_decimals_reach_the_kept_board(api, make, problem,
                                                                       client):  # fmt: skip
    team, user = team_of(make, problem, "Alpha")
    _other, rival = team_of(make, problem, "Beta")
    scored(problem, user, 0.123456, 0.5)
    scored(problem, rival, 0.1, 0.5)
    page = f"/c/{problem.competition.slug}/p/{problem.slug}/leaderboard"
    assert [r["team"] for r in board(api, problem)[1]["rows"]] == ["Alpha", "Beta"]
    assert "Alpha" in client.get(page).get_data(as_text=True)
    team.name = "Gamma"
    db.session.commit()
    assert [r["team"] for r in board(api, problem, rival)[1]["rows"]] == ["Gamma", "Beta"]
    assert "Alpha" not in client.get(page).get_data(as_text=True)
    problem.score_decimals = 2
    db.session.commit()
    assert board(api, problem)[1]["rows"][0]["public_score_display"] == "0.12"
    db.session.get(Team, team.id).disqualified_at = utcnow()
    db.session.commit()
    assert [r["team"] for r in board(api, problem)[1]["rows"]] == ["Beta"]
    assert "Gamma" not in client.get(page).get_data(as_text=True)


def test_a_division_filter_kept_for_one_reader_is_not_another_divisions(api, make, problem):
    competition = problem.competition
    first, second = make.division(competition, 0), make.division(competition, 1)
    alpha, one = team_of(make, problem, "Alpha")
    beta, two = team_of(make, problem, "Beta")
    alpha.division_id, beta.division_id = first.id, second.id
    db.session.commit()
    scored(problem, one, 0.5, 0.5)
    scored(problem, two, 0.6, 0.6)
    assert [r["team"] for r in board(api, problem, division_id=first.id)[1]["rows"]] == ["Alpha"]
    assert [r["team"] for r in board(api, problem, division_id=second.id)[1]["rows"]] == ["Beta"]
    assert [r["team"] for r in board(api, problem)[1]["rows"]] == ["Beta", "Alpha"]


def test_a_division_of_no_such_competition_is_refused_and_no_board_is_kept(api, make, problem,
                                                                          app):  # fmt: skip
    """Each board asked for is kept (32 per process): made-up divisions would push the real
    boards out for everyone, and every reader's request would build its board again."""
    _team, user = team_of(make, problem, "Alpha")
    scored(problem, user, 0.5, 0.5)
    elsewhere = make.division(make.competition(), 0)
    for division_id in (elsewhere.id, 10**9):
        status, body = board(api, problem, division_id=division_id)
        assert status == 404
        assert body["error"]["message"] == "No such division in this competition."
        status, _body = board(api, problem, make.user(admin=True), board="private",
                              division_id=division_id)  # fmt: skip
        assert status == 404
    assert not app.extensions.get("judge.boards")


def test_a_hidden_columns_key_and_label_are_only_the_managers(api, make, problem):
    problem.score_columns = [{"key": "map", "label": "mAP", "higher_is_better": True,
                              "precision": 3},
                             {"key": "secret_f1", "label": "Private F1", "higher_is_better": True,
                              "precision": 3, "hidden": True}]  # fmt: skip
    problem.scoring_program_key = "0" * 64
    db.session.commit()
    _team, user = team_of(make, problem, "Alpha")
    for reader in (user, None):
        for body in (api.get(f"/problems/{problem.id}", as_=reader).get_json(),
                     *api.get(f"/competitions/{problem.competition.slug}/problems",
                              as_=reader).get_json()):  # fmt: skip
            assert [c["key"] for c in body["score_columns"]] == ["map"]
            assert "Private F1" not in str(body)
    managed = api.get(f"/problems/{problem.id}", as_=make.user(admin=True)).get_json()
    assert [c["key"] for c in managed["score_columns"]] == ["map", "secret_f1"]


@pytest.mark.parametrize("through", ["api", "web"])
def test_a_new_blend_weight_reaches_every_final_score(api, client, login, make, problem,
                                                      through):  # fmt: skip
    """The private board ranks by w·public + (1−w)·private: changing w re-ranks it at once,
    not team by team as each next scores."""
    _alpha, a = team_of(make, problem, "Alpha")
    _beta, b = team_of(make, problem, "Beta")
    scored(problem, a, 0.9, 0.5)  # better public
    scored(problem, b, 0.1, 0.6)  # better private
    organizer = make.user(admin=True)
    assert [r["team"] for r in board(api, problem, organizer, board="private")[1]["rows"]] == [
        "Beta", "Alpha"]  # fmt: skip
    if through == "api":
        changed = api.patch(f"/problems/{problem.id}", as_=organizer,
                            json={"blend_public_weight": 0.5})  # fmt: skip
        assert changed.status_code == 200, changed.get_json()
    else:
        login(organizer)
        url = f"/c/{problem.competition.slug}/p/{problem.slug}/settings"
        page = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}/manage").text
        form = read_form(page, "/settings")[0] | {"blend_public_weight": "0.5"}
        assert client.post(url, data=form).status_code == 302
    rows = board(api, problem, organizer, board="private")[1]["rows"]
    assert [(r["team"], r["score"]) for r in rows] == [("Alpha", pytest.approx(0.7)),
                                                       ("Beta", pytest.approx(0.35))]  # fmt: skip


def test_a_later_close_hides_a_revealed_private_board_until_submissions_close(api, make,
                                                                           client):  # fmt: skip
    """Revealed once closed; the organizers then move the competition's close date later (the
    problem has none of its own): while teams submit again nobody but the staff sees it."""
    now = utcnow()
    competition = make.competition(submissions_open_at=now - timedelta(days=3),
                                   submissions_close_at=now + timedelta(days=1))  # fmt: skip
    problem = make.problem(competition, daily_limit=None)
    assert problem.closes_at is None
    _team, user = team_of(make, problem, "Alpha")
    scored(problem, user, 0.5, 0.9)
    organizer = competition.roles[0].user
    with unit_of_work():
        competitions.update_competition(competition, actor=organizer,
                                        submissions_close_at=now - timedelta(hours=1))  # fmt: skip
    leaderboard.reveal(problem, now, organizer)
    db.session.commit()
    assert board(api, problem, user, board="private")[1]["rows"][0]["private_score"] == 0.9
    with unit_of_work():
        competitions.update_competition(competition, actor=organizer,
                                        submissions_close_at=now + timedelta(days=1))  # fmt: skip
    assert board(api, problem, user, board="private")[0] == 403
    assert board(api, problem, None, board="private")[0] == 403
    assert board(api, problem, user)[1]["revealed"] is False
    assert board(api, problem, user)[1]["rows"][0]["private_score"] is None
    page = client.get(f"/c/{competition.slug}/p/{problem.slug}/leaderboard?board=private")
    assert "0.9" not in page.get_data(as_text=True)
    assert board(api, problem, organizer, board="private")[0] == 200  # the staff still see it
    with unit_of_work():  # the new close passes
        competitions.update_competition(
            competition, actor=organizer, submissions_close_at=now - timedelta(minutes=1)
        )
    assert board(api, problem, user, board="private")[1]["rows"][0]["private_score"] == 0.9


def test_a_reveal_while_submissions_are_open_is_refused(api, make, client, login):
    """An organizer's reveal would not show the board while teams submit: it is refused
    with the reason, and a board hidden again says so instead of "was revealed"."""
    competition = make.competition(submissions_close_at=utcnow() + timedelta(days=1))
    problem = make.problem(competition, daily_limit=None)
    _team, user = team_of(make, problem, "Alpha")
    scored(problem, user, 0.5, 0.9)
    organizer = competition.roles[0].user
    answer = api.post(f"/problems/{problem.id}/reveal", as_=organizer)
    assert answer.status_code == 409, answer.text
    assert f"Submissions to {problem.title} are still open" in answer.text
    db.session.refresh(problem)
    assert problem.revealed_at is None
    login(user)  # a team is not told what only the organizers can do
    team_page = client.get(f"/c/{competition.slug}/p/{problem.slug}/leaderboard").text
    assert "data-reveal-later" not in team_page and "/leaderboard/reveal" not in team_page
    client.post("/logout")
    login(organizer)
    board_page = client.get(f"/c/{competition.slug}/p/{problem.slug}/leaderboard").text
    assert "/leaderboard/reveal" not in board_page  # no button for what would be refused
    assert "You can reveal the private leaderboard once submissions close, at" in board_page
    page = client.post(f"/c/{competition.slug}/p/{problem.slug}/leaderboard/reveal",
                       follow_redirects=True).text  # fmt: skip
    assert "now shown to everyone" not in page and "are still open" in page
    problem.revealed_at = utcnow() - timedelta(days=2)  # revealed before the close moved later
    db.session.commit()
    shown = client.get(f"/c/{competition.slug}/p/{problem.slug}/leaderboard").text
    assert "The private leaderboard was revealed at" not in shown
    assert "hidden again until submissions close" in shown
    assert board(api, problem, user, board="private")[0] == 403

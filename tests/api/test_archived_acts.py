"""An archived competition is read-only for teams on every path, not only joining and
uploading: final selections (they rank the private board) and a new invite code are refused
too, in both languages."""

from __future__ import annotations

from judge.competitions.models import CompetitionState
from judge.core.db import unit_of_work
from judge.core.extensions import db
from tests.submissions.helpers import scored


def _archive(competition):
    with unit_of_work():
        competition.state = CompetitionState.ARCHIVED


def _post(client, make, path, user, language):
    headers = {"Authorization": f"Bearer {make.token(user)}", "Accept-Language": language}
    return client.post("/api/v1" + path, headers=headers)


def test_final_selection_is_refused_once_archived(client, make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    leader = make.user()
    make.team(competition, leader, name="Ours")
    mine = scored(problem, leader, 0.5, 0.5)
    _archive(competition)
    english = _post(client, make, f"/submissions/{mine.id}/final", leader, "en")
    assert english.status_code == 403
    assert "archived" in english.json["error"]["message"]
    korean = _post(client, make, f"/submissions/{mine.id}/final", leader, "ko")
    assert "보관" in korean.json["error"]["message"]
    db.session.refresh(mine)
    assert mine.selected is False


def test_a_new_invite_code_is_refused_once_archived(client, make):
    competition = make.competition()
    leader = make.user()
    team = make.team(competition, leader, name="Ours")
    code = team.invite_code
    _archive(competition)
    answer = _post(client, make, f"/teams/{team.id}/invite-code", leader, "en")
    assert answer.status_code == 403
    assert "archived" in answer.json["error"]["message"]
    db.session.refresh(team)
    assert team.invite_code == code

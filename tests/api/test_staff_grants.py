"""Staff roles for people who compete: an organizer cannot make a team member an organizer,
a judge or a sponsor member of the same competition (else that person reads the private
board and its own team's private scores); grants and revocations are in the audit log."""

from __future__ import annotations

import pytest

from judge.audit import log as audit
from judge.competitions.models import Role
from tests.submissions.helpers import score, submit

PRIVATE = "0.918273"


@pytest.fixture
def contest(make):
    organizer = make.user(name="Olive Organizer")
    competition = make.competition(organizer)
    problem = make.problem(competition, slug="defects")
    player = make.user(name="Pia Player", email="pia@example.com")
    team = make.team(competition, player, name="Pia Team")
    score(submit(problem, player), 0.5, float(PRIVATE))
    return competition, problem, organizer, player, team


@pytest.mark.parametrize("role", ["organizer", "judge"])
def test_a_team_member_cannot_be_given_a_staff_role(api, contest, role):
    competition, problem, organizer, player, _ = contest
    answer = api.post(f"/competitions/{competition.slug}/roles", as_=organizer,
                      json={"email": player.email, "role": role})  # fmt: skip
    assert answer.status_code == 409, answer.text
    message = answer.json["error"]["message"]
    assert "Pia Team" in message and "leave" in message
    assert [r.role for r in competition.roles if r.user_id == player.id] == []
    board = api.get(f"/problems/{problem.id}/leaderboard?board=private", as_=player)
    assert board.status_code == 403 and PRIVATE not in board.text


def test_a_team_member_cannot_be_made_a_sponsor_member(api, contest):
    competition, problem, organizer, player, _ = contest
    sponsor = competition.sponsors[0]
    answer = api.post(f"/competitions/{competition.slug}/sponsors/{sponsor.id}/members",
                      as_=organizer, json={"email": player.email})  # fmt: skip
    assert answer.status_code == 409, answer.text
    assert "Pia Team" in answer.json["error"]["message"]
    assert sponsor.members == []
    solution = api.get(f"/problems/{problem.id}/solution", as_=player)
    assert solution.status_code == 403


def test_the_console_refuses_the_grant_with_the_reason(client, login, contest):
    competition, _, organizer, player, _ = contest
    login(organizer)
    page = client.post(f"/c/{competition.slug}/manage/roles",
                       data={"role-email": player.email, "role-role": "judge"})  # fmt: skip
    assert page.status_code == 200
    assert "Pia Team" in page.text and "The role is assigned." not in page.text
    assert all(r.user_id != player.id for r in competition.roles)
    page = client.post(f"/c/{competition.slug}/manage/sponsor-members",
                       data={"member-sponsor_id": competition.sponsors[0].id,
                             "member-email": player.email})  # fmt: skip
    assert "Pia Team" in page.text and competition.sponsors[0].members == []


def test_after_leaving_the_team_the_grant_goes_through(api, contest, make):
    competition, _, organizer, player, team = contest
    assert api.delete(f"/teams/{team.id}/members/me", as_=player).status_code in (200, 204)
    answer = api.post(f"/competitions/{competition.slug}/roles", as_=organizer,
                      json={"email": player.email, "role": "judge"})  # fmt: skip
    assert answer.status_code == 201, answer.text


def test_grants_and_revocations_are_audited(api, client, login, contest, make):
    competition, _, organizer, _, _ = contest
    newcomer = make.user(name="Nina Newcomer")
    slug = competition.slug
    granted = api.post(f"/competitions/{slug}/roles", as_=organizer,
                       json={"email": newcomer.email, "role": "judge"})  # fmt: skip
    assert granted.status_code == 201
    api.delete(f"/competitions/{slug}/roles/{granted.json['id']}", as_=organizer)
    sponsor = competition.sponsors[0]
    api.post(f"/competitions/{slug}/sponsors/{sponsor.id}/members", as_=organizer,
             json={"email": newcomer.email})  # fmt: skip
    acts = [(e.action, e.actor_id) for e in audit.entries(competition.id)]
    assert ("role_granted", organizer.id) in acts
    assert ("role_revoked", organizer.id) in acts
    assert ("sponsor_member_added", organizer.id) in acts
    login(organizer)
    page = client.get(f"/c/{slug}/audit").text
    for label in ("Staff role granted", "Staff role withdrawn", "Sponsor member added"):
        assert label in page
    assert "Nina Newcomer" in page and Role.JUDGE.value in page

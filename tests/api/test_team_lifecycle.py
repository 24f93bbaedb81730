"""A team's life cycle over the API: the same services as the web pages, the same refusals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.competitions.models import Role
from judge.core.extensions import db
from judge.teams.models import MergeStatus, Team, TeamMergeRequest


@pytest.fixture
def crews(make):
    """Team A (leader + member), team B (leader + member), team C (leader), an outsider."""
    competition = make.competition()
    people = {key: make.user(name=key.title()) for key in
              ("a_lead", "a_member", "b_lead", "b_member", "c_lead", "outsider")}  # fmt: skip
    a = make.team(competition, people["a_lead"], name="Alpha", members=[people["a_member"]])
    b = make.team(competition, people["b_lead"], name="Bravo", members=[people["b_member"]])
    c = make.team(competition, people["c_lead"], name="Charlie")
    return competition, {"a": a, "b": b, "c": c}, people


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


REFUSED = {"a_member": 403, "b_lead": 403, "outsider": 403}  # not the leader of team A


def test_leader_removes_a_member_and_others_are_refused(api, crews):
    _competition, teams, people = crews
    a, member = teams["a"], people["a_member"]
    for who, status in REFUSED.items():
        answer = api.delete(f"/teams/{a.id}/members/{member.id}", as_=people[who])
        assert answer.status_code == status, who
    assert api.delete(f"/teams/{a.id}/members/{member.id}").status_code == 401
    stranger = api.delete(f"/teams/{a.id}/members/{people['b_member'].id}", as_=people["a_lead"])
    assert stranger.status_code == 404
    assert db.session.get(Team, a.id).member_count == 2
    answer = api.delete(f"/teams/{a.id}/members/{member.id}", as_=people["a_lead"])
    assert answer.status_code == 204
    assert db.session.get(Team, a.id).member_count == 1
    assert actions() == ["team_member_removed"]


def test_leader_hands_over_the_lead(api, crews):
    _competition, teams, people = crews
    a, member = teams["a"], people["a_member"]
    for who, status in REFUSED.items():
        answer = api.put(f"/teams/{a.id}/leader", as_=people[who], json={"user_id": member.id})
        assert answer.status_code == status, who
    answer = api.put(f"/teams/{a.id}/leader", as_=people["a_lead"], json={"user_id": member.id})
    assert answer.status_code == 200
    assert [m["name"] for m in answer.json["members"] if m["leader"]] == ["A_Member"]
    again = api.put(f"/teams/{a.id}/leader", as_=people["a_lead"], json={"user_id": member.id})
    assert again.status_code == 403  # no longer the leader


def test_leader_changes_division(api, crews, make):
    competition, teams, people = crews
    a, other = teams["a"], competition.divisions[1]
    for who, status in REFUSED.items():
        answer = api.put(f"/teams/{a.id}/division", as_=people[who],
                         json={"division_id": other.id})  # fmt: skip
        assert answer.status_code == status, who
    foreign = make.competition().divisions[1]
    elsewhere = api.put(f"/teams/{a.id}/division", as_=people["a_lead"],
                        json={"division_id": foreign.id})  # fmt: skip
    assert elsewhere.status_code == 404
    answer = api.put(f"/teams/{a.id}/division", as_=people["a_lead"],
                     json={"division_id": other.id})  # fmt: skip
    assert (answer.status_code, answer.json["division"]["id"]) == (200, other.id)
    assert actions() == ["team_division_changed"]


def test_leader_regenerates_the_invite_code(api, crews):
    competition, teams, people = crews
    a, old = teams["a"], teams["a"].invite_code
    for who, status in REFUSED.items():
        assert api.post(f"/teams/{a.id}/invite-code", as_=people[who]).status_code == status
    answer = api.post(f"/teams/{a.id}/invite-code", as_=people["a_lead"])
    assert answer.status_code == 200 and answer.json["invite_code"] != old
    join = api.post(f"/competitions/{competition.slug}/teams/join", as_=people["outsider"],
                    json={"code": old})  # fmt: skip
    assert join.status_code == 404


def _ask(api, people, into, team):
    return api.post(f"/teams/{into.id}/merge-requests", as_=people[f"{into.name[0].lower()}_lead"],
                    json={"team_id": team.id})  # fmt: skip


def test_merge_request_accepted_by_the_asked_leader_only(api, crews):
    _competition, teams, people = crews
    a, b, c = teams["a"], teams["b"], teams["c"]
    asked = _ask(api, people, a, b)
    assert asked.status_code == 201
    assert (asked.json["status"], asked.json["team"]["id"]) == ("pending", b.id)
    rid = asked.json["id"]
    listed = api.get(f"/teams/{b.id}/merge-requests", as_=people["b_member"]).json
    assert [r["id"] for r in listed["incoming"]] == [rid]
    assert api.get(f"/teams/{b.id}/merge-requests", as_=people["outsider"]).status_code == 403
    accept = f"/teams/{b.id}/merge-requests/{rid}/accept"
    for who in ("b_member", "a_lead", "c_lead", "outsider"):
        assert api.post(accept, as_=people[who]).status_code == 403, who
    elsewhere = api.post(f"/teams/{c.id}/merge-requests/{rid}/accept", as_=people["c_lead"])
    assert elsewhere.status_code == 404  # not a request to team C
    merged = api.post(accept, as_=people["b_lead"])
    assert (merged.status_code, merged.json["id"], merged.json["member_count"]) == (200, a.id, 4)
    assert db.session.get(Team, b.id).disbanded
    assert actions() == ["team_merge_requested", "teams_merged"], actions()


def test_merge_request_declined_or_cancelled(api, crews):
    _competition, teams, people = crews
    a, b = teams["a"], teams["b"]
    rid = _ask(api, people, a, b).json["id"]
    decline = f"/teams/{b.id}/merge-requests/{rid}/decline"
    for who in ("b_member", "a_lead", "outsider"):
        assert api.post(decline, as_=people[who]).status_code == 403, who
    answer = api.post(decline, as_=people["b_lead"])
    assert (answer.status_code, answer.json["status"]) == (200, "declined")
    rid = _ask(api, people, a, b).json["id"]
    cancel = f"/teams/{a.id}/merge-requests/{rid}/cancel"
    for who in ("a_member", "b_lead", "outsider"):
        assert api.post(cancel, as_=people[who]).status_code == 403, who
    wrong_side = api.post(f"/teams/{b.id}/merge-requests/{rid}/cancel", as_=people["b_lead"])
    assert wrong_side.status_code == 404  # team B did not send it
    answer = api.post(cancel, as_=people["a_lead"])
    assert (answer.status_code, answer.json["status"]) == (200, "withdrawn")
    late = api.post(f"/teams/{b.id}/merge-requests/{rid}/accept", as_=people["b_lead"])
    assert late.status_code == 404
    assert db.session.get(TeamMergeRequest, rid).status == MergeStatus.WITHDRAWN
    assert "team_merge_withdrawn" in actions()


@pytest.mark.parametrize("who", ["a_lead", "a_member", "outsider"])
def test_only_organizers_moderate(api, crews, who):
    _competition, teams, people = crews
    answer = api.post(f"/teams/{teams['a'].id}/moderation", as_=people[who],
                      json={"act": "disqualify", "reason": "Shared code"})  # fmt: skip
    assert answer.status_code == 403
    assert not db.session.get(Team, teams["a"].id).disqualified


def test_organizer_disqualifies_reinstates_renames_and_disbands(api, crews):
    competition, teams, _people = crews
    organizer, a = competition.roles[0].user, teams["a"]
    path = f"/teams/{a.id}/moderation"
    no_reason = api.post(path, as_=organizer, json={"act": "disqualify", "reason": " "})
    assert no_reason.status_code == 422
    bad_act = api.post(path, as_=organizer, json={"act": "explode", "reason": "x"})
    assert bad_act.status_code == 422
    for act in ("disqualify", "reinstate"):
        answer = api.post(path, as_=organizer, json={"act": act, "reason": "Shared code"})
        assert answer.status_code == 200, answer.text
    renamed = api.post(path, as_=organizer,
                       json={"act": "rename", "reason": "Offensive", "name": "Team A"})  # fmt: skip
    assert (renamed.status_code, renamed.json["name"]) == (200, "Team A")
    gone = api.post(path, as_=organizer, json={"act": "disband", "reason": "Asked to"})
    assert gone.status_code == 200 and gone.json["disbanded_at"]
    assert actions() == ["team_disqualified", "team_reinstated", "team_renamed", "team_disbanded"]


def _accept_as(client, make, user, path, language):
    headers = {"Authorization": f"Bearer {make.token(user)}", "Accept-Language": language}
    return client.post("/api/v1" + path, headers=headers)


def test_a_disqualified_team_cannot_merge_its_submissions_onto_the_board(api, crews, client, make):
    competition, teams, people = crews
    organizer, a, b = competition.roles[0].user, teams["a"], teams["b"]
    rid = _ask(api, people, a, b).json["id"]
    api.post(f"/teams/{b.id}/moderation", as_=organizer,
             json={"act": "disqualify", "reason": "Shared code"})  # fmt: skip
    accept = f"/teams/{b.id}/merge-requests/{rid}/accept"
    english = _accept_as(client, make, people["b_lead"], accept, "en")
    assert english.status_code == 409
    assert "Bravo is disqualified" in english.json["error"]["message"]
    korean = _accept_as(client, make, people["b_lead"], accept, "ko")
    assert "실격" in korean.json["error"]["message"]
    assert not db.session.get(Team, b.id).disbanded
    assert _ask(api, people, a, b).status_code == 409  # nor asked afresh
    assert _ask(api, people, b, a).status_code == 409  # nor asks itself
    assert "teams_merged" not in actions()


@pytest.mark.parametrize("role", ["judge", "sponsor"])
def test_judges_and_sponsors_do_not_moderate(api, crews, make, role):
    competition, teams, _people = crews
    staff = make.user()
    if role == "judge":
        make.role(competition, staff, Role.JUDGE)
    else:
        make.sponsor_member(competition, staff)
    answer = api.post(f"/teams/{teams['a'].id}/moderation", as_=staff,
                      json={"act": "disqualify", "reason": "Shared code"})  # fmt: skip
    assert answer.status_code == 403
    assert not db.session.get(Team, teams["a"].id).disqualified

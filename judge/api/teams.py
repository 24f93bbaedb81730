"""/api/v1 teams: create, join by invite code, members, leave; a leader's changes (remove a
member, hand over the lead, change division, a new invite code, merge requests) and the
organizers' acts (rename, disband, disqualify, reinstate), through the services the web uses.
A non-member or a member who does not lead is refused with 403, a request of another team
with 404."""

from __future__ import annotations

from flask import jsonify

from judge.api import schemas
from judge.api.auth import SECURITY, actor, allow, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.competitions import policy
from judge.competitions import services as competitions
from judge.core.db import unit_of_work, utcnow
from judge.teams import lifecycle, merges, moderation
from judge.teams import services as teams

PREFIX = ""
blp = Blueprint("api_teams", __name__, description="Teams and their members")


TEAM = {teams.PUBLIC: schemas.Team, teams.STAFF: schemas.TeamDetails, teams.OWN: schemas.OwnTeam}
MEMBERS = {teams.PUBLIC: schemas.PublicMember, teams.STAFF: schemas.Member,
           teams.OWN: schemas.Member}  # fmt: skip


def dump(team):
    """As much as the caller may see (teams.services.member_view)."""
    return jsonify(TEAM[teams.member_view(actor(), team)]().dump(team))


@blp.get("/competitions/<slug>/teams")
@blp.response(200, schemas.Team(many=True))
def list_teams(slug: str):
    """The competition's teams (never their invite codes)."""
    return teams.teams_in(competitions.get_competition(slug))


@blp.post("/competitions/<slug>/teams")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.TeamCreate)
@blp.response(201, schemas.OwnTeam)
@token_required
def create_team(body: dict, slug: str):
    """Create a team in a division; you become its leader."""
    competition = competitions.get_competition(slug)
    division = competitions.get_division(competition, body["division_id"])
    with unit_of_work():
        team = teams.create_team(competition, division, body["name"], required_actor(), utcnow())
    return team


@blp.post("/competitions/<slug>/teams/join")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.JoinRequest)
@blp.response(200, schemas.OwnTeam)
@token_required
def join_team(body: dict, slug: str):
    """Join a team with the invite code its members shared with you."""
    competition = competitions.get_competition(slug)
    with unit_of_work():
        team = teams.join_team(competition, body["code"], required_actor(), utcnow())
    return team


@blp.get("/competitions/<slug>/my-team")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.OwnTeam)
@token_required
def my_team(slug: str):
    """Your team in this competition (404 when you have none)."""
    team = teams.team_of(required_actor(), competitions.get_competition(slug))
    allow(team is not None, hide=True)
    return team


@blp.get("/teams/<int:team_id>")
@blp.response(200, schemas.OwnTeam)
def get_team(team_id: int):
    """A team: to anyone its name and members' display names; user ids and affiliations to
    the team and the organizers; the invite code only to its members."""
    return dump(teams.get_team(team_id, actor()))


@blp.get("/teams/<int:team_id>/members")
@blp.response(200, schemas.Member(many=True))
def list_members(team_id: int):
    """The team's members: display names to anyone; ids and affiliations to the team and
    the organizers."""
    team = teams.get_team(team_id, actor())
    schema = MEMBERS[teams.member_view(actor(), team)]
    return jsonify(schema(many=True).dump(team.roster))


@blp.delete("/teams/<int:team_id>/members/me")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def leave_team(team_id: int):
    """Leave the team (before the team-change deadline). The last one out disbands it."""
    with unit_of_work():
        teams.leave_team(teams.get_team(team_id), required_actor(), utcnow())


# --- a leader's changes --------------------------------------------------------------------


@blp.delete("/teams/<int:team_id>/members/<int:user_id>")
@blp.doc(security=SECURITY)
@blp.response(204)
@token_required
def remove_member(team_id: int, user_id: int):
    """The leader removes a member (before the team-change deadline), who is told; their
    submissions stay with the team."""
    with unit_of_work():
        lifecycle.remove_member(teams.get_team(team_id), user_id, required_actor(), utcnow())


@blp.put("/teams/<int:team_id>/leader")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.MemberChoice)
@blp.response(200, schemas.OwnTeam)
@token_required
def hand_over(body: dict, team_id: int):
    """The leader makes another member the leader."""
    team = teams.get_team(team_id)
    with unit_of_work():
        lifecycle.hand_over(team, body["user_id"], required_actor(), utcnow())
    return team


@blp.put("/teams/<int:team_id>/division")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.DivisionChoice)
@blp.response(200, schemas.OwnTeam)
@token_required
def change_division(body: dict, team_id: int):
    """The leader moves the team to another division, when every member qualifies for it."""
    team = teams.get_team(team_id)
    division = competitions.get_division(team.competition, body["division_id"])
    with unit_of_work():
        lifecycle.change_division(team, division, required_actor(), utcnow())
    return team


@blp.post("/teams/<int:team_id>/invite-code")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.OwnTeam)
@token_required
def new_invite_code(team_id: int):
    """The leader replaces the invite code; the old one no longer works."""
    team = teams.get_team(team_id)
    allow(team.leader_id == required_actor().id)
    with unit_of_work():
        teams.regenerate_invite_code(team)
    return team


@blp.get("/teams/<int:team_id>/merge-requests")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.MergeRequests)
@token_required
def merge_requests(team_id: int):
    """The team's pending merge requests, to its members."""
    team = teams.get_team(team_id)
    allow(teams.is_member(required_actor(), team))
    return {"incoming": merges.incoming(team), "outgoing": merges.outgoing(team)}


@blp.post("/teams/<int:team_id>/merge-requests")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.MergeRequestIn)
@blp.response(201, schemas.MergeRequest)
@token_required
def request_merge(body: dict, team_id: int):
    """The leader asks another team of the competition to merge into this one (refused past
    the size, the submissions one team could have made, or the team-change deadline)."""
    team = teams.get_team(team_id)
    with unit_of_work():
        request = merges.request_merge(team, body["team_id"], required_actor(), utcnow())
    return request


MERGE_REQUEST = "/teams/<int:team_id>/merge-requests/<int:request_id>"


@blp.post(MERGE_REQUEST + "/accept")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.OwnTeam)
@token_required
def accept_merge(team_id: int, request_id: int):
    """The asked team's leader accepts: its members and submissions move to the asking team
    (returned), and the team is disbanded. This cannot be undone."""
    with unit_of_work():
        into = merges.accept(teams.get_team(team_id), request_id, required_actor(), utcnow())
    return into


@blp.post(MERGE_REQUEST + "/decline")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.MergeRequest)
@token_required
def decline_merge(team_id: int, request_id: int):
    """The asked team's leader declines."""
    with unit_of_work():
        request = merges.decline(teams.get_team(team_id), request_id, required_actor(), utcnow())
    return request


@blp.post(MERGE_REQUEST + "/cancel")
@blp.doc(security=SECURITY)
@blp.response(200, schemas.MergeRequest)
@token_required
def cancel_merge(team_id: int, request_id: int):
    """The asking team's leader withdraws the request."""
    with unit_of_work():
        request = merges.cancel(teams.get_team(team_id), request_id, required_actor(), utcnow())
    return request


# --- the organizers' acts ------------------------------------------------------------------


@blp.post("/teams/<int:team_id>/moderation")
@blp.doc(security=SECURITY)
@blp.arguments(schemas.Moderation)
@blp.response(200, schemas.TeamDetails)
@token_required
def moderate(body: dict, team_id: int):
    """An organizer renames, disbands, disqualifies or reinstates the team, with a reason its
    members are told; audited."""
    user = required_actor()
    team = teams.get_team(team_id, user)
    allow(policy.is_organizer(user, team.competition))
    with unit_of_work():
        moderation.apply(team, body["act"], body["reason"], user, utcnow(), body["name"])
    return team

"""/api/v1 teams: create, join by invite code, members, leave."""

from __future__ import annotations

from flask import jsonify

from judge.api import schemas
from judge.api.auth import SECURITY, actor, allow, required_actor, token_required
from judge.api.blueprint import Blueprint
from judge.competitions import services as competitions
from judge.core.db import unit_of_work, utcnow
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

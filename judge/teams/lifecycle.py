"""A leader's changes to a standing team: remove a member, hand over the lead, change
division. Each is refused after the team-change deadline, audited, and flushed only."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import participant_fields
from judge.competitions.models import Division
from judge.core.errors import Conflict, Forbidden, NotFound
from judge.core.extensions import db
from judge.leaderboard import versions
from judge.leaderboard.models import Standing
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.teams.models import Membership, Team
from judge.teams.services import check_changes_open


def check_leader(team: Team, actor: User, now: datetime) -> None:
    """Forbidden unless ``actor`` leads ``team`` and teams may still change."""
    if team.leader_id != actor.id:
        raise Forbidden(_("Only the team's leader can do this."))
    check_changes_open(team.competition, now)


def _membership(team: Team, user_id: int) -> Membership:
    membership = next((m for m in team.memberships if m.user_id == user_id), None)
    if membership is None:
        raise NotFound(_("That person is not a member of your team."))
    return membership


def remove_member(team: Team, user_id: int, actor: User, now: datetime) -> User:
    """The leader removes a member, who is told; their submissions stay with the team."""
    check_leader(team, actor, now)
    if user_id == actor.id:
        raise Conflict(_("You cannot remove yourself; hand over the lead or leave the team."))
    membership = _membership(team, user_id)
    removed = membership.user
    team.memberships.remove(membership)
    db.session.execute(
        sa.update(Team).where(Team.id == team.id).values(member_count=Team.member_count - 1)
    )
    audit.record(actor, "team_member_removed", team.competition_id, team.name,
                 {"team_id": team.id, "user_id": removed.id}, None)  # fmt: skip
    notifications.notify([removed], Kind.TEAM_MEMBER_REMOVED, team.competition,
                         f"team_member_removed:{team.id}:{removed.id}:{now.isoformat()}", now,
                         link=notifications.path("competitions.show", slug=team.competition.slug),
                         params={"team": team.name}, team=team)  # fmt: skip
    db.session.flush()
    db.session.refresh(team)
    return removed


def hand_over(team: Team, user_id: int, actor: User, now: datetime) -> User:
    """The leader makes another member the leader."""
    check_leader(team, actor, now)
    if user_id == actor.id:
        raise Conflict(_("You already lead this team."))
    successor = _membership(team, user_id).user
    team.leader_id = successor.id
    audit.record(actor, "team_leader_changed", team.competition_id, team.name,
                 {"leader_id": actor.id}, {"leader_id": successor.id})  # fmt: skip
    db.session.flush()
    return successor


def change_division(team: Team, division: Division, actor: User, now: datetime) -> Team:
    """Move the team to ``division`` when every member answered what it asks for."""
    check_leader(team, actor, now)
    if division.competition_id != team.competition_id:
        raise NotFound(_("No such division in this competition."), field="division_id")
    if division.id == team.division_id:
        raise Conflict(_("The team is already in this division."), field="division_id")
    for member in team.members:
        _check_qualifies(member, team, division)
    before = team.division_id
    team.division_id = division.id
    db.session.execute(
        sa.update(Standing).where(Standing.team_id == team.id).values(division_id=division.id)
    )
    versions.bump(db.session, competition_ids=[team.competition_id])  # standings, not by the ORM
    audit.record(actor, "team_division_changed", team.competition_id, team.name,
                 {"division_id": before}, {"division_id": division.id})  # fmt: skip
    db.session.flush()
    db.session.refresh(team)
    return team


def _check_qualifies(member: User, team: Team, division: Division) -> None:
    gaps = participant_fields.missing(member, team.competition, division)
    if gaps:
        raise Forbidden(
            _("%(member)s has not answered “%(field)s”, which the division “%(division)s” asks "
              "for; every member must answer it first.", member=member.name,
              field=gaps[0].label(str(get_locale())), division=division.name),
            field="division_id",
        )  # fmt: skip

"""Organizers' acts on a team: rename it, disband it, disqualify it and reinstate it.

Each act needs a reason, which the team's members read in their notification, and is
audited with the values before and after. Disbanding is the soft disband of a team whose
last member leaves (its members are freed to join or form another team); a disqualified
team stays listed for the organizers but leaves every leaderboard and the awards until it
is reinstated. Services flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.core.errors import Conflict, Invalid, NotFound
from judge.core.extensions import db
from judge.finals.services import require_open
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.submissions.models import Submission
from judge.teams import services as teams
from judge.teams.models import Team

ACTS = ("rename", "disband", "disqualify", "reinstate")


@dataclass(frozen=True)
class Summary:
    """What the confirmation page tells about the team before the act."""

    team: Team
    members: int
    submissions: int


def summary(team: Team) -> Summary:
    submissions = db.session.scalar(
        sa.select(sa.func.count(Submission.id)).where(
            Submission.team_id == team.id, Submission.parent_id.is_(None)
        )  # uploads
    )
    return Summary(team, len(team.memberships), submissions or 0)


def check_possible(team: Team, act: str) -> None:
    """Refuse an act that does not apply to the team as it stands."""
    if act not in ACTS:
        raise NotFound(_("No such action."))
    if team.disbanded and act in ("rename", "disband", "disqualify"):
        raise Conflict(_("The team %(team)s is disbanded already.", team=team.name))
    if act == "disqualify" and team.disqualified:
        raise Conflict(_("The team %(team)s is disqualified already.", team=team.name))
    if act == "reinstate" and not team.disqualified:
        raise Conflict(_("The team %(team)s is not disqualified.", team=team.name))


def apply(team: Team, act: str, reason: str, actor: User, now: datetime, name: str = "") -> Team:
    """Do ``act`` to ``team`` for ``reason``; tell its members."""
    check_possible(team, act)
    reason = _reason(reason)
    members = team.members
    before = _DO[act](team, reason, actor, now, name)
    _notify(team, members, act, reason, now, before)
    return team


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason; the team's members will read it."), field="reason")
    return reason


def _rename(team: Team, reason: str, actor: User, now: datetime, name: str) -> str:
    before = team.name
    teams.rename_team(team, name, now, any_time=True)
    audit.record(actor, "team_renamed", team.competition_id, team.name,
                 {"name": before}, {"name": team.name, "reason": reason})  # fmt: skip
    return before


def _disband(team: Team, reason: str, actor: User, now: datetime, name: str) -> str:
    before = {"members": [m.user_id for m in team.memberships], "leader_id": team.leader_id}
    team.memberships.clear()  # the members may join or form another team
    team.member_count = 0
    db.session.flush()
    teams.disband(team, actor, now, before, reason)
    return team.name


def _disqualify(team: Team, reason: str, actor: User, now: datetime, name: str) -> str:
    require_open(team.competition)
    team.disqualified_at, team.disqualified_reason = now, reason
    audit.record(actor, "team_disqualified", team.competition_id, team.name,
                 {"disqualified": False}, {"disqualified": True, "reason": reason})  # fmt: skip
    db.session.flush()
    return team.name


def _reinstate(team: Team, reason: str, actor: User, now: datetime, name: str) -> str:
    require_open(team.competition)
    before = {"disqualified": True, "reason": team.disqualified_reason}
    team.disqualified_at, team.disqualified_reason = None, ""
    audit.record(actor, "team_reinstated", team.competition_id, team.name, before,
                 {"disqualified": False, "reason": reason})  # fmt: skip
    db.session.flush()
    return team.name


_DO: dict[str, Callable[[Team, str, User, datetime, str], str]] = {
    "rename": _rename, "disband": _disband, "disqualify": _disqualify, "reinstate": _reinstate,
}  # fmt: skip


def _notify(team: Team, members: list[User], act: str, reason: str, now: datetime,
            before: str) -> None:  # fmt: skip
    competition = team.competition
    notifications.notify(
        members, Kind.TEAM_ACTION, competition, f"team_action:{team.id}:{act}:{now.isoformat()}",
        now, link=notifications.path("competitions.show", slug=competition.slug),
        params={"action": act, "team": team.name, "before": before, "reason": reason},
        team=team,
    )  # fmt: skip

"""Forming, joining and leaving teams. Services flush; the caller commits."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import participant_fields, policy
from judge.competitions.models import Competition, Division
from judge.core.errors import Conflict, Forbidden, NotFound
from judge.core.extensions import db
from judge.teams import names
from judge.teams.models import Membership, Team


def team_of(user: User | None, competition: Competition) -> Team | None:
    """The user's team in ``competition``, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Team)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.competition_id == competition.id, Membership.user_id == user.id)
    )


def teams_in(
    competition: Competition, division: Division | None = None, *, disbanded: bool = False
) -> list[Team]:
    """The competition's standing teams by name; disbanded ones too when asked (organizers)."""
    query = sa.select(Team).where(Team.competition_id == competition.id).order_by(Team.name)
    if division is not None:
        query = query.where(Team.division_id == division.id)
    if not disbanded:
        query = query.where(Team.disbanded_at.is_(None))
    return list(db.session.scalars(query))


def get_team(team_id: int, viewer: User | None = None) -> Team:
    """A standing team; a disbanded one only for the competition's organizers."""
    team = db.session.get(Team, team_id)
    if team is None or (team.disbanded and not policy.is_organizer(viewer, team.competition)):
        raise NotFound(_("No such team."))
    return team


def is_member(user: User | None, team: Team | None) -> bool:
    """False for no team (an organizer's baseline run has none)."""
    user_id = getattr(user, "id", None)
    return (user_id is not None and team is not None
            and any(m.user_id == user_id for m in team.memberships))  # fmt: skip


PUBLIC, STAFF, OWN = "public", "staff", "own"


def member_view(viewer: User | None, team: Team) -> str:
    """How much of ``team`` a viewer sees; the one rule for the web pages and the API.

    ``PUBLIC`` (anyone, signed in or not): the team's name, division, and its members'
    display names. ``STAFF`` (the competition's organizers): also user ids and
    affiliations, and whether it is disbanded. ``OWN`` (its members): that, and the
    invite code. Emails never.
    """
    if is_member(viewer, team):
        return OWN
    return STAFF if policy.is_organizer(viewer, team.competition) else PUBLIC


def check_changes_open(competition: Competition, now: datetime) -> None:
    """Forbidden once the competition's team-change deadline has passed, or it is archived."""
    policy.check_open_to_teams(competition)
    deadline = competition.team_change_deadline
    if deadline is not None and now >= deadline:
        raise Forbidden(_("The team-change deadline has passed; teams can no longer change."))


def _check_can_change(competition: Competition, user: User, now: datetime) -> None:
    check_changes_open(competition, now)
    if policy.is_staff(user, competition):
        raise Forbidden(
            _("Organizers, judges and sponsor members cannot enter a competition they run.")
        )
    if audit.lost_role(user, competition.id):
        raise Forbidden(_("You were an organizer or judge of this competition, with access to "
                          "its hidden data, so you may not enter it."))  # fmt: skip
    if audit.has_acted(user, competition.id, "split_salt_read"):
        raise Forbidden(_("You read the secret split of a problem in this competition (which "
                          "tells its public rows), so you may not enter it."))  # fmt: skip
    if not policy.has_accepted_rules(user, competition):
        raise Forbidden(_("Please accept the competition rules first."))


def _check_registration_open(competition: Competition, now: datetime) -> None:
    opens, closes = competition.registration_opens_at, competition.registration_closes_at
    if opens is not None and now < opens:
        raise Forbidden(_("Registration has not opened yet."))
    if closes is not None and now >= closes:
        raise Forbidden(_("Registration is closed."))


def _check_not_in_team(competition: Competition, user: User) -> None:
    if team_of(user, competition) is not None:
        raise Conflict(_("You are already in a team in this competition. Leave it first."))


def _check_name(competition: Competition, name: str, team_id: int | None = None) -> str:
    """A clean name that no other team of the competition has, nor one that looks the same."""
    typed, name = name, names.clean(name)
    others = db.session.scalars(
        sa.select(Team.name).where(
            Team.competition_id == competition.id,
            Team.id != (team_id or 0),
            Team.disbanded_at.is_(None),
        )
    )
    clash = next((other for other in others if names.looks_alike(other, name)), None)
    if clash is not None and clash.casefold() == " ".join((typed or "").split()).casefold():
        raise Conflict(_("Another team already uses this name."), field="name")
    if clash is not None:
        raise Conflict(
            _(
                "This name looks the same as the team “%(name)s”; choose a clearly different one.",
                name=clash,
            ),
            field="name",
        )
    return name


def new_invite_code() -> str:
    return secrets.token_urlsafe(12)


def create_team(
    competition: Competition, division: Division, name: str, leader: User, now: datetime
) -> Team:
    """Create a team in ``division`` with ``leader`` as its first member."""
    _check_can_change(competition, leader, now)
    _check_registration_open(competition, now)
    _check_not_in_team(competition, leader)
    if division.competition_id != competition.id:
        raise NotFound(_("No such division in this competition."), field="division_id")
    participant_fields.check_complete(leader, competition, division)
    team = Team(
        competition_id=competition.id,
        division_id=division.id,
        name=_check_name(competition, name),
        leader_id=leader.id,
        invite_code=new_invite_code(),
        member_count=0,
        created_at=now,
    )
    db.session.add(team)
    db.session.flush()
    _add_member(team, leader, now)
    return team


def _add_member(team: Team, user: User, now: datetime) -> None:
    """Take a seat with a guarded UPDATE (atomic on every database), then add the row."""
    taken = db.session.execute(
        sa.update(Team)
        .where(Team.id == team.id, Team.member_count < team.competition.max_team_size)
        .values(member_count=Team.member_count + 1)
    ).rowcount
    if taken != 1:
        raise Conflict(
            _("This team is full (at most %(n)d members).", n=team.competition.max_team_size)
        )
    db.session.add(
        Membership(team=team, competition_id=team.competition_id, user_id=user.id, joined_at=now)
    )
    db.session.flush()
    db.session.refresh(team)


def join_team(competition: Competition, code: str, user: User, now: datetime) -> Team:
    """Join the team whose invite code is ``code``."""
    team = db.session.scalar(
        sa.select(Team).where(
            Team.invite_code == (code or "").strip(),
            Team.competition_id == competition.id,
            Team.disbanded_at.is_(None),
        )
    )
    if team is None:
        raise NotFound(_("No team in this competition has that invite code."), field="code")
    return admit(team, user, now)


def admit(team: Team, user: User, now: datetime) -> Team:
    """Add ``user`` to a standing ``team`` under every rule of joining: the team-change
    deadline, registration dates, rules accepted, not staff, one team per competition, and
    the team size. Joining by code and accepting an invitation both come here."""
    competition = team.competition
    _check_can_change(competition, user, now)
    _check_registration_open(competition, now)
    _check_not_in_team(competition, user)
    participant_fields.check_complete(user, competition, team.division)
    _add_member(team, user, now)
    return team


def leave_team(team: Team, user: User, now: datetime) -> Team:
    """Leave ``team``. The earliest remaining member leads next; an empty team is disbanded:
    it leaves the boards and the public lists, and frees its name, but it and its
    submissions stay for the organizers (and the audit log says who left last)."""
    membership = next((m for m in team.memberships if m.user_id == user.id), None)
    if membership is None:
        raise NotFound(_("You are not a member of this team."))
    check_changes_open(team.competition, now)
    team.memberships.remove(membership)
    db.session.execute(
        sa.update(Team).where(Team.id == team.id).values(member_count=Team.member_count - 1)
    )
    db.session.flush()
    if not team.memberships:
        return disband(team, user, now)
    if team.leader_id == user.id:
        team.leader_id = team.memberships[0].user_id
    db.session.flush()
    db.session.refresh(team)
    return team


def disband(team: Team, actor: User, now: datetime, before: dict | None = None,
            reason: str = "") -> Team:  # fmt: skip
    """Mark ``team`` disbanded; ``actor`` is its last member leaving, or an organizer."""
    team.disbanded_at = now
    after = {"team_id": team.id} | ({"reason": reason} if reason else {})
    audit.record(actor, "team_disbanded", team.competition_id, team.name, before, after)
    db.session.flush()
    return team


def rename_team(team: Team, name: str, now: datetime, *, any_time: bool = False) -> Team:
    """Rename the team; like other team changes, only before the team-change deadline
    (organizers renaming an abusive name: ``any_time``)."""
    if not any_time:
        check_changes_open(team.competition, now)
    team.name = _check_name(team.competition, name, team.id)
    db.session.flush()
    return team


def regenerate_invite_code(team: Team) -> str:
    policy.check_open_to_teams(team.competition)
    team.invite_code = new_invite_code()
    db.session.flush()
    return team.invite_code

"""Team invitations by link and by mail, beside the invite code. Services flush; the
caller commits.

A shared link works for anyone who holds it, any number of times, until it expires or the
leader revokes it (the team size still caps who gets in); a mailed invitation works once.
Accepting goes through the same rules as joining by code (``services.admit``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from judge.accounts import services as accounts
from judge.accounts.models import User
from judge.audit import log as audit
from judge.core import tokens
from judge.core.errors import Conflict, Forbidden, Gone, NotFound, TooManyAttempts
from judge.core.extensions import db
from judge.mail import services as mail
from judge.teams import services
from judge.teams.models import Team, TeamInvitation


def lifetime_days() -> int:
    return int(current_app.config["INVITATION_DAYS"])


def _create(
    team: Team, email: str | None, actor: User, now: datetime
) -> tuple[TeamInvitation, str]:
    if team.leader_id != actor.id:
        raise Forbidden(_("Only the team leader can invite people."))
    services.check_changes_open(team.competition, now)
    token, token_hash = tokens.new_token()
    invitation = TeamInvitation(
        team=team,
        token_hash=token_hash,
        email=email,
        created_by_id=actor.id,
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days()),
        uses=0,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def create_link(team: Team, actor: User, now: datetime) -> str:
    """A new shared invitation link for ``team`` (its leader only); shown once."""
    _invitation, token = _create(team, None, actor, now)
    return link(token)


def link(token: str) -> str:
    return tokens.absolute_url("team_invitations.show", token=token)


def invite_by_email(team: Team, email: str, actor: User, now: datetime) -> TeamInvitation:
    """Mail a one-time invitation to ``email``, in the language of the address's account
    (the site's default for an address without one); the answer is the same either way."""
    address = accounts.normalize_email(email)
    _check_may_mail(team, address, actor, now)
    invitation, token = _create(team, address, actor, now)
    context = {"team": team.name, "competition": team.competition.title,
               "inviter": actor.name, "link": link(token), "days": lifetime_days()}  # fmt: skip
    recipient = accounts.user_by_email(address) or address
    mail.queue_mail(recipient, "team_invitation", context, f"team_invitation:{invitation.id}", now)
    return invitation


def _check_may_mail(team: Team, address: str, actor: User, now: datetime) -> None:
    """Mail goes out under the site's name: only from a verified address, once per pending
    invitation to an address, and at most TEAM_INVITATIONS_PER_DAY a day per team."""
    if not actor.email_verified:
        raise Forbidden(_("Please confirm your email address before inviting people by mail."))
    mailed = sa.select(sa.func.count(TeamInvitation.id)).where(
        TeamInvitation.team_id == team.id, TeamInvitation.email.is_not(None)
    )
    pending = mailed.where(
        TeamInvitation.email == address,
        TeamInvitation.revoked_at.is_(None),
        TeamInvitation.used_at.is_(None),
        TeamInvitation.expires_at > now,
    )
    if db.session.scalar(pending):
        raise Conflict(
            _("%(email)s already has an invitation that is still open.", email=address),
            field="email",
        )
    limit = int(current_app.config["TEAM_INVITATIONS_PER_DAY"])
    if (
        db.session.scalar(mailed.where(TeamInvitation.created_at > now - timedelta(days=1)))
        >= limit
    ):
        raise TooManyAttempts(
            _(
                "Your team has sent %(num)d invitations by mail today; please wait a day.",
                num=limit,
            ),
            retry_after=86400,
        )


def find(token: str, now: datetime) -> TeamInvitation:
    """The invitation a link carries; NotFound when forged, Gone with the reason when
    revoked, expired, used, or its team disbanded."""
    invitation = db.session.scalar(
        sa.select(TeamInvitation).where(TeamInvitation.token_hash == tokens.digest(token))
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Please copy the whole link."))
    if invitation.revoked_at is not None:
        raise Gone(_("The team leader withdrew this invitation."))
    if invitation.team.disbanded:
        raise Gone(_("This team no longer exists."))
    if now >= invitation.expires_at:
        raise Gone(_("This invitation has expired. Please ask the team leader for a new one."))
    if invitation.single_use and invitation.uses > 0:
        raise Gone(_used())
    return invitation


def _used() -> str:
    return _("This invitation was already used. Please ask the team leader for a new one.")


def accept(token: str, user: User, now: datetime) -> Team:
    """Join the invitation's team under the rules of joining; audited."""
    invitation = find(token, now)
    team = services.admit(invitation.team, user, now)
    _count_use(invitation, now)
    audit.record(user, "team_invitation_accepted", team.competition_id, team.name, None,
                 {"team_id": team.id, "invitation_id": invitation.id})  # fmt: skip
    return team


def _count_use(invitation: TeamInvitation, now: datetime) -> None:
    """A guarded UPDATE, so two people can never both use a one-time invitation."""
    query = sa.update(TeamInvitation).where(TeamInvitation.id == invitation.id)
    if invitation.single_use:
        query = query.where(TeamInvitation.uses == 0)
    if db.session.execute(query.values(uses=TeamInvitation.uses + 1, used_at=now)).rowcount != 1:
        raise Gone(_used())
    db.session.refresh(invitation)


def pending(team: Team, now: datetime) -> list[TeamInvitation]:
    """The team's invitations that still work, newest first."""
    query = (
        sa.select(TeamInvitation)
        .where(TeamInvitation.team_id == team.id)
        .order_by(TeamInvitation.id.desc())
    )
    return [i for i in db.session.scalars(query) if i.pending(now)]


def revoke(team: Team, invitation_id: int, actor: User, now: datetime) -> TeamInvitation:
    """Withdraw one of ``team``'s invitations (its leader only); audited."""
    invitation = db.session.get(TeamInvitation, invitation_id)
    if invitation is None or invitation.team_id != team.id or not invitation.pending(now):
        raise NotFound(_("No such pending invitation."))
    if team.leader_id != actor.id:
        raise Forbidden(_("Only the team leader can withdraw invitations."))
    invitation.revoked_at = now
    audit.record(actor, "team_invitation_revoked", team.competition_id, team.name,
                 {"invitation_id": invitation.id, "email": invitation.email}, None)  # fmt: skip
    db.session.flush()
    return invitation

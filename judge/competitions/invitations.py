"""Staff invitations: a role or a sponsor's membership offered by mail to an address without
a verified account. Services flush; the caller commits. Granting on acceptance is in
``competitions.services`` (the one place that grants)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from judge.accounts import services as accounts
from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions.models import Competition, Role, Sponsor, StaffInvitation
from judge.core import tokens
from judge.core.errors import Conflict, Gone, NotFound
from judge.core.extensions import db
from judge.mail import services as mail


def _days() -> int:
    return int(current_app.config["INVITATION_DAYS"])


def _offer(invitation: StaffInvitation) -> dict:
    """What is offered, as the audit log and the mail name it."""
    if invitation.sponsor is not None:
        return {"sponsor": invitation.sponsor.name, "email": invitation.email}
    return {"role": invitation.role.value, "email": invitation.email}


def invite(
    competition: Competition,
    email: str,
    actor: User,
    now: datetime,
    *,
    role: Role | None = None,
    sponsor: Sponsor | None = None,
) -> StaffInvitation:
    """Record and mail an invitation for ``role`` or a membership of ``sponsor``."""
    address = accounts.normalize_email(email)
    if any(i.email == address and i.role == role and i.sponsor_id == getattr(sponsor, "id", None)
           for i in pending(competition, now)):  # fmt: skip
        raise Conflict(_("An invitation for %(email)s is already pending.", email=address),
                       field="email")  # fmt: skip
    token, token_hash = tokens.new_token()
    invitation = StaffInvitation(
        competition=competition,
        email=address,
        role=role,
        sponsor=sponsor,
        token_hash=token_hash,
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=_days()),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "staff_invited", competition.id, address, None, _offer(invitation))
    _mail(invitation, token, now)
    return invitation


def _mail(invitation: StaffInvitation, token: str, now: datetime) -> None:
    context = {"competition": invitation.competition.title, "inviter": invitation.created_by.name,
               "role": invitation.role.value if invitation.role else None,
               "sponsor": invitation.sponsor.name if invitation.sponsor else None,
               "email": invitation.email, "days": _days(),
               "link": tokens.absolute_url("staff_invitations.show", token=token)}  # fmt: skip
    recipient = accounts.user_by_email(invitation.email) or invitation.email
    key = f"staff_invitation:{invitation.id}"
    mail.queue_mail(recipient, "staff_invitation", context, key, now)


def find(token: str, now: datetime) -> StaffInvitation:
    """The invitation a link carries; NotFound when forged, Gone with the reason otherwise."""
    invitation = db.session.scalar(
        sa.select(StaffInvitation).where(StaffInvitation.token_hash == tokens.digest(token))
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Please copy the whole link."))
    if invitation.revoked_at is not None:
        raise Gone(_("The organizers withdrew this invitation."))
    if invitation.accepted_at is not None:
        raise Gone(_("This invitation was already accepted."))
    if now >= invitation.expires_at:
        raise Gone(_("This invitation has expired. Please ask the organizers for a new one."))
    inviter = invitation.created_by
    if not (inviter.is_active and policy.is_organizer(inviter, invitation.competition)):
        raise Gone(  # a removed or disabled organizer's invitations end with them
            _("Whoever sent this invitation no longer runs the competition. Please ask the"
              " organizers for a new one.")
        )  # fmt: skip
    return invitation


def mark_accepted(invitation: StaffInvitation, user: User, now: datetime) -> None:
    invitation.accepted_at, invitation.accepted_by_id = now, user.id
    audit.record(user, "staff_invitation_accepted", invitation.competition_id, user.name, None,
                 _offer(invitation))  # fmt: skip
    db.session.flush()


def pending(competition: Competition, now: datetime) -> list[StaffInvitation]:
    """The competition's staff invitations still waiting for an answer, oldest first."""
    query = (
        sa.select(StaffInvitation)
        .where(StaffInvitation.competition_id == competition.id)
        .order_by(StaffInvitation.id)
    )
    return [i for i in db.session.scalars(query) if i.pending(now)]


def revoke(competition: Competition, invitation_id: int, actor: User, now: datetime) -> None:
    """Withdraw a pending invitation; its link stops working. Audited."""
    invitation = db.session.get(StaffInvitation, invitation_id)
    if invitation is None or invitation.competition_id != competition.id:
        invitation = None
    if invitation is None or not invitation.pending(now):
        raise NotFound(_("No such pending invitation."))
    invitation.revoked_at = now
    audit.record(actor, "staff_invitation_revoked", competition.id, invitation.email,
                 _offer(invitation), None)  # fmt: skip
    db.session.flush()

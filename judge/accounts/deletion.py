"""Deleting an account at its owner's request.

The person's data goes: the name becomes a neutral one (shown in the reader's language),
the address an unroutable placeholder (so it can sign up again), the affiliation and the
language are cleared, the password matches nothing, every session and API token ends, and
their notifications and mail records are dropped. What the competitions need stays, under
the neutral name: submissions, scores, team membership history, questions asked, and the
audit log.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from judge.accounts import services
from judge.accounts.models import User
from judge.audit import log as audit
from judge.core.errors import Conflict, Invalid
from judge.core.extensions import db
from judge.mail.models import OutgoingMail
from judge.notifications.models import Notification, NotificationPreference
from judge.teams.models import Team

# No password hash looks like this, so no password matches it.
UNUSABLE_PASSWORD = "!deleted"
PLACEHOLDER_DOMAIN = "deleted.invalid"  # .invalid never resolves (RFC 2606)


def _led_team(user: User) -> Team | None:
    """A standing team the user leads that has other members."""
    return db.session.scalar(
        sa.select(Team).where(
            Team.leader_id == user.id, Team.disbanded_at.is_(None), Team.member_count > 1
        )
    )


def _only_admin(user: User) -> bool:
    others = sa.select(sa.func.count(User.id)).where(
        User.is_admin.is_(True),
        User.id != user.id,
        User.deleted_at.is_(None),
        User.disabled_at.is_(None),
    )
    return user.is_admin and not db.session.scalar(others)


def check_deletable(user: User) -> None:
    """Conflict with the reason when the account cannot go yet."""
    team = _led_team(user)
    if team is not None:
        raise Conflict(
            _(
                "You lead the team %(team)s in %(competition)s, which has other members."
                " Please leave the team first (the lead passes to the next member), or ask"
                " the organizers if the team can no longer change.",
                team=team.name,
                competition=team.competition.title,
            )
        )
    if _only_admin(user):
        raise Conflict(_("You are the only site administrator. Please appoint another one first."))


def delete_account(user: User, password: str, confirmed: bool, now: datetime) -> None:
    """Remove the owner's personal data and end every way into the account (audited)."""
    if not check_password_hash(user.password_hash, password or ""):
        raise Invalid(_("The password is incorrect."), field="password")
    if not confirmed:
        raise Invalid(
            _("Please confirm that you want to delete the account for good."), field="confirm"
        )
    check_deletable(user)
    audit.record(user, "account_deleted", None, f"#{user.id}")
    _forget(user, now)
    services.end_sessions(user, now)
    services.revoke_tokens(user, now)
    _drop_messages(user)


def _forget(user: User, now: datetime) -> None:
    user.deleted_at = now
    user.email_verified_at = None  # the placeholder address belongs to nobody
    user.given_name = f"Deleted user #{user.id}"  # pages show it in the reader's language
    user.email = f"deleted-{user.id}-{secrets.token_hex(6)}@{PLACEHOLDER_DOMAIN}"
    user.affiliation = ""
    user.locale = None
    user.password_hash = UNUSABLE_PASSWORD
    db.session.flush()


def _drop_messages(user: User) -> None:
    """Their notifications, their choices of them, and every mail record (queued ones are then
    never sent)."""
    for model in (Notification, NotificationPreference, OutgoingMail):
        db.session.execute(
            sa.delete(model)
            .where(model.user_id == user.id)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()

"""Notifying people, reading and marking notifications, e-mail choices. Services flush.

Every module that owns an event calls :func:`notify` (or a helper for a usual audience)
beside the change; the row, and the mail when the person wants it, are written in the
same transaction, and the mail is handed to the workers when it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin

import sqlalchemy as sa
from flask import current_app

from judge.accounts.models import User
from judge.competitions.models import (
    Competition,
    CompetitionRole,
    Role,
    RulesAcceptance,
    SponsorMember,
)
from judge.core.extensions import db
from judge.mail.services import queue_mail
from judge.notifications.kinds import KINDS, Kind, Params
from judge.notifications.models import Notification, NotificationPreference
from judge.problems.models import Problem
from judge.teams.models import Membership, Team

MAIL_KIND = "notification"


def path(endpoint: str, **values) -> str:
    """A page's path on this site, also in a worker (no request there)."""
    return current_app.url_map.bind("").build(endpoint, values)


def notify(
    users: Iterable[User],
    kind: Kind,
    competition: Competition,
    key: str,
    now: datetime,
    *,
    link: str,
    params: dict | None = None,
    problem: Problem | None = None,
    team: Team | None = None,
) -> list[Notification]:
    """Notify each of ``users`` once about the event ``key``; mail those who want it.

    Returns the rows made now (none for people already notified of this event).
    """
    people = {u.id: u for u in users if u.is_active}  # not the disabled or deleted
    if not people:
        return []
    done = set(
        db.session.scalars(
            sa.select(Notification.user_id).where(
                Notification.key == key, Notification.user_id.in_(people)
            )
        )
    )
    rows = [
        Notification(
            user=u,
            kind=kind,
            key=key,
            competition=competition,
            params=params or {},
            problem_id=problem.id if problem else None,
            team_id=team.id if team else None,
            link=link,
            created_at=now,
        )
        for uid, u in people.items()
        if uid not in done
    ]
    db.session.add_all(rows)
    db.session.flush()
    mailed = wants_mail([r.user_id for r in rows], kind)
    for row in rows:
        if row.user_id in mailed and row.user.email_verified_at is not None:
            _mail(row, now)
    return rows


def _mail(row: Notification, now: datetime) -> None:
    site = current_app.config["PUBLIC_URL"]
    context = {
        "notification": row,
        "describe": describe,
        "link": urljoin(site, row.link),
        "settings": urljoin(site, path("notifications.preferences")),
    }
    queue_mail(row.user, MAIL_KIND, context, f"n:{row.user_id}:{row.key}", now)


def describe(row: Notification) -> str:
    """The row's line in the current language."""
    params = {"competition": row.competition.title, **row.params}
    return KINDS[row.kind].line(Params(params, row.competition.timezone))


# --- audiences -------------------------------------------------------------------------------


def team_members(team: Team) -> list[User]:
    return team.members


def organizers(competition: Competition) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(CompetitionRole)
            .where(
                CompetitionRole.competition_id == competition.id,
                CompetitionRole.role == Role.ORGANIZER,
            )
        )
    )


def sponsor_members(problem: Problem) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(SponsorMember)
            .where(SponsorMember.sponsor_id == problem.sponsor_id)
        )
    )


def participants(competition: Competition) -> list[User]:
    """Everyone who accepted the competition's rules (no one joins a team without)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RulesAcceptance, RulesAcceptance.user_id == User.id)
            .where(RulesAcceptance.competition_id == competition.id)
        )
    )


def members_of(team_ids: Iterable[int]) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).join(Membership).where(Membership.team_id.in_(list(team_ids)))
        )
    )


def notify_team(
    team: Team,
    kind: Kind,
    key: str,
    now: datetime,
    *,
    link: str,
    params: dict,
    problem: Problem | None = None,
) -> list[Notification]:
    """Notify every member of ``team`` (one event, one key)."""
    return notify(
        team.members,
        kind,
        team.competition,
        key,
        now,
        link=link,
        params=params,
        problem=problem,
        team=team,
    )


def withdraw(key: str) -> None:
    """Take back an event's notifications (its notice was withdrawn); mail already sent stays."""
    db.session.execute(sa.delete(Notification).where(Notification.key == key))


# --- reading ---------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def recent(user: User, limit: int = 100) -> list[Notification]:
    """The person's notifications, newest first (with their competitions, in one query)."""
    query = (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .options(sa.orm.joinedload(Notification.competition))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def mark_all_read(user: User, now: datetime) -> int:
    return db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


# --- e-mail choices --------------------------------------------------------------------------


def kinds_for(user: User) -> list[Kind]:
    """The kinds a person may choose about (staff kinds only for staff)."""
    staff = (
        user.is_admin
        or bool(
            db.session.scalar(
                sa.select(CompetitionRole.id).where(CompetitionRole.user_id == user.id).limit(1)
            )
        )
        or bool(
            db.session.scalar(
                sa.select(SponsorMember.id).where(SponsorMember.user_id == user.id).limit(1)
            )
        )
    )
    return [k for k, spec in KINDS.items() if staff or not spec.staff]


def email_choices(user: User) -> dict[Kind, bool]:
    """Whether ``user`` gets e-mail for each kind: their choice, else the kind's default."""
    chosen = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.email).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {kind: chosen.get(kind, spec.email) for kind, spec in KINDS.items()}


def wants_mail(user_ids: list[int], kind: Kind) -> set[int]:
    """Which of ``user_ids`` get e-mail for ``kind`` (one query, for a whole batch)."""
    rows = db.session.execute(
        sa.select(NotificationPreference.user_id, NotificationPreference.email).where(
            NotificationPreference.kind == kind, NotificationPreference.user_id.in_(user_ids)
        )
    ).all()
    chosen = dict(rows)
    return {u for u in user_ids if chosen.get(u, KINDS[kind].email)}


def set_email_choices(user: User, wanted: set[Kind]) -> None:
    """Mail ``wanted`` kinds to ``user`` and no others (of those they may choose about)."""
    existing = {
        p.kind: p
        for p in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for kind in kinds_for(user):
        row = existing.get(kind) or NotificationPreference(user_id=user.id, kind=kind)
        row.email = kind in wanted
        db.session.add(row)
    db.session.flush()

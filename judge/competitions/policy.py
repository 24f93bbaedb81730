"""Who may do what in a competition. Pure questions about an actor and a resource."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.competitions.models import (
    Competition,
    CompetitionRole,
    CompetitionState,
    Role,
    RulesAcceptance,
    Sponsor,
    SponsorMember,
)
from judge.core.errors import Forbidden
from judge.core.extensions import db


def _authenticated(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def has_role(user: User | None, competition: Competition, role: Role) -> bool:
    if not _authenticated(user):
        return False
    return (
        db.session.scalar(
            sa.select(CompetitionRole.id).where(
                CompetitionRole.competition_id == competition.id,
                CompetitionRole.user_id == user.id,
                CompetitionRole.role == role,
            )
        )
        is not None
    )


def is_organizer(user: User | None, competition: Competition) -> bool:
    if not _authenticated(user):
        return False
    return user.is_admin or has_role(user, competition, Role.ORGANIZER)


def is_judge(user: User | None, competition: Competition) -> bool:
    return has_role(user, competition, Role.JUDGE)


def sponsor_ids_of(user: User | None, competition: Competition) -> set[int]:
    """The sponsors of ``competition`` that ``user`` is a member of."""
    if not _authenticated(user):
        return set()
    rows = db.session.scalars(
        sa.select(SponsorMember.sponsor_id)
        .join(Sponsor, Sponsor.id == SponsorMember.sponsor_id)
        .where(SponsorMember.user_id == user.id, Sponsor.competition_id == competition.id)
    )
    return set(rows)


def is_sponsor_member(user: User | None, sponsor: Sponsor) -> bool:
    return sponsor.id in sponsor_ids_of(user, sponsor.competition)


def is_staff(user: User | None, competition: Competition) -> bool:
    """Organizer, judge or sponsor member: people who run rather than enter the competition."""
    return (
        is_organizer(user, competition)
        or is_judge(user, competition)
        or bool(sponsor_ids_of(user, competition))
    )


def can_see(user: User | None, competition: Competition) -> bool:
    """The one rule for who may see a competition at all: a draft only its staff (the site
    admin, its organizers, judges and sponsor members); published and archived ones anyone."""
    return competition.state != CompetitionState.DRAFT or is_staff(user, competition)


def check_open_to_teams(competition: Competition) -> None:
    """An archived competition is read-only for teams: no joining, no team changes, no
    submissions."""
    if competition.state == CompetitionState.ARCHIVED:
        raise Forbidden(
            _("This competition is archived: it no longer takes teams, members or submissions.")
        )


def has_accepted_rules(user: User | None, competition: Competition) -> bool:
    if not _authenticated(user):
        return False
    return (
        db.session.scalar(
            sa.select(RulesAcceptance.id).where(
                RulesAcceptance.competition_id == competition.id,
                RulesAcceptance.user_id == user.id,
            )
        )
        is not None
    )

"""Recording and reading privileged acts.

Actions (the ``action`` column): solution_replaced, rescored, revealed, hidden,
shortlisted, disqualified, reinstated, reproduction_overridden, judge_score_changed,
results_finalized, results_reopened, settings_changed, judge_assigned, judge_unassigned,
problem_settings_changed (ranking or visibility), competition_dates_changed, role_granted,
role_revoked, sponsor_member_added,
team_disbanded (by the last member to leave, or by an organizer with a reason),
team_renamed, team_disqualified, team_reinstated (by an organizer, with a reason),
participants_exported (who downloaded the personal data, when, how many rows),
team_member_removed, team_leader_changed, team_division_changed, team_merge_requested,
team_merge_declined, team_merge_withdrawn, teams_merged (a leader's),
validation_inputs_set,
notice_withdrawn, question_published, question_unpublished (who may read what was written),
user_disabled, user_enabled, password_reset_sent, account_deleted (site-wide: no competition),
affiliation_changed (in each competition the user takes part in, else site-wide),
comments_sharing_changed (whether teams read their judges' comments once results are published),
competition_published, competition_archived, competition_restored (who may see it, whether
teams may act in it).
problem_review_requested, problem_sent_back (a sponsor's problem in review; see problems.review),
division_changed, division_removed, sponsor_changed, sponsor_removed (competitions.parts).
split_salt_read (who read a problem's split salt to score locally, and when: with the salt
and the solution one can tell which ids are public).
criterion_added, criterion_removed (the rubric: weights move final ranks), award_added,
award_removed, special_prize_added (prize money).
"""

from __future__ import annotations

import sqlalchemy as sa

from judge.accounts.models import User
from judge.audit.models import AuditEntry
from judge.core.db import utcnow
from judge.core.extensions import db

ACTIONS = (
    "solution_replaced", "rescored", "revealed", "hidden", "shortlisted", "disqualified",
    "reinstated", "reproduction_overridden", "judge_score_changed", "results_finalized",
    "results_reopened", "settings_changed", "judge_assigned", "judge_unassigned",
    "problem_settings_changed", "competition_dates_changed", "role_granted", "role_revoked",
    "sponsor_member_added",
    "team_disbanded", "team_renamed", "team_disqualified", "team_reinstated",
    "participants_exported",
    "team_member_removed", "team_leader_changed", "team_division_changed",
    "team_merge_requested", "team_merge_declined", "team_merge_withdrawn", "teams_merged",
    "validation_inputs_set",
    "notice_withdrawn", "question_published", "question_unpublished",
    "user_disabled", "user_enabled", "password_reset_sent", "account_deleted",
    "affiliation_changed",
    "comments_sharing_changed",
    "competition_published", "competition_archived", "competition_restored",
    "problem_review_requested", "problem_sent_back",
    "division_changed", "division_removed", "sponsor_changed", "sponsor_removed",
    "split_salt_read",
    "criterion_added", "criterion_removed", "award_added", "award_removed",
    "special_prize_added", "phase_carried",
)  # fmt: skip


def record(actor: User | None, action: str, competition_id: int | None, subject: str,
           before: dict | None = None, after: dict | None = None) -> AuditEntry:  # fmt: skip
    """Add one entry to the current transaction (it commits, or rolls back, with the act)."""
    entry = AuditEntry(
        competition_id=competition_id,
        actor_id=getattr(actor, "id", None),
        action=action,
        subject=subject[:300],
        before=before,
        after=after,
        at=utcnow(),
    )
    db.session.add(entry)
    return entry


def has_acted(actor: User, competition_id: int, action: str) -> bool:
    """Whether ``actor`` ever did ``action`` in the competition (e.g. read a split salt)."""
    query = sa.select(AuditEntry.id).where(
        AuditEntry.competition_id == competition_id,
        AuditEntry.actor_id == actor.id,
        AuditEntry.action == action,
    )
    return db.session.scalar(query.limit(1)) is not None


def lost_role(user: User, competition_id: int) -> bool:
    """Whether ``user`` once held a staff role in the competition that was taken away (the
    entry names them by id, or, in entries written before ids were kept, by address)."""
    query = sa.select(AuditEntry.before).where(
        AuditEntry.competition_id == competition_id, AuditEntry.action == "role_revoked"
    )
    return any(
        (before or {}).get("user_id") == user.id or (before or {}).get("email") == user.email
        for before in db.session.scalars(query)
    )


def entries(competition_id: int, action: str | None = None, limit: int = 500) -> list[AuditEntry]:
    """The newest entries of a competition, optionally of one action."""
    query = sa.select(AuditEntry).where(AuditEntry.competition_id == competition_id)
    if action:
        query = query.where(AuditEntry.action == action)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(db.session.scalars(query))

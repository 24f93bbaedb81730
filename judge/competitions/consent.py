"""A competition's own consent text (e.g. a sponsor's data-use terms) and the participants'
acceptances of its versions. Accepting the rules includes the version in effect; a participant
who joined before a newer version is asked for it before downloading data or submitting.
Services flush, never commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy, texts
from judge.competitions.models import (
    Competition,
    CompetitionConsent,
    CompetitionConsentAcceptance,
)
from judge.core.errors import Conflict, Forbidden, Invalid
from judge.core.extensions import db
from judge.core.tokens import absolute_url

MAX_TEXT = 20_000


def current(competition: Competition) -> CompetitionConsent | None:
    """The newest version of ``competition``'s consent text, if it has one."""
    query = sa.select(CompetitionConsent).where(CompetitionConsent.competition_id == competition.id)
    return db.session.scalar(query.order_by(CompetitionConsent.version.desc()).limit(1))


def acceptance(user: User, consent: CompetitionConsent) -> CompetitionConsentAcceptance | None:
    return db.session.scalar(
        sa.select(CompetitionConsentAcceptance).where(
            CompetitionConsentAcceptance.consent_id == consent.id,
            CompetitionConsentAcceptance.user_id == user.id,
        )
    )


def pending(user: User | None, competition: Competition) -> CompetitionConsent | None:
    """The version in effect, when ``user`` has not accepted it."""
    consent = current(competition)
    if consent is None or user is None or not getattr(user, "is_authenticated", False):
        return consent
    return None if acceptance(user, consent) is not None else consent


def outdated(user: User | None, competition: Competition) -> CompetitionConsent | None:
    """The version in effect, when ``user`` accepted the rules before it was published."""
    if not policy.has_accepted_rules(user, competition):
        return None
    return pending(user, competition)


def check_current(user: User, competition: Competition) -> None:
    """Forbidden, with a link to read it, while a newer version waits for ``user``."""
    consent = outdated(user, competition)
    if consent is not None:
        link = absolute_url("competitions.show", slug=competition.slug, _anchor="rules")
        raise Forbidden(
            _("The competition's consent terms changed (version %(version)d). Please read and "
              "accept them before downloading data or submitting: %(link)s",
              version=consent.version, link=link)
        )  # fmt: skip


def accept(competition: Competition, user: User, version: int | None, now: datetime) -> None:
    """Accept the version in effect, which must be the ``version`` that was shown and ticked."""
    consent = pending(user, competition)
    if consent is None:
        return
    if version is None:
        raise Invalid(
            _("Please tick the box to accept the competition's consent terms."), field="consent"
        )
    if version != consent.version:
        raise Conflict(
            _("The consent terms changed while you were reading them. Please read them again."),
            field="consent",
        )
    db.session.add(
        CompetitionConsentAcceptance(consent_id=consent.id, user_id=user.id, accepted_at=now)
    )
    db.session.flush()


def publish(competition: Competition, text_ko: str, text_en: str, actor: User,
            now: datetime) -> CompetitionConsent:  # fmt: skip
    """Add the next version; everyone who accepted an earlier one is asked again."""
    text_ko = texts.clean(text_ko, MAX_TEXT, "text_ko", multiline=True)
    text_en = texts.clean(text_en, MAX_TEXT, "text_en", multiline=True)
    if not text_ko or not text_en:
        raise Invalid(_("Please give the consent text in Korean and in English."), field="text_ko")
    last = current(competition)
    if last is not None and (last.text_ko, last.text_en) == (text_ko, text_en):
        raise Conflict(_("The text is unchanged; no new version is needed."), field="text_ko")
    consent = CompetitionConsent(
        competition_id=competition.id, version=(last.version if last else 0) + 1,
        text_ko=text_ko, text_en=text_en, published_at=now, published_by_id=actor.id,
    )  # fmt: skip
    db.session.add(consent)
    db.session.flush()
    before = {"version": last.version if last else None}
    audit.record(actor, "competition_consent_published", competition.id, competition.title,
                 before, {"version": consent.version})  # fmt: skip
    return consent


def accepted_versions(competition: Competition) -> dict[int, CompetitionConsentAcceptance]:
    """Each participant's acceptance of the newest version they accepted, by user id."""
    rows = db.session.scalars(
        sa.select(CompetitionConsentAcceptance)
        .join(CompetitionConsent)
        .where(CompetitionConsent.competition_id == competition.id)
        .order_by(CompetitionConsent.version)
    )
    return {row.user_id: row for row in rows}

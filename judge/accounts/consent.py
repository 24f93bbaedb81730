"""Site-wide consent texts (개인정보 수집·이용 동의) and each person's answers to them.

Texts are versioned rows of ``consent_documents`` (the first versions come with migration
0019; ``judge publish-consent`` adds one). Signing up needs the privacy notice in effect;
when a newer one takes effect, a logged-in person is asked to accept it before going on.
Services flush, never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import ConsentDecision, ConsentDocument, ConsentKind, User
from judge.audit import log as audit
from judge.core.errors import Conflict, Invalid
from judge.core.extensions import db


def _in_effect(kind: ConsentKind, now: datetime) -> sa.Select:
    query = sa.select(ConsentDocument).where(
        ConsentDocument.kind == kind, ConsentDocument.effective_at <= now
    )
    return query.order_by(ConsentDocument.version.desc()).limit(1)


def current(kind: ConsentKind, now: datetime) -> ConsentDocument | None:
    """The newest version of ``kind`` in effect at ``now``."""
    return db.session.scalar(_in_effect(kind, now))


def decision(user: User, document: ConsentDocument) -> ConsentDecision | None:
    return db.session.scalar(
        sa.select(ConsentDecision).where(
            ConsentDecision.user_id == user.id, ConsentDecision.document_id == document.id
        )
    )


def decide(user: User, document: ConsentDocument, accepted: bool, now: datetime) -> None:
    """Record ``user``'s answer to ``document`` (a later answer replaces an earlier one)."""
    record = decision(user, document)
    if record is None:
        record = ConsentDecision(user_id=user.id, document_id=document.id)
        db.session.add(record)
    record.accepted, record.decided_at = accepted, now
    db.session.flush()


def accept_at_sign_up(user: User, marketing: bool, now: datetime) -> None:
    """A new account's answers: the privacy notice accepted, the optional one as ticked."""
    for kind, accepted in ((ConsentKind.PRIVACY, True), (ConsentKind.MARKETING, marketing)):
        document = current(kind, now)
        if document is not None:
            decide(user, document, accepted, now)


def pending(user: User, now: datetime) -> ConsentDocument | None:
    """The required text in effect, when ``user`` has not accepted this version of it."""
    accepted = sa.exists().where(
        ConsentDecision.document_id == ConsentDocument.id,
        ConsentDecision.user_id == user.id,
        ConsentDecision.accepted.is_(True),
    )
    document, done = db.session.execute(  # one query: it runs on every page a person opens
        _in_effect(ConsentKind.PRIVACY, now).add_columns(accepted)
    ).first() or (None, True)
    return None if done else document


def accept_pending(user: User, version: str, now: datetime) -> None:
    """Accept the required text in effect, which must be the ``version`` that was shown."""
    document = pending(user, now)
    if document is None:
        return
    if str(document.version) != version:
        raise Conflict(_("The notice changed while you were reading it. Please read it again."))
    decide(user, document, True, now)


def set_optional(user: User, accepted: bool, now: datetime) -> None:
    """Give or withdraw consent to the optional text in effect."""
    document = current(ConsentKind.MARKETING, now)
    if document is None:
        raise Invalid(_("There is no optional consent to give or withdraw."))
    decide(user, document, accepted, now)


def answers(user: User) -> list[ConsentDecision]:
    """Every answer ``user`` gave, newest first."""
    query = sa.select(ConsentDecision).where(ConsentDecision.user_id == user.id)
    return list(db.session.scalars(query.order_by(ConsentDecision.decided_at.desc())))


def publish(
    kind: ConsentKind, text_ko: str, text_en: str, effective_at: datetime, actor: User | None
) -> ConsentDocument:
    """Add the next version of ``kind``; from ``effective_at`` people are asked for it."""
    if not text_ko.strip() or not text_en.strip():
        raise Invalid(_("Please give the text in Korean and in English."))
    last = db.session.scalar(
        sa.select(sa.func.max(ConsentDocument.version)).where(ConsentDocument.kind == kind)
    )
    document = ConsentDocument(kind=kind, version=(last or 0) + 1, effective_at=effective_at)
    document.text_ko, document.text_en = text_ko.strip(), text_en.strip()
    db.session.add(document)
    db.session.flush()
    after = {"version": document.version, "effective_at": effective_at.isoformat()}
    audit.record(actor, "consent_published", None, kind.value, {"version": last}, after)
    return document

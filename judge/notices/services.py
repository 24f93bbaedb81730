"""Posting notices, asking and answering questions. Services flush; the caller commits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions.models import Competition, CompetitionState, RulesAcceptance
from judge.core import queue
from judge.core.errors import Forbidden, Invalid, NotFound, RateLimited
from judge.core.extensions import db
from judge.notices.models import Notice, Question
from judge.notices.policy import Reader, can_edit, can_post
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.problems.models import Problem

MAX_TITLE = 200
MAX_BODY = 20_000
# Control characters other than tab and line breaks, and lone surrogates: no database
# stores NUL in text (PostgreSQL refuses it), and nobody types the others.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _text(value: str | None, field: str, limit: int, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(missing, field=field)
    if _UNPRINTABLE.search(text):
        raise Invalid(_("Remove the control characters from the text."), field=field)
    if len(text) > limit:
        raise Invalid(_("At most %(n)d characters, please.", n=limit), field=field)
    return text


def problem_of(competition: Competition, problem_id: int | None, user: User) -> Problem | None:
    """The problem ``problem_id`` of ``competition`` that ``user`` sees (None: the whole one)."""
    if not problem_id:
        return None
    problem = db.session.get(Problem, problem_id)
    if (
        problem is None
        or problem.competition_id != competition.id
        or not Reader.of(user, competition).sees_problem(problem)
    ):
        raise Invalid(_("No such problem in this competition."), field="problem_id")
    return problem


# --- notices ---------------------------------------------------------------------------------


def visible_notices(
    competition: Competition, user: User | None, problem: Problem | None = None
) -> list[Notice]:
    """Notices ``user`` may read, pinned first, then newest first.

    For a problem page: that problem's notices and the competition-wide ones; otherwise all.
    A notice about a draft problem is shown only to those who may see the draft.
    """
    query = sa.select(Notice).where(
        Notice.competition_id == competition.id, Notice.withdrawn_at.is_(None)
    )
    if problem is not None:
        query = query.where(sa.or_(Notice.problem_id.is_(None), Notice.problem_id == problem.id))
    query = query.order_by(Notice.pinned.desc(), Notice.created_at.desc(), Notice.id.desc())
    reader = Reader.of(user, competition)
    return [n for n in db.session.scalars(query) if reader.sees_problem(n.problem)]


def get_notice(competition: Competition, notice_id: int, user: User | None) -> Notice:
    """A notice ``user`` may edit; 404 for a notice they cannot even read."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.competition_id != competition.id or notice.withdrawn_at:
        raise NotFound(_("No such notice."))
    if not can_edit(user, notice):
        if Reader.of(user, competition).sees_problem(notice.problem):
            raise Forbidden(_("Only the organizers and the problem's sponsor edit this notice."))
        raise NotFound(_("No such notice."))
    return notice


def post_notice(competition: Competition, actor: User, now: datetime, *, title: str, body: str,
                problem: Problem | None = None, pinned: bool = False,
                email_participants: bool = False) -> Notice:  # fmt: skip
    """Post a notice; with ``email_participants`` every participant is notified."""
    if not can_post(actor, competition, problem):
        raise Forbidden(_("Only the organizers, and a sponsor for its own problems, post notices."))
    if email_participants and problem is not None and not problem.is_published:
        raise Invalid(
            _("This problem is a draft: participants cannot be told about it yet."),
            field="email_participants",
        )
    notice = Notice(
        competition=competition,
        problem=problem,
        author_id=actor.id,
        title=_text(title, "title", MAX_TITLE, _("Give the notice a title.")),
        body=_text(body, "body", MAX_BODY, _("Write the notice.")),
        pinned=pinned,
        emailed=email_participants,
        created_at=now,
    )
    db.session.add(notice)
    db.session.flush()
    if email_participants:  # told in batches by a worker: a competition has hundreds of people
        queue.after_commit(FAN_OUT, notice.id)
    return notice


def edit_notice(notice: Notice, actor: User, now: datetime, *, title: str, body: str,
                pinned: bool) -> Notice:  # fmt: skip
    if not can_edit(actor, notice):
        raise Forbidden(_("Only the organizers and the problem's sponsor edit this notice."))
    notice.title = _text(title, "title", MAX_TITLE, _("Give the notice a title."))
    notice.body = _text(body, "body", MAX_BODY, _("Write the notice."))
    notice.pinned = pinned
    notice.updated_at = now
    db.session.flush()
    return notice


def withdraw_notice(notice: Notice, actor: User, now: datetime) -> None:
    """Hide a notice from every page (kept, and recorded in the audit log)."""
    if not can_edit(actor, notice):
        raise Forbidden(_("Only the organizers and the problem's sponsor edit this notice."))
    notice.withdrawn_at = now
    notifications.withdraw(notice_key(notice))
    audit.record(actor, "notice_withdrawn", notice.competition_id, f"notice {notice.id}",
                 before={"title": notice.title})  # fmt: skip
    db.session.flush()


# --- notifications ---------------------------------------------------------------------------

FAN_OUT = "judge.notices.fan_out"
BATCH = 200


def notice_key(notice: Notice) -> str:
    return f"notice:{notice.id}"


def participant_batches(notice: Notice) -> Iterator[list[User]]:
    """Everyone who accepted the competition's rules (the author excepted), in batches."""
    ids = list(
        db.session.scalars(
            sa.select(RulesAcceptance.user_id)
            .where(
                RulesAcceptance.competition_id == notice.competition_id,
                RulesAcceptance.user_id != notice.author_id,
            )
            .order_by(RulesAcceptance.user_id)
        )
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        yield list(db.session.scalars(sa.select(User).where(User.id.in_(chunk))))


def notify_participants(notice: Notice, users: list[User], now: datetime) -> int:
    """Notify ``users`` of a notice sent to everyone (each once, however often asked)."""
    if notice.withdrawn_at is not None:
        return 0
    link = notifications.path("competitions.show", slug=notice.competition.slug) + "#notices"
    made = notifications.notify(
        users,
        Kind.NOTICE,
        notice.competition,
        notice_key(notice),
        now,
        link=link,
        params={"title": notice.title},
        problem=notice.problem,
    )
    return len(made)


def _question_link(question: Question) -> str:
    return notifications.path(
        "notices.question", slug=question.competition.slug, question_id=question.id
    )


def notify_answered(question: Question, now: datetime) -> None:
    notifications.notify(
        [question.asker],
        Kind.ANSWER,
        question.competition,
        f"answer:{question.id}",
        now,
        link=_question_link(question),
        params={"title": question.title},
        problem=question.problem,
    )


def notify_question_waiting(question: Question, now: datetime) -> None:
    """Tell the organizers, and the problem's sponsor, that a question waits."""
    staff = notifications.organizers(question.competition)
    if question.problem is not None:
        staff += notifications.sponsor_members(question.problem)
    notifications.notify(
        staff,
        Kind.QUESTION_WAITING,
        question.competition,
        f"question:{question.id}",
        now,
        link=_question_link(question),
        params={"title": question.title},
        problem=question.problem,
    )


# --- questions -------------------------------------------------------------------------------


def ask(competition: Competition, actor: User, now: datetime, *, title: str, body: str,
        problem: Problem | None, per_day: int) -> Question:  # fmt: skip
    """Ask a question, private to the asker and the staff who answer it.

    ``problem`` comes from ``problem_of``, which finds only problems the asker sees. An
    archived competition takes no more questions.
    """
    if competition.state == CompetitionState.ARCHIVED:
        raise Forbidden(_("This competition is archived: it no longer takes questions."))
    asked = db.session.scalar(
        sa.select(sa.func.count(Question.id)).where(
            Question.asker_id == actor.id, Question.created_at > now - timedelta(days=1)
        )
    )
    if (asked or 0) >= per_day:
        message = ngettext(
            "You asked %(num)d question in the last 24 hours, the most allowed. "
            "Please wait before asking another.",
            "You asked %(num)d questions in the last 24 hours, the most allowed. "
            "Please wait before asking another.",
            per_day,
        )
        raise RateLimited(message)
    question = Question(
        competition=competition,
        problem=problem,
        asker_id=actor.id,
        title=_text(title, "title", MAX_TITLE, _("Give your question a title.")),
        body=_text(body, "body", MAX_BODY, _("Write your question.")),
        created_at=now,
    )
    db.session.add(question)
    db.session.flush()
    notify_question_waiting(question, now)
    return question


def questions(competition: Competition, user: User | None, search: str = "",
              mine: bool = False) -> list[Question]:  # fmt: skip
    """Questions ``user`` may read, newest first, matching ``search`` in title or body."""
    query = sa.select(Question).where(Question.competition_id == competition.id)
    if mine:
        query = query.where(Question.asker_id == (user.id if user else None))
    term = search.strip()
    if term:
        query = query.where(
            sa.or_(
                Question.title.icontains(term, autoescape=True),
                Question.body.icontains(term, autoescape=True),
            )
        )
    query = query.order_by(Question.created_at.desc(), Question.id.desc())
    reader = Reader.of(user, competition)
    return [q for q in db.session.scalars(query) if reader.sees_question(q)]


def get_question(competition: Competition, question_id: int, user: User | None) -> Question:
    """A question ``user`` may read; 404 otherwise (a private question is never confirmed)."""
    question = db.session.get(Question, question_id)
    if (
        question is None
        or question.competition_id != competition.id
        or not Reader.of(user, competition).sees_question(question)
    ):
        raise NotFound(_("No such question."))
    return question


def answer(question: Question, actor: User, now: datetime, *, text: str,
           publish: bool) -> Question:  # fmt: skip
    """Answer (or correct the answer) and choose whether everyone may read the thread.

    The asker is notified the first time the question is answered. Publishing and
    withdrawing are audited: they decide who sees what a participant wrote.
    """
    if not Reader.of(actor, question.competition).answers(question):
        raise Forbidden(_("Only the organizers and the problem's sponsor answer questions."))
    first = question.answer is None
    question.answer = _text(text, "answer", MAX_BODY, _("Write an answer."))
    question.answered_by_id = actor.id
    question.answered_at = now
    if publish != (question.published_at is not None):
        question.published_at = now if publish else None
        action = "question_published" if publish else "question_unpublished"
        subject = f"question {question.id}: {question.title}"
        audit.record(actor, action, question.competition_id, subject)
    if first:
        notify_answered(question, now)
    db.session.flush()
    return question

"""Notice, Q&A and notification pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from judge.competitions import services as competitions
from judge.competitions.models import Competition
from judge.core.db import utcnow
from judge.core.web import actor, button_action, form_action
from judge.notices import services
from judge.notices.forms import (
    AnswerForm,
    NoticeEditForm,
    NoticeForm,
    QuestionForm,
    problem_choices,
)
from judge.notices.policy import Reader, can_post
from judge.problems import services as problems

bp = Blueprint("notices", __name__)


def _postable_problems(competition: Competition) -> list:
    user = actor()
    visible = problems.visible_problems(competition, user)
    return [p for p in visible if can_post(user, competition, p)]


@bp.route("/c/<slug>/notices/new", methods=["GET", "POST"])
@login_required
def post(slug: str):
    competition = competitions.get_competition(slug)
    choices, whole = _postable_problems(competition), can_post(actor(), competition, None)
    if not choices and not whole:
        abort(403)
    form = NoticeForm()
    problem_choices(form, choices, whole)
    if form.validate_on_submit():
        with form_action(form) as ok:
            services.post_notice(
                competition, actor(), utcnow(), title=form.title.data, body=form.body.data,
                problem=services.problem_of(competition, form.problem_id.data, actor()),
                pinned=form.pinned.data, email_participants=form.email_participants.data,
            )  # fmt: skip
        if ok():
            flash(_("The notice is posted."), "success")
            return redirect(url_for("competitions.show", slug=slug, _anchor="notices"))
    return render_template("notices/post.html", competition=competition, form=form)


@bp.route("/c/<slug>/notices/<int:notice_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, notice_id: int):
    competition = competitions.get_competition(slug)
    notice = services.get_notice(competition, notice_id, actor())
    form = NoticeEditForm(obj=notice)
    if form.validate_on_submit():
        with form_action(form) as ok:
            services.edit_notice(notice, actor(), utcnow(), title=form.title.data,
                                 body=form.body.data, pinned=form.pinned.data)  # fmt: skip
        if ok():
            flash(_("The notice is saved."), "success")
            return redirect(url_for("competitions.show", slug=slug, _anchor="notices"))
    return render_template("notices/edit.html", competition=competition, notice=notice, form=form)


@bp.post("/c/<slug>/notices/<int:notice_id>/withdraw")
@login_required
def withdraw(slug: str, notice_id: int):
    competition = competitions.get_competition(slug)
    notice = services.get_notice(competition, notice_id, actor())
    button_action(
        lambda: services.withdraw_notice(notice, actor(), utcnow()), _("The notice is withdrawn.")
    )
    return redirect(url_for("competitions.show", slug=slug, _anchor="notices"))


# --- questions and answers -------------------------------------------------------------------


def _question_form(competition: Competition, **kwargs) -> QuestionForm:
    form = QuestionForm(**kwargs)
    problem_choices(form, problems.visible_problems(competition, actor()))
    return form


def _questions_page(competition: Competition, form: QuestionForm, mine: bool = False):
    search = request.args.get("q", "")[:200]
    user = actor()
    return render_template(
        "notices/questions.html",
        competition=competition,
        questions=services.questions(competition, user, search, mine=mine),
        search=search,
        mine=mine,
        form=form,
        reader=Reader.of(user, competition),
    )


@bp.get("/c/<slug>/questions")
def questions(slug: str):
    competition = competitions.get_competition(slug)
    return _questions_page(competition, _question_form(competition, formdata=None))


@bp.get("/c/<slug>/questions/mine")
@login_required
def my_questions(slug: str):
    competition = competitions.get_competition(slug)
    return _questions_page(competition, _question_form(competition, formdata=None), mine=True)


@bp.post("/c/<slug>/questions")
@login_required
def ask(slug: str):
    competition = competitions.get_competition(slug)
    form = _question_form(competition)
    if form.validate_on_submit():
        with form_action(form) as ok:
            question = services.ask(
                competition, actor(), utcnow(), title=form.title.data, body=form.body.data,
                problem=services.problem_of(competition, form.problem_id.data, actor()),
                per_day=current_app.config["QUESTIONS_PER_DAY"],
            )  # fmt: skip
        if ok():
            flash(_("Your question is sent. Only you and the staff see it until it is answered "
                    "and published."), "success")  # fmt: skip
            return redirect(url_for(".question", slug=slug, question_id=question.id))
    return _questions_page(competition, form, mine=True), 422


@bp.get("/c/<slug>/questions/<int:question_id>")
def question(slug: str, question_id: int):
    competition = competitions.get_competition(slug)
    user = actor()
    found = services.get_question(competition, question_id, user)
    return _question_page(competition, found, AnswerForm(formdata=None, data={
        "answer": found.answer, "publish": found.published_at is not None}))  # fmt: skip


def _question_page(competition: Competition, question, form: AnswerForm):
    return render_template(
        "notices/question.html",
        competition=competition,
        question=question,
        form=form,
        reader=Reader.of(actor(), competition),
    )


@bp.post("/c/<slug>/questions/<int:question_id>/answer")
@login_required
def answer(slug: str, question_id: int):
    competition = competitions.get_competition(slug)
    found = services.get_question(competition, question_id, actor())
    if not Reader.of(actor(), competition).answers(found):
        abort(403)
    form = AnswerForm()
    if form.validate_on_submit():
        with form_action(form) as ok:
            services.answer(found, actor(), utcnow(), text=form.answer.data,
                            publish=form.publish.data)  # fmt: skip
        if ok():
            flash(_("The answer is saved."), "success")
            return redirect(url_for(".question", slug=slug, question_id=question_id))
    return _question_page(competition, found, form), 422

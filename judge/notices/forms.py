"""Forms for notices, questions and answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from judge.problems.models import Problem

WHOLE = 0  # the problem choice meaning "the whole competition"


def problem_choices(form: FlaskForm, problems: list[Problem], whole: bool = True) -> None:
    """The problems to pick from, after "the whole competition" when ``whole`` may be picked."""
    form.problem_id.choices = [SelectChoice(WHOLE, _l("The whole competition"))] * whole + [
        SelectChoice(p.id, p.title) for p in problems
    ]


class NoticeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Notice (Markdown)"), validators=[DataRequired(), Length(max=20_000)])
    problem_id = SelectField(_l("About"), coerce=int, default=WHOLE)
    pinned = BooleanField(_l("Pin to the top"))
    email_participants = BooleanField(_l("E-mail to all participants"))


class NoticeEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Notice (Markdown)"), validators=[DataRequired(), Length(max=20_000)])
    pinned = BooleanField(_l("Pin to the top"))


class QuestionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=20_000)])
    problem_id = SelectField(_l("About"), coerce=int, default=WHOLE)


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer (Markdown)"), validators=[DataRequired(),
                                                               Length(max=20_000)])  # fmt: skip
    publish = BooleanField(_l("Publish the question with its answer for everyone"))

"""Forms of stage two: settings, rubric, tiers, prizes, reasons, a judge's points."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from judge.competitions.forms import local_datetime_field
from judge.finals import formula as rules


class SettingsForm(FlaskForm):
    finalists_per_division = IntegerField(
        _l("Finalists per division"), validators=[InputRequired(), NumberRange(1, 100)]
    )
    uploads_close_at = local_datetime_field(_l("Finalists' uploads close"))
    max_upload_mb = IntegerField(_l("Largest upload (MB)"), default=50,
                                 validators=[InputRequired(), NumberRange(1, 2000)])  # fmt: skip
    quantitative_weight = FloatField(_l("Weight of the private score (0–1)"),
                                     validators=[InputRequired(), NumberRange(0, 1)])  # fmt: skip
    formula = SelectField(_l("Quantitative part"), choices=[
        SelectChoice(rules.RANK, _l("By rank: 100·(n − rank)/(n − 1)")),
        SelectChoice(rules.RATIO, _l("By ratio to the best: 100·(score/best)^N")),
    ])  # fmt: skip
    exponent = FloatField(_l("Exponent N"), validators=[InputRequired(), NumberRange(0.1, 10)])
    aggregation = SelectField(_l("Judges' scores combined by"), choices=[
        SelectChoice(rules.MEAN, _l("Mean")),
        SelectChoice(rules.TRIMMED_MEAN, _l("Trimmed mean")),
    ])  # fmt: skip
    bootstrap_resamples = IntegerField(
        _l("Bootstrap resamples for rank stability"),
        validators=[InputRequired(), NumberRange(100, 10_000)],
    )
    trim = FloatField(_l("Share trimmed from each end"),
                      validators=[InputRequired(), NumberRange(0, 0.49)])  # fmt: skip


class CriterionForm(FlaskForm):
    name = StringField(_l("Criterion"), validators=[DataRequired(), Length(max=200)])
    weight = FloatField(_l("Weight"), validators=[InputRequired(), NumberRange(min=0.01)])
    max_points = FloatField(_l("Maximum points"), default=10,
                            validators=[InputRequired(), NumberRange(min=0.01)])  # fmt: skip
    description = StringField(_l("What judges look for"), validators=[Optional()])


class TierForm(FlaskForm):
    division_id = SelectField(_l("Division"), coerce=int)
    name_ko = StringField(_l("Name in Korean"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    teams = IntegerField(_l("Teams"), default=1, validators=[InputRequired(), NumberRange(1, 100)])
    amount = IntegerField(_l("Prize money"), default=0,
                          validators=[InputRequired(), NumberRange(0, 10**12)])  # fmt: skip
    currency = StringField(_l("Currency"), default="KRW", validators=[Length(3, 3)])
    awarding_body = StringField(_l("Awarding body"), validators=[Optional(), Length(max=200)])


class PrizeForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    name = StringField(_l("Prize"), validators=[DataRequired(), Length(max=200)])
    awarding_body = StringField(_l("Awarding body"), validators=[Optional(), Length(max=200)])
    amount = IntegerField(_l("Prize money"), default=0,
                          validators=[InputRequired(), NumberRange(0, 10**12)])  # fmt: skip
    currency = StringField(_l("Currency"), default="KRW", validators=[Length(3, 3)])


class AssignJudgeForm(FlaskForm):
    judge_id = SelectField(_l("Judge"), coerce=int)
    problem_id = SelectField(_l("Problem"), coerce=int)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class FinalizeForm(FlaskForm):
    reveal = BooleanField(_l("Reveal these private leaderboards to everyone"))

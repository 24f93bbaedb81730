"""Every kind of notification: who it is for, whether it is mailed by default, and its line.

The one source for kinds and their defaults. A line is rendered when it is read, in the
reader's language, from the parameters stored on the row (never stored text).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from judge.core.i18n import stored_message
from judge.core.timefmt import local


class Kind(enum.StrEnum):
    SUBMISSION_SCORED = "submission_scored"
    SUBMISSION_FAILED = "submission_failed"
    LIMIT_RESET = "limit_reset"
    DEADLINE_SOON = "deadline_soon"
    SHORTLISTED = "shortlisted"
    HANDIN_REMINDER = "handin_reminder"
    REPRODUCTION = "reproduction"
    RESULTS_PUBLISHED = "results_published"
    SCORE_CHANGED = "score_changed"
    NOTICE = "notice"
    ANSWER = "answer"
    PROBLEM_PUBLISHED = "problem_published"
    QUESTION_WAITING = "question_waiting"
    JUDGE_FINISHED = "judge_finished"
    PROBLEM_CHANGED = "problem_changed"
    TEAM_ACTION = "team_action"
    TEAM_MEMBER_REMOVED = "team_member_removed"
    MERGE_REQUESTED = "merge_requested"
    MERGE_DECLINED = "merge_declined"
    TEAMS_MERGED = "teams_merged"
    PROBLEM_REVIEW_REQUESTED = "problem_review_requested"
    PROBLEM_SENT_BACK = "problem_sent_back"
    SCORING_FAILED = "scoring_failed"
    ENTRY_CARRIED = "entry_carried"


class Params(dict):
    """A row's parameters as a reader sees them: numbers and dates formatted, stored
    messages translated, in the reader's language and the competition's zone."""

    def __init__(self, raw: dict, timezone: str) -> None:
        super().__init__({k: _shown(k, v, timezone) for k, v in raw.items()})


def _shown(key: str, value, timezone: str):
    if isinstance(value, float):
        return format_decimal(value, "#,##0.######")
    if key.endswith("_at") and isinstance(value, str):
        return local(datetime.fromisoformat(value), timezone)
    if key == "message":
        return stored_message(value)
    if isinstance(value, dict):  # {"ko": ..., "en": ...}: a name given in both languages
        return value.get(str(get_locale())) or next(iter(value.values()), "")
    return value


def _reproduction(p: dict) -> str:
    if p["outcome"] == "reproduced":
        return _("The re-run of your final submission to %(problem)s reproduced its score.", **p)
    return _("The re-run of your final submission to %(problem)s did not reproduce its "
             "score; the organizers will review it.", **p)  # fmt: skip


def _results(p: dict) -> str:
    if p.get("award"):
        return _("The results of %(competition)s are published: your team %(team)s won "
                 "%(award)s.", **p)  # fmt: skip
    return _("The results of %(competition)s are published.", **p)


def _shortlisted(p: dict) -> str:
    if p.get("deadline_at"):
        return _("Your team %(team)s is a finalist for %(problem)s. Hand in your code and "
                 "report by %(deadline_at)s.", **p)  # fmt: skip
    return _("Your team %(team)s is a finalist for %(problem)s.", **p)


# The settings of a published problem whose change by a sponsor the organizers hear about.
WATCHED_SETTINGS = {
    "title": _l("title"), "metric": _l("metric"), "opens_at": _l("opening time"),
    "closes_at": _l("closing time"), "reveal_at": _l("reveal time"),
    "daily_limit": _l("daily limit"), "total_limit": _l("total limit"),
    "min_interval_seconds": _l("interval between submissions"),
    "failed_daily_limit": _l("daily limit of failed submissions"),
    "max_final_selections": _l("final selections"), "limits": _l("code run limits"),
}  # fmt: skip


def _problem_changed(p: dict) -> str:
    fields = ", ".join(str(WATCHED_SETTINGS[f]) for f in p["fields"] if f in WATCHED_SETTINGS)
    return _("%(who)s changed the problem %(problem)s in %(competition)s: %(fields)s.",
             **(p | {"fields": fields}))  # fmt: skip


def _team_action(p: dict) -> str:
    if p["action"] == "rename":
        return _("The organizers of %(competition)s renamed your team %(before)s to %(team)s. "
                 "Reason: %(reason)s", **p)  # fmt: skip
    if p["action"] == "disband":
        return _("The organizers of %(competition)s disbanded your team %(team)s. "
                 "Reason: %(reason)s", **p)  # fmt: skip
    if p["action"] == "disqualify":
        return _("The organizers of %(competition)s disqualified your team %(team)s: it is off "
                 "the leaderboards and out of the awards. Reason: %(reason)s", **p)  # fmt: skip
    return _("The organizers of %(competition)s reinstated your team %(team)s: it is back on "
             "the leaderboards. Reason: %(reason)s", **p)  # fmt: skip


def _merged(p: dict) -> str:
    if p.get("absorbed"):
        return _("Your team %(team)s merged into %(into)s; you are now a member of %(into)s "
                 "and your team's final selections were cleared.", **p)  # fmt: skip
    return _("The team %(team)s merged into your team %(into)s.", **p)


def _carried(p: dict) -> str:
    """Phases by their names (예선, 본선), else by their numbers."""
    phase = p.get("phase") or _("Phase %(number)d", number=p["number"])
    earlier = p.get("from") or _("Phase %(number)d", number=p["from_number"])
    return _("Your team's entry #%(submission)s of %(from)s is scored on %(phase)s of "
             "%(problem)s; it uses none of your submissions.",
             **(p | {"phase": phase, "from": earlier}))  # fmt: skip


@dataclass(frozen=True)
class KindSpec:
    label: object  # a lazy string, for the settings page
    staff: bool  # for organizers, sponsors and judges rather than teams
    email: bool  # mailed unless the person turned it off
    line: Callable[[dict], str]


KINDS: dict[Kind, KindSpec] = {
    Kind.SUBMISSION_SCORED: KindSpec(
        _l("A submission was scored"), False, False,
        lambda p: _("Submission #%(submission)s to %(problem)s was scored: %(score)s on the "
                    "public leaderboard.", **p)),
    Kind.SUBMISSION_FAILED: KindSpec(
        _l("A submission failed"), False, False,
        lambda p: _("Submission #%(submission)s to %(problem)s failed: %(message)s", **p)),
    Kind.LIMIT_RESET: KindSpec(
        _l("Daily submissions are available again"), False, True,
        lambda p: _("Your team's daily submissions to %(problem)s are available again.", **p)),
    Kind.DEADLINE_SOON: KindSpec(
        _l("Submissions close within 24 hours"), False, True,
        lambda p: _("Submissions to %(competition)s close at %(close_at)s.", **p)),
    Kind.SHORTLISTED: KindSpec(_l("Your team is shortlisted"), False, True, _shortlisted),
    Kind.HANDIN_REMINDER: KindSpec(
        _l("Reminder to hand in code and report"), False, True,
        lambda p: _("Reminder: hand in your code and report for %(problem)s by "
                    "%(deadline_at)s.", **p)),
    Kind.REPRODUCTION: KindSpec(_l("Reproduction outcome"), False, True, _reproduction),
    Kind.RESULTS_PUBLISHED: KindSpec(_l("Results and awards published"), False, True, _results),
    Kind.SCORE_CHANGED: KindSpec(
        _l("A re-score changed your score"), False, True,
        lambda p: _("A re-score of %(problem)s changed your team's scores on the public "
                    "leaderboard; see your submissions for the new ones.", **p)),
    Kind.NOTICE: KindSpec(
        _l("A notice sent to all participants"), False, True,
        lambda p: _("New notice in %(competition)s: %(title)s", **p)),
    Kind.ANSWER: KindSpec(
        _l("An answer to your question"), False, True,
        lambda p: _("Your question was answered: %(title)s", **p)),
    Kind.PROBLEM_PUBLISHED: KindSpec(
        _l("A problem was published"), True, True,
        lambda p: _("The problem %(problem)s was published in %(competition)s.", **p)),
    Kind.QUESTION_WAITING: KindSpec(
        _l("A question waits for an answer"), True, True,
        lambda p: _("A question waits for an answer in %(competition)s: %(title)s", **p)),
    Kind.JUDGE_FINISHED: KindSpec(
        _l("A judge finished scoring"), True, True,
        lambda p: _("%(judge)s finished scoring the finalists of %(competition)s.", **p)),
    Kind.PROBLEM_CHANGED: KindSpec(
        _l("A sponsor changed a published problem"), True, True, _problem_changed),
    Kind.TEAM_ACTION: KindSpec(
        _l("The organizers renamed, disbanded or disqualified your team"), False, True,
        _team_action),
    Kind.TEAM_MEMBER_REMOVED: KindSpec(
        _l("You were removed from a team"), False, True,
        lambda p: _("The leader of %(team)s removed you from the team in %(competition)s.",
                    **p)),
    Kind.MERGE_REQUESTED: KindSpec(
        _l("Another team asks to merge"), False, True,
        lambda p: _("The team %(into)s asks your team %(team)s to merge into it.", **p)),
    Kind.MERGE_DECLINED: KindSpec(
        _l("A merge request was declined"), False, True,
        lambda p: _("The team %(team)s declined to merge into %(into)s.", **p)),
    Kind.TEAMS_MERGED: KindSpec(_l("Teams merged"), False, True, _merged),
    Kind.PROBLEM_REVIEW_REQUESTED: KindSpec(
        _l("A sponsor's problem waits for review"), True, True,
        lambda p: _("The problem %(problem)s waits for your review in %(competition)s.", **p)),
    Kind.PROBLEM_SENT_BACK: KindSpec(
        _l("The organizers sent a problem back"), True, True,
        lambda p: _("The organizers of %(competition)s sent the problem %(problem)s back: "
                    "%(comment)s", **p)),
    Kind.SCORING_FAILED: KindSpec(
        _l("The problem's own programs failed on a submission"), True, True,
        lambda p: _("Submission #%(submission)s to %(problem)s failed on the organizer's side "
                    "(its scoring or ingestion program); the team was not charged. The "
                    "submission's log says why.", **p)),
    Kind.ENTRY_CARRIED: KindSpec(
        _l("Your team's entry was carried to the next phase"), False, True, _carried),
}  # fmt: skip

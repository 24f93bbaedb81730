"""``judge final select|unselect`` and ``judge quota``: the team's choices and allowance."""

from __future__ import annotations

import click

from . import refs
from .commands import connect, json_option, quota_text
from .i18n import N_, _, command, group, lang_option
from .output import echo_json, local_time


@group("final", help=N_("Choose your team's final submissions (they count on the private board)."))
def final() -> None:
    pass  # a group: its commands do the work


def _choose(submission_id: int, selected: bool, as_json: bool) -> None:
    server = connect()
    path = f"/api/v1/submissions/{submission_id}/final"
    submission = server.request("POST" if selected else "DELETE", path)
    if as_json:
        echo_json(submission)
    elif selected:
        click.echo(_("Submission %(id)s is now one of your team's finals.", id=submission_id))
    else:
        click.echo(_("Submission %(id)s is no longer one of your team's finals.", id=submission_id))


@final.command(
    "select",
    help=N_("Select a scored submission (its id, from `judge submissions`) as a final."),
)
@lang_option
@click.argument("submission_id", type=int)
@json_option
def select(submission_id: int, as_json: bool) -> None:
    _choose(submission_id, True, as_json)


@final.command("unselect", help=N_("Drop a submission from your team's finals."))
@lang_option
@click.argument("submission_id", type=int)
@json_option
def unselect(submission_id: int, as_json: bool) -> None:
    _choose(submission_id, False, as_json)


@command("quota", help=N_("What you may still submit to a PROBLEM today and in total."))
@lang_option
@click.argument("problem", type=refs.PROBLEM)
@json_option
def quota(problem: str, as_json: bool) -> None:
    server = connect()
    left = server.get(f"/api/v1/problems/{refs.problem_id(server, problem)}/quota")
    if as_json:
        echo_json(left)
        return
    click.echo(quota_text(left) or _("No limits on submissions."))
    if left.get("next_allowed_at"):
        click.echo(
            _("Next submission allowed at %(time)s.", time=local_time(left["next_allowed_at"]))
        )
    click.echo(_("The daily count resets at %(time)s.", time=local_time(left.get("resets_at"))))

"""``judge login``, ``submit``, ``submissions`` and ``leaderboard``: a client for a judge server.

Plain click commands: they need no app, no app context and no database, only
a server URL and a token (see judge.client.config).
"""

from __future__ import annotations

import mimetypes
import os
import socket
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from . import config, refs
from .http import ClientError, MultipartUpload, Server
from .i18n import N_, Prompted, _, command, lang_option
from .output import csv_text, echo_json, local_time, score, table

DEFAULT_URL = "http://127.0.0.1:8000"
POLL_SECONDS = 1.0
FINISHED = ("scored", "failed", "cancelled")

json_option = click.option(
    "--json", "as_json", is_flag=True, help=N_("Print the server's answer as JSON.")
)


def connect(token_needed: bool = True) -> Server:
    """The configured server, with its token; a clear error when either is missing."""
    settings = config.current()
    if not settings.url:
        raise ClientError(_("No judge server is set: run `judge login` or set JUDGE_URL."))
    if token_needed and not settings.token:
        raise ClientError(_("No API token: run `judge login` or set JUDGE_TOKEN."))
    return Server(settings.url, settings.token)


def pause(seconds: float) -> None:
    time.sleep(seconds)


# Tables: (header, cell for one item, right-aligned)
Column = tuple[str, Callable[[dict], Any], bool]


def columns_table(columns: list[Column], items: Iterable[dict]) -> str:
    rows = ([cell(item) for _header, cell, _numeric in columns] for item in items)
    numeric = {index for index, column in enumerate(columns) if column[2]}
    return table([_(column[0]) for column in columns], rows, numeric)


# login


def _saved_url() -> str:
    try:
        return config.current().url or DEFAULT_URL
    except click.ClickException:  # a broken config file is about to be replaced
        return DEFAULT_URL


def token_name() -> str:
    return f"judge CLI on {socket.gethostname()}"[:100]


@command(
    "login",
    help=N_(
        "Log in: create an API token and save it for the other commands.\n\n"
        "Asks for the server's URL, your email and your password; the token goes to "
        "~/.config/judge/client.json (or $JUDGE_CLIENT_CONFIG), readable only by you."
    ),
)
@lang_option
@click.option("--url", cls=Prompted, prompt=N_("Server URL"), default=_saved_url,
              help=N_("The judge server's address."))  # fmt: skip
@click.option("--email", cls=Prompted, prompt=N_("Email"), help=N_("Your account's email."))
@click.option("--password", cls=Prompted, prompt=N_("Password"), hide_input=True,
              help=N_("Prompted when left out."))  # fmt: skip
def login(url: str, email: str, password: str) -> None:
    server = Server(url)
    body = {"email": email, "password": password, "name": token_name()}
    answer = server.post("/api/v1/tokens", json=body)
    where = config.save(server.url, answer["token"])
    click.echo(
        _("Logged in to %(url)s as %(email)s. Token saved in %(path)s.",
          url=server.url, email=email, path=where)
    )  # fmt: skip
    if os.environ.get(config.TOKEN_VARIABLE):
        click.echo(_("Note: JUDGE_TOKEN is set, and is used instead of the saved token."), err=True)


# submit


def upload(server: Server, problem_id: int, file: Path, description: str) -> dict:
    """Stream ``file`` to the problem's submissions; the server's 202 answer."""
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    with MultipartUpload({"description": description}, "file", file, content_type) as body:
        return server.post(
            f"/api/v1/problems/{problem_id}/submissions",
            data=body,
            headers={"Content-Type": body.content_type},
        )


def quota_text(quota: dict | None) -> str | None:
    quota = quota or {}
    today, total = quota.get("daily_left"), quota.get("total_left")
    if today is not None and total is not None:
        return _("Submissions left today: %(today)s (%(total)s in all).", today=today, total=total)
    if today is not None:
        return _("Submissions left today: %(today)s.", today=today)
    if total is not None:
        return _("Submissions left in all: %(total)s.", total=total)
    return None


def accepted_text(accepted: dict, server: Server) -> str:
    lines = [
        _("Submission %(id)s accepted: %(status)s.", id=accepted["id"], status=accepted["status"]),
        _("Status: %(url)s", url=server.address(accepted["status_url"])),
    ]
    return "\n".join(line for line in [*lines, quota_text(accepted.get("quota"))] if line)


def place_text(submission: dict) -> str | None:
    """Where a queued submission stands (a count only) and about how long it will wait."""
    position, wait = submission.get("queue_position"), submission.get("estimated_wait_seconds")
    if position is None:
        return None
    if wait is None:
        return _("Place in the queue: %(position)s.", position=position)
    return _("Place in the queue: %(position)s (about %(seconds)s s).",
             position=position, seconds=wait)  # fmt: skip


def wait_for(server: Server, accepted: dict, timeout: float) -> dict:
    """Poll the status URL every POLL_SECONDS until the submission is finished, saying
    (on stderr) where it stands in the queue whenever that changes."""
    deadline = time.monotonic() + timeout
    submission = server.get(accepted["status_url"])
    said = None
    while submission["status"] not in FINISHED:
        place = place_text(submission)
        if place and place != said:
            click.echo(place, err=True)
            said = place
        if time.monotonic() >= deadline:
            raise ClientError(
                _("Submission %(id)s is still %(status)s after %(seconds)s s. "
                  "See it later with `judge submissions %(problem)s`.",
                  id=submission["id"], status=submission["status"], seconds=format(timeout, "g"),
                  problem=submission["problem_id"])
            )  # fmt: skip
        pause(POLL_SECONDS)
        submission = server.get(accepted["status_url"])
    return submission


def scored_text(submission: dict) -> str:
    """The public score; of an upload to a phase, the public score on each of its tasks."""
    tasks = submission.get("tasks")
    if not tasks:
        return _("Submission %(id)s scored: public score %(score)s.",
                 id=submission["id"], score=score(submission, "public_score"))  # fmt: skip
    lines = [_("Submission %(id)s scored on %(count)s tasks:", id=submission["id"],
               count=len(tasks))]  # fmt: skip
    lines += [_("  %(task)s: public score %(score)s", task=task["task"],
                score=score(task, "public_score")) for task in tasks]  # fmt: skip
    return "\n".join(lines)


def finish(submission: dict, as_json: bool) -> None:
    """Print the outcome; exit with status 1 unless the submission was scored."""
    if as_json:
        echo_json(submission)
    if submission["status"] == "scored":
        if not as_json:
            click.echo(scored_text(submission))
        return
    if as_json:
        click.get_current_context().exit(1)
    if submission["status"] == "cancelled":
        raise ClientError(_("Submission %(id)s was cancelled.", id=submission["id"]))
    reason = submission.get("error_message") or _("no reason given")
    failed = next((t for t in submission.get("tasks") or () if t["status"] == "failed"), None)
    if failed is not None:
        raise ClientError(_("Submission %(id)s failed on task %(task)s: %(reason)s",
                            id=submission["id"], task=failed["task"], reason=reason))  # fmt: skip
    raise ClientError(_("Submission %(id)s failed: %(reason)s", id=submission["id"], reason=reason))


@command(
    "submit",
    help=N_(
        "Upload predictions to a PROBLEM (COMPETITION/PROBLEM or its id); --wait for the score."
    ),
)
@lang_option
@click.argument("problem", type=refs.PROBLEM)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option(
    "-m", "--message", "description", default="", metavar="DESCRIPTION", help=N_("What you tried.")
)
@click.option("--wait", is_flag=True, help=N_("Wait for the score, polling every second."))
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=600,
    show_default=True,
    help=N_("Seconds to wait with --wait."),
)
@json_option
def submit(
    problem: str, file: Path, description: str, wait: bool, timeout: float, as_json: bool
) -> None:
    server = connect()
    accepted = upload(server, refs.problem_id(server, problem), file, description)
    if as_json and not wait:
        echo_json(accepted)
    if not as_json:
        click.echo(accepted_text(accepted, server))
    if not wait:
        return
    seconds = format(timeout, "g")
    click.echo(_("Waiting up to %(seconds)s s for the score…", seconds=seconds), err=True)
    finish(wait_for(server, accepted, timeout), as_json)


# submissions


def message_of(submission: dict) -> str:
    """Why it failed, else the team's own description."""
    return submission.get("error_message") or submission.get("description") or ""


SUBMISSION_COLUMNS: list[Column] = [
    (N_("ID"), lambda s: s["id"], True),
    (N_("Submitted"), lambda s: local_time(s.get("created_at")), False),
    (N_("Status"), lambda s: s["status"], False),
    (N_("Public score"), lambda s: score(s, "public_score"), True),
    (N_("Message"), message_of, False),
]
PRIVATE_SCORE: Column = (N_("Private score"), lambda s: score(s, "private_score"), True)


def submissions_text(items: list[dict]) -> str:
    if not items:
        return _("No submissions yet.")
    columns = list(SUBMISSION_COLUMNS)
    if any("private_score" in item for item in items):  # only once the server shows it
        columns.insert(4, PRIVATE_SCORE)
    return columns_table(columns, items)


@command("submissions", help=N_("List your team's submissions to a PROBLEM, newest first."))
@lang_option
@click.argument("problem", type=refs.PROBLEM)
@json_option
def submissions(problem: str, as_json: bool) -> None:
    server = connect()
    items = server.get(f"/api/v1/problems/{refs.problem_id(server, problem)}/submissions")
    if as_json:
        echo_json(items)
    else:
        click.echo(submissions_text(items))


# leaderboard

BOARD_COLUMNS: list[Column] = [
    (N_("Rank"), lambda r: r["rank"], True),
    (N_("Team"), lambda r: r["team"], False),
    (N_("Score"), lambda r: score(r, "score"), True),
    (N_("Entries"), lambda r: r["entries"], True),
]
CSV_COLUMNS = ["rank", "team", "team_id", "division_id", "score", "entries", "submitted_at"]
PRIVATE_CSV_COLUMNS = ["public_score", "private_score", "auto_selected"]


def board_text(board: dict) -> str:
    better = _("higher is better") if board.get("higher_is_better") else _("lower is better")
    name = _("Private leaderboard") if board["board"] == "private" else _("Public leaderboard")
    title = _("%(board)s of problem %(id)s (%(metric)s, %(better)s)", board=name,
              id=board["problem_id"], metric=board.get("metric"), better=better)  # fmt: skip
    rows = board["rows"]
    empty = _("No ranked teams yet.")
    return f"{title}\n\n" + (columns_table(BOARD_COLUMNS, rows) if rows else empty)


def board_csv(board: dict) -> str:
    extra = PRIVATE_CSV_COLUMNS if board["board"] == "private" else []
    return csv_text([*CSV_COLUMNS, *extra], board["rows"])


@command("leaderboard", help=N_("Show a PROBLEM's leaderboard (the public one needs no token)."))
@lang_option
@click.argument("problem", type=refs.PROBLEM)
@click.option("--private", is_flag=True, help=N_("The private board (once it is revealed)."))
@click.option("--division", "division_id", type=int, help=N_("Only the teams of this division id."))
@click.option("--csv", "as_csv", is_flag=True, help=N_("Print the board as CSV."))
@json_option
def leaderboard(
    problem: str, private: bool, division_id: int | None, as_csv: bool, as_json: bool
) -> None:
    if as_csv and as_json:
        raise click.UsageError(_("Choose --csv or --json, not both."))
    query: dict[str, Any] = {"board": "private" if private else "public"}
    if division_id is not None:
        query["division_id"] = division_id
    server = connect(token_needed=False)
    board = server.get(f"/api/v1/problems/{refs.problem_id(server, problem)}/leaderboard", **query)
    if as_json:
        echo_json(board)
    elif as_csv:
        click.echo(board_csv(board), nl=False)
    else:
        click.echo(board_text(board))

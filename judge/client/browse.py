"""``judge competitions``, ``problems``, ``files`` and ``download``: what there is to enter."""

from __future__ import annotations

from pathlib import Path, PurePath

import click

from . import refs
from .commands import Column, columns_table, connect, json_option
from .http import Server, fetch
from .i18n import N_, _, command, group, lang_option
from .output import echo_json, local_time

COMPETITION_COLUMNS: list[Column] = [
    (N_("Slug"), lambda c: c["slug"], False),
    (N_("Title"), lambda c: c["title"], False),
    (N_("Submissions open"), lambda c: local_time(c.get("submissions_open_at")), False),
    (N_("Submissions close"), lambda c: local_time(c.get("submissions_close_at")), False),
]
PROBLEM_COLUMNS: list[Column] = [
    (N_("ID"), lambda p: p["id"], True),
    (N_("Problem"), refs.name, False),
    (N_("Title"), lambda p: p["title"], False),
    (N_("Metric"), lambda p: p.get("metric") or "", False),
    (N_("Submissions close"), lambda p: local_time(p.get("submissions_close_at")), False),
]
FILE_COLUMNS: list[Column] = [
    (N_("ID"), lambda f: f["id"], True),
    (N_("File"), lambda f: f["filename"], False),
    (N_("Size"), lambda f: f["size"], True),
    (N_("Contents"), lambda f: f.get("description") or "", False),
]


def show(items: list[dict], as_json: bool, columns: list[Column], empty: str) -> None:
    if as_json:
        echo_json(items)
    else:
        click.echo(columns_table(columns, items) if items else _(empty))


@group("competitions", help=N_("Competitions on the server."))
def competitions() -> None:
    pass  # a group: its commands do the work


@competitions.command("list", help=N_("List the competitions, newest first."))
@lang_option
@json_option
def list_competitions(as_json: bool) -> None:
    items = connect(token_needed=False).get("/api/v1/competitions")
    show(items, as_json, COMPETITION_COLUMNS, N_("No competitions yet."))


@group("problems", help=N_("A competition's problems."))
def problems() -> None:
    pass  # a group: its commands do the work


@problems.command(
    "list",
    help=N_("List a COMPETITION's problems (its slug, as `judge competitions list` shows)."),
)
@lang_option
@click.argument("competition")
@json_option
def list_problems(competition: str, as_json: bool) -> None:
    items = connect(token_needed=False).get(f"/api/v1/competitions/{competition}/problems")
    show(items, as_json, PROBLEM_COLUMNS, N_("No published problems yet."))


def problem_text(problem: dict) -> str:
    better = _("higher is better") if problem.get("higher_is_better") else _("lower is better")
    columns = ", ".join([problem["id_column"], *problem.get("prediction_columns", [])])
    ref = refs.name(problem)
    lines = [
        f"{problem['title']}  ({ref}, id {problem['id']})",
        _("metric: %(metric)s (%(better)s)", metric=problem.get("metric"), better=better),
        _("submission columns: %(columns)s", columns=columns),
        _("submissions: %(opens)s .. %(closes)s",
          opens=local_time(problem.get("submissions_open_at")) or "-",
          closes=local_time(problem.get("submissions_close_at")) or "-"),
        _("submit with: %(command)s", command="judge submit " + ref + " predictions.csv"),
    ]  # fmt: skip
    return "\n".join(lines)


@problems.command(
    "show",
    help=N_("Show a PROBLEM: its metric, columns, dates and the command to submit."),
)
@lang_option
@click.argument("problem", type=refs.PROBLEM)
@json_option
def show_problem(problem: str, as_json: bool) -> None:
    server = connect(token_needed=False)
    found = server.get(f"/api/v1/problems/{refs.problem_id(server, problem)}")
    if as_json:
        echo_json(found)
    else:
        click.echo(problem_text(found))


@command("files", help=N_("List a PROBLEM's data files."))
@lang_option
@click.argument("problem", type=refs.PROBLEM)
@json_option
def files(problem: str, as_json: bool) -> None:
    server = connect(token_needed=False)
    items = server.get(f"/api/v1/problems/{refs.problem_id(server, problem)}/files")
    show(items, as_json, FILE_COLUMNS, N_("No data files yet."))


def save_files(server: Server, problem_id: int, items: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        target = folder / PurePath(item["filename"]).name
        if target.exists() and target.stat().st_size == item["size"]:
            click.echo(_("%(path)s is already downloaded.", path=target), err=True)
            continue
        fetch(server, f"/api/v1/problems/{problem_id}/files/{item['id']}", target, item["filename"])
        click.echo(str(target))


@command(
    "download",
    help=N_(
        "Download a PROBLEM's data files (after accepting the competition's rules on "
        "the site).\n\n"
        "An interrupted download resumes where it stopped when run again."
    ),
)
@lang_option
@click.argument("problem", type=refs.PROBLEM)
@click.option(
    "-p", "--path", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help=N_("The folder to save the files in."),
)  # fmt: skip
@click.option("-f", "--file", "names", multiple=True, help=N_("Only this file (repeatable)."))
def download(problem: str, folder: Path, names: tuple[str, ...]) -> None:
    server = connect()
    problem_id = refs.problem_id(server, problem)
    items = server.get(f"/api/v1/problems/{problem_id}/files")
    chosen = [item for item in items if not names or item["filename"] in names]
    missing = sorted(set(names) - {item["filename"] for item in items})
    if missing:
        raise click.UsageError(_("The problem has no file %(names)s.", names=", ".join(missing)))
    save_files(server, problem_id, chosen, folder)

"""``judge demo``: load a realistic demo competition to click through locally."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy.exc import OperationalError

from judge.accounts.services import MIN_PASSWORD
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import DomainError
from judge.demo import content

DEFAULT_PASSWORD = "demo-password"


def _check_password(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters.")
    return value


@click.command("demo")
@click.option(
    "--password",
    default=DEFAULT_PASSWORD,
    show_default=True,
    callback=_check_password,
    help="Password of every demo account. For local demos only: "
    "never load the demo on a server others can reach.",
)
def demo(password: str) -> None:
    """Load the demo competition (safe to run again)."""
    from judge.demo import builder  # loads scikit-learn's data sets: only when asked

    try:
        with unit_of_work():
            outcome = builder.load(password, utcnow())
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    except OperationalError as exc:
        raise click.ClickException(
            f"The database is not ready ({exc.orig}). Run `judge db upgrade` first."
        ) from exc
    if outcome.created:
        _echo_created()
    else:
        click.echo(f"The demo competition {content.SLUG} is already there; nothing changed.")
    _echo_logins(outcome, password)


def _echo_created() -> None:
    click.echo(f"Loaded the demo competition “{content.TITLE}” ({content.SLUG}):")
    click.echo(
        f"  {len(content.DIVISIONS)} divisions, {len(content.SPONSORS)} sponsors, "
        f"{sum(len(s.problems) for s in content.SPONSORS)} published problems, "
        f"{len(content.TEAMS)} teams."
    )
    click.echo(
        "Also last year's challenge, ai-innovation-2025, in its finals: submissions closed,"
        " the teams' final uploads queued for the worker; log in as organizer@demo.judge and"
        " open its Finals page to shortlist, judge and award."
    )


def _echo_logins(outcome, password: str) -> None:
    url = current_app.config["PUBLIC_URL"].rstrip("/")
    click.echo(f"\nLog in at {url}/login (scripts/start serves there) with:\n")
    width = max(len(a.email) for a in content.ACCOUNTS)
    for account in content.ACCOUNTS:
        click.echo(
            f"  {account.email:<{width}}  {content.role_label(account)}{_note(account, outcome)}"
        )
    if outcome.created:
        click.echo(f"\nPassword of the demo accounts: {password}")
    else:
        click.echo(
            f"\nPassword: the one given when the demo was loaded (default {DEFAULT_PASSWORD})."
        )
    click.echo("These accounts are for local demos only.")


def _note(account: content.Account, outcome) -> str:
    return (
        "  (existing account, password unchanged)" if account.email in outcome.reused_emails else ""
    )

"""``judge create-user``."""

from __future__ import annotations

import click

from judge.accounts import services
from judge.core.db import unit_of_work
from judge.core.errors import DomainError


@click.command("create-user")
@click.argument("email")
@click.option("--name", default=None, help="Display name (defaults to the part before @).")
@click.option("--admin", is_flag=True, help="Make the user a site administrator.")
@click.password_option(help="The password (asked for when not given).")
def create_user(email: str, name: str | None, admin: bool, password: str) -> None:
    """Create a user account, optionally a site administrator."""
    try:
        with unit_of_work():
            user = services.register(email, name or email.split("@")[0], password, is_admin=admin)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    role = "site administrator" if admin else "user"
    click.echo(f"Created {role} {user.email} (id {user.id}).")

"""``judge create-user``, ``disable-user``, ``enable-user``, ``publish-consent``."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from judge.accounts import consent, services
from judge.accounts.models import ConsentKind
from judge.core.db import unit_of_work, utcnow
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


@click.command("disable-user")
@click.argument("email")
def disable_user(email: str) -> None:
    """Disable an account: its sessions end at once, its API tokens are revoked, and it
    cannot log in until enabled again (audited)."""
    try:
        with unit_of_work():
            user = services.require_user_by_email(email)
            services.disable_user(user, None, utcnow())
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Disabled {user.email}: logged out everywhere, API tokens revoked.")


@click.command("enable-user")
@click.argument("email")
def enable_user(email: str) -> None:
    """Let a disabled account log in again (audited); its owner makes new API tokens."""
    try:
        with unit_of_work():
            user = services.require_user_by_email(email)
            services.enable_user(user, None)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Enabled {user.email}.")


@click.command("publish-consent")
@click.argument("kind", type=click.Choice([k.value for k in ConsentKind]))
@click.option("--ko", "text_ko", type=click.File(encoding="utf-8"), required=True,
              help="The Korean text (a UTF-8 file).")  # fmt: skip
@click.option("--en", "text_en", type=click.File(encoding="utf-8"), required=True,
              help="The English text (a UTF-8 file).")  # fmt: skip
@click.option("--effective", type=click.DateTime(), default=None,
              help="When it takes effect, in UTC (default: now).")  # fmt: skip
def publish_consent(kind: str, text_ko, text_en, effective: datetime | None) -> None:
    """Publish the next version of a consent text (privacy: required, asked again of every
    logged-in person once in effect; marketing: optional). Audited."""
    when = effective.replace(tzinfo=UTC) if effective else utcnow()
    try:
        with unit_of_work():
            document = consent.publish(
                ConsentKind(kind), text_ko.read(), text_en.read(), when, None
            )
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        f"Published {kind} version {document.version}, in effect from {when:%Y-%m-%d %H:%M} UTC."
    )

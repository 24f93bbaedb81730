"""``judge demo``."""

from __future__ import annotations

import click


@click.command("demo")
def demo() -> None:
    """Load the demo competition (safe to run again)."""
    raise click.ClickException("not built yet")

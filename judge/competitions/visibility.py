"""Drafts stay hidden: every page and API answer under a competition's address (a ``slug`` in
the URL) is 404 to anyone ``policy.can_see`` refuses. Problems reached by id ask the same rule
through ``problems.can_see``."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.competitions import policy, services
from judge.core.errors import NotFound


def init_app(app: Flask, viewer: Callable[[], User | None]) -> None:
    """Check every request naming a competition; ``viewer`` is who asks (session or token)."""

    def hide_drafts() -> None:
        slug = (request.view_args or {}).get("slug")
        if slug is not None and not policy.can_see(viewer(), services.get_competition(slug)):
            raise NotFound(_("No such competition."))

    app.before_request(hide_drafts)

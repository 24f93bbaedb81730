"""judge: a platform for running AI challenge competitions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application.

    Settings come from the defaults, then ``instance/config.py``, then
    ``JUDGE_*`` environment variables, then ``config`` (used by tests).
    Nothing happens at import time; everything is wired here.
    """
    from judge.core import config as settings
    from judge.core.setup import init_app

    app = Flask(__name__, instance_path=settings.instance_path(), instance_relative_config=True)
    settings.load(app, config)
    init_app(app)
    return app


def create_settings_app() -> Flask:
    """An app holding the settings and translations alone (no database, blueprints, broker or
    commands), read as :func:`create_app` reads them: for a command that needs only the
    settings, such as ``judge score --metric``, which then starts in a fraction of the time."""
    from flask_babel import Babel

    from judge.core import config as settings
    from judge.core import i18n

    app = Flask(__name__, instance_path=settings.instance_path(), instance_relative_config=True)
    settings.load(app, None)
    Babel(app, locale_selector=i18n.select_locale)  # not judge.core.extensions: no SQLAlchemy
    return app

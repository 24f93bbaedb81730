"""Wiring done by create_app: extensions, blueprints, error pages, CLI commands."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from flask import Flask

from judge.core import (
    errors_http,
    hosts,
    i18n,
    markdown,
    ratelimit,
    request_log,
    routing,
    security,
    uploads,
)
from judge.core.extensions import babel, csrf, db, login_manager, mail, migrate
from judge.core.queue import init_celery

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


MODEL_MODULES = (
    "judge.accounts.models",
    "judge.competitions.models",
    "judge.teams.models",
    "judge.problems.models",
    "judge.submissions.models",
    "judge.leaderboard.models",
    "judge.finals.models",
    "judge.audit.models",
    "judge.mail.models",
    "judge.notices.models",
    "judge.notifications.models",
    "judge.core.ratelimit",
)


def init_app(app: Flask) -> None:
    routing.init_app(app)
    hosts.init_app(app)
    for module in MODEL_MODULES:
        import_module(module)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    request_log.init_app(app)  # first, so every request has its id before other hooks run
    uploads.init_app(app)  # then refuse uploads before anything reads their bodies (CSRF)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    mail.init_app(app)
    _init_login(app)
    _register_blueprints(app)
    errors_http.register(app)
    security.init_app(app)
    ratelimit.init_app(app)
    _register_template_helpers(app)
    _register_commands(app)
    init_celery(app)


def _init_login(app: Flask) -> None:
    from judge.accounts.sessions import load_user

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def _register_blueprints(app: Flask) -> None:
    from judge.accounts.admin_views import bp as admin_users_bp
    from judge.accounts.views import bp as accounts_bp
    from judge.api import init_api
    from judge.api.auth import caller
    from judge.audit.views import bp as admin_audit_bp
    from judge.bundles.views import bp as bundles_bp
    from judge.competitions import visibility
    from judge.competitions.admin_views import bp as admin_competitions_bp
    from judge.competitions.invitation_views import bp as staff_invitations_bp
    from judge.competitions.parts_views import bp as competition_parts_bp
    from judge.competitions.state_views import bp as competition_states_bp
    from judge.competitions.views import bp as competitions_bp
    from judge.core.ops import bp as ops_bp
    from judge.dashboard.views import bp as dashboard_bp
    from judge.finals.certificate_views import bp as certificates_bp
    from judge.finals.views import bp as finals_bp
    from judge.leaderboard.views import bp as leaderboard_bp
    from judge.mail.views import bp as mail_bp
    from judge.notices.views import bp as notices_bp
    from judge.notifications.views import bp as notifications_bp
    from judge.problems.review_views import bp as problem_review_bp
    from judge.problems.series_manage_views import bp as series_manage_bp
    from judge.problems.series_views import bp as series_bp
    from judge.problems.solution_views import bp as problem_solution_bp
    from judge.problems.views import bp as problems_bp
    from judge.submissions.carry_views import bp as carrying_bp
    from judge.submissions.files import bp as worker_files_bp
    from judge.submissions.staff_views import bp as staff_submissions_bp
    from judge.submissions.views import bp as submissions_bp
    from judge.teams.invitation_views import bp as team_invitations_bp
    from judge.teams.lifecycle_views import bp as team_lifecycle_bp
    from judge.teams.moderation_views import bp as team_moderation_bp
    from judge.teams.views import bp as teams_bp

    for blueprint in (
        accounts_bp,
        admin_users_bp,
        admin_competitions_bp,
        admin_audit_bp,
        competitions_bp,
        competition_states_bp,
        competition_parts_bp,
        staff_invitations_bp,
        teams_bp,
        team_invitations_bp,
        team_moderation_bp,
        team_lifecycle_bp,
        problems_bp,
        problem_review_bp,
        problem_solution_bp,
        series_bp,
        series_manage_bp,
        submissions_bp,
        staff_submissions_bp,
        carrying_bp,
        leaderboard_bp,
        bundles_bp,
        worker_files_bp,
        ops_bp,
        finals_bp,
        certificates_bp,
        dashboard_bp,
        mail_bp,
        notices_bp,
        notifications_bp,
    ):
        app.register_blueprint(blueprint)
    init_api(app)
    visibility.init_app(app, caller)


def _register_template_helpers(app: Flask) -> None:
    site = app.config["PUBLIC_URL"]
    app.jinja_env.filters["markdown"] = lambda text: markdown.render(text, site)
    app.jinja_env.globals["languages"] = app.config["LANGUAGES"]


def _register_commands(app: Flask) -> None:
    from judge.core.cli import register_commands

    register_commands(app)

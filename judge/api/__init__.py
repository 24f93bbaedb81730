"""The REST API under /api/v1 and its OpenAPI document at /api/v1/openapi.json.

Built with flask-smorest: the marshmallow schemas that parse requests and
shape answers are the same ones the OpenAPI document is generated from, so
the document says what the server does. Errors are JSON
``{"error": {"code", "message"}}`` (see judge.core.errors_http).
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from judge.api.schemas import ErrorSchema
from judge.core.extensions import csrf

BEARER = "bearerAuth"


class JudgeApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """judge.core.errors_http answers every error, in the API's JSON shape under /api."""


def init_api(app: Flask) -> None:
    from judge.api import (
        competitions,
        docs,
        leaderboard,
        notices,
        problems,
        rescoring,
        submissions,
        teams,
        tokens,
        validation_runs,
    )

    api = JudgeApi(
        app,
        spec_kwargs={
            "info": {
                "description": "Run and enter AI challenge competitions. Send a personal "
                "token as `Authorization: Bearer <token>`; create one with POST /tokens."
            },
        },
    )
    api.spec.components.security_scheme(BEARER, {"type": "http", "scheme": "bearer"})
    app.extensions["judge_api"] = api
    app.register_blueprint(docs.blp)
    for module in (tokens, competitions, problems, teams, submissions, validation_runs,
                   leaderboard, rescoring, notices):  # fmt: skip
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1" + module.PREFIX)

"""Operators' endpoints: ``/health`` for load balancers, ``/metrics`` for Prometheus."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST

from judge.core import health, metrics

bp = Blueprint("ops", __name__)


@bp.get("/health")
def health_view() -> Response:
    operator = metrics.allowed(request, current_app.config.get("METRICS_TOKEN"))
    document, status = health.check(current_app._get_current_object(), operator)
    response = jsonify(document)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def metrics_view() -> Response:
    token = current_app.config.get("METRICS_TOKEN")
    if not metrics.allowed(request, token):
        abort(401 if token else 403)
    body = metrics.render(current_app._get_current_object())
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})

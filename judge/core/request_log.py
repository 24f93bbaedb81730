"""A request id for every web request, and one log line per request.

The id comes from a proxy's ``X-Request-ID`` when it looks sane, else it is made
here; it is sent back in the answer's ``X-Request-ID`` and carried by every log line
written while the request runs. The line names the method, the path (never the query
string, and with long token-like path segments masked), the status and the duration;
never headers, cookies or bodies.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from judge.core import logs

log = logging.getLogger(__name__)

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_.~+=-]{24,}")
#: Polled every few seconds by load balancers and Prometheus: logged at DEBUG only.
QUIET_PATHS = ("/health", "/metrics")


def request_id() -> str:
    offered = request.headers.get(HEADER, "")
    return offered if _SANE_ID.fullmatch(offered) else uuid.uuid4().hex[:16]


def safe_path(path: str) -> str:
    """The path with anything that looks like a token or signature masked."""
    return "/".join("***" if _TOKEN_LIKE.fullmatch(part) else part for part in path.split("/"))


def _start() -> None:
    g.request_id = request_id()
    g.request_started = time.perf_counter()
    g.log_token = logs.push(request_id=g.request_id)


def _finish(response: Response) -> Response:
    response.headers[HEADER] = g.get("request_id", "")
    started = g.get("request_started")
    if started is not None:
        _log_line(response.status_code, (time.perf_counter() - started) * 1000)
    return response


def _log_line(status: int, ms: float) -> None:
    level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
    path = safe_path(request.path)
    log.log(level, "%s %s %s %.1fms", request.method, path, status, ms,
            extra={"method": request.method, "path": path, "status": status,
                   "duration_ms": round(ms, 1)})  # fmt: skip


def _reset(_exc: BaseException | None) -> None:
    token = g.pop("log_token", None)
    if token is not None:
        logs.pop(token)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_reset)

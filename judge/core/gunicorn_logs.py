"""gunicorn's own lines (start-up, worker boot and timeouts, access log) in judge's format.

``gunicorn --logger-class judge.core.gunicorn_logs.Logger wsgi:app``: with
``JUDGE_LOG_FORMAT=json`` in the environment every line gunicorn writes is JSON too;
otherwise gunicorn keeps its usual format.
"""

from __future__ import annotations

import os

from gunicorn import glogging

from judge.core.logs import ContextFilter, JsonFormatter


class Logger(glogging.Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        if os.environ.get("JUDGE_LOG_FORMAT", "").lower() != "json":
            return
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
                handler.addFilter(ContextFilter())

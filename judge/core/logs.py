"""Log lines for people (plain text, the default) or machines (``JUDGE_LOG_FORMAT=json``).

What a line is about travels in a context variable: the request id on the web, the
submission, problem and attempt in a worker's job. A filter on the one root handler
copies it onto every record, so lines from libraries (Celery, SQLAlchemy, …) written
while a job runs carry the submission id too. Nothing secret is ever put in the context.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TextIO

#: The fields a line can be about, in the order the text format shows them.
FIELDS = ("request_id", "submission_id", "problem_id", "attempt")
_LABELS = {"request_id": "request", "submission_id": "submission", "problem_id": "problem",
           "attempt": "attempt"}  # fmt: skip
_EMPTY: Mapping[str, Any] = MappingProxyType({})
_context: ContextVar[Mapping[str, Any]] = ContextVar("judge_log_context", default=_EMPTY)
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", *FIELDS}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def current() -> Mapping[str, Any]:
    """What the lines written now are about."""
    return _context.get()


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """Lines written inside the block carry ``fields`` (and the outer block's)."""
    token = _context.set({**_context.get(), **fields})
    try:
        yield
    finally:
        _context.reset(token)


def push(**fields: Any) -> Token:
    """Like :func:`bound`, for a context that starts and ends in separate hooks."""
    return _context.set({**_context.get(), **fields})


def pop(token: Token) -> None:
    try:
        _context.reset(token)
    except ValueError:  # pushed in another context (a streamed response): just clear
        clear()


def bind(**fields: Any) -> None:
    """Add fields to the current block's context (e.g. the attempt, once it is known)."""
    _context.set({**_context.get(), **fields})


def clear() -> None:
    _context.set(_EMPTY)


class ContextFilter(logging.Filter):
    """Copy the context onto each record (absent fields become None)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        for name in FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, context.get(name))
        return True


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: [submission=12 problem=3 attempt=1] message``."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        about = " ".join(
            f"{_LABELS[name]}={value}"
            for name in FIELDS
            if (value := getattr(record, name, None)) is not None
        )
        if about:
            record.message = f"[{about}] {record.message}"
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, context and extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.processName,
            "pid": record.process,
        }
        line.update({n: v for n in FIELDS if (v := getattr(record, n, None)) is not None})
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is written (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(None)

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


FORMATTERS = {"text": TextFormatter, "json": JsonFormatter}


def make_handler(fmt: str = "text", stream: TextIO | None = None) -> logging.Handler:
    if fmt not in FORMATTERS:
        raise ValueError(f"LOG_FORMAT must be one of {sorted(FORMATTERS)}, not {fmt!r}")
    handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    handler.setFormatter(FORMATTERS[fmt]())
    handler.addFilter(ContextFilter())
    handler._judge = True  # type: ignore[attr-defined]
    return handler


def configure(config: Mapping[str, Any], level: str | int | None = None,
              stream: TextIO | None = None) -> logging.Handler:  # fmt: skip
    """Give the root logger the one judge handler (replacing an earlier one).

    Called by the entry points (``wsgi.py``, ``judge worker``), not by create_app,
    so that tests and other commands keep their own logging.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_judge", False)]:
        root.removeHandler(old)
    handler = make_handler(str(config.get("LOG_FORMAT") or "text").lower(), stream)
    root.addHandler(handler)
    root.setLevel(level or str(config.get("LOG_LEVEL") or "INFO").upper())
    logging.captureWarnings(True)  # Python warnings become log lines in the same format
    _drop_flask_default_handler()
    return handler


def _drop_flask_default_handler() -> None:
    """Flask adds its own handler to the app's logger; the root one is enough."""
    from flask.logging import default_handler

    logging.getLogger("judge").removeHandler(default_handler)

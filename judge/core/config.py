"""Settings: defaults, then instance/config.py, then JUDGE_* environment variables."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

MiB = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_DATABASE_URI": None,  # filled in: sqlite file under instance/
    "BROKER_URL": None,  # filled in: sqlite file under instance/ (kombu SQLAlchemy transport)
    "BROKER_TRANSPORT_OPTIONS": {},  # Redis only, e.g. {"global_keyprefix": "judge:"}
    "DATABASE_CONNECT_TIMEOUT": 5,  # seconds; a database that does not answer fails fast (503)
    "DATABASE_RETRY_SECONDS": 120,  # a worker waits this long for a restarting database
    "STORAGE_DIR": None,  # filled in: instance/storage
    "MAX_CONTENT_LENGTH": 512 * MiB,  # whole request; per-file limits below are stricter
    "MAX_PUBLIC_FILE_BYTES": 256 * MiB,
    "MAX_SOLUTION_BYTES": 256 * MiB,
    "MAX_SUBMISSION_BYTES": 200 * MiB,
    "SANDBOX_ROOT": "/run/judge-sandbox",  # per-slot run directories (root-owned)
    "SANDBOX_UID_BASE": 60000,  # slot N runs as host uid/gid SANDBOX_UID_BASE + N
    "SANDBOX_SLOTS": 16,
    "SANDBOX_PYTHON": "/opt/judge/runtimes/default/bin/python",  # see scripts/setup-runtime
    # More runtimes that a problem may pick for its scoring program or teams' code, by name:
    # {"torch": "/opt/judge/runtimes/torch/bin/python"}; "default" is SANDBOX_PYTHON.
    "SANDBOX_RUNTIMES": {},
    # Which runtime runs a bundle's docker_image: image names, or shell-style patterns such as
    # "codalab/codalab-legacy:*", to runtime names. An image that none matches stops the
    # import. Codabench's default image (py37; py3 before it) and py39 run on the default.
    "BUNDLE_DOCKER_IMAGES": {
        "codalab/codalab-legacy:py37": "default",
        "codalab/codalab-legacy:py3": "default",
        "codalab/codalab-legacy:py39": "default",
    },
    "SCORING_CPU_SECONDS": 120,
    "SCORING_WALL_SECONDS": 180,
    "SCORING_MEMORY_BYTES": 4 * 1024 * MiB,
    # Built-in metrics score in a fresh child forked per file from one long-lived sandbox
    # whose parent has imported pandas and scikit-learn (judge.scoring.warm; isolation in
    # judge.sandbox's docstring); False: a fresh sandbox per file. Teams' code and sponsors'
    # programs never run warm (only the built-in metric scoring their outputs does).
    "SCORING_WARM": True,
    # The worker's own processes (claim, record) run at this niceness, below the web server
    # (0): at a deadline uploads answer first and scoring takes the rest of the CPU. The
    # sandbox adds its own 10 on top (judge.sandbox.command.NICENESS). 0 keeps the nice the
    # worker was started with.
    "WORKER_NICE": 10,
    "SCORING_LEASE_MARGIN_SECONDS": 60,  # a running job's lease = wall limit + this
    "SCORING_MAX_ATTEMPTS": 3,  # then a job whose workers keep dying fails with a message
    "REQUEUE_AFTER_SECONDS": 300,  # queued this long without a worker: publish again
    "SWEEP_SECONDS": 10,
    "STORAGE_SWEEP_SECONDS": 3600,  # how often stored files that no row names are collected
    "REMINDER_SECONDS": 900,  # how often the beat sends due reminders (deadline, limits, hand-in)
    "STORAGE_ORPHAN_GRACE_SECONDS": 3600,  # never a file younger than this (uploads in flight)
    "FILES_URL": None,  # workers without shared storage fetch files from the app here
    "FILES_KEY": None,  # signs those fetches; the same secret on the web servers and workers
    "FILES_URL_SECONDS": 300,  # how long a signed file URL stays valid
    "LOG_FORMAT": "text",  # or "json": one object per line, for log collectors
    "LOG_LEVEL": "INFO",
    "METRICS_TOKEN": None,  # bearer token for /metrics; unset: only from this host, no proxy
    "HEALTH_TIMEOUT_SECONDS": 1.0,  # each /health probe's deadline
    "HEALTH_QUEUE_SECONDS": 120,  # /health is degraded when a submission waits longer
    "WORKER_HEARTBEAT_SECONDS": 5,  # a worker unseen for 3 of these is not counted live
    # On SIGTERM a worker lets its running jobs finish this long, then hands them back.
    "WORKER_SHUTDOWN_SECONDS": 30,
    "DEFAULT_TIMEZONE": "Asia/Seoul",
    "PUBLIC_URL": "http://127.0.0.1:8000/",  # where people reach the site; used in messages
    # More names the site answers to besides PUBLIC_URL's, localhost and 127.0.0.1 (a list, or
    # "web.internal, lb.internal"); any other Host gets a 400 (judge/core/hosts.py).
    "TRUSTED_HOSTS": [],
    "BABEL_DEFAULT_LOCALE": "ko",
    "LANGUAGES": ["ko", "en"],
    "WTF_CSRF_TIME_LIMIT": None,
    "PASSWORD_HASH_METHOD": "scrypt",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "HTTPS": None,  # None: from PUBLIC_URL; true/false: force Secure cookies and HSTS on/off
    "PROXY_HOPS": 0,  # proxies in front that set X-Forwarded-For/-Proto (nginx: 1)
    "PERMANENT_SESSION_LIFETIME": 7 * 24 * 3600,  # a login lasts a week
    "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
    # Failed logins and sign-ups are counted in the database, or in Redis when this names one
    # (redis://queue:6379/1); either way every web worker and host sees the same counts.
    "RATELIMIT_STORAGE_URI": None,
    "RATELIMIT_KEY_PREFIX": "judge:limits:",  # Redis keys start with this
    "LOGIN_WINDOW_SECONDS": 15 * 60,  # how long a failed login or token request counts
    # Then clients without a device cookie for the account are refused, when one address
    # failed this often on the account (a device cookie that failed as often loses its trust),
    "LOGIN_MAX_FAILURES": 10,
    "LOGIN_MAX_ACCOUNT_FAILURES": 30,  # or the account failed this often from every address,
    "LOGIN_MAX_ADDRESS_ACCOUNTS": 200,  # or the address failed on this many accounts.
    "DEVICE_COOKIE_DAYS": 180,  # a successful login makes the client a known device this long
    "SIGNUP_WINDOW_SECONDS": 3600,
    "SIGNUP_MAX_PER_ADDRESS": 200,  # sign-up attempts from one address within the window
    # Outgoing mail (judge/mail): without MAIL_SERVER, each message is written as an .eml file
    # to MAIL_OUTBOX_DIR (default instance/outbox/) and listed on /admin/outbox.
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS (port 587)
    "MAIL_USE_SSL": False,  # TLS from the start (port 465)
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_TIMEOUT": 30,  # seconds for each SMTP connection
    "MAIL_DEFAULT_SENDER": "judge <noreply@localhost>",
    "MAIL_OUTBOX_DIR": None,
    "MAIL_MAX_ATTEMPTS": 5,  # then the message is recorded as failed
    "MAIL_RETRY_SECONDS": 30,  # the first retry's wait, doubled after each failure
    "PASSWORD_RESET_SECONDS": 3600,  # how long a reset link works
    "EMAIL_VERIFY_SECONDS": 172800,  # how long an address verification link works (48 hours)
    "EMAIL_VERIFY_RESEND_SECONDS": 60,  # at most one new verification link per account this often
    "PASSWORD_RESET_WINDOW_SECONDS": 3600,
    "PASSWORD_RESET_MAX_PER_ACCOUNT": 5,  # reset requests for one address within the window
    "PASSWORD_RESET_MAX_PER_ADDRESS": 30,  # reset requests from one network address
    "INVITATION_DAYS": 7,  # how long a team or staff invitation link works
    "TEAM_INVITATIONS_PER_DAY": 20,  # invitations one team may send by mail in 24 hours
    "QUESTIONS_PER_DAY": 10,  # questions one person may ask in 24 hours, all competitions
    "API_TITLE": "judge API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}

# Friendly environment names for settings whose Flask name is long.
ALIASES = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
}


def instance_path() -> str:
    """The instance folder: $JUDGE_INSTANCE_PATH, else the repository's instance/."""
    configured = os.environ.get("JUDGE_INSTANCE_PATH")
    if configured:
        return str(Path(configured).resolve())
    return str(Path(__file__).resolve().parents[2] / "instance")


def load(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` in order: defaults, instance file, environment, overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("JUDGE")
    for alias, name in ALIASES.items():
        if alias in app.config:
            app.config[name] = app.config.pop(alias)
    if overrides:
        app.config.from_mapping(overrides)
    _fill_embedded_defaults(app)


def _fill_embedded_defaults(app: Flask) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    cfg = app.config
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'judge.db'}"
    if not cfg.get("BROKER_URL"):
        cfg["BROKER_URL"] = f"sqla+sqlite:///{instance / 'broker.db'}"
    if not cfg.get("STORAGE_DIR"):
        cfg["STORAGE_DIR"] = str(instance / "storage")
    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    cfg["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(cfg)


def _engine_options(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """A server database: test pooled connections before use (a restart then costs no
    request an error) and give up connecting after DATABASE_CONNECT_TIMEOUT seconds."""
    options = dict(cfg.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
        timeout = int(cfg["DATABASE_CONNECT_TIMEOUT"])
        options.setdefault("connect_args", {"connect_timeout": timeout})
    return options


def _instance_secret(path: Path) -> str:
    """Read the generated secret, creating it once (safe when workers race)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    log.info("generated a new secret key in %s", path)
    return path.read_text().strip()

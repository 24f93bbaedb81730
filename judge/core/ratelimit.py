"""Rate limits on password guessing and sign-ups (Flask-Limiter).

Logging in on the web and creating an API token share one budget of failed
attempts, counted both per client IP and per account (the email tried), so
neither many accounts from one address nor one account from many addresses
can be guessed quickly. Sign-ups have their own budget. Counts live in
``RATELIMIT_STORAGE_URI``: memory by default (one process), Redis in
production so that every gunicorn worker shares them. A refused request
gets 429 with Retry-After: JSON ``{"error": {"code": "rate_limited"}}``
under /api, a translated page elsewhere.
"""

from __future__ import annotations

import hashlib
import logging
import time

from flask import Flask, current_app, request
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from judge.core import errors_http

log = logging.getLogger(__name__)

SUCCESS = (201, 302)  # a token created; a login or sign-up redirected onwards


def failed(response: Response) -> bool:
    return response.status_code not in SUCCESS


# endpoint -> (setting with the limits, scope shared by the endpoints that guard one secret,
#              which answers count: None for all). Only failed password attempts count, so
#              a class logging in together behind one campus address is never refused.
LIMITED = {
    "accounts.login": ("RATELIMIT_LOGIN", "password", failed),
    "api_tokens.create_token": ("RATELIMIT_LOGIN", "password", failed),
    "accounts.register": ("RATELIMIT_REGISTER", "register", None),
}


def tried_email() -> str:
    """The account a request tries: the email in the form or JSON body, normalised."""
    email = request.form.get("email")
    if email is None and request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    return str(email or "").strip().casefold()


def account_key() -> str:
    """A digest of the email, so the counter store never holds people's addresses."""
    email = tried_email()
    return hashlib.blake2b(email.encode(), digest_size=12).hexdigest() if email else ""


def _no_account() -> bool:
    return not tried_email()


def _limits(setting: str):
    return lambda: current_app.config[setting]


def _guard(limiter: Limiter, app: Flask, endpoint: str, setting: str, scope: str, counts) -> None:
    view = app.view_functions[endpoint]
    common = {"methods": ["POST"], "deduct_when": counts}
    per_ip = limiter.shared_limit(
        _limits(setting), scope=f"{scope}-ip", key_func=get_remote_address, **common
    )
    per_account = limiter.shared_limit(
        _limits(setting),
        scope=f"{scope}-account",
        key_func=account_key,
        exempt_when=_no_account,
        **common,
    )
    app.view_functions[endpoint] = per_account(per_ip(view))


def retry_after() -> int:
    """Seconds until the limit that refused this request lets one through again."""
    limit = current_app.extensions["judge_limiter"].current_limit
    return max(1, int(limit.reset_at - time.time())) if limit else 60


def handle_rate_limited(exc: RateLimitExceeded):
    log.warning("rate limit %s reached on %s", exc.limit.limit, request.endpoint)
    seconds = retry_after()
    minutes = -(-seconds // 60)
    message = ngettext(
        "Too many attempts. Please wait a minute and try again.",
        "Too many attempts. Please wait %(num)d minutes and try again.",
        minutes,
    )
    response = current_app.make_response(errors_http.render_error(429, "rate_limited", message))
    response.headers["Retry-After"] = str(seconds)
    return response


def init_app(app: Flask) -> Limiter:
    """Guard the endpoints in LIMITED; call after the blueprints are registered."""
    limiter = Limiter(
        get_remote_address,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        headers_enabled=False,  # Retry-After only on refusals (handle_rate_limited)
        strategy="fixed-window",
    )
    limiter.init_app(app)
    for endpoint, (setting, scope, counts) in LIMITED.items():
        _guard(limiter, app, endpoint, setting, scope, counts)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)
    app.extensions["judge_limiter"] = limiter
    return limiter

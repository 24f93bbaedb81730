"""Browser protections on every answer: cookies, security headers, a content security policy.

No page runs inline script: scripts are files under judge/static. A template
that truly needs an inline ``<script>`` writes ``nonce="{{ csp_nonce() }}"``
on it, and that request's policy then allows exactly that nonce.
"""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

HSTS_SECONDS = 365 * 24 * 3600

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",  # Markdown shows images from the platform only (judge/core/markdown.py)
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def uses_https(app: Flask) -> bool:
    """``HTTPS`` when set (true/false), else whether ``PUBLIC_URL`` starts with https."""
    forced = app.config.get("HTTPS")
    if forced is not None:
        return bool(forced)
    return str(app.config.get("PUBLIC_URL", "")).lower().startswith("https://")


def configure_cookies(app: Flask) -> None:
    """Session and remember-me cookies: HttpOnly, SameSite=Lax, Secure over https."""
    cfg, secure = app.config, uses_https(app)
    for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        cfg[f"{prefix}_SECURE"] = bool(cfg.get(f"{prefix}_SECURE")) or secure
        cfg[f"{prefix}_HTTPONLY"] = True
        cfg[f"{prefix}_SAMESITE"] = cfg.get(f"{prefix}_SAMESITE") or "Lax"


def csp_nonce() -> str:
    """A nonce for one inline script in this request's page (and this request only)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy() -> str:
    policy = dict(POLICY)
    nonce = g.get("csp_nonce")
    if nonce:
        policy["script-src"] += f" 'nonce-{nonce}'"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    if uses_https(current_app):
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={HSTS_SECONDS}; includeSubDomains"
        )
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("HTTPS", None)
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:  # the client's address and scheme as the trusted proxies saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    configure_cookies(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_headers)

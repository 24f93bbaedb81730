"""The names this site answers to: a ``Host`` header that is not ours is never reflected.

Werkzeug builds redirects (``//x`` → 308, login required → 302) and external links
from the request's ``Host``. A request for another name (``Host: evil.example``, sent
directly or passed on by a cache) would get ``Location: http://evil.example/…`` back.
So the site answers only to its ``PUBLIC_URL``'s name, ``SERVER_NAME``, a worker's
``FILES_URL`` name, the loopback names (health checks, ``judge run``) and the names in
``TRUSTED_HOSTS``; the port does not matter. Any other name gets a 400 naming the
public address, built for the public name, so not even the error page carries the
foreign one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_babel import gettext as _
from werkzeug.sansio.utils import host_is_trusted

from judge.core.errors import DomainError

log = logging.getLogger(__name__)

LOOPBACK = ("localhost", "127.0.0.1")
REFUSED = "judge.refused_host"  # WSGI environ key: the request came for a foreign name


class UntrustedHost(DomainError):
    status = 400
    code = "untrusted_host"


def _names(value: str | Iterable[str] | None) -> list[str]:
    """``TRUSTED_HOSTS`` as a list, or a string separated by commas or spaces (environment)."""
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return list(value or [])


def trusted_hosts(cfg: Mapping[str, Any]) -> list[str]:
    """Every name the site answers to, lower-cased, without ports."""
    urls = [cfg.get("PUBLIC_URL"), cfg.get("FILES_URL")]
    server_name = cfg.get("SERVER_NAME")
    if server_name:
        urls.append(f"//{server_name}")
    names = [urlsplit(url).hostname for url in urls if url]
    names += [*LOOPBACK, *(n.partition(":")[0] for n in _names(cfg.get("TRUSTED_HOSTS")))]
    return list(dict.fromkeys(n.lower() for n in names if n))


class HostGuard:
    """WSGI middleware: a request for a foreign name is marked and handled as the public one.

    Flask then builds every URL (also those of the 400 page) for the public name; the
    mark makes ``refuse_marked`` answer 400 before any view or redirect runs. A request
    without a ``Host`` (HTTP/1.0) is served as the public name too.
    """

    def __init__(self, app: Any, trusted: list[str], public_host: str) -> None:
        self.app, self.trusted, self.public_host = app, trusted, public_host

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        host = environ.get("HTTP_HOST")
        if host is not None and host_is_trusted(host.lower(), self.trusted):
            environ["HTTP_HOST"] = host.lower()  # names are case-insensitive; Flask's check is not
        else:
            environ[REFUSED] = host is not None
            environ["HTTP_HOST"] = self.public_host
        return self.app(environ, start_response)


def refuse_marked() -> None:
    if request.environ.get(REFUSED):
        log.info("refused a request for a host name that is not this site's")
        url = current_app.config["PUBLIC_URL"]
        raise UntrustedHost(_("This site is not served at this address. Go to %(url)s.", url=url))


def init_app(app: Flask) -> None:
    """Resolve ``TRUSTED_HOSTS`` (Flask checks it too) and refuse every other name first."""
    trusted = trusted_hosts(app.config)
    app.config["TRUSTED_HOSTS"] = trusted
    public = urlsplit(app.config["PUBLIC_URL"])
    app.wsgi_app = HostGuard(app.wsgi_app, trusted, public.netloc)  # type: ignore[method-assign]
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_marked)

"""Uploads are judged before their body is read.

A view that takes files names, with :func:`checked_first`, a check of everything that does not
need the body: who asks, whether they may see and change what they address, the window, the
team's remaining submissions, and the declared size (:func:`refuse_larger_than`). The hook of
:func:`init_app` runs it ahead of every hook that could read the body (Flask-WTF's CSRF check
reads the form; flask-smorest parses it before the view), so a refused upload costs a few
small queries and no disk: its body is never read.

A check returns None, or a response (a redirect to log in), or raises a DomainError. It must
not touch ``request.form``, ``request.files`` or ``request.get_data()``. The view checks again
after reading the body (the state may change meanwhile; the quota is taken by one guarded
UPDATE), and CSRF is verified then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from judge.core.errors import TooLarge
from judge.core.extensions import login_manager
from judge.core.storage import format_size

FORM_OVERHEAD = 64 * 1024  # multipart framing, the other fields, the CSRF token
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_ATTRIBUTE = "judge_checked_first"

View = TypeVar("View", bound=Callable[..., Any])


def checked_first(check: Callable[..., Any]) -> Callable[[View], View]:
    """Run ``check(**url_arguments)`` before the body of a POST, PUT or PATCH is read.

    Put it right above the view function (below flask-smorest's decorators, which copy it)."""

    def decorate(view: View) -> View:
        setattr(view, _ATTRIBUTE, check)
        return view

    return decorate


def refuse_larger_than(max_bytes: int, what: str) -> None:
    """413 when the declared length cannot be an upload of at most ``max_bytes``."""
    length = request.content_length
    if length is not None and length > max_bytes + FORM_OVERHEAD:
        raise TooLarge(
            _("%(what)s is larger than the limit of %(size)s.", what=what,
              size=format_size(max_bytes))
        )  # fmt: skip


def unless_logged_in() -> Any:
    """For a page's check: what ``@login_required`` answers (a redirect to log in), or None."""
    return None if current_user.is_authenticated else login_manager.unauthorized()


def _check_first() -> Any:
    if request.method not in BODY_METHODS or request.endpoint is None:
        return None
    check = getattr(current_app.view_functions.get(request.endpoint), _ATTRIBUTE, None)
    return None if check is None else check(**(request.view_args or {}))


def init_app(app: Flask) -> None:
    """Call before any extension that adds a hook reading the body (CSRFProtect)."""
    app.before_request(_check_first)

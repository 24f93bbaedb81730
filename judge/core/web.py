"""Small helpers shared by the HTML views."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm

from judge.core.db import unit_of_work
from judge.core.errors import DomainError

_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")


@contextmanager
def form_action(form: FlaskForm | None = None) -> Iterator[Callable[[], bool]]:
    """Run a state change in one unit of work; show a DomainError on the form.

    Usage::

        with form_action(form) as ok:
            service(...)
        if ok():
            return redirect(...)
    """
    outcome = {"ok": False}
    try:
        with unit_of_work():
            yield lambda: outcome["ok"]
        outcome["ok"] = True
    except DomainError as exc:
        field = getattr(form, exc.field, None) if form is not None and exc.field else None
        if field is not None:
            field.errors = [*field.errors, exc.message]
        else:
            flash(exc.message, "error")


def button_action(action: Callable[[], Any], message: str, category: str = "info") -> bool:
    """A one-button form (CSRF only): run ``action`` as one unit of work, flash ``message``."""
    if not FlaskForm().validate_on_submit():
        return False
    with form_action() as ok:
        action()
    if ok():
        flash(message, category)
    return ok()


@dataclass(frozen=True)
class Choice:
    """A button of a confirm page; its ``value`` is posted as ``choice``."""

    label: str
    value: str = "yes"


def confirm_page(title: str, lines: list[str], back: str, choices: list[Choice],
                 form: FlaskForm | None = None) -> str:  # fmt: skip
    """The one confirm page: what will happen (``lines``), then the acts, each a danger
    button that posts to the same address (never the page's primary style)."""
    return render_template("confirm.html", title=title, lines=lines, back=back,
                           choices=choices, form=form)  # fmt: skip


def chosen(choices: list[Choice]) -> str | None:
    """The choice a confirm page posted, if it is one of ``choices``."""
    value = request.form.get("choice", "yes")
    return value if any(c.value == value for c in choices) else None


def safe_next(target: str | None, default: str) -> str:
    """Only follow a ``next`` that stays on this site, read as a browser reads it.

    Browsers drop tabs, newlines and other control characters from a URL and take a
    backslash for a slash: ``/\\evil.example`` and ``/\t/evil.example`` lead off the site.
    """
    if not target:
        return default
    seen = _IGNORED_IN_URLS.sub("", target).replace("\\", "/")
    parts = urlsplit(seen)
    if parts.scheme or parts.netloc or not seen.startswith("/") or seen.startswith("//"):
        return default
    return target


def actor():
    """The logged-in user as a real model object (services get rows, not a proxy)."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def require_admin() -> Any:
    """The one check for site administrators' pages (a blueprint's ``before_request``):
    a visitor is asked to log in; to anyone else logged in they are not there."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_admin:
        abort(404)
    return None

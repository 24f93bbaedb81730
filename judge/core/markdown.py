"""Render user-written Markdown to HTML that is safe to show (sanitised with nh3)."""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

EXTENSIONS = ["extra", "sane_lists"]
ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "pre", "code"}


def render(text: str | None) -> Markup:
    html = md.markdown(text or "", extensions=EXTENSIONS)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, link_rel="noopener noreferrer nofollow"))

"""Render user-written Markdown to HTML that is safe to show: the one sanitizer (nh3).

Every text a person typed that is shown as Markdown (competition description
and rules, division eligibility, problem description, …) goes through
``render``: Markdown first, then nh3 keeps only harmless tags and attributes,
so no script, event handler, style, frame, form or ``javascript:``/``data:``
link survives, whatever the Markdown produced.
"""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

EXTENSIONS = ["extra", "sane_lists"]
ALLOWED_TAGS = (nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "pre", "code"}) - {
    "map",
    "area",
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(text: str | None) -> Markup:
    return Markup(clean(md.markdown(text or "", extensions=EXTENSIONS)))

"""Render user-written Markdown to HTML that is safe to show: the one sanitizer (nh3).

Every text a person typed that is shown as Markdown (competition description
and rules, division eligibility, problem description, …) goes through
``render``: Markdown first, then nh3 keeps only harmless tags and attributes,
so no script, event handler, style, frame, form or ``javascript:``/``data:``
link survives, whatever the Markdown produced.

Images come only from the platform itself: a relative address, or one on the
site's own origin (``PUBLIC_URL``). An image from anywhere else is a tracking
pixel that tells its owner who read the page and when; it loses its ``src``
and keeps its alt text. Links may point anywhere (``rel="… nofollow"``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import markdown as md
import nh3
from markupsafe import Markup

EXTENSIONS = ["extra", "sane_lists"]
ALLOWED_TAGS = (nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "pre", "code"}) - {
    "map",
    "area",
}
URL_SCHEMES = {"http", "https", "mailto"}
# What browsers drop from a URL before reading it (WHATWG URL: tabs, newlines, leading C0).
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20]")


def origin(url: str) -> tuple[str, str]:
    """Scheme and host[:port] of an absolute URL, lower-cased (default ports dropped)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, default) else None
    return scheme, f"{host}:{port}" if port else host


def from_this_site(src: str, site: str | None) -> bool:
    """Whether an image address stays on the platform: relative, or on ``site``'s origin."""
    url = _IGNORED_BY_BROWSERS.sub("", src).replace("\\", "/")
    try:
        parts = urlsplit(url)
        if not parts.scheme and not parts.netloc and not url.startswith("//"):
            return True
        return site is not None and origin(url) == origin(site)
    except ValueError:  # an impossible port or host: not an address of ours
        return False


def clean(html: str, site: str | None = None) -> str:
    def own_images_only(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and not from_this_site(value, site):
            return None
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=own_images_only,
    )


def render(text: str | None, site: str | None = None) -> Markup:
    """Markdown to safe HTML; ``site`` is the public URL whose images may be shown."""
    return Markup(clean(md.markdown(text or "", extensions=EXTENSIONS), site))

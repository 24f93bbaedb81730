"""What a browser sends for a form on a page: its enabled fields with their shown values."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.values, self.disabled = action, False, {}, set()
        self._text: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("action") or "").endswith(self.action)
        if not self.inside or tag not in ("input", "textarea", "select", "option"):
            return
        if "disabled" in a and tag != "option":
            self.disabled.add(a.get("name"))
        elif tag == "input" and a.get("type") not in ("checkbox", "submit"):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._text = a["name"]
            self.values[self._text] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._text:
            self.values[self._text] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._text:  # a browser drops the newline after the tag
            text = self.values[self._text].removeprefix("\r")
            self.values[self._text] = text.removeprefix("\n")
            self._text = None
        elif tag == "select":
            self._select = None


def read_form(page: str, action: str) -> tuple[dict[str, str], set[str]]:
    """The values the form posting to ``…action`` sends, and the names of its disabled fields."""
    reader = _FormReader(action)
    reader.feed(page)
    return reader.values, reader.disabled

"""Certificates as PDF: an HTML template laid out by WeasyPrint, the Korean font embedded.

The page names a Korean font (Debian's fonts-nanum, or Noto CJK); WeasyPrint embeds the
glyphs it uses. Nothing outside the page is ever fetched: team names are the participants'
words, and a page must not reach the server's files or network.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import weasyprint
from flask import render_template
from flask_babel import force_locale

from judge.finals.certificates import Award

LANGUAGES = ("ko", "en")
STYLE = Path(__file__).resolve().parents[1] / "static" / "certificate.css"


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"certificates fetch nothing: {url[:80]}")


def page(award: Award, language: str) -> str:
    """The certificate's HTML in ``language`` ("ko" or "en")."""
    with force_locale(language):
        return render_template("finals/certificate.html", award=award, language=language)


@cache
def _style() -> weasyprint.CSS:
    return weasyprint.CSS(filename=str(STYLE))


def _pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[_style()])


def render(award: Award, language: str) -> bytes:
    """One certificate, one A4 page."""
    return _pdf(page(award, language))


class _Chunks:
    """A write-only file for ZipFile whose bytes are taken as they come (no seeking)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def archive(awards: Iterable[Award]) -> Iterator[bytes]:
    """A ZIP of every certificate in both languages. The pages are written at once (quick,
    and inside the request); the PDFs are laid out and yielded one by one as the download
    goes, so it starts at once however many teams won."""
    pages = [(award.filename(language), page(award, language))
             for award in awards for language in LANGUAGES]  # fmt: skip
    return _zipped(pages)


def _zipped(pages: list[tuple[str, str]]) -> Iterator[bytes]:
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, html in pages:
            zipped.writestr(name, _pdf(html))
            yield sink.take()
    yield sink.take()

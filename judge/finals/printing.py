"""Certificates as PDF: an HTML template laid out by WeasyPrint, the Korean font embedded.

The page names a Korean font (Debian's fonts-nanum, or Noto CJK); WeasyPrint embeds the
glyphs it uses. Nothing outside the page is ever fetched: team names are the participants'
words, and a page must not reach the server's files or network.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterable, Iterator

import weasyprint
from flask import render_template
from flask_babel import force_locale

from judge.finals.certificates import Award

log = logging.getLogger(__name__)

LANGUAGES = ("ko", "en")


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"certificates fetch nothing: {url[:80]}")


def render(award: Award, language: str) -> bytes:
    """One certificate, one A4 page, in ``language`` ("ko" or "en")."""
    with force_locale(language):
        html = render_template("finals/certificate.html", award=award, language=language,
                               competition=award.team.competition)  # fmt: skip
    return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()


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
    """A ZIP of every certificate in both languages, yielded piece by piece as each PDF is
    laid out, so the download starts at once however many teams won."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zipped:
        for award in awards:
            for language in LANGUAGES:
                zipped.writestr(award.filename(language), render(award, language))
                yield sink.take()
    yield sink.take()

"""Talking to a judge server: the token, JSON answers, the API's errors, streamed uploads."""

from __future__ import annotations

import io
import secrets
import sys
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin

import click
import requests
from urllib3.fields import RequestField

from .i18n import _, language

TIMEOUT = (10, 300)  # seconds to connect, and between bytes of the answer
CHUNK = 64 * 1024
USER_AGENT = "judge-cli/1"


class ClientError(click.ClickException):
    """Shown as one line ("Error: …"); the command exits with status 1."""


class Server:
    """One judge server, optionally with a personal API token."""

    def __init__(self, url: str, token: str | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise ClientError(
                _("The server URL must start with http:// or https://, not %(url)s.", url=url)
            )
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept-Language"] = language()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def address(self, path: str) -> str:
        """An absolute URL for an API path, or for a URL the server handed out."""
        return urljoin(self.url + "/", path)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request; the decoded JSON answer, or a ClientError with the server's message."""
        return decoded(self.send(method, self.address(path), **kwargs), self.url)

    def send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.Timeout:
            raise ClientError(
                _("The judge server at %(url)s did not answer in time.", url=self.url)
            ) from None
        except requests.ConnectionError:
            raise ClientError(
                _("Could not connect to the judge server at %(url)s. Check the URL (JUDGE_URL "
                  "or `judge login`) and that the server is running.", url=self.url)
            ) from None  # fmt: skip
        except requests.RequestException as exc:
            raise ClientError(
                _("The request to %(url)s failed: %(error)s", url=self.url, error=exc)
            ) from None


def decoded(response: requests.Response, server: str) -> Any:
    if not response.ok:
        raise ClientError(error_message(response, server))
    if response.status_code == 204:
        return None
    try:
        return response.json()
    except ValueError:
        raise ClientError(
            _("%(url)s did not answer with JSON: is it a judge server?", url=server)
        ) from None


def error_message(response: requests.Response, server: str) -> str:
    """The API's error.message (with per-field messages), else the HTTP status."""
    error = _error_body(response)
    if error is None:
        return _("The server at %(url)s answered %(status)s %(reason)s.", url=server,
                 status=response.status_code, reason=response.reason)  # fmt: skip
    message = str(error.get("message") or error.get("code") or response.reason)
    fields = error.get("fields") or {}
    if isinstance(fields, dict) and fields:
        message += " " + "; ".join(f"{name}: {_join(errs)}" for name, errs in fields.items())
    if response.status_code == 401:
        message += " " + _("Run `judge login` or set JUDGE_TOKEN.")
    return message


def _error_body(response: requests.Response) -> dict | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def _join(errors: Any) -> str:
    return " ".join(map(str, errors)) if isinstance(errors, list) else str(errors)


class MultipartUpload:
    """A multipart/form-data body of text fields and one file, read from disk in chunks.

    ``requests`` reads a ``files=`` upload into memory; this body is streamed
    instead, with a Content-Length, by passing it as ``data=``. (No ``tell``:
    requests would then take the length for unknown and send it chunked.)
    """

    def __init__(self, fields: dict[str, str], name: str, file: Path, content_type: str) -> None:
        self.boundary = secrets.token_hex(16)
        head = b"".join(self._part(RequestField(key, value)) for key, value in fields.items())
        file_field = RequestField(name, b"", filename=file.name)
        file_field.make_multipart(content_type=content_type)
        head += self._header(file_field)
        tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._length = len(head) + file.stat().st_size + len(tail)
        self._parts: list[BinaryIO] = [io.BytesIO(head), file.open("rb"), io.BytesIO(tail)]

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _header(self, field: RequestField) -> bytes:
        return f"--{self.boundary}\r\n{field.render_headers()}".encode()

    def _part(self, field: RequestField) -> bytes:
        field.make_multipart()
        return self._header(field) + field.data.encode() + b"\r\n"

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (CHUNK when unbounded); b"" only at the end."""
        size = CHUNK if size is None or size < 0 else size
        while self._parts:
            data = self._parts[0].read(size)
            if data:
                return data
            self._parts.pop(0).close()
        return b""

    def __iter__(self):
        return iter(lambda: self.read(CHUNK), b"")

    def close(self) -> None:
        for part in self._parts:
            part.close()
        self._parts = []

    def __enter__(self) -> MultipartUpload:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def fetch(server: Server, path: str, target: Path, label: str) -> int:
    """Save a download to ``target``, resuming ``target.part`` with a Range request when the
    server allows it (else starting over); progress on stderr. The bytes written."""
    partial = target.with_name(target.name + ".part")
    have = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with server.send("GET", server.address(path), headers=headers, stream=True) as response:
        if response.status_code == 416:  # the part is already whole
            partial.replace(target)
            return 0
        if not response.ok:
            raise ClientError(error_message(response, server.url))
        resumed = response.status_code == 206
        length = int(response.headers.get("Content-Length") or 0) + (have if resumed else 0)
        written = _save(response, partial, "ab" if resumed else "wb", have if resumed else 0,
                        length, label)  # fmt: skip
    partial.replace(target)
    return written


def _save(response, partial: Path, mode: str, start: int, length: int, label: str) -> int:
    written = 0
    with (
        partial.open(mode) as out,
        click.progressbar(length=length or None, label=label, file=sys.stderr) as bar,
    ):
        bar.update(start)
        for chunk in response.iter_content(CHUNK):
            out.write(chunk)
            written += len(chunk)
            bar.update(len(chunk))
    return written

"""Where the client finds its server and token: the environment first, then a config file."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import click

from .i18n import _

URL_VARIABLE = "JUDGE_URL"
TOKEN_VARIABLE = "JUDGE_TOKEN"
PATH_VARIABLE = "JUDGE_CLIENT_CONFIG"
DEFAULT_PATH = Path("~/.config/judge/client.json")


@dataclass(frozen=True)
class Settings:
    url: str | None
    token: str | None


def path() -> Path:
    """$JUDGE_CLIENT_CONFIG, else ~/.config/judge/client.json."""
    return Path(os.environ.get(PATH_VARIABLE) or DEFAULT_PATH).expanduser()


def read(where: Path | None = None) -> dict:
    """The config file's settings; nothing when it does not exist."""
    where = where or path()
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise click.ClickException(
            _("Could not read %(path)s: %(error)s", path=where, error=exc)
        ) from None
    if not isinstance(data, dict):
        raise click.ClickException(_("%(path)s should hold a JSON object.", path=where))
    return data


def current() -> Settings:
    """JUDGE_URL and JUDGE_TOKEN win over the file, each on its own."""
    url, token = os.environ.get(URL_VARIABLE), os.environ.get(TOKEN_VARIABLE)
    saved = {} if (url and token) else read()
    return Settings(url=url or saved.get("url"), token=token or saved.get("token"))


def save(url: str, token: str) -> Path:
    """Write the server URL and token where only the user can read them (mode 600)."""
    where = path()
    where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_private(where, json.dumps({"url": url, "token": token}, indent=2) + "\n")
    return where


def _write_private(where: Path, text: str) -> None:
    """Write a sibling file with mode 600, then rename it over ``where``."""
    partial = where.with_name(f".{where.name}.{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(partial, 0o600)  # in case a stale partial file had another mode
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(partial, where)

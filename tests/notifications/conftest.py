"""The web tests' cast, with mail going to a real SMTP server in the test process."""

from __future__ import annotations

from tests.mail.conftest import app, inbox  # noqa: F401
from tests.notices.conftest import browser, cast  # noqa: F401

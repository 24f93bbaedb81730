"""The web tests' cast and stage two's teams, with mail going to a real SMTP server in the
test process."""

from __future__ import annotations

from tests.finals.conftest import stage  # noqa: F401
from tests.mail.conftest import app, inbox  # noqa: F401
from tests.notices.conftest import browser, cast  # noqa: F401

"""The web tests' cast (one person in every role) for the account pages."""

from tests.web.conftest import as_role, cast  # noqa: F401

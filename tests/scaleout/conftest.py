"""Scale-out tests reuse the API client of the API tests."""

from tests.api.conftest import api  # noqa: F401

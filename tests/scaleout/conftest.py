"""Scale-out tests reuse the API client of the API tests and the on-disk integration instance."""

from tests.api.conftest import api  # noqa: F401
from tests.integration.conftest import instance  # noqa: F401

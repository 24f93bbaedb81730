from tests.api.conftest import api  # noqa: F401 (the API client fixture, reused here)

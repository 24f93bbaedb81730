import pytest

from tests.api.conftest import api  # noqa: F401 (the API client fixture, reused here)


@pytest.fixture
def competition(make):
    make.user(admin=True)
    return make.competition()

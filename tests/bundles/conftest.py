import pytest

from judge.core.db import utcnow
from judge.problems import services as problems
from tests.api.conftest import api  # noqa: F401 (the API client fixture, reused here)


@pytest.fixture
def competition(make):
    make.user(admin=True)
    return make.competition()


def publish_without_baseline(problem) -> None:
    """Publish an imported problem in tests about other things; the baseline run that
    publishing waits for has its own tests (test_baseline.py)."""
    problem.baseline_required = False
    problems.publish(problem, utcnow())

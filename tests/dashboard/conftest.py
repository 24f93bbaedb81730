"""The dashboard tests use the finals tests' closed competition."""

from tests.finals.conftest import stage  # noqa: F401 (fixture)

"""The web tests' cast (one person in every role), with a client per person."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import build_cast


@pytest.fixture
def cast(make):
    return build_cast(make)


@pytest.fixture
def browser(app, cast):
    """``browser(role)``: a client logged in as the cast member playing ``role``."""
    clients = {}

    def open_as(role: str):
        if role not in clients:
            client = app.test_client()
            user = cast[role]
            if user is not None:
                response = client.post("/login", data={"email": user.email, "password": PASSWORD})
                assert response.status_code == 302, response.text
            clients[role] = client
        return clients[role]

    return open_as

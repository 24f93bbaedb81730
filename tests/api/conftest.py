"""An API client that sends a user's token: api.get(path, as_=user)."""

from __future__ import annotations

import pytest


class ApiClient:
    def __init__(self, client, make) -> None:
        self.client = client
        self.make = make
        self._tokens: dict[int, str] = {}

    def _headers(self, user) -> dict[str, str]:
        if user is None:
            return {}
        if user.id not in self._tokens:
            self._tokens[user.id] = self.make.token(user)
        return {"Authorization": f"Bearer {self._tokens[user.id]}"}

    def request(self, method: str, path: str, as_=None, **kwargs):
        return self.client.open(
            "/api/v1" + path, method=method, headers=self._headers(as_), **kwargs
        )

    def get(self, path: str, as_=None, **kwargs):
        return self.request("GET", path, as_, **kwargs)

    def post(self, path: str, as_=None, **kwargs):
        return self.request("POST", path, as_, **kwargs)

    def patch(self, path: str, as_=None, **kwargs):
        return self.request("PATCH", path, as_, **kwargs)

    def put(self, path: str, as_=None, **kwargs):
        return self.request("PUT", path, as_, **kwargs)

    def delete(self, path: str, as_=None, **kwargs):
        return self.request("DELETE", path, as_, **kwargs)


@pytest.fixture
def api(client, make) -> ApiClient:
    return ApiClient(client, make)


def error_code(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"], body
    return body["error"]["code"]

from tests.api.conftest import error_code
from tests.conftest import PASSWORD


def test_token_from_email_and_password_works_for_later_calls(api, make):
    user = make.user("ada@example.com")
    response = api.post("/tokens", json={"email": "ADA@example.com", "password": PASSWORD})
    assert response.status_code == 201
    token = response.json["token"]
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["email"] == user.email


def test_wrong_password_gets_401_json(api, make):
    make.user("ada@example.com")
    response = api.post("/tokens", json={"email": "ada@example.com", "password": "nope-nope"})
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_token_list_never_shows_secrets(api, make):
    user = make.user()
    created = api.post("/tokens", json={"email": user.email, "password": PASSWORD, "name": "cli"})
    listed = api.get("/tokens", as_=user)
    assert listed.status_code == 200
    assert created.json["token"] not in listed.text
    assert {"cli", "test"} <= {t["name"] for t in listed.json}


def test_revoked_token_stops_working(api, make):
    user = make.user()
    plain = make.token(user)
    headers = {"Authorization": f"Bearer {plain}"}
    token_id = api.client.get("/api/v1/tokens", headers=headers).json[0]["id"]
    assert api.client.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 204
    after = api.client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert error_code(after) == "unauthorized"


def test_cannot_revoke_someone_elses_token(api, make):
    owner, other = make.user(), make.user()
    api.get("/me", as_=owner)
    token_id = api.get("/tokens", as_=owner).json[0]["id"]
    assert api.delete(f"/tokens/{token_id}", as_=other).status_code == 404
    assert api.get("/me", as_=owner).status_code == 200


def test_missing_or_malformed_authorization(api):
    assert error_code(api.get("/me")) == "unauthorized"
    malformed = api.client.get("/api/v1/me", headers={"Authorization": "Token abc"})
    assert malformed.status_code == 401
    unknown = api.client.get("/api/v1/me", headers={"Authorization": "Bearer jdg_unknown"})
    assert unknown.status_code == 401


def test_token_request_with_missing_fields_is_422(api):
    response = api.post("/tokens", json={"email": "x@example.com"})
    assert response.status_code == 422
    assert "password" in response.json["error"]["fields"]


def test_token_list_shows_when_a_token_was_last_used(api, make):
    user = make.user()
    headers = {"Authorization": f"Bearer {make.token(user)}"}
    api.client.get("/api/v1/tokens", headers=headers).close()  # recorded once it is sent
    again = api.client.get("/api/v1/tokens", headers=headers)
    assert again.json[0]["last_used_at"] is not None

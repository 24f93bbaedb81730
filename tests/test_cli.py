from judge.accounts import services
from judge.core.extensions import db


def test_create_admin_user(runner):
    result = runner.invoke(
        args=["create-user", "Boss@Example.com", "--admin", "--password", "long enough pw"]
    )
    assert result.exit_code == 0, result.output
    assert "site administrator boss@example.com" in result.output
    user = services.verify_password("boss@example.com", "long enough pw")
    assert user.is_admin


def test_create_user_refuses_a_duplicate_and_a_short_password(runner, make):
    make.user("taken@example.com")
    taken = runner.invoke(args=["create-user", "taken@example.com", "--password", "long enough"])
    short = runner.invoke(args=["create-user", "new@example.com", "--password", "short"])
    assert taken.exit_code == 1
    assert "already exists" in taken.output
    assert short.exit_code == 1
    assert "at least 8" in short.output
    assert services.user_by_email("new@example.com") is None
    db.session.rollback()

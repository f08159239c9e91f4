"""flask create-user and create-token: clear one-line errors, nothing written on failure."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fieldops.extensions import db
from fieldops.models import ApiToken, AuditEvent, User


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_create_organizer(runner, world):
    result = runner.invoke(args=["create-user", "New.Person@Test.example", "--role", "organizer",
                                 "--office", "Alpha", "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new.person@test.example"))
    assert user.role == "organizer" and user.office_id == world.office_a.id
    assert "a long enough password" not in user.password_hash
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "user.create")) == 1


@pytest.mark.parametrize("args, password, message", [
    (["--role", "boss", "--office", "Alpha"], "a long enough password", "unknown role 'boss'"),
    (["--role", "organizer", "--office", "Nowhere"], "a long enough password", "no office named 'Nowhere'"),
    (["--role", "lead", "--region", "Atlantis"], "a long enough password", "no region named 'Atlantis'"),
    (["--role", "volunteer"], "a long enough password", "belongs to an office"),
    (["--role", "lead"], "a long enough password", "belongs to a region"),
    (["--role", "admin", "--office", "Alpha"], "a long enough password", "neither --office nor --region"),
    (["--role", "organizer", "--office", "Alpha"], "short", "at least 10 characters"),
])
def test_bad_input_exits_non_zero_and_writes_nothing(runner, world, args, password, message):
    before = user_count()
    result = runner.invoke(args=["create-user", "someone@test.example", *args, "--password-stdin"],
                           input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert user_count() == before


def test_duplicate_email_is_refused(runner, world):
    before = user_count()
    result = runner.invoke(args=["create-user", "organizer.a@test.example", "--role", "organizer",
                                 "--office", "Alpha", "--password-stdin"], input="a long enough password\n")
    assert result.exit_code != 0 and "already exists" in result.output
    assert user_count() == before


def test_bad_email_is_refused(runner, world):
    result = runner.invoke(args=["create-user", "not-an-email", "--role", "admin", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code != 0 and "not an e-mail address" in result.output


def test_create_token_prints_a_working_token_stored_hashed(runner, client, world):
    result = runner.invoke(args=["create-token", "volunteer.a1@test.example"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    response = client.get("/api/v1/me/turfs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_create_token_for_unknown_user_fails(runner, world):
    result = runner.invoke(args=["create-token", "ghost@test.example"])
    assert result.exit_code != 0 and "no user" in result.output
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0

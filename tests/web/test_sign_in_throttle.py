"""Sign-in throttling: wrong passwords from strangers cannot lock an account's own browser out; counts are
per real client address behind trusted proxies, and shared between app instances through Redis."""
from __future__ import annotations

import uuid

import pytest

from fieldops import create_app
from fieldops.config import from_environment
from fieldops.extensions import db
from tests.factories import PASSWORD

WRONG = "wrong password"


def attempt(client, email, password, address="10.0.0.1", **headers):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_strangers_are_stopped_after_five_wrong_passwords_and_offered_the_reset(client, world):
    for n in range(5):  # five wrong passwords for one account, from five addresses
        assert attempt(client, "organizer.a@test.example", WRONG, f"10.0.0.{n}").status_code == 401
    blocked = attempt(client, "organizer.a@test.example", PASSWORD, "10.0.0.99")
    page = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Too many wrong passwords" in page and "ask your organizer to reset" not in page
    assert "/password/forgot?email=organizer.a@test.example" in page
    # Another account is not held back by that one's attempts.
    assert attempt(client, "organizer.b@test.example", PASSWORD, "10.0.0.99").status_code == 302


def test_the_accounts_own_browser_still_signs_in_with_the_right_password(app, client, auth, world):
    auth.login("organizer.a@test.example")  # this browser has signed in to the account before
    auth.logout()
    stranger = app.test_client()
    for n in range(25):  # someone keeps trying, from everywhere
        assert attempt(stranger, "organizer.a@test.example", WRONG, f"10.1.0.{n}").status_code in (401, 429)
    assert attempt(stranger, "organizer.a@test.example", PASSWORD, "10.1.0.99").status_code == 429
    assert attempt(client, "organizer.a@test.example", PASSWORD).status_code == 302
    auth.logout()
    # Its own wrong tries are limited too, on their own: the sixth is refused without being checked.
    for _ in range(5):
        assert attempt(client, "organizer.a@test.example", WRONG).status_code == 401
    assert attempt(client, "organizer.a@test.example", PASSWORD).status_code == 429


def test_one_address_trying_many_accounts_is_stopped(client, world):
    for n in range(20):
        assert attempt(client, f"nobody{n}@test.example", WRONG, "10.9.9.9").status_code == 401
    assert attempt(client, "organizer.c@test.example", PASSWORD, "10.9.9.9").status_code == 429
    assert attempt(client, "organizer.c@test.example", PASSWORD, "10.9.9.10").status_code == 302


def other_app(**config):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": db.engine.url.render_as_string(hide_password=False), **config})
    return app


def test_behind_trusted_proxies_the_clients_address_is_counted(world):
    proxied = other_app(TRUSTED_PROXIES=1).test_client()
    for n in range(20):  # twenty people behind one proxy, each mistyping once: nobody else is held back
        assert attempt(proxied, f"nobody{n}@test.example", WRONG, "192.0.2.1",
                       **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code == 401
    ok = attempt(proxied, "organizer.c@test.example", PASSWORD, "192.0.2.1", **{"X-Forwarded-For": "198.51.100.99"})
    assert ok.status_code == 302
    direct = other_app(TRUSTED_PROXIES=0).test_client()
    for n in range(20):  # without trusted proxies a forged X-Forwarded-For changes nothing
        assert attempt(direct, f"nobody{n}@test.example", WRONG, "203.0.113.5",
                       **{"X-Forwarded-For": f"198.51.100.{n}"}).status_code == 401
    assert attempt(direct, "organizer.c@test.example", PASSWORD, "203.0.113.5",
                   **{"X-Forwarded-For": "198.51.100.99"}).status_code == 429


def test_trusted_proxies_must_be_a_number(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "yes")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must be a whole number"):
        from_environment()


def test_redis_url_holds_the_counts_unless_ratelimit_storage_uri_says_otherwise(monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert from_environment()["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://redis.example:6379/2")
    assert from_environment()["RATELIMIT_STORAGE_URI"] == "redis://redis.example:6379/2"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memcached://cache.example:11211")
    assert from_environment()["RATELIMIT_STORAGE_URI"] == "memcached://cache.example:11211"


REDIS = "redis://127.0.0.1:6379/11"  # a database of its own, and a key prefix per run: nobody else's keys


@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis").Redis.from_url(REDIS)
    prefix = f"fieldops-test-{uuid.uuid4().hex[:12]}"
    yield redis, prefix
    for key in redis.scan_iter(f"{prefix}*"):
        redis.delete(key)


def test_two_app_instances_share_the_counts_in_redis(world, redis_prefix):
    redis, prefix = redis_prefix
    first, second = (other_app(RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_KEY_PREFIX=prefix).test_client()
                     for _ in range(2))
    for n in range(3):
        assert attempt(first, "organizer.a@test.example", WRONG, f"10.2.0.{n}").status_code == 401
    for n in range(2):
        assert attempt(second, "organizer.a@test.example", WRONG, f"10.3.0.{n}").status_code == 401
    assert attempt(first, "organizer.a@test.example", PASSWORD, "10.4.0.1").status_code == 429
    assert attempt(second, "organizer.a@test.example", PASSWORD, "10.4.0.2").status_code == 429
    keys = [key.decode() for key in redis.scan_iter(f"{prefix}*")]
    assert keys and not any("organizer.a" in key for key in keys)  # accounts are named by a hash

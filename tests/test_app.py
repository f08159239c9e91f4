"""The app factory and configuration from the environment."""
from __future__ import annotations

from datetime import timedelta

from fieldops import create_app
from fieldops.config import INSTANCE_DIR, from_environment, normalise_database_url


def test_defaults_to_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = from_environment()
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{INSTANCE_DIR / 'fieldops.db'}"
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=3)
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/fieldops")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    config = from_environment()
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/fieldops"
    assert config["SECRET_KEY"] == "from-env"


def test_psycopg_driver_is_kept_when_given():
    assert normalise_database_url("postgresql+psycopg://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_config_mapping_wins_over_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app({"SECRET_KEY": "from-test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                      "TESTING": True})
    assert app.config["SECRET_KEY"] == "from-test" and app.testing


def test_pages_use_vendored_assets_only(client):
    html = client.get("/login").get_data(as_text=True)
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]

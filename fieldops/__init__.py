"""Fieldops: a ground-game platform for door-to-door canvassing.

``create_app`` builds the Flask app: configuration from the environment (or
the mapping given, for tests), extensions, blueprints and CLI commands.
Migrations run only when asked (``flask db upgrade``), never at import.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from .config import INSTANCE_DIR, PROJECT_ROOT, from_environment
from .extensions import csrf, db, login_manager, migrate
from .unit_of_work import wrap_views


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides the environment (tests pass their own)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    from .web.converters import IdConverter
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.update(from_environment())
    if config:
        app.config.update(config)
    INSTANCE_DIR.mkdir(exist_ok=True)
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", bool(app.config.get("DATABASE_PRE_PING", False)))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # A stopped database must fail a request within seconds (a 503 the phone retries), never hang it.
        options["connect_args"] = {"connect_timeout": 3, **options.get("connect_args", {})}
        options.setdefault("pool_timeout", 10)
        # Connections are renewed by age rather than pinged on every checkout (config.py says why).
        if app.config.get("DATABASE_POOL_RECYCLE_S"):
            options.setdefault("pool_recycle", int(app.config["DATABASE_POOL_RECYCLE_S"]))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    from . import i18n
    i18n.init_app(app)  # the interface's language: the person's, the browser's, the office's, English
    _enable_sqlite_pragmas(app)

    from . import models  # noqa: F401  (registers the tables with the metadata)
    from .api import bp as api_bp
    from .cli import register_commands
    from .web import register_web

    from .web import assets, local_time

    register_web(app)
    local_time.register(app)  # times on the office's clock: {{ moment|local_time(office) }}
    assets.wire_assets(app)  # compressed answers, versioned static URLs cached for a year
    app.register_blueprint(api_bp)
    register_commands(app)
    wrap_views(app)  # every route one unit of work: the one place a request commits
    return app


def _enable_sqlite_pragmas(app: Flask) -> None:
    """Foreign keys on, WAL and a busy timeout so several workers can share one SQLite file; and the
    office-clock day of a UTC moment, which SQLite cannot compute itself (``services.portable.local_day``)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    from .domain.time_zones import sqlite_local_day
    from .services.portable import SQLITE_LOCAL_DAY

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every SQLite test
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()
            dbapi_connection.create_function(SQLITE_LOCAL_DAY, 2, sqlite_local_day, deterministic=True)

"""Sending less over a volunteer's bad connection: compressed answers and static files cached for a year.

- **Compression** (Flask-Compress): pages, JSON (the walk list), CSS, JavaScript and SVG go out with
  brotli or gzip, whichever the browser asks for first, brotli when it takes both. A static file is
  compressed once per process and kept (``_StaticCache``), never on every request.
- **Versioned static URLs**: ``url_for('static', filename=...)`` adds ``?v=`` and a digest of the file,
  so a new release has new URLs and every phone fetches it, while an unchanged file is never asked for
  again: an answer for the current version is ``public, max-age=31536000, immutable``. The service
  worker's shell (``web.field.SHELL_FILES``) is built with the same ``url_for``, so the URLs it keeps
  offline are exactly those the pages ask for.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress

VERSION_ARG = "v"
IMMUTABLE = "public, max-age=31536000, immutable"
_MAX_CACHED_BYTES = 64 * 1024 * 1024  # every compressed static file of a release, with room to spare


class _StaticCache:
    """Flask-Compress's cache backend, holding the compressed bytes of versioned static files only.

    Flask-Compress asks the backend for every response; pages and API answers are never kept
    (their key has no static path), so nothing stale is ever served.
    """

    def __init__(self):
        self.data: dict[str, bytes] = {}
        self.size = 0

    def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";") and key not in self.data and self.size + len(value) <= _MAX_CACHED_BYTES:
            self.data[key] = value
            self.size += len(value)


def _cache_key(req) -> str:
    """The static file and its version; empty (not kept) for anything else."""
    if req.endpoint == "static" and req.args.get(VERSION_ARG):
        return f"{req.path}?{VERSION_ARG}={req.args[VERSION_ARG]}"
    return ""


class StaticVersions:
    """A short digest of each static file's bytes, recomputed only when the file changes on disk."""

    def __init__(self, folder: str):
        self.folder = Path(folder)
        self._known: dict[str, tuple[int, int, str]] = {}

    def of(self, filename: str) -> str | None:
        """The file's version, or None for a path that is not a file in the static folder."""
        path = (self.folder / filename).resolve()
        if self.folder.resolve() not in path.parents:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        if not path.is_file():
            return None
        known = self._known.get(filename)
        if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self._known[filename] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


def wire_assets(app: Flask) -> None:
    """Versioned static URLs, their cache lifetime, and compression of every answer worth compressing."""
    versions = StaticVersions(app.static_folder)
    app.extensions["fieldops_static_versions"] = versions

    @app.url_defaults
    def _version_static_urls(endpoint: str, values: dict) -> None:
        if endpoint == "static" and VERSION_ARG not in values and "filename" in values:
            version = versions.of(values["filename"])
            if version:
                values[VERSION_ARG] = version

    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Brotli 5: the 166-door walk list in 15 KB (gzip 17 KB) in about the time gzip takes; 11 would save
    # another 2 KB at 50 times the CPU.
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br"])  # CSV downloads; Flask-Compress streams no gzip
    app.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", _StaticCache)
    # Flask runs after-request functions last registered first: the static hook below must see the
    # file before Compress does, so Compress is registered first.
    Compress(app)

    @app.after_request
    def _static_answers(response):
        if request.endpoint != "static" or response.status_code != 200:
            return response
        asked = request.args.get(VERSION_ARG)
        if asked and asked == versions.of(request.view_args.get("filename", "")):
            response.headers["Cache-Control"] = IMMUTABLE
            response.expires = None
        # A file is sent as a stream, which Flask-Compress would compress anew on every request (and
        # never with gzip); read it once so that the compressed copy is made once and kept.
        if response.direct_passthrough and response.mimetype in app.config["COMPRESS_MIMETYPES"]:
            response.direct_passthrough = False
            response.get_data()
        return response


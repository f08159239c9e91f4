"""The long API fuzz: schemathesis against /api/v1/openapi.json on the demo data, many examples per operation.

    .venv/bin/python bench/fuzz_api.py [--examples 400]

Serves the app on 127.0.0.1 over a fresh SQLite demo database and fuzzes
every operation as a volunteer and as an admin (bearer tokens), with the
same checks as ``tests/api/test_fuzz.py`` (no 500, every answer in the spec),
only with more examples. Prints Markdown for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=400, help="examples per operation and user")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from fieldops import create_app
    from tests.factories import create_token, load_demo
    from tests.api.test_fuzz import fuzz

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'fuzz.db'}", "SECRET_KEY": "fuzz"})
        with app.app_context():
            upgrade()
            load_demo("a demo password")
            tokens = {email: create_token(email) for email in ("aino@fieldops.example", "admin@fieldops.example")}
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started = time.perf_counter()
        failures = {}
        with app.app_context():
            for email, token in tokens.items():
                failures[email] = fuzz(f"http://127.0.0.1:{server.server_port}", token, args.examples)
        server.shutdown()
    print(f"\n### API fuzz ({date.today()}, schemathesis, up to {args.examples} examples per operation and user, "
          f"{time.perf_counter() - started:.0f} s)\n")
    for email, found in failures.items():
        print(f"- as {email}: {'no failure' if not found else f'{len(found)} failing operations'}")
        for failure in found:
            print(f"  - {failure[:500]}")
    sys.exit(1 if any(failures.values()) else 0)


if __name__ == "__main__":
    main()

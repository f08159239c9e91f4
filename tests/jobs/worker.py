"""``flask worker`` with the tests' slow kinds registered: ``python -m tests.jobs.worker worker --queue NAME``."""
from flask.cli import main

from tests.jobs import slow_kinds  # noqa: F401  (registers the kinds)

if __name__ == "__main__":
    main()

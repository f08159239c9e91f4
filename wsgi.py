"""The WSGI entry point for gunicorn and ``flask``: ``gunicorn -w 4 wsgi:app``."""
from fieldops import create_app

app = create_app()

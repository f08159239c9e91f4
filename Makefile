# Fieldops: two commands on a fresh machine with Python 3.11.
#   make run   installs into .venv, creates the SQLite database, loads the demo, serves http://127.0.0.1:5000
#   make test  installs into .venv (and Chromium, for the browser tests) and runs the whole suite
# Set TEST_DATABASE_URL=postgresql+psycopg://... to run the same suite on PostgreSQL.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
export FLASK_APP := wsgi.py

.PHONY: run test install install-test chromium clean

run: $(VENV)/.installed-run
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed-run $@

# The browser tests drive Debian's Chromium; Playwright's own browser download is not used.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "Installing Chromium for the browser tests (Debian package 'chromium')"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache

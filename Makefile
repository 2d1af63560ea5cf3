# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PACKAGES := lms courses assessments certificates
LOCK := requirements.lock
UV_VERSION := 0.13.9
export FLASK_APP := wsgi:app

.PHONY: run test install install-test lock assets translations extract-messages db demo serve \
        chromium system-tools lint format coverage bench clean

run: install assets translations db demo serve

test: install-test assets translations system-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every dependency (the test extra included) at the exact version and hash of $(LOCK), then the
# project itself without resolving anything again. Skipped while the lock file is unchanged.
install install-test: $(VENV)/.installed

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Regenerate $(LOCK) from pyproject.toml (dependencies and the test extra) after changing them.
# `make lock UPGRADE=1` also moves every package to its newest allowed version.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --universal \
	  --generate-hashes --custom-compile-command "make lock" --quiet \
	  $(if $(UPGRADE),--upgrade) -o $(LOCK)

# Bootstrap Italia is copied from the npm package into the static folder (not committed).
assets: node_modules/.package-lock.json
	rm -rf lms/static/vendor/bootstrap-italia
	mkdir -p lms/static/vendor/bootstrap-italia
	cp -r node_modules/bootstrap-italia/dist/css node_modules/bootstrap-italia/dist/js \
	      node_modules/bootstrap-italia/dist/fonts node_modules/bootstrap-italia/dist/svg \
	      lms/static/vendor/bootstrap-italia/

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(BIN)/python
	@for p in $(PACKAGES); do \
	  if [ -d $$p/translations ]; then $(BIN)/pybabel -q compile -d $$p/translations || exit 1; fi; \
	done

# Refresh the Italian catalogues after adding strings (then translate the new entries).
# English needs no catalogue: the source strings are English.
extract-messages: $(BIN)/python
	@for p in $(PACKAGES); do \
	  $(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o $$p/messages.pot $$p || exit 1; \
	  if grep -q '^msgid "[^"]' $$p/messages.pot; then \
	    if [ -f $$p/translations/it/LC_MESSAGES/messages.po ]; then \
	      $(BIN)/pybabel -q update --no-fuzzy-matching -i $$p/messages.pot -d $$p/translations -l it; \
	    else \
	      $(BIN)/pybabel -q init -i $$p/messages.pot -d $$p/translations -l it; \
	    fi; \
	  fi; rm -f $$p/messages.pot; \
	done

instance/secret_key:
	mkdir -p instance
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(48))" > $@

# The local configuration (also named in .flaskenv, so plain `.venv/bin/flask ...` commands in
# the checkout use it too) reads its secret key from instance/secret_key.
db: install instance/secret_key
	LMS_CONFIG=local $(BIN)/flask db upgrade

demo: install instance/secret_key
	LMS_CONFIG=local $(BIN)/flask lms demo

serve: instance/secret_key
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	LMS_CONFIG=local $(BIN)/flask run --host $(HOST) --port $(PORT) --no-reload --no-debugger

# Browser tests need Debian's Chromium (Playwright's own browser download is not used);
# PDF checks need poppler-utils. Installed with apt when missing.
system-tools:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; }

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite with branch coverage; fails under the floor set in pyproject.toml.
coverage: install-test assets translations system-tools
	$(BIN)/python -m pytest --cov $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules lms/static/vendor instance .pytest_cache

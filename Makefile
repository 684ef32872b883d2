# Footcare: `make run` serves the app, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1

# Browser tests drive Debian's Chromium (never a browser from `playwright install`).
CHROMIUM := /usr/bin/chromium
# The page scripts' own tests (tests/js) run on Node's built-in test runner.
NODE ?= node

.PHONY: run test test-js e2e migrate lint format bench bench-import bench-reminders load lighthouse demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the requirements change.
$(VENV)/.runtime: $(PY) requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.runtime
	$(DEV_ENV) $(PY) manage.py migrate --noinput

run: migrate
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The browser tests run after the others when Chromium is installed. FOOTCARE_E2E=0
# leaves them out; FOOTCARE_REQUIRE_E2E=1 (CI) turns a missing Chromium into a failure.
test: lint test-js
	$(PY) -m pytest
	@if [ "$(FOOTCARE_E2E)" = "0" ]; then \
	  echo "SKIPPED browser tests: FOOTCARE_E2E=0"; \
	elif [ -x $(CHROMIUM) ]; then \
	  $(MAKE) --no-print-directory e2e; \
	elif [ "$(FOOTCARE_REQUIRE_E2E)" = "1" ]; then \
	  echo "FAILED browser tests: Chromium not found at $(CHROMIUM) (apt-get install -y chromium) and FOOTCARE_REQUIRE_E2E=1" >&2; \
	  exit 1; \
	else \
	  echo "SKIPPED browser tests: Chromium not found at $(CHROMIUM) (apt-get install -y chromium)"; \
	fi

# Without Node the JavaScript tests are skipped with a message; CI requires them.
test-js:
	@if command -v $(NODE) >/dev/null; then \
	  $(NODE) --test --test-reporter=spec tests/js/; \
	elif [ "$(FOOTCARE_REQUIRE_E2E)" = "1" ]; then \
	  echo "FAILED JavaScript tests: node not found (apt-get install -y nodejs)" >&2; exit 1; \
	else \
	  echo "SKIPPED JavaScript tests: node not found (apt-get install -y nodejs)"; \
	fi

# Only this run allows the ORM next to sync Playwright's event loop. E2E_ARGS picks
# tests (E2E_ARGS="-k journeys"). pytest exits 5 when nothing ran: that fails too.
e2e: $(VENV)/.dev
	@DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e -rs tests/e2e $(E2E_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "FAILED browser tests: none were collected" >&2; exit 1; fi; \
	exit $$status

demo: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo --user demo --years 10

bench: $(VENV)/.dev
	$(PY) bench/bench_pages.py

bench-import: $(VENV)/.dev
	$(PY) bench/bench_import.py

# 100,000 reminders by two processes to a push service on loopback; needs
# PostgreSQL on 127.0.0.1:5432 (user postgres), where it makes its own database.
# make bench-reminders BENCH_ARGS="--kill-after 20"
bench-reminders: $(VENV)/.dev
	$(PY) bench/bench_reminders.py $(BENCH_ARGS)

$(VENV)/.load: $(VENV)/.runtime requirements-load.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

# Real gunicorn servers under locust for up to 60 s (see bench/load.py for options):
# make load LOAD_ARGS="--db postgres --servers 2 --workers 2"
load: $(VENV)/.load
	$(PY) bench/load.py $(LOAD_ARGS)

# Lighthouse (mobile) on / signed out and in, under gunicorn; not part of `make test`.
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --silent
	touch $@

lighthouse: $(VENV)/.dev bench/node_modules/.installed
	$(PY) bench/lighthouse.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis

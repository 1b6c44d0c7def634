# The two commands that matter: `make run` and `make test` (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run with production-like settings (DEBUG off) minus the HTTPS redirect the test client cannot follow.
TEST_ENV := DEBUG=0 TESTING=1 SECRET_KEY=test-only-secret-key-not-for-production SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 \
	ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: help run test test-sqlite test-postgres lint format messages makemessages system-deps node-deps content bench lighthouse clean

help:
	@echo "make run    install, migrate, load the content and start the app on http://$(HOST):$(PORT)/"
	@echo "make test   install the dev extra and run linters, migration check and the whole test suite"
	@echo "make bench  run the benchmarks (see the README)"
	@echo "make lighthouse  Lighthouse scores of the main pages, desktop and mobile"

# Django 6.1 needs Python >= 3.12; the system python3 may be older, so look for one (PYTHON=... overrides).
$(PY):
	@py=""; \
	for c in $${PYTHON:-} python3.13 python3.12 \
	    $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "No Python 3.12 or newer found. Install one (or point PYTHON=/path/to/python3.12 at it) and retry." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

# Debian packages the app or the tests use: gettext (compilemessages), Pango (WeasyPrint), DejaVu fonts and
# Symbola (the PDF's fallback for scripts and emoji beyond the fonts it ships in static/fonts), Chromium,
# Java and npm (browser tests and their judges). Installed only when missing.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	fc-list 2>/dev/null | grep -q Symbola || missing="$$missing fonts-symbola"; \
	if [ "$(WITH_BROWSER)" = "1" ]; then \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	  command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing (install them with apt-get, then retry)" >&2; exit 1; \
	  fi; \
	fi

# The outside judges of the pages, from npm (package.json, versions pinned in package-lock.json): the W3C Nu
# HTML checker and pa11y for the browser tests, Lighthouse for make lighthouse. Installed when node_modules
# is missing or older than the lock file; --ignore-scripts: no browser or Java downloads, Debian's are used.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.installed

messages: $(VENV)/.installed system-deps
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0

makemessages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l de -l en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete

content: $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_content

# The app and its background worker (mails, report pre-rendering); Ctrl-C stops both.
run: messages content
	@echo ""
	@echo "  CJM-Standortbestimmung: http://$(HOST):$(PORT)/  (mails are printed here)"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	export PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker --interval 1 & \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet
	$(VENV)/bin/bandit -q -r cjm_assess accounts standortbestimmung roadmap market outreach respondent workspace live gunicorn.conf.py -x "*/migrations/*" --severity-level medium

format: $(VENV)/.installed-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet || true

# SQLite always; a second full run on PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it).
test: $(VENV)/.installed-dev
	@$(MAKE) --no-print-directory system-deps WITH_BROWSER=1
	@$(MAKE) --no-print-directory node-deps messages lint
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; fi

test-sqlite: $(VENV)/.installed-dev
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL $(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	@echo "=== test suite on PostgreSQL ==="
	$(TEST_ENV) DATABASE_URL="$$TEST_DATABASE_URL" $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks need wrk (Debian) and locust (PyPI, the bench extra); PostgreSQL is started by bench/run.py, and
# so is the peer's own virtualenv made (bench/peer/.venv: django-survey-and-report with our Django, from PyPI).
bench: $(VENV)/.installed-dev messages
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	@$(PY) -c "import locust" 2>/dev/null || $(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/run.py

# Lighthouse 12.2.3 against the app served as in production; prints the scores (see the README).
lighthouse: $(VENV)/.installed-dev messages
	@$(MAKE) --no-print-directory system-deps WITH_BROWSER=1
	@$(MAKE) --no-print-directory node-deps
	$(PY) bench/lighthouse.py

clean:
	rm -rf $(VENV) staticfiles node_modules

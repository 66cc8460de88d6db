# newsarchive — `make run` serves the archive with the seeds loaded; `make test` runs every check.
# Both create .venv and install everything they need on a fresh clone.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install seed run serve test lint browser-deps db-deps bench-deps bench backup restore clean

# Debian packages the project needs besides Python ones: as root, or through sudo.
apt_install = { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; fi; }

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Migrations, the curated catalogue, then the seed articles: idempotent, safe to run again.
seed: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_catalogue fixtures/catalogue.json
	$(PY) manage.py load_articles fixtures/seeds

run: seed
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Production-style: gunicorn with whitenoise serving compressed, hashed static files; the workers
# share one page cache in var/cache/pages (CACHE_URL), so a page one renders serves them all.
serve: seed
	STATIC_MANIFEST=1 $(PY) manage.py collectstatic --noinput --verbosity 0
	STATIC_MANIFEST=1 CACHE_URL=$${CACHE_URL:-file://var/cache/pages} $(VENV)/bin/gunicorn newsarchive.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

# Debian's Chromium for the browser tests (Playwright drives it; it cannot download its own).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  $(call apt_install,chromium)

# PostgreSQL's server binaries for the second test run (tests/engines.py starts a throwaway
# cluster from them), unless DATABASE_URL already names a PostgreSQL server.
db-deps:
	@case "$${DATABASE_URL:-}" in postgres*) exit 0;; esac; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
	  $(call apt_install,postgresql)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Lint, then the whole suite on SQLite and again on PostgreSQL (see tests/engines.py).
test: install browser-deps db-deps lint
	$(PY) tests/engines.py

# wrk, for `bench/load.py --client wrk` (optional: the default client is Python threads), and
# valgrind, whose instruction counts bench/instructions.py reports.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || $(call apt_install,wrk)
	@command -v valgrind >/dev/null 2>&1 || $(call apt_install,valgrind)

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/extraction_quality.py

backup: install
	$(PY) manage.py backup_archive

restore: install
	$(PY) manage.py restore_archive $(FILE)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache

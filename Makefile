# The two commands: `make run` (app with demo data on SQLite) and `make test` (whole suite).
# DATABASE_URL=postgres://... selects PostgreSQL for either.
.PHONY: run test test-quick setup setup-dev lint format messages bench clean backup restore load bench-setup
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core by default.
PYTEST_WORKERS ?= auto

# runserver plus the task worker (background binders and imports); Ctrl+C stops both.
# The demo runs with DEBUG off (the product's own 404/403/500 pages) and DJANGO_DEMO on (console
# e-mail, static files without collectstatic, demo logins); DJANGO_DEBUG=true make run for Django's
# technical pages while developing.
run: setup
	DJANGO_DEMO=$${DJANGO_DEMO:-true} $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEMO=$${DJANGO_DEMO:-true} $(PY) manage.py seed_demo --if-empty
	DJANGO_DEMO=$${DJANGO_DEMO:-true} HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

test: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	DJANGO_SECRET_KEY=mypy .venv/bin/mypy
	DJANGO_SECRET_KEY=makemigrations-check $(PY) manage.py makemigrations --check --dry-run
	.venv/bin/pytest -n $(PYTEST_WORKERS) --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

# The edit loop: every test but the browser tests and the long sweeps (`make test` runs all).
test-quick: setup-dev
	.venv/bin/pytest -n $(PYTEST_WORKERS) -m "not e2e and not slow" $(PYTEST_ARGS)

setup:
	@scripts/setup.sh

setup-dev:
	@scripts/setup.sh --dev

lint: setup-dev
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Refresh locale/ja after changing user-facing strings, then fill the new msgstr entries.
messages: setup-dev
	DJANGO_SECRET_KEY=messages $(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=node_modules

clean:
	rm -rf .venv node_modules db.sqlite3

# Backups: `make backup` writes backups/<timestamp>/; `make restore BACKUP=backups/<timestamp>`.
backup: setup
	$(PY) manage.py backup

restore: setup
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/<timestamp>"; exit 2; }
	$(PY) manage.py restore --from "$(BACKUP)"

# Benchmarks (not tests): `make bench` seeds PostgreSQL (BENCH_DATABASE_URL, default database
# shigoto_bench on 127.0.0.1; re-used when already seeded, BENCH_FORCE_SEED=1 re-seeds) and writes
# bench/report.md and bench/report.json. `make load` runs 50 counselors for LOAD_DURATION (10m)
# against gunicorn and writes bench/load-report.md and bench/load-report.json.
BENCH_HTTP_DURATION ?= 60s
LOAD_DURATION ?= 10m
bench-setup: setup-dev
	.venv/bin/pip install -q -r bench/requirements.txt

bench: bench-setup
	$(PY) -m bench.run --http-duration $(BENCH_HTTP_DURATION) $(if $(BENCH_FORCE_SEED),--force-seed)

load: bench-setup
	$(PY) -m bench.load --duration $(LOAD_DURATION)

# The two commands: `make run` (app with demo data on SQLite) and `make test` (whole suite).
# DATABASE_URL=postgres://... selects PostgreSQL for either.
.PHONY: run test test-quick setup setup-dev lint format messages bench clean backup restore load bench-setup drill
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core by default.
PYTEST_WORKERS ?= auto
# Coverage of `make test` (fail_under in pyproject.toml); `COVERAGE=` runs without it (CI's second pass).
COVERAGE ?= --cov --cov-report=term:skip-covered

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
	.venv/bin/pytest -n $(PYTEST_WORKERS) $(COVERAGE) $(PYTEST_ARGS)

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
# shigoto_bench on 127.0.0.1; re-used when already seeded, BENCH_FORCE_SEED=1 re-seeds), measures
# pages at two data sizes, PDFs, and 5 then 50 users over HTTP through HAProxy (Debian package
# `haproxy`), and writes bench/report.md and bench/report.json (targets: docs/performance.md).
# BENCH_SCALE=1m compares 100,000 with 1,000,000 programs (bench/report-1m.md); BENCH_SCALE=small
# tries the bench out on ~1,000 and ~10,000. `make load` runs 50 counselors for LOAD_DURATION (10m)
# and writes bench/load-report.md. Locust goes to .bench-tools (not .venv: it brings a pytest plugin).
BENCH_SCALE ?= 100k
BENCH_STEADY ?= 60
LOAD_DURATION ?= 10m
bench-setup: setup-dev
	@test -d .bench-tools/locust || .venv/bin/pip install -q --target .bench-tools -r bench/requirements.txt
	@command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || { echo "HAProxy is missing: apt-get install haproxy"; exit 2; }

bench: bench-setup
	$(PY) -m bench.run --scale $(BENCH_SCALE) --steady $(BENCH_STEADY) $(if $(BENCH_FORCE_SEED),--force-seed)

load: bench-setup
	$(PY) -m bench.load --duration $(LOAD_DURATION)

# The scale-out drill (not in .ci/run; about 12 minutes): PostgreSQL primary + streaming replica,
# Redis, two app servers behind HAProxy, the task worker, 50 counselors who also write, and
# failures on purpose. Everything under DRILL_DIR on loopback ports; writes bench/drill-report.md.
DRILL_DIR ?= /tmp/shigoto-drill
drill: bench-setup
	$(PY) -m bench.drill --dir $(DRILL_DIR)

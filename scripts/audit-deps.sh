#!/usr/bin/env bash
# Dependency audit: pip-audit over the pinned requirements*.txt and npm audit over
# package-lock.json (production dependencies, then all), summarised by scripts/audit_deps.py.
# Policy and accepted advisories: docs/security.md ("Dependency audit").
#   exit 0: clean, or advisory services unreachable (printed as NOT AUDITED / INCOMPLETE)
#   exit 1: a vulnerability that is neither fixed nor justified
#   exit 2: incomplete and AUDIT_REQUIRE_SERVICE=1
set -uo pipefail
cd "$(dirname "$0")/.."

# pip-audit lives in its own virtualenv: its dependencies stay out of the app's pins.
PIP_AUDIT_VERSION=2.10.1
AUDIT_VENV=.venv-audit
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

if [ ! -x "$AUDIT_VENV/bin/pip-audit" ] || ! "$AUDIT_VENV/bin/pip-audit" --version | grep -q "$PIP_AUDIT_VERSION"; then
  PY="$(readlink -f .venv/bin/python 2>/dev/null || command -v python3)"
  "$PY" -m venv "$AUDIT_VENV" && "$AUDIT_VENV/bin/pip" install -q "pip-audit==$PIP_AUDIT_VERSION" 2>/dev/null \
    || echo "pip-audit could not be installed: the Python audit will be reported as NOT AUDITED"
fi

# Both files: pip-audit does not follow requirements-dev.txt's `-r requirements.txt`.
# Every line is pinned (==), so no resolver and no install are needed: --no-deps --disable-pip.
if [ -x "$AUDIT_VENV/bin/pip-audit" ]; then
  "$AUDIT_VENV/bin/pip-audit" --disable-pip --no-deps --progress-spinner off \
    -r requirements.txt -r requirements-dev.txt -f json -o "$OUT/pip.json" 2>"$OUT/pip.err" || true
  # Its own summary line would read "No known vulnerabilities found" even when nothing could be
  # asked: only errors are passed on, the verdict is audit_deps.py's.
  grep -i "error" "$OUT/pip.err" >&2 || true
fi
npm audit --omit=dev --json >"$OUT/npm-prod.json" 2>/dev/null || true
npm audit --json >"$OUT/npm-full.json" 2>/dev/null || true

"$(readlink -f .venv/bin/python 2>/dev/null || command -v python3)" scripts/audit_deps.py \
  --pip "$OUT/pip.json" --npm-prod "$OUT/npm-prod.json" --npm-full "$OUT/npm-full.json"

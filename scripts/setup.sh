#!/usr/bin/env bash
# One set-up for `make run` and `make test`: Debian packages, a Python >= 3.12 virtual
# environment, pinned Python packages, npm assets, compiled translations.
# Each step is skipped when already done, so a second run takes a second or two.
# A step that cannot run stops the whole set-up with a message saying what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

WITH_DEV=0
[ "${1:-}" = "--dev" ] && WITH_DEV=1

# --- Debian packages --------------------------------------------------------------
# Fonts for Japanese PDFs, harfbuzz subsetting (40x faster CJK PDFs), gettext for
# translations; Chromium for browser tests only.
APT_PACKAGES="fonts-morisawa-bizud-gothic fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext"
[ "$WITH_DEV" = 1 ] && APT_PACKAGES="$APT_PACKAGES chromium poppler-utils postgresql-client"
missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  command -v apt-get >/dev/null || die "apt-get not found. Install these packages with your system's package manager:$missing"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "Not root and no sudo. As root run: apt-get install --no-install-recommends$missing"
    SUDO="sudo"
  fi
  say "Installing Debian packages:$missing"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || die "apt-get install failed for:$missing"
fi

# --- Python >= 3.12 ---------------------------------------------------------------
# Django 6 needs 3.12; Debian 12's python3 is 3.11 and pip would silently pick Django 5.2.
is_new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
if [ ! -x .venv/bin/python ] || ! is_new_enough .venv/bin/python; then
  PY=""
  for c in ${PYTHON:-} python3.13 python3.12 python3 $(ls -d "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if command -v "$c" >/dev/null 2>&1 && is_new_enough "$c"; then PY="$c"; break; fi
  done
  [ -n "$PY" ] || die "Python 3.12 or newer is required (Django 6). Install python3.12 (e.g. apt-get install python3.12-venv on Debian 13 / Ubuntu 24.04) or set PYTHON=/path/to/python3.12."
  say "Creating .venv with $($PY --version)"
  rm -rf .venv
  "$PY" -m venv .venv || die "Could not create a virtual environment (install the python3-venv package)."
fi

REQ=requirements.txt
[ "$WITH_DEV" = 1 ] && REQ=requirements-dev.txt
stamp_of() { echo ".venv/.installed-$(cat requirements.txt "$1" | sha1sum | cut -c1-12)"; }
stamp=$(stamp_of "$REQ")
# The dev set includes the runtime set: after `make test`, `make run` installs nothing.
if [ ! -f "$stamp" ] && [ ! -f "$(stamp_of requirements-dev.txt)" ]; then
  say "Installing Python packages ($REQ)"
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install -q -r "$REQ" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import django, weasyprint, psycopg" || die "Python packages did not install (see above)."
  touch "$stamp"
fi

# --- Front-end assets (npm) -----------------------------------------------------
lock_sum=$(sha1sum package-lock.json | cut -c1-12)
if [ ! -f "node_modules/.installed-$lock_sum" ]; then
  command -v npm >/dev/null || die "npm is required for Bootstrap, Bootstrap Icons and htmx (apt-get install npm, or Node.js from your distribution)."
  say "Installing front-end assets (npm ci)"
  npm ci --no-audit --no-fund --silent || die "npm ci failed"
  touch "node_modules/.installed-$lock_sum"
fi

# --- Translations -----------------------------------------------------------------
for po in $(find locale -name '*.po'); do
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    command -v msgfmt >/dev/null || die "msgfmt not found: apt-get install gettext"
    msgfmt --check -o "$mo" "$po" || die "msgfmt failed for $po"
  fi
done

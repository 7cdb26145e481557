#!/usr/bin/env bash
# Installs what the tests need (a virtualenv in .venv, the pinned packages, Debian's Chromium when it can)
# and runs the whole suite: ruff, unit, data, AppTest and browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium from Debian's packages for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is not installed and cannot be installed here: browser tests will skip (and fail under CI=true)."
  fi
fi

# PostgreSQL + PostGIS and HAProxy from Debian's packages, for the store's tests (tests/store) and deploy/.
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || ! ls /usr/share/postgresql/15/extension/postgis.control >/dev/null 2>&1 \
  || ! command -v haproxy >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL, PostGIS and HAProxy from Debian's packages for the store's tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-15-postgis-3 haproxy curl >/dev/null
  else
    echo "PostgreSQL/PostGIS are not installed and cannot be installed here: store tests will skip (and fail under CI=true)."
  fi
fi

"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/python" -m pytest "$@"

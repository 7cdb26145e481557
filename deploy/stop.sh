#!/usr/bin/env bash
# Stops what deploy/start.sh started (by the pid files it wrote), then the PostGIS cluster. Data stays.
set -uo pipefail
cd "$(dirname "$0")/.."
STATE="${STATE_DIR:-/tmp/nkmap-deploy}"
for pidfile in "$STATE"/haproxy.pid "$STATE"/replica*.pid; do
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  rm -f "$pidfile"
done
[ -d "$STATE/postgis/data" ] && "${VENV:-.venv}/bin/python" -m src.store.cluster stop "$STATE/postgis"

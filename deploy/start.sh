#!/usr/bin/env bash
# Starts PostGIS, N app replicas reading it (GEODATA_URL) and HAProxy in front of them, on this machine,
# loopback only. The first start imports geodata/ into the empty store. Stop everything with deploy/stop.sh.
#   bash deploy/start.sh [N=2]
# Ports: HTTP_PORT (HAProxy, 18080), replicas REPLICA_PORT+1.. (18101..), PG_PORT (PostgreSQL, 55450).
# State (cluster, logs, pid files): STATE_DIR (/tmp/nkmap-deploy).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2}"
VENV="${VENV:-.venv}"
HTTP_PORT="${HTTP_PORT:-18080}"
REPLICA_PORT="${REPLICA_PORT:-18100}"
PG_PORT="${PG_PORT:-55450}"
STATE="${STATE_DIR:-/tmp/nkmap-deploy}"
mkdir -p "$STATE" && chmod 755 "$STATE"
PY="$VENV/bin/python"

URL="$("$PY" -m src.store.cluster start "$STATE/postgis" --port "$PG_PORT")"
"$PY" -m src.store.migrate "$URL"
if [ "$("$VENV/bin/python" -c "import psycopg,sys; print(psycopg.connect(sys.argv[1]).execute('SELECT count(*) FROM sources').fetchone()[0])" "$URL")" = 0 ]; then
  "$PY" -m src.store.importer "$URL" geodata
fi

# One cookie secret for every replica, so a browser moved to another replica is not refused.
SECRET_FILE="$STATE/cookie-secret"
[ -f "$SECRET_FILE" ] || "$PY" -c "import secrets; print(secrets.token_hex(32))" > "$SECRET_FILE"
SERVERS=""
for i in $(seq 1 "$N"); do
  port=$((REPLICA_PORT + i))
  GEODATA_URL="$URL" STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$SECRET_FILE")" nohup "$VENV/bin/python" -m src.serve run app.py \
    --server.port "$port" --server.address 127.0.0.1 --server.headless true \
    --browser.gatherUsageStats false >"$STATE/replica$i.log" 2>&1 &
  echo $! >"$STATE/replica$i.pid"
  SERVERS+="    server app$i 127.0.0.1:$port check cookie app$i"$'\n'
done
# HAProxy starts once every replica answers, so none begins marked down.
for i in $(seq 1 "$N"); do
  port=$((REPLICA_PORT + i))
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/_stcore/health" >/dev/null && break
    sleep 0.5
  done
done
awk -v servers="$SERVERS" -v port="$HTTP_PORT" -v state="$STATE" '{ gsub("@HTTP_PORT@", port); gsub("@STATE_DIR@", state); if ($0 == "@SERVERS@") printf "%s", servers; else print }' \
  deploy/haproxy.cfg >"$STATE/haproxy.cfg"
haproxy -c -q -f "$STATE/haproxy.cfg"
haproxy -D -f "$STATE/haproxy.cfg" -p "$STATE/haproxy.pid"

for _ in $(seq 1 20); do  # until HAProxy answers
  curl -fs "http://127.0.0.1:$HTTP_PORT/_stcore/health" >/dev/null && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$HTTP_PORT/_stcore/health" >/dev/null
echo "PostGIS: $URL"
echo "app:     http://127.0.0.1:$HTTP_PORT ($N replicas)"

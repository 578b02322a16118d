#!/usr/bin/env bash
# Requests per second for the login page, served by gunicorn with DEBUG off,
# under `wrk -t2 -c16 -d10s`. Prints wrk's figures.
#
#   bench/login_wrk.sh                         # SQLite in a throw-away folder
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench bench/login_wrk.sh
#   WORKERS=4 DURATION=30s bench/login_wrk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
make -s setup >/dev/null

PORT="${BENCH_PORT:-8099}"
WORKERS="${WORKERS:-3}"
DURATION="${DURATION:-10s}"
VAR_DIR="$(mktemp -d)"
export CIRCLE_VAR_DIR="$VAR_DIR"
export DJANGO_DEBUG=false
export SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')"
export ALLOWED_HOSTS=127.0.0.1
export LOG_LEVEL=WARNING

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py collectstatic --noinput -v0

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --log-level warning >"$VAR_DIR/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null; rm -rf "$VAR_DIR"' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.2
done

URL="http://127.0.0.1:$PORT/accounts/login/"
# TLS ends at the proxy in production; say so, as the proxy would.
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "$URL")
[ "$status" = 200 ] || { echo "login page answered $status" >&2; cat "$VAR_DIR/gunicorn.log"; exit 1; }
echo "gunicorn: $WORKERS workers, DEBUG off, database: ${DATABASE_URL:-SQLite}; $(nproc) cores"
wrk -t2 -c16 -d"$DURATION" -H 'X-Forwarded-Proto: https' "$URL"

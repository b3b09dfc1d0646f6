#!/bin/sh
# Makes a fresh machine (Node 20 + npm) ready: pinned pnpm, dependencies, Postgres and Redis reachable.
# Idempotent and quick when everything is already in place.
set -e
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

say() { printf '\033[2m[setup]\033[0m %s\n' "$*" >&2; }

node -e 'const [a]=process.versions.node.split(".").map(Number); if (a<20) { console.error("Node 20 or newer is needed (found "+process.versions.node+")"); process.exit(1) }'

if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  say "installing pnpm@$PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || npm install -g "pnpm@$PNPM_VERSION"
fi

if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.pnpm/lock.yaml ]; then
  say "installing dependencies"
  pnpm install --frozen-lockfile --reporter=silent
fi

pg_up() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null || node -e "require('net').connect($PGPORT,'$PGHOST').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }
if ! pg_up; then
  say "Postgres is not answering on $PGHOST:$PGPORT; trying to start it"
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
  fi
  i=0; while ! pg_up && [ $i -lt 20 ]; do sleep 0.5; i=$((i+1)); done
  if ! pg_up; then
    echo "Postgres is not reachable on $PGHOST:$PGPORT. Install it (apt-get install -y postgresql) with trust auth for 127.0.0.1, or set DATABASE_URL." >&2
    exit 1
  fi
fi

redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 || node -e "require('net').connect($REDIS_PORT,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }
if ! redis_up; then
  say "Redis is not answering on 127.0.0.1:$REDIS_PORT; trying to start it"
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /tmp/splits-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir /tmp/splits-redis --logfile /tmp/splits-redis/redis.log >/dev/null || true
  fi
  i=0; while ! redis_up && [ $i -lt 20 ]; do sleep 0.5; i=$((i+1)); done
  if ! redis_up; then
    echo "Redis is not reachable on 127.0.0.1:$REDIS_PORT. Install it (apt-get install -y redis-server) or set REDIS_URL." >&2
    exit 1
  fi
fi

# Chromium for the browser tests of the web pages (test/web.browser.e2e.test.ts): Debian's package.
if [ -z "$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing chromium (browser tests of the web pages)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; } || true
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Chromium is missing: the web pages' browser tests need it. On Debian: apt-get install -y chromium; elsewhere install Chromium and set CHROMIUM_PATH to its binary." >&2
  fi
fi

#!/usr/bin/env bash
# A throwaway PostgreSQL for the region tests and benchmarks.
#
#   scripts/pg-test.sh start   install Debian's postgresql when absent, create the
#                              cluster under .cache/pg/data on first use, start it on
#                              127.0.0.1:$MEZHVED_TEST_PG_PORT (default 55432) and print
#                              one line on stdout: the DSN for MEZHVED_TEST_PG_DSN
#   scripts/pg-test.sh stop    stop it (the data stays for the next run)
#   scripts/pg-test.sh dsn     print the DSN of a running cluster
#
# In the Makefile:
#   export MEZHVED_TEST_PG_DSN=$$(scripts/pg-test.sh start); go test ./region/...; scripts/pg-test.sh stop
#
# When MEZHVED_TEST_PG_DSN is already set, start prints it and touches nothing.
# initdb refuses root: as root the cluster runs as the Debian "postgres" user.
# Only loopback: listen_addresses=127.0.0.1 and a socket inside .cache/pg/run; the
# superuser's password is random, kept in .cache/pg/password (mode 600).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/.cache/pg
# As root the cluster runs as the postgres user, who must be able to reach
# the folder: a clone under a private home (mode 700) is out of its reach,
# so the cluster then lives under /var/tmp, named after this clone.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$PWD" 2>/dev/null; then
  root=/var/tmp/mezhved-pg-$(printf '%s' "$PWD" | sha256sum | cut -c1-12)
fi
data=$root/data
run=$root/run
port=${MEZHVED_TEST_PG_PORT:-55432}
cmd=${1:-start}

log() { echo "pg-test: $*" >&2; }

pgbin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

install_pg() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "PostgreSQL is missing: install the Debian package postgresql as root"; exit 1; }
    sudo=sudo
  fi
  log "installing the Debian package postgresql"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
}

# as_owner runs a command as the cluster's owner: ourselves, or postgres when root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

dsn() {
  printf 'postgres://mezhved:%s@127.0.0.1:%s/mezhved_test?sslmode=disable\n' "$(cat "$root/password")" "$port"
}

case $cmd in
start)
  if [ -n "${MEZHVED_TEST_PG_DSN:-}" ]; then
    echo "$MEZHVED_TEST_PG_DSN"
    exit 0
  fi
  bin=$(pgbin || true)
  if [ -z "$bin" ]; then
    install_pg
    bin=$(pgbin || true)
    [ -n "$bin" ] || { log "postgresql installed but initdb not found under /usr/lib/postgresql"; exit 1; }
  fi
  mkdir -p "$root" "$run"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$root" "$run"; fi
  if [ ! -s "$root/password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$root/password")
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initdb $data"
    pw=$(mktemp)
    cp "$root/password" "$pw"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$pw"; fi
    as_owner "$bin/initdb" -D "$data" -U mezhved --pwfile="$pw" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >&2
    rm -f "$pw"
  fi
  if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $run -c fsync=on -c max_connections=300" >&2 ||
      { log "PostgreSQL did not start; see $root/server.log"; tail -20 "$root/server.log" >&2; exit 1; }
  fi
  export PGPASSWORD
  PGPASSWORD=$(cat "$root/password")
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U mezhved -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'mezhved_test'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U mezhved mezhved_test >&2
  fi
  dsn
  ;;
stop)
  bin=$(pgbin || true)
  if [ -n "$bin" ] && [ -f "$data/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2 || true
  fi
  ;;
dsn)
  dsn
  ;;
*)
  echo "usage: scripts/pg-test.sh start|stop|dsn" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# A private PostgreSQL server for the demo and the tests.
#
#   scripts/postgres.sh start    initialise (first time) and start; prints the URL on stdout
#   scripts/postgres.sh stop     stop it (no error when it is not running)
#   scripts/postgres.sh url      print the URL
#   scripts/postgres.sh status   say whether it is running (exit status 1 when it is not)
#
# Environment: DLQ_PG_DIR (data directory, default <repo>/.dev/postgres), DLQ_PG_PORT (default 54329).
#
# The server trusts every local connection: it is for tests and the demo, it listens on 127.0.0.1 only,
# and its unix socket lives inside the data directory so it never collides with a system cluster.
# Durability settings stay at PostgreSQL's defaults because crash tests rely on them.
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${DLQ_PG_DIR:-$repo_dir/.dev/postgres}"
# The server runs as another user from another directory: a relative path would point elsewhere.
case "$data_dir" in
    /*) ;;
    *) data_dir="$PWD/$data_dir" ;;
esac
port="${DLQ_PG_PORT:-54329}"
pg_version=15
bin_dir="/usr/lib/postgresql/$pg_version/bin"

log() { echo "postgres.sh: $*" >&2; }

# PostgreSQL refuses to run as root, so the server tools run as the postgres user when we are root.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

url_for_port() { echo "postgresql://postgres@127.0.0.1:$1/postgres"; }

is_running() {
    [ -x "$bin_dir/pg_ctl" ] && [ -f "$data_dir/PG_VERSION" ] \
        && as_postgres "$bin_dir/pg_ctl" status -D "$data_dir" >/dev/null 2>&1
}

# The port of the running server, which may differ from DLQ_PG_PORT if it was started with another one.
running_port() {
    sed -n 4p "$data_dir/postmaster.pid" 2>/dev/null || echo "$port"
}

ensure_binaries() {
    if [ ! -x "$bin_dir/pg_ctl" ]; then
        log "PostgreSQL server binaries missing; installing the postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
    fi
    if [ ! -x "$bin_dir/pg_ctl" ]; then
        log "expected PostgreSQL $pg_version binaries in $bin_dir"
        exit 1
    fi
}

ensure_cluster() {
    if [ -f "$data_dir/PG_VERSION" ]; then
        return
    fi
    log "initialising a cluster in $data_dir"
    mkdir -p "$data_dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$data_dir"
    fi
    chmod 700 "$data_dir"
    # UTF8 so text columns accept any valid UTF-8; the C locale keeps sorting byte-wise and needs no locale data.
    as_postgres "$bin_dir/initdb" -D "$data_dir" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C >/dev/null
    cat >>"$data_dir/postgresql.conf" <<EOF

# Added by scripts/postgres.sh: a private server for tests and the demo.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data_dir'
shared_buffers = 128MB
max_connections = 200
EOF
}

start() {
    ensure_binaries
    if is_running; then
        log "already running in $data_dir"
        url_for_port "$(running_port)"
        return
    fi
    ensure_cluster
    # A unix socket path longer than 107 bytes cannot be bound; say so instead of failing obscurely.
    local socket="$data_dir/.s.PGSQL.$port"
    if [ "${#socket}" -gt 107 ]; then
        log "socket path $socket is too long for a unix socket; choose a shorter DLQ_PG_DIR"
        exit 1
    fi
    log "starting on 127.0.0.1:$port (log: $data_dir/server.log)"
    if ! as_postgres "$bin_dir/pg_ctl" start -D "$data_dir" -l "$data_dir/server.log" -w -t 60 \
        -o "-p $port" >/dev/null; then
        log "could not start; the end of $data_dir/server.log says:"
        tail -n 5 "$data_dir/server.log" >&2 || true
        log "if port $port is taken by another server, choose another with DLQ_PG_PORT"
        exit 1
    fi
    local tries=0
    until "$bin_dir/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres; do
        tries=$((tries + 1))
        if [ "$tries" -ge 120 ]; then
            log "server did not become ready; see $data_dir/server.log"
            exit 1
        fi
        sleep 0.5
    done
    url_for_port "$port"
}

stop() {
    if is_running; then
        log "stopping"
        as_postgres "$bin_dir/pg_ctl" stop -D "$data_dir" -m fast -w >/dev/null
    else
        log "not running"
    fi
}

# Exits 1 when stopped, so scripts can tell whether they started the server (and must stop it again).
status() {
    if is_running; then
        echo "running: $(url_for_port "$(running_port)") (data: $data_dir)"
    else
        echo "stopped (data: $data_dir)"
        return 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url)
        if is_running; then url_for_port "$(running_port)"; else url_for_port "$port"; fi
        ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|url|status" >&2
        exit 2
        ;;
esac

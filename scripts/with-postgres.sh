#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on loopback (Debian's postgresql),
# exported to it as KYC_SDK_PG_URL. The cluster lives in a temporary folder owned by the
# postgres user and is stopped and removed when the command ends.
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found (run scripts/setup.sh)" >&2; exit 1; }
PORT=${KYC_SDK_PG_PORT:-54329}
DIR=$(mktemp -d /tmp/kyc-sdk-pg.XXXXXX)
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; RUN_AS=(runuser -u postgres --); fi
cleanup() { "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=100" start >/dev/null
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres kyc_sdk_test
export KYC_SDK_PG_URL="postgresql://postgres@127.0.0.1:$PORT/kyc_sdk_test"
"$@"

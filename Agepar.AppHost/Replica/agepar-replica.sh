#!/usr/bin/env bash
# Entrypoint of the run-mode streaming replica (Bff:ReadReplica=Streaming), in the same PostgreSQL 15 image as the
# primary. On an empty data directory it clones the primary with pg_basebackup (-R writes standby.signal and
# primary_conninfo), then runs postgres as a hot standby that streams WAL from the primary.
#   PRIMARY_HOST / PRIMARY_PORT       the primary
#   REPLICATION_USER / REPLICATION_PASSWORD   a LOGIN REPLICATION role (agepar_replicator)
#   REPLICATION_SLOT                  physical slot on the primary (created by pg_basebackup -C; default agepar_replica)
set -Eeuo pipefail
: "${PRIMARY_HOST:?}" "${PRIMARY_PORT:?}" "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}"
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
slot="${REPLICATION_SLOT:-agepar_replica}"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"; chmod 3777 /var/run/postgresql
  # Run again as postgres: from this file, or (as the AppHost passes it) from $AGEPAR_REPLICA_SCRIPT.
  if [ -n "${AGEPAR_REPLICA_SCRIPT:-}" ]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups bash -c "$AGEPAR_REPLICA_SCRIPT" agepar-replica "$@"
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

export PGPASSWORD="$REPLICATION_PASSWORD"
until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do
  echo "waiting for the primary at $PRIMARY_HOST:$PRIMARY_PORT"; sleep 1
done

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "cloning the primary with pg_basebackup (slot $slot)"
  clone() { rm -rf "${PGDATA:?}"/*; pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -D "$PGDATA" -R -X stream -c fast "$@"; }
  # -C creates the slot; a slot left by an earlier replica of this primary is reused instead.
  if ! clone -C -S "$slot" 2>/tmp/basebackup.err; then
    if grep -q "already exists" /tmp/basebackup.err; then clone -S "$slot"; else cat /tmp/basebackup.err >&2; exit 1; fi
  fi
  echo "clone complete; starting as a hot standby"
fi
unset PGPASSWORD

exec postgres -c hot_standby=on -c hot_standby_feedback=on -c listen_addresses='*' "$@"

#!/usr/bin/env bash
# Init script of the primary in Bff:ReadReplica=Streaming (mounted into /docker-entrypoint-initdb.d, so it runs once,
# when the data directory is created): lets LOGIN REPLICATION roles stream WAL over the network with SCRAM.
# "all" in pg_hba.conf does not match replication connections; this line does.
set -eu
printf '\nhost replication all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"

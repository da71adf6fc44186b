#!/bin/sh
# Entrypoint of the locally built postgres_exporter image (Debian's prometheus-postgres-exporter 0.11). Same contract
# as the upstream image (quay.io/prometheuscommunity/postgres-exporter), which deployments use:
#   DATA_SOURCE_URI    host:port/database?sslmode=disable|require|verify-ca|verify-full (lib/pq has no "prefer")
#   DATA_SOURCE_USER / DATA_SOURCE_PASS   the monitoring login (a member of pg_monitor; never the superuser)
# Serves :9187/metrics as the unprivileged user "nobody". Arguments are appended to the exporter's command line.
set -eu
: "${DATA_SOURCE_URI:?DATA_SOURCE_URI is required}" "${DATA_SOURCE_USER:?DATA_SOURCE_USER is required}" "${DATA_SOURCE_PASS:?DATA_SOURCE_PASS is required}"
exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
  /usr/bin/prometheus-postgres-exporter --web.listen-address=:9187 --web.telemetry-path=/metrics "$@"

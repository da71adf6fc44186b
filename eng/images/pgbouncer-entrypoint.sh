#!/bin/sh
# Entrypoint of the locally built pgBouncer image. Writes pgbouncer.ini and the auth file from the environment, then
# runs pgbouncer as the unprivileged user "pgbouncer" (it refuses to run as root).
#   PGBOUNCER_DB_HOST / PGBOUNCER_DB_PORT   the PostgreSQL server (port default 5432)
#   PGBOUNCER_DATABASE                      database served under the same name (default agepar)
#   PGBOUNCER_USER / PGBOUNCER_PASSWORD     the one login passed through (SCRAM on both sides)
#   PGBOUNCER_POOL_MODE                     transaction (default) | session
#   PGBOUNCER_POOL_SIZE / PGBOUNCER_MAX_CLIENT_CONN   server connections per user+database (20) / clients (500)
#   PGBOUNCER_SERVER_TLS_SSLMODE            TLS towards the server (default prefer)
#   PGBOUNCER_SERVER_LOGIN_RETRY            seconds between reconnection tries after the server was lost (default 1;
#                                           pgBouncer's own 15 s would hold every client that long after a restart)
# Anything given as arguments replaces the pgbouncer command line.
set -eu
: "${PGBOUNCER_DB_HOST:?PGBOUNCER_DB_HOST is required}" "${PGBOUNCER_USER:?PGBOUNCER_USER is required}" "${PGBOUNCER_PASSWORD:?PGBOUNCER_PASSWORD is required}"
case "$PGBOUNCER_PASSWORD" in *'"'*) echo "PGBOUNCER_PASSWORD must not contain a double quote" >&2; exit 1 ;; esac
conf=/etc/pgbouncer
mkdir -p "$conf" /var/run/pgbouncer
cat >"$conf/pgbouncer.ini" <<INI
[databases]
${PGBOUNCER_DATABASE:-agepar} = host=${PGBOUNCER_DB_HOST} port=${PGBOUNCER_DB_PORT:-5432} dbname=${PGBOUNCER_DATABASE:-agepar}

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $conf/userlist.txt
pool_mode = ${PGBOUNCER_POOL_MODE:-transaction}
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
max_client_conn = ${PGBOUNCER_MAX_CLIENT_CONN:-500}
server_tls_sslmode = ${PGBOUNCER_SERVER_TLS_SSLMODE:-prefer}
server_login_retry = ${PGBOUNCER_SERVER_LOGIN_RETRY:-1}
ignore_startup_parameters = extra_float_digits
server_reset_query =
log_connections = 0
log_disconnections = 0
INI
printf '"%s" "%s"\n' "$PGBOUNCER_USER" "$PGBOUNCER_PASSWORD" >"$conf/userlist.txt"
chown -R pgbouncer:pgbouncer "$conf" /var/run/pgbouncer
chmod 600 "$conf/userlist.txt"
[ "$#" -gt 0 ] && exec "$@"
exec runuser -u pgbouncer -- pgbouncer "$conf/pgbouncer.ini"

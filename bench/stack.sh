#!/usr/bin/env bash
# Starts the benchmark stack for bench/ratios.sh: the README's run command (eng/run.sh) built and run in **Release**,
# on ports of its own, with its own volumes and known passwords, so it can run beside a default stack and be thrown away.
#   bash bench/stack.sh            # foreground; Ctrl+C stops the AppHost and its containers
#   bash bench/stack.sh --down     # removes the bench volumes afterwards (seeded audits can never be deleted otherwise)
# Everything that differs from `bash eng/run.sh` is listed here and in bench/README.md ("The ratio stack"):
#   * Release build (AGEPAR_CONFIGURATION=Release);
#   * ports: BFF 5280, PostgreSQL 5482, Prometheus 9290, dashboard 15280 (+4000 OTLP, +5000 resource service);
#   * volumes agepar-ratios-data / agepar-ratios-backups; pgAdmin off; db-sslmode Disable (loopback only);
#   * fixed bench passwords (bench/ratios/env.sh), so pgbench and psql can connect as postgres and agepar_user;
#   * the per-user request limit (RateLimiting:PermitLimit, 1,200 a minute) raised to 1,000,000 (the maximum it accepts; 16,000 a second): 8 connections of
#     one user submitting flat out would otherwise measure the limiter's 429s. The limiter itself stays on (its cost is
#     measured), as do the login throttle, the anonymous budget (health is exempt from it anyway) and every other limit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/ratios/env.sh
source "$here/ratios/env.sh"

if [ "${1:-}" = --down ]; then
  docker volume rm agepar-ratios-data agepar-ratios-backups
  exit 0
fi

# `dotnet run` of the AppHost builds the AppHost; the services it starts must be built in Release too.
for project in Agepar.Bff Agepar.MigrationService; do
  dotnet build "$here/../$project" -c Release -nologo -v quiet >&2
done
export AGEPAR_CONFIGURATION=Release AGEPAR_DASHBOARD_PORT="$RATIOS_DASHBOARD_PORT"
exec bash "$here/../eng/run.sh" \
  PgAdmin:Enabled=false \
  Bff:HostPort="$RATIOS_BFF_PORT" Postgres:HostPort="$RATIOS_PG_PORT" Monitoring:Prometheus:HostPort="$RATIOS_PROMETHEUS_PORT" \
  Postgres:DataVolume=agepar-ratios-data Backup:Volume=agepar-ratios-backups \
  Bff:Environment:RateLimiting__PermitLimit=1000000 \
  Parameters:postgres-password="$RATIOS_PG_PASSWORD" Parameters:agepar-user-password="$RATIOS_APP_PASSWORD" \
  Parameters:db-sslmode=Disable Parameters:bootstrap-admin-password="$RATIOS_ADMIN_FIRST_PASSWORD" \
  "$@"

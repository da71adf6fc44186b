#!/usr/bin/env bash
# Times the importer from the current portal (docs/import.md) on 100,000 submissions and 1,000,000 audit rows.
# Self-contained and throwaway: starts its own PostgreSQL container on a random loopback port, migrates an empty
# `agepar` database as agepar_admin (up to the migration before AuditChain), seeds an old-portal database (bench/import-seed.sql), runs
# `import --dry-run`, `import`, and `import` again (idempotent pass), prints the figures, removes the container.
#   bash bench/import.sh        (after `dotnet build Agepar.sln -c Release`)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
engine="${AGEPAR_ENGINE:-docker}"
image="${BENCH_POSTGRES_IMAGE:-}"
if [ -z "$image" ]; then
  image=docker.io/library/postgres:15
  "$engine" image inspect agepar.local/library/postgres:15 >/dev/null 2>&1 && image=agepar.local/library/postgres:15
fi
dll="$root/Agepar.MigrationService/bin/Release/net10.0/Agepar.MigrationService.dll"
[ -f "$dll" ] || { echo "build first: dotnet build Agepar.sln -c Release" >&2; exit 1; }

password="BenchImport$RANDOM$RANDOM"
# Throwaway CPF keys (docs/schema.md, "Encrypted CPFs"): the migration service and the importer need them.
export PersonalData__EncryptionKey="bench-data-key-$(openssl rand -hex 24)" PersonalData__IndexKey="bench-index-key-$(openssl rand -hex 24)"
cid="$("$engine" run -d --rm -e POSTGRES_PASSWORD="$password" -p 127.0.0.1::5432 "$image")"
trap '"$engine" rm -f "$cid" >/dev/null 2>&1 || true' EXIT
port="$("$engine" port "$cid" 5432/tcp | head -n 1 | sed 's/.*://')"
psql() { "$engine" exec -i "$cid" psql -X -q -v ON_ERROR_STOP=1 -U postgres "$@"; }
for _ in $(seq 1 60); do psql -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
# The official entrypoint restarts the server once after init: wait for the final one.
sleep 3; for _ in $(seq 1 60); do psql -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done

psql -c "CREATE ROLE agepar_admin LOGIN PASSWORD '$password'" -c "CREATE DATABASE agepar OWNER agepar_admin" -c "CREATE DATABASE oldportal"
admin="Host=127.0.0.1;Port=$port;Username=agepar_admin;Password=$password;Database=agepar"
old="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=oldportal"
# Up to the migration before AuditChain, as on the switch-over day (docs/import.md): the chain would refuse history.
env "ConnectionStrings__agepar-admin=$admin" DOTNET_ENVIRONMENT=Development Migrations__RequireApproval=true \
  Migrations__ApprovedTarget="${BENCH_APPROVED_TARGET:-20261129215853_MaintenanceFunctions}" dotnet "$dll" >/dev/null

echo "seeding the old portal database (1,000 users, 100,000 submissions, 1,000,000 audit rows)..." >&2
seed_start=$(date +%s.%N)
psql -d oldportal < "$here/import-old-portal.sql"
psql -d oldportal < "$here/import-seed.sql"
seed_end=$(date +%s.%N)

run() {
  local log; log="$(mktemp)"
  local start end
  start=$(date +%s.%N)
  env "ConnectionStrings__agepar-admin=$admin" DOTNET_ENVIRONMENT=Development \
    dotnet "$dll" import --from "$old" --files-report "$(mktemp)" "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  end=$(date +%s.%N)
  cat "$log" >&2
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
  rm -f "$log"
}

rows=$((1000 + 4 + 1000 + 100000 + 950000 + 50000))
dry=$(run --dry-run); first=$(run); second=$(run)
echo
echo "| step | seconds | source rows/s |"
echo "|---|---|---|"
awk -v s="$seed_start" -v e="$seed_end" 'BEGIN { printf "| seed (generate_series, not the importer) | %.1f | |\n", e - s }'
for step in "import --dry-run:$dry" "import:$first" "import again (nothing new):$second"; do
  name="${step%%:*}"; secs="${step##*:}"
  awk -v n="$name" -v t="$secs" -v r="$rows" 'BEGIN { printf "| %s | %s | %.0f |\n", n, t, r / t }'
done
echo
echo "target: $(psql -d agepar -Atc "SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM submissions) || ' submissions, ' || (SELECT count(*) FROM audits) || ' audits in ' || (SELECT count(*) FROM pg_inherits WHERE inhparent = 'audits'::regclass) || ' partitions'")"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work while measuring)"

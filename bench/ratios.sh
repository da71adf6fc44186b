#!/usr/bin/env bash
# How close the BFF comes to what PostgreSQL alone does on the same machine, measured side by side in ONE run
# (issue 12). Against the Release bench stack of `bash bench/stack.sh` (bench/README.md, "Ratios"):
#   bash bench/ratios.sh
# Prints one Markdown table: for each measure the BFF figure, the database-alone figure measured in the same run, and
# their ratio. Loopback and the stack's own containers only; every load is bounded (RATIOS_DURATION seconds).
#
# Environment (defaults in brackets): RATIOS_DURATION [10] seconds per load; RATIOS_AUDITS [700000] audits the table
# must hold for the CSV measure (bench/seed.sql tops it up once); RATIOS_SUBMISSIONS [20000] submissions seeded with
# them; RATIOS_SKIP (space-separated: health submit lifecycle csv backup coldstart) to leave measures out.
# RATIOS_BACKUP_ROUNDS [2]: rounds of (plain pg_dump, backup job) for the backup measure; the best of each is compared.
# RATIOS_CSV_ROUNDS [3]: rounds of (audits.csv, psql \copy) for the CSV measure; the best of each is compared.
# Ports and passwords: bench/ratios/env.sh (shared with bench/stack.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/ratios/env.sh
source "$here/ratios/env.sh"
duration="${RATIOS_DURATION:-10}"
want_audits="${RATIOS_AUDITS:-700000}"
seed_submissions="${RATIOS_SUBMISSIONS:-20000}"
skip=" ${RATIOS_SKIP:-} "
bff="http://127.0.0.1:$RATIOS_BFF_PORT"
work="$(mktemp -d)"
cleanup() { [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null; [ -n "${cold:-}" ] && kill "$cold" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

say() { printf '[ratios] %s\n' "$*" >&2; }
want() { [[ "$skip" != *" $1 "* ]]; }
# libpq over TCP to the stack's published port: the same path (and proxy) the BFF's connections take.
as_app() { PGPASSWORD="$RATIOS_APP_PASSWORD" "$@" -h 127.0.0.1 -p "$RATIOS_PG_PORT" -U agepar_user -d agepar; }
as_postgres() { PGPASSWORD="$RATIOS_PG_PASSWORD" "$@" -h 127.0.0.1 -p "$RATIOS_PG_PORT" -U postgres -d agepar; }
sql() { as_postgres psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# --- tools -------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { say "wrk is missing (Debian: apt-get install wrk)"; exit 1; }
  say "installing Debian's wrk"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >&2; }
fi
for tool in pgbench psql curl; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing (Debian: apt-get install postgresql-client curl)"; exit 1; }
done

# --- the stack ---------------------------------------------------------------------------------------------------
for _ in $(seq 1 120); do curl -sf -o /dev/null "$bff/api/health" && break; sleep 1; done
curl -sf -o /dev/null "$bff/api/health" || { say "no healthy BFF at $bff: start it with 'bash bench/stack.sh'"; exit 1; }
bff_pid="$(ss -ltnpH "sport = :$RATIOS_BFF_PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)"
# Aspire's proxy (dcp) listens on the host port; the BFF itself is the dotnet process whose command line is Agepar.Bff.
if [ -n "$bff_pid" ] && ! tr '\0' ' ' <"/proc/$bff_pid/cmdline" | grep -q Agepar.Bff; then
  bff_pid="$(pgrep -f 'Agepar.Bff(.dll)?( |$)' | while read -r p; do
    if grep -qz "^ConnectionStrings__agepar=.*Port=$RATIOS_PG_PORT" "/proc/$p/environ" 2>/dev/null; then echo "$p"; fi; done | head -n 1)"
fi
[ -n "$bff_pid" ] || { say "cannot find the BFF process"; exit 1; }
# Load goes to the BFF's own port, not through Aspire's development proxy (dcp) on the host port: that proxy is not
# part of a deployment. Its connections to PostgreSQL do pass dcp's proxy, exactly as pgbench's and psql's below.
direct_port="$(ss -ltnpH | grep "pid=$bff_pid," | awk '{ print $4 }' | sed 's/.*://' | head -n 1 || true)"
[ -n "$direct_port" ] && bff="http://127.0.0.1:$direct_port"
pg_container="$(docker ps -q --filter volume=agepar-ratios-data | head -n 1)"
backup_container="$(docker ps -q --filter volume=agepar-ratios-backups | head -n 1)"
IFS=$'\t' read -r cookie csrf < <(bash "$here/ratios/login.sh" "$bff")
actor="$(sql "SELECT id FROM users WHERE email = '$RATIOS_ADMIN_EMAIL'")"

# --- data for the CSV measure ------------------------------------------------------------------------------------
audits="$(sql "SELECT count(*) FROM audits")"
if [ "$audits" -lt "$want_audits" ]; then
  say "seeding $((want_audits - audits)) audits and $seed_submissions submissions (bench/seed.sql; a few minutes)"
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -v rows="$((want_audits - audits))" -v months=6 -v submissions="$seed_submissions" \
    -f "$here/seed.sql" >/dev/null
fi
# The audit-chain sealer seals new rows in the background (16–30 k rows/s on a quiet machine). Rows seeded with ids
# below the chain's high-water mark are never its work (they stay unsealed, and the chain check reports them), so wait
# until the number of seals stops growing for 10 s, or RATIOS_SEAL_WAIT seconds (default 900), whichever comes first.
seal_deadline=$(( $(date +%s) + ${RATIOS_SEAL_WAIT:-900} ))
seals_sql="SELECT count(*) FROM audit_seals"
seals="$(sql "$seals_sql")"
while [ "$(date +%s)" -lt "$seal_deadline" ]; do
  sleep 10; now_seals="$(sql "$seals_sql")"
  [ "$now_seals" = "$seals" ] && break
  say "waiting for the audit sealer: $((now_seals - seals)) rows sealed in the last 10 s"; seals="$now_seals"
done
unsealed="$(sql "SELECT count(*) FROM audits a WHERE NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.audit_id = a.id)")"
[ "$(date +%s)" -lt "$seal_deadline" ] || say "WARNING: measuring while the sealer is still sealing (it competes for the CPU)"
# pgbench's rows (kind 'pgbench', never claimed) would stay queued: thousands of them ahead of the BFF's own in
# ix_submissions_queue make every worker claim walk past them (120 ms per claim after a few runs). Each run removes
# the ones earlier runs left, and its own after each pgbench phase.
drop_pgbench_rows() { sql "DELETE FROM submissions WHERE kind = 'pgbench'" >/dev/null; }
drop_pgbench_rows
sql "CHECKPOINT" >/dev/null

# Each row is printed as soon as it is measured (a failure later keeps the figures already taken).
echo "### bench/ratios.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), ${duration} s per load, $unsealed seeded audits outside the chain (not the sealer's work)"
echo
echo "| measure | BFF | the database alone, same run | ratio | goal |"
echo "|---|---|---|---|---|"
row() { echo "| $1 | $2 | $3 | $4 | $5 |"; }

# A plain `pg_dump -Fc` in the backup container, with the job's connection (AGEPAR_DB, Npgsql keywords → libpq).
read -r -d '' plain_dump <<'SCRIPT' || true
IFS=";" read -ra parts <<<"$AGEPAR_DB"
for part in "${parts[@]}"; do
  k="$(tr "[:upper:]" "[:lower:]" <<<"${part%%=*}" | tr -d " ")"; v="${part#*=}"
  case "$k" in
    host) export PGHOST="$v" ;;
    port) export PGPORT="$v" ;;
    database) export PGDATABASE="$v" ;;
    username) export PGUSER="$v" ;;
    password) export PGPASSWORD="$v" ;;
    sslmode) PGSSLMODE="$(tr "[:upper:]" "[:lower:]" <<<"$v")"; export PGSSLMODE ;;
  esac
done
s=$(date +%s.%N); pg_dump -Fc -f /tmp/ratios-plain.dump; e=$(date +%s.%N); rm -f /tmp/ratios-plain.dump
awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", b - a }'
SCRIPT

# --- 1. /api/health p50, one connection, vs SELECT 1 p50 through pgbench -----------------------------------------
p50_ms() { # wrk --latency output → p50 in ms
  awk '$1 == "50%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.3f", v }'
}
if want health; then
  say "health: wrk 1 connection ${duration}s vs pgbench SELECT 1, 1 client"
  wrk -t1 -c1 -d2s "$bff/api/health" >/dev/null
  health_p50="$(wrk -t1 -c1 -d"${duration}s" --latency "$bff/api/health" | p50_ms)"
  (cd "$work" && as_app pgbench -n -M extended -c1 -j1 -T"$duration" -l --log-prefix=select1 -f "$here/ratios/select1.sql" >/dev/null 2>&1)
  select1_p50="$(cat "$work"/select1.* | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int(NR * 0.5 + 0.5)] / 1000 }')"
  row "/api/health p50, 1 connection" "$health_p50 ms" "\`SELECT 1\` p50 (pgbench, 1 client): $select1_p50 ms" "$(ratio "$health_p50" "$select1_p50")×" "≤ 3×"
fi

# --- 2./3. submit accepted and submit → done, 8 connections; peak RSS ---------------------------------------------
# Waits (at most $1 s) until the BFF's queue holds no form2json submission still queued or running.
drain_queue() {
  for _ in $(seq 1 "$1"); do
    # seed.sql's queued rows wait ten years (run_after): not work the queue can drain.
    [ "$(sql "SELECT count(*) FROM submissions WHERE kind = 'form2json' AND status IN ('queued', 'running') AND run_after < now() + interval '1 hour'")" = 0 ] && return; sleep 1
  done
}
# One sample: VmRSS and what it is made of (kB): anonymous (GC heap, native heap, stacks), file-mapped (assemblies and
# native libraries, mostly shared with any other .NET process), shared memory (the runtime's executable memory: JIT'd
# code and loader heaps, mapped through a memfd while W^X is on).
rss_kb() { awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { v[$1] = $2 } END { print v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["RssShmem:"] }' "/proc/$bff_pid/status"; }
if want submit; then
  say "submit: wrk 8 connections ${duration}s (form2json), then the queue drains; RSS sampled"
  # Warm-up, as for health: the first requests of a fresh path run tier-0 code while the JIT recompiles it in the
  # background, on the same 2 cores; pgbench has nothing to warm. Its submissions are drained before t0.
  RATIOS_COOKIE="$cookie" RATIOS_CSRF="$csrf" wrk -t2 -c8 -d3s -s "$here/ratios/submit.lua" "$bff" >/dev/null
  drain_queue 120
  t0="$(sql "SELECT now()")"
  (while true; do rss_kb >>"$work/rss"; sleep 0.2; done) & sampler=$!
  RATIOS_COOKIE="$cookie" RATIOS_CSRF="$csrf" wrk -t2 -c8 -d"${duration}s" -s "$here/ratios/submit.lua" "$bff" >"$work/submit.out"
  accepted="$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/submit.out")"
  non2xx="$(awk '/Non-2xx/ { print $NF }' "$work/submit.out")"
  [ -z "$non2xx" ] || say "WARNING: $non2xx submit answers were not 2xx (rate limit? see bench/README.md)"
  drain_queue 300
  kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
  IFS='|' read -r done_count done_rate < <(sql "SELECT count(*), round(count(*) / greatest(extract(epoch FROM max(finished_at) - min(created_at)), 0.001), 0)
      FROM submissions WHERE kind = 'form2json' AND created_at >= '$t0' AND status = 'done'")
  read -r peak_rss_mb peak_anon_mb peak_file_mb peak_shmem_mb < <(sort -n "$work/rss" | tail -n 1 | awk '{ printf "%.0f %.0f %.0f %.0f\n", $1 / 1024, $2 / 1024, $3 / 1024, $4 / 1024 }')
  hwm_mb="$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$bff_pid/status")"

  say "submit: pgbench inserting submission + audit, 8 clients ${duration}s"
  insert_tps="$(as_app pgbench -n -M extended -c8 -j2 -T"$duration" -D actor="$actor" -f "$here/ratios/submit.sql" 2>/dev/null \
    | awk '/^tps/ { printf "%.0f", $3 }')"
  drop_pgbench_rows
  row "submit accepted (form2json), 8 connections" "$accepted req/s" "pgbench submission + audit insert, 8 clients: $insert_tps tps" "$(ratio "$accepted" "$insert_tps")" "≥ 0.5"
fi
if want lifecycle && want submit; then
  say "lifecycle: pgbench create+audit, claim+audit, complete+audit, 8 clients ${duration}s"
  lifecycle_tps="$(as_app pgbench -n -M extended -c8 -j2 -T"$duration" -D actor="$actor" -f "$here/ratios/lifecycle.sql" 2>/dev/null \
    | awk '/^tps/ { printf "%.0f", $3 }')"
  drop_pgbench_rows
  row "submit → done, 8 connections ($done_count submissions)" "$done_rate done/s" "pgbench lifecycle (3 transactions + 3 audits), 8 clients: $lifecycle_tps tps" "$(ratio "$done_rate" "$lifecycle_tps")" "≥ 0.5"
fi

# --- 4. audits.csv vs \copy of the same rows -----------------------------------------------------------------------
if want csv; then
  rounds="${RATIOS_CSV_ROUNDS:-3}"
  say "csv: GET /api/control/audits.csv (all rows) vs psql \\copy of the same query as CSV; $rounds rounds, best of each"
  columns="a.id, a.occurred_at, a.actor_user_id, a.actor_name, a.actor_email, a.action, a.kind, a.object_type, a.object_id, a.outcome, host(a.ip), a.user_agent, a.trace_id, a.metadata::text"
  # Best of each over the rounds: the first reader of 900 k rows pays for the cold cache (and the BFF for its first
  # JIT of the export path); in the later rounds both read warm.
  csv_runs=(); copy_runs=()
  for _ in $(seq 1 "$rounds"); do
    start="$(now)"
    csv_lines="$(curl -sf -b "$cookie" "$bff/api/control/audits.csv" | wc -l)"
    csv_runs+=("$(elapsed "$start" "$(now)")")
    start="$(now)"
    copy_lines="$(as_app psql -X -q -c "\\copy (SELECT $columns FROM audits a ORDER BY a.occurred_at DESC, a.id DESC) TO STDOUT WITH (FORMAT csv, HEADER)" | wc -l)"
    copy_runs+=("$(elapsed "$start" "$(now)")")
  done
  csv_s="$(printf '%s\n' "${csv_runs[@]}" | sort -n | head -n 1)"
  copy_s="$(printf '%s\n' "${copy_runs[@]}" | sort -n | head -n 1)"
  csv_rate="$(awk -v n="$csv_lines" -v s="$csv_s" 'BEGIN { printf "%.0f", (n - 1) / s }')"
  copy_rate="$(awk -v n="$copy_lines" -v s="$copy_s" 'BEGIN { printf "%.0f", (n - 1) / s }')"
  row "audits.csv, $((csv_lines - 1)) rows, best of $rounds" "$csv_rate rows/s (${csv_s} s; runs ${csv_runs[*]})" "psql \\copy … TO STDOUT CSV, $((copy_lines - 1)) rows: $copy_rate rows/s (${copy_s} s; runs ${copy_runs[*]})" "$(ratio "$csv_rate" "$copy_rate")" "≥ 1.0"
fi

# --- 5. the backup job's dump vs a plain pg_dump -Fc ---------------------------------------------------------------
if want backup && [ -n "$backup_container" ]; then
  rounds="${RATIOS_BACKUP_ROUNDS:-2}"
  say "backup: plain pg_dump -Fc, then agepar-backup now (timed to its 'wrote' line), in the same container; $rounds rounds, best of each"
  # Alternating, best of each: whichever runs first otherwise pays for the cold cache and the other gets it warm.
  job_runs=(); plain_runs=()
  for _ in $(seq 1 "$rounds"); do
    # The same client, network path and read-only user as the job, no snapshot export, counts or checksum.
    plain_runs+=("$(docker exec "$backup_container" runuser -u postgres -- bash -c "$plain_dump")")
    # BACKUP_VERIFY=false: the restore check after the dump is not part of this measure (bench/backup.sh times it).
    docker exec -e BACKUP_VERIFY=false "$backup_container" bash -c 'bash -c "$AGEPAR_BACKUP_SCRIPT" agepar-backup now' 2>&1 \
      | while IFS= read -r line; do printf '%s %s\n' "$(now)" "$line"; done >"$work/backup.log"
    began="$(awk '/agepar-backup: backing up/ { print $1; exit }' "$work/backup.log")"
    wrote="$(awk '/agepar-backup: wrote/ { print $1; exit }' "$work/backup.log")"
    [ -n "$began" ] && [ -n "$wrote" ] || { cat "$work/backup.log" >&2; say "the backup failed"; exit 1; }
    job_runs+=("$(elapsed "$began" "$wrote")")
  done
  job_s="$(printf '%s\n' "${job_runs[@]}" | sort -n | head -n 1)"
  plain_s="$(printf '%s\n' "${plain_runs[@]}" | sort -n | head -n 1)"
  db_size="$(sql "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  row "backup dump ($db_size database), best of $rounds" "${job_s} s (snapshot, row counts, pg_dump, sha256; runs ${job_runs[*]})" "plain \`pg_dump -Fc\`: ${plain_s} s (runs ${plain_runs[*]})" "$(ratio "$job_s" "$plain_s")" "≤ 1.1"
fi

# --- 6. cold start: a second BFF process with the running one's environment, until /api/health answers 200 -------------
if want coldstart; then
  say "cold start: a second BFF process (same build and environment, port 5299) until /api/health is 200"
  cmd=(); while IFS= read -r -d '' part; do cmd+=("$part"); done <"/proc/$bff_pid/cmdline"
  env_args=(); while IFS= read -r -d '' kv; do
    case "$kv" in ASPNETCORE_URLS=*|HTTP_PORTS=*|HTTPS_PORTS=*|ASPNETCORE_HTTP_PORTS=*|PORT=*) ;; *) env_args+=("$kv") ;; esac
  done <"/proc/$bff_pid/environ"
  start="$(now)"
  (cd "/proc/$bff_pid/cwd" && exec env -i "${env_args[@]}" ASPNETCORE_URLS=http://127.0.0.1:5299 "${cmd[@]}") >"$work/cold.log" 2>&1 & cold=$!
  for _ in $(seq 1 1200); do curl -sf -m 5 -o /dev/null http://127.0.0.1:5299/api/health && break; sleep 0.1; done
  cold_s="$(elapsed "$start" "$(now)")"
  curl -sf -o /dev/null http://127.0.0.1:5299/api/health || { tail -n 20 "$work/cold.log" >&2; cold_s="failed"; }
  # A graceful stop would drain its workers; this process only had to start.
  kill -KILL "$cold"; wait "$cold" 2>/dev/null || true; cold=
  row "cold start to healthy (BFF process)" "$cold_s s" "" "" "≤ 30 s"
fi
if want submit; then
  row "BFF peak RSS under the submit load" "$peak_rss_mb MB (anonymous $peak_anon_mb, file-mapped $peak_file_mb, JIT'd code and loader heaps $peak_shmem_mb; VmHWM since start: $hwm_mb MB)" "" "" "≤ 250 MB"
fi

echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

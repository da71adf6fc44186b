#!/usr/bin/env bash
# agepar-backup — daily logical backups of the agepar database, with retention and a restore check.
#
# Runs in the "backup" container (the same PostgreSQL 15 image as the database, so pg_dump matches the server). The
# AppHost passes this script in AGEPAR_BACKUP_SCRIPT and starts it as `bash -c "$AGEPAR_BACKUP_SCRIPT" agepar-backup daemon`.
#
#   agepar-backup daemon        back up at BACKUP_AT (UTC) every day, and at once when no backup is younger than a day
#   agepar-backup now           one backup now: dump, checksum, restore check, retention (exit 0 = all good)
#   agepar-backup verify [FILE] restore FILE (default: the newest) into a scratch server, compare row counts and chain head
#   agepar-backup list          the backups present, oldest first
#
# From the host:  docker exec <backup container> bash -c 'bash -c "$AGEPAR_BACKUP_SCRIPT" agepar-backup now'
#
# Environment:
#   AGEPAR_DB               Npgsql connection string of agepar_backup (read only: pg_read_all_data) (Host=…;Port=…;Database=…;Username=…;Password=…;SSL Mode=…)
#   BACKUP_DIR              where backups are written (a volume; default /backups)
#   BACKUP_AT               daily time, UTC, HH:MM (default 02:00)
#   BACKUP_RETENTION_DAYS   backups older than this are deleted; the newest one is always kept (default 30)
#   BACKUP_VERIFY           true: restore-check every new backup (default true)
#
# Each backup is four files: agepar-<UTC timestamp>.dump (pg_dump custom format), .dump.sha256, .dump.counts (the
# exact row count of every table, taken in the dump's own snapshot) and .dump.chain (the audit chain head in that
# snapshot: "seq|link hex|sealed_at", a checkpoint kept outside the database). Nothing is left behind by a failed run.
set -euo pipefail
# Backups hold every password hash and audit row: only the job's own user may read them.
umask 077

BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_AT="${BACKUP_AT:-02:00}"
BACKUP_RETENTION_DAYS="${BACKUP_RETENTION_DAYS:-30}"
BACKUP_VERIFY="${BACKUP_VERIFY:-true}"

log() { printf '%s agepar-backup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# The job runs as the postgres user (initdb refuses root); the volume is handed to it first.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$BACKUP_DIR" && chown postgres:postgres "$BACKUP_DIR"
  exec runuser -u postgres -- bash -c "$AGEPAR_BACKUP_SCRIPT" agepar-backup "$@"
fi

[[ "$BACKUP_AT" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] || die "BACKUP_AT must be HH:MM (UTC); got '$BACKUP_AT'"
[[ "$BACKUP_RETENTION_DAYS" =~ ^[0-9]+$ ]] && [ "$BACKUP_RETENTION_DAYS" -ge 1 ] \
  || die "BACKUP_RETENTION_DAYS must be a whole number of days >= 1; got '$BACKUP_RETENTION_DAYS'"

# AGEPAR_DB (Npgsql keywords) → libpq environment. Values must not contain ';'.
connect_from_env() {
  [ -n "${AGEPAR_DB:-}" ] || die "AGEPAR_DB (the agepar_backup connection string) is not set"
  local part key value
  IFS=';' read -ra parts <<<"$AGEPAR_DB"
  for part in "${parts[@]}"; do
    [ -n "$part" ] || continue
    key="$(tr '[:upper:]' '[:lower:]' <<<"${part%%=*}" | tr -d ' ')"; value="${part#*=}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      database|db) export PGDATABASE="$value" ;;
      username|userid|user) export PGUSER="$value" ;;
      password) export PGPASSWORD="$value" ;;
      sslmode) export PGSSLMODE
               PGSSLMODE="$(tr '[:upper:]' '[:lower:]' <<<"$value" | sed 's/verifyca/verify-ca/; s/verifyfull/verify-full/')" ;;
    esac
  done
  : "${PGHOST:?AGEPAR_DB has no Host}" "${PGDATABASE:?AGEPAR_DB has no Database}" "${PGUSER:?AGEPAR_DB has no Username}"
  export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-15}" PGAPPNAME=agepar-backup
}

# SQL that lists "table|rows" for every table of schema public (partitioned parents counted whole, partitions not twice).
COUNT_SQL="SELECT coalesce(string_agg(format('SELECT %L || ''|'' || count(*) FROM public.%I', c.relname, c.relname), ' UNION ALL ' ORDER BY c.relname), 'SELECT NULL WHERE false')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"

# The audit chain head ("chain|seq|link hex|sealed_at"; seq 0 before anything was sealed): the backup's checkpoint.
CHAIN_SQL="SELECT 'chain|' || coalesce((SELECT seq || '|' || encode(link, 'hex') || '|' || to_char(sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
  FROM public.audit_seals ORDER BY seq DESC LIMIT 1), '0|' || repeat('0', 64) || '|');"

backup_now() {
  connect_from_env
  mkdir -p "$BACKUP_DIR"
  exec 9>"$BACKUP_DIR/.lock"
  flock -w 3600 9 || die "another backup is still running"
  local stamp name partial
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"; name="agepar-$stamp.dump"; partial="$BACKUP_DIR/.$name.partial"
  # shellcheck disable=SC2064
  trap "rm -f '$partial' '$partial.counts' '$partial.chain'" EXIT
  log "backing up $PGDATABASE on $PGHOST:${PGPORT:-5432} as $PGUSER → $BACKUP_DIR/$name"

  # One REPEATABLE READ transaction exports its snapshot: the row counts and pg_dump see exactly the same data.
  coproc PSQL { psql -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
  local snapshot line
  printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" "SELECT pg_export_snapshot();" >&"${PSQL[1]}"
  read -r -t 60 snapshot <&"${PSQL[0]}" || die "could not open a snapshot on $PGHOST"
  [[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || die "could not open a snapshot: $snapshot"
  printf '%s\n' "$COUNT_SQL \\gexec" "$CHAIN_SQL" "SELECT 'agepar-backup:end';" >&"${PSQL[1]}"
  : >"$partial.counts"
  : >"$partial.chain"
  while read -r -t 600 line <&"${PSQL[0]}"; do
    [ "$line" = "agepar-backup:end" ] && break
    [[ "$line" == *"|"* ]] || die "counting rows: $line"
    if [[ "$line" == chain\|* ]]; then echo "${line#chain|}" >"$partial.chain"; else echo "$line" >>"$partial.counts"; fi
  done
  [ "$line" = "agepar-backup:end" ] || die "counting rows did not finish"

  pg_dump --format=custom --compress=6 --snapshot="$snapshot" --no-password --file="$partial" \
    || die "pg_dump exited with $?"
  printf '%s\n' "COMMIT;" "\\q" >&"${PSQL[1]}"
  wait "$PSQL_PID" 2>/dev/null || true

  mv "$partial.counts" "$BACKUP_DIR/$name.counts"
  mv "$partial.chain" "$BACKUP_DIR/$name.chain"
  mv "$partial" "$BACKUP_DIR/$name"
  (cd "$BACKUP_DIR" && sha256sum "$name" >"$name.sha256")
  trap - EXIT
  log "wrote $name ($(du -h "$BACKUP_DIR/$name" | cut -f1), $(wc -l <"$BACKUP_DIR/$name.counts") tables, $(awk -F'|' '{s+=$2} END {print s+0}' "$BACKUP_DIR/$name.counts") rows)"
  log "audit chain checkpoint of $name: $(cat "$BACKUP_DIR/$name.chain")"

  if [ "$BACKUP_VERIFY" = true ]; then verify "$BACKUP_DIR/$name"; fi
  prune
  log "backup done: $name"
}

# Restores a dump into a throwaway PostgreSQL server inside this container (no privilege on the real server is
# needed) and checks that every table has the row count recorded at dump time.
verify() {
  local file="${1:-}"
  [ -n "$file" ] || file="$(newest)"
  [ -n "$file" ] && [ -f "$file" ] || die "no backup to verify in $BACKUP_DIR"
  [ -f "$file.sha256" ] && { (cd "$(dirname "$file")" && sha256sum --quiet -c "$(basename "$file").sha256") || die "checksum mismatch: $file"; }
  SCRATCH="$(mktemp -d /tmp/agepar-restore.XXXXXX)"
  trap stop_scratch EXIT
  initdb -D "$SCRATCH/data" -U postgres --auth=trust -E UTF8 --no-locale >"$SCRATCH/initdb.log" 2>&1 \
    || { cat "$SCRATCH/initdb.log" >&2; die "initdb of the scratch server failed"; }
  pg_ctl -D "$SCRATCH/data" -w -l "$SCRATCH/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$SCRATCH' -c fsync=off -c full_page_writes=off" start >/dev/null \
    || { cat "$SCRATCH/server.log" >&2; die "the scratch server did not start"; }
  scratch createdb agepar_restore
  scratch pg_restore -d agepar_restore --no-owner --no-acl --exit-on-error "$file" 2>"$SCRATCH/restore.log" \
    || { tail -n 20 "$SCRATCH/restore.log" >&2; die "pg_restore of $(basename "$file") failed"; }
  printf '%s\n' "$COUNT_SQL \\gexec" | scratch psql -X -q -A -t -v ON_ERROR_STOP=1 -d agepar_restore -f - | sort >"$SCRATCH/restored.counts"
  # Without the counts there is nothing to compare: that is a failed check, never a silent pass.
  [ -f "$file.counts" ] && [ -r "$file.counts" ] && sort "$file.counts" >"$SCRATCH/expected.counts" 2>/dev/null \
    || die "restore check of $(basename "$file"): $(basename "$file").counts is missing or unreadable, row counts cannot be compared"
  if ! diff -u "$SCRATCH/expected.counts" "$SCRATCH/restored.counts" >"$SCRATCH/diff" 2>&1; then
    cat "$SCRATCH/diff" >&2; die "restore check of $(basename "$file"): row counts differ"
  fi
  if [ -f "$file.chain" ]; then
    local restored_chain
    restored_chain="$(scratch psql -X -q -A -t -v ON_ERROR_STOP=1 -d agepar_restore -c "$CHAIN_SQL")"
    [ "chain|$(cat "$file.chain")" = "$restored_chain" ] \
      || die "restore check of $(basename "$file"): audit chain head differs ($(cat "$file.chain") recorded, ${restored_chain#chain|} restored)"
  fi
  log "restore check passed: $(basename "$file") restored into a scratch server, $(wc -l <"$SCRATCH/restored.counts") tables, $(awk -F'|' '{s+=$2} END {print s+0}' "$SCRATCH/restored.counts") rows, counts match"
  stop_scratch; trap - EXIT
}

# A client command against the scratch server (its unix socket, no password), never the real database.
scratch() { env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD -u PGSSLMODE -u PGDATABASE PGHOST="$SCRATCH" PGUSER=postgres "$@"; }

stop_scratch() {
  [ -n "${SCRATCH:-}" ] || return 0
  pg_ctl -D "$SCRATCH/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$SCRATCH"; SCRATCH=
}

newest() {
  local name; name="$(find "$BACKUP_DIR" -maxdepth 1 -name 'agepar-*.dump' -printf '%f\n' 2>/dev/null | sort | tail -n 1)"
  if [ -n "$name" ]; then echo "$BACKUP_DIR/$name"; fi
}

# Deletes backups whose timestamp (in the name) is older than the retention; the newest backup always stays.
prune() {
  local cutoff newest_name file
  cutoff="agepar-$(date -u -d "-$BACKUP_RETENTION_DAYS days" +%Y%m%dT%H%M%SZ).dump"
  newest_name="$(basename "$(newest)")"
  while IFS= read -r file; do
    if [[ "$file" < "$cutoff" ]] && [ "$file" != "$newest_name" ]; then
      rm -f "$BACKUP_DIR/$file" "$BACKUP_DIR/$file.sha256" "$BACKUP_DIR/$file.counts" "$BACKUP_DIR/$file.chain"
      log "retention: deleted $file (older than $BACKUP_RETENTION_DAYS days)"
    fi
  done < <(find "$BACKUP_DIR" -maxdepth 1 -name 'agepar-*.dump' -printf '%f\n' | sort)
}

list() { find "$BACKUP_DIR" -maxdepth 1 -name 'agepar-*.dump' -printf '%f %s bytes\n' | sort; }

daemon() {
  log "daily backups at $BACKUP_AT UTC into $BACKUP_DIR, kept $BACKUP_RETENTION_DAYS days (restore check: $BACKUP_VERIFY)"
  local last_failure=0
  while true; do
    local today due latest
    today="$(date -u +%Y%m%d)"; due="$(date -u -d "$BACKUP_AT" +%s)"
    latest="$(basename "$(newest)" .dump)"; latest="${latest#agepar-}"
    # Due: no backup yet today after BACKUP_AT, or no backup in the last 24 hours at all (first start, missed days).
    local need=false
    if [ -z "$latest" ] || [ "$(date -u -d "${latest:0:8} ${latest:9:2}:${latest:11:2}" +%s)" -lt $(( $(date -u +%s) - 86400 )) ]; then
      need=true
    elif [ "$(date -u +%s)" -ge "$due" ] && [[ "$latest" < "${today}T$(date -u -d "$BACKUP_AT" +%H%M%S)Z" ]]; then
      need=true
    fi
    if $need && [ $(( $(date -u +%s) - last_failure )) -ge 900 ]; then
      if (backup_now); then last_failure=0; else last_failure="$(date -u +%s)"; log "will retry in 15 minutes"; fi
    fi
    sleep 30
  done
}

command="${1:-daemon}"
case "$command" in
  daemon) daemon ;;
  now) backup_now ;;
  verify) shift; verify "${1:-}" ;;
  list) list ;;
  *) die "unknown command '$command' (daemon | now | verify [FILE] | list)" ;;
esac

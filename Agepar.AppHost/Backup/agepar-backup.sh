#!/usr/bin/env bash
# agepar-backup — daily logical backups of the agepar database, with retention and a restore check.
#
# Runs in the "backup" container (the same PostgreSQL 15 image as the database, so pg_dump matches the server). The
# AppHost passes this script in AGEPAR_BACKUP_SCRIPT and starts it as `bash -c "$AGEPAR_BACKUP_SCRIPT" agepar-backup daemon`.
#
#   agepar-backup daemon        back up at BACKUP_AT (UTC) every day, at once when no backup is younger than a day, and
#                               again 15 minutes after a failed run; serves the outcome at :BACKUP_METRICS_PORT/metrics
#   agepar-backup now           one backup now: dump, checksum, restore check, encrypt + upload + read-back check (when
#                               BACKUP_STORAGE is set), retention on the volume and in the container (exit 0 = all good)
#   agepar-backup verify [FILE] restore FILE (default: the newest) into a scratch server, compare row counts and chain head
#   agepar-backup list          the backups on the volume, oldest first; then the blobs in the container (name, size, time)
#   agepar-backup restore-check BLOB   download BLOB from the container, decrypt it, check its sha256 and restore-check it
#
# From the host:  docker exec <backup container> bash -c 'bash -c "$AGEPAR_BACKUP_SCRIPT" agepar-backup now'
#
# Environment:
#   AGEPAR_DB               Npgsql connection string of agepar_backup (read only: pg_read_all_data) (Host=…;Port=…;Database=…;Username=…;Password=…;SSL Mode=…)
#   BACKUP_DIR              where backups are written (a volume; default /backups)
#   BACKUP_AT               daily time, UTC, HH:MM (default 02:00)
#   BACKUP_RETENTION_DAYS   backups older than this are deleted, on the volume and in the container; the newest one is
#                           always kept (default 30)
#   BACKUP_VERIFY           true: restore-check every new backup (default true)
#   BACKUP_STORAGE          blob storage connection string (Azure Storage; Azurite in run mode). Empty: volume only
#   BACKUP_CONTAINER        blob container (default agepar-backups)
#   BACKUP_ENCRYPTION_KEY   passphrase of the gpg encryption (required with BACKUP_STORAGE)
#   BACKUP_METRICS_PORT     port of the outcome metrics (agepar_backup_*), served by agepar-blob; empty: not served
#   BACKUP_BLOB_TOOL        agepar-blob (default /opt/agepar/backup-tool/agepar-blob)
#
# Each backup is four files: agepar-<UTC timestamp>.dump (pg_dump custom format), .dump.sha256, .dump.counts (the
# exact row count of every table, taken in the dump's own snapshot) and .dump.chain (the audit chain head in that
# snapshot: "seq|link hex|sealed_at", a checkpoint kept outside the database). Nothing is left behind by a failed run.
# Off site, after its restore check passed, a backup is one blob agepar-<timestamp>.dump.tar.gpg: the tar of the four
# files, encrypted with `gpg --symmetric --cipher-algo AES256` (OpenPGP, integrity-protected) under BACKUP_ENCRYPTION_KEY.
# A DBA decrypts it with:  gpg --batch --pinentry-mode loopback --passphrase-file KEYFILE -d BLOB | tar -x
set -euo pipefail
# Backups hold every password hash and audit row: only the job's own user may read them.
umask 077

BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_AT="${BACKUP_AT:-02:00}"
BACKUP_RETENTION_DAYS="${BACKUP_RETENTION_DAYS:-30}"
BACKUP_VERIFY="${BACKUP_VERIFY:-true}"
BACKUP_STORAGE="${BACKUP_STORAGE:-}"
BACKUP_BLOB_TOOL="${BACKUP_BLOB_TOOL:-/opt/agepar/backup-tool/agepar-blob}"
export BACKUP_STORAGE BACKUP_CONTAINER="${BACKUP_CONTAINER:-agepar-backups}"

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
  local started; started="$(now_s)"
  coproc PSQL { psql -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
  local snapshot line
  printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" "SELECT pg_export_snapshot();" >&"${PSQL[1]}"
  read -r -t 60 snapshot <&"${PSQL[0]}" || die "could not open a snapshot on $PGHOST"
  [[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || die "could not open a snapshot: $snapshot"
  # pg_dump runs in the background while this session counts rows in the same snapshot: the counts cost no time of
  # their own (bench/ratios.sh, "backup dump"). The exporting transaction stays open until both have finished.
  local dump_pid
  pg_dump --format=custom --compress=6 --snapshot="$snapshot" --no-password --file="$partial" & dump_pid=$!
  # shellcheck disable=SC2064
  trap "kill $dump_pid 2>/dev/null; rm -f '$partial' '$partial.counts' '$partial.chain'" EXIT
  printf '%s\n' "$COUNT_SQL \\gexec" "$CHAIN_SQL" "SELECT 'agepar-backup:end';" >&"${PSQL[1]}"
  : >"$partial.counts"
  : >"$partial.chain"
  while read -r -t 600 line <&"${PSQL[0]}"; do
    [ "$line" = "agepar-backup:end" ] && break
    [[ "$line" == *"|"* ]] || die "counting rows: $line"
    if [[ "$line" == chain\|* ]]; then echo "${line#chain|}" >"$partial.chain"; else echo "$line" >>"$partial.counts"; fi
  done
  [ "$line" = "agepar-backup:end" ] || die "counting rows did not finish"

  local status=0
  wait "$dump_pid" || status=$?
  [ "$status" = 0 ] || die "pg_dump exited with $status"
  printf '%s\n' "COMMIT;" "\\q" >&"${PSQL[1]}"
  wait "$PSQL_PID" 2>/dev/null || true

  mv "$partial.counts" "$BACKUP_DIR/$name.counts"
  mv "$partial.chain" "$BACKUP_DIR/$name.chain"
  mv "$partial" "$BACKUP_DIR/$name"
  (cd "$BACKUP_DIR" && sha256sum "$name" >"$name.sha256")
  trap - EXIT
  stat_set dump_seconds "$(since "$started")"; stat_set dump_bytes "$(stat -c %s "$BACKUP_DIR/$name")"
  log "wrote $name ($(du -h "$BACKUP_DIR/$name" | cut -f1), $(wc -l <"$BACKUP_DIR/$name.counts") tables, $(awk -F'|' '{s+=$2} END {print s+0}' "$BACKUP_DIR/$name.counts") rows)"
  log "audit chain checkpoint of $name: $(cat "$BACKUP_DIR/$name.chain")"

  if [ "$BACKUP_VERIFY" = true ]; then started="$(now_s)"; verify "$BACKUP_DIR/$name"; stat_set verify_seconds "$(since "$started")"; fi
  if [ -n "$BACKUP_STORAGE" ]; then offsite_upload "$name"; fi
  prune
  if [ -n "$BACKUP_STORAGE" ]; then blob prune "$BACKUP_RETENTION_DAYS" >&2 || die "retention in container $BACKUP_CONTAINER failed"; fi
  log "backup done: $name"
}

now_s() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }
# Figures of the current run, for the outcome metrics and the log ("key value" lines; see run_once).
stat_set() { [ -n "${RUN_STATS:-}" ] && echo "$1 $2" >>"$RUN_STATS" || true; }

blob() {
  [ -x "$BACKUP_BLOB_TOOL" ] || die "agepar-blob is missing ($BACKUP_BLOB_TOOL): this image cannot reach the blob container"
  "$BACKUP_BLOB_TOOL" "$@"
}

# A private GnuPG home and the passphrase file (both removed by the caller), for gpg in batch mode.
gpg_home() {
  [ -n "${BACKUP_ENCRYPTION_KEY:-}" ] || die "BACKUP_ENCRYPTION_KEY is not set: backups never leave the container unencrypted"
  command -v gpg >/dev/null || die "gpg is missing in this image: backups never leave the container unencrypted"
  GNUPGHOME="$(mktemp -d /tmp/agepar-gpg.XXXXXX)"; export GNUPGHOME
  printf '%s' "$BACKUP_ENCRYPTION_KEY" >"$GNUPGHOME/passphrase"
}
GPG=(gpg --batch --no-tty --quiet --pinentry-mode loopback)

# Encrypts the backup's four files into one OpenPGP message (AES-256, integrity-protected; the dump is already
# compressed; the key is stretched with the strongest iterated-salted S2K, fixed so gpg-agent never calibrates it,
# which costs seconds on a busy machine) and uploads it; agepar-blob reads the blob back and compares its SHA-256 before this returns.
offsite_upload() {
  local name="$1" encrypted="$BACKUP_DIR/.$1.tar.gpg.partial" started
  gpg_home
  # shellcheck disable=SC2064
  trap "rm -rf '$GNUPGHOME' '$encrypted'" EXIT
  started="$(now_s)"
  tar -C "$BACKUP_DIR" -cf - "$name" "$name.sha256" "$name.counts" "$name.chain" \
    | "${GPG[@]}" --passphrase-file "$GNUPGHOME/passphrase" --symmetric --cipher-algo AES256 \
        --s2k-mode 3 --s2k-digest-algo SHA512 --s2k-count 65011712 --no-symkey-cache --compress-algo none --output "$encrypted" \
    || die "encrypting $name failed"
  stat_set encrypt_seconds "$(since "$started")"; stat_set offsite_bytes "$(stat -c %s "$encrypted")"
  started="$(now_s)"
  local out
  out="$(blob upload "$encrypted" "$name.tar.gpg" 2>&1)" || die "upload of $name.tar.gpg to container $BACKUP_CONTAINER failed: ${out##*FAILED: }"
  stat_set upload_seconds "$(since "$started")"
  log "$out"
  rm -rf "$GNUPGHOME" "$encrypted"; trap - EXIT
}

# Downloads BLOB, decrypts it, checks the dump against its .sha256 and restore-checks it in a scratch server.
restore_check() {
  local name="${1:-}"
  [ -n "$BACKUP_STORAGE" ] || die "BACKUP_STORAGE is not set: there is no blob container to check"
  [[ "$name" =~ ^agepar-[0-9]{8}T[0-9]{6}Z\.dump\.tar\.gpg$ ]] || die "restore-check needs a blob name agepar-<UTC timestamp>.dump.tar.gpg (see list); got '$name'"
  local work; work="$(mktemp -d /tmp/agepar-blob.XXXXXX)"
  gpg_home
  # shellcheck disable=SC2064
  trap "rm -rf '$GNUPGHOME' '$work'" EXIT
  blob download "$name" "$work/$name" >&2 || die "download of $name failed"
  "${GPG[@]}" --passphrase-file "$GNUPGHOME/passphrase" --decrypt "$work/$name" | tar -C "$work" -xf - \
    || die "decrypting $name failed (wrong BACKUP_ENCRYPTION_KEY, or the blob is damaged)"
  local dump="$work/${name%.tar.gpg}"
  [ -f "$dump.sha256" ] || die "$name holds no .sha256"
  (cd "$work" && sha256sum --quiet -c "$(basename "$dump").sha256") || die "checksum mismatch in $name"
  log "decrypted $name: sha256 of $(basename "$dump") matches"
  ( trap - EXIT; verify "$dump" ) || die "restore check of $name failed"
  rm -rf "$GNUPGHOME" "$work"; trap - EXIT
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

list() {
  find "$BACKUP_DIR" -maxdepth 1 -name 'agepar-*.dump' -printf '%f %s bytes\n' | sort
  if [ -n "$BACKUP_STORAGE" ]; then
    echo "container $BACKUP_CONTAINER:"
    blob list || die "listing container $BACKUP_CONTAINER failed"
  fi
}

# One backup, its outcome recorded for Prometheus whatever happens (the daemon and `now` both go through here).
run_once() {
  local started status=0
  started="$(date -u +%s)"
  RUN_STATS="$(mktemp /tmp/agepar-run.XXXXXX)"; export RUN_STATS
  # Not `(backup_now) || …`: that would switch off set -e inside the run. Callers must not use `if run_once` either.
  # The caller's errexit is restored afterwards: `now` exits with the run's status, the daemon (set +e) goes on.
  local errexit=false; [[ $- == *e* ]] && errexit=true
  set +e
  (set -e; backup_now)
  status=$?
  record_outcome "$status" "$started"
  rm -f "$RUN_STATS"
  if $errexit; then set -e; fi
  return "$status"
}

# $BACKUP_DIR/.outcome keeps the last run and the last success across restarts; .metrics is what agepar-blob serves.
record_outcome() {
  local status="$1" started="$2" now last_success=0
  now="$(date -u +%s)"
  [ -f "$BACKUP_DIR/.outcome" ] && last_success="$(awk '$1 == "last_success" { print $2 }' "$BACKUP_DIR/.outcome")"
  [ "$status" = 0 ] && last_success="$now"
  printf 'last_success %s\nlast_run %s\nlast_status %s\n' "${last_success:-0}" "$now" "$status" >"$BACKUP_DIR/.outcome.tmp"
  mv "$BACKUP_DIR/.outcome.tmp" "$BACKUP_DIR/.outcome"
  {
    echo "# HELP agepar_backup_last_run_success 1 when the last backup run succeeded (dump, restore check, upload), else 0."
    echo "# TYPE agepar_backup_last_run_success gauge"
    echo "agepar_backup_last_run_success $([ "$status" = 0 ] && echo 1 || echo 0)"
    echo "# HELP agepar_backup_last_run_timestamp_seconds When the last backup run ended (Unix time)."
    echo "# TYPE agepar_backup_last_run_timestamp_seconds gauge"
    echo "agepar_backup_last_run_timestamp_seconds $now"
    echo "# HELP agepar_backup_last_success_timestamp_seconds When the last successful backup run ended (Unix time; 0: never)."
    echo "# TYPE agepar_backup_last_success_timestamp_seconds gauge"
    echo "agepar_backup_last_success_timestamp_seconds ${last_success:-0}"
    echo "# HELP agepar_backup_offsite_enabled 1 when backups are also encrypted and uploaded to a blob container."
    echo "# TYPE agepar_backup_offsite_enabled gauge"
    echo "agepar_backup_offsite_enabled $([ -n "$BACKUP_STORAGE" ] && echo 1 || echo 0)"
    echo "# HELP agepar_backup_run_duration_seconds Duration of the last backup run."
    echo "# TYPE agepar_backup_run_duration_seconds gauge"
    echo "agepar_backup_run_duration_seconds $(( now - started ))"
    local key value
    while read -r key value; do
      case "$key" in
        *_seconds) echo "agepar_backup_last_$key $value" ;;
        *_bytes) echo "agepar_backup_last_$key $value" ;;
      esac
    done <"$RUN_STATS"
  } >"$BACKUP_DIR/.metrics.tmp"
  mv "$BACKUP_DIR/.metrics.tmp" "$BACKUP_DIR/.metrics"
  if [ "$status" = 0 ]; then
    log "outcome: success; timings: $(tr '\n' ' ' <"$RUN_STATS")"
  else
    log "outcome: FAILED (exit $status), recorded for monitoring (agepar_backup_last_run_success 0)"
  fi
}

# agepar-blob serves $BACKUP_DIR/.metrics; restarted by the daemon loop if it ever stops.
serve_metrics() {
  [ -n "${BACKUP_METRICS_PORT:-}" ] && [ -x "$BACKUP_BLOB_TOOL" ] || return 0
  if [ -z "${METRICS_PID:-}" ] || ! kill -0 "$METRICS_PID" 2>/dev/null; then
    "$BACKUP_BLOB_TOOL" serve-metrics "$BACKUP_METRICS_PORT" "$BACKUP_DIR/.metrics" >&2 &
    METRICS_PID=$!
  fi
}

daemon() {
  log "daily backups at $BACKUP_AT UTC into $BACKUP_DIR, kept $BACKUP_RETENTION_DAYS days (restore check: $BACKUP_VERIFY)"
  if [ -n "$BACKUP_STORAGE" ]; then log "each backup is encrypted (gpg, AES-256) and uploaded to blob container $BACKUP_CONTAINER"
  else log "no BACKUP_STORAGE: backups stay on the volume only"; fi
  local last_failure=0
  while true; do
    serve_metrics
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
    # The last run (the daemon's or a manual `now`) failed, e.g. the upload: again 15 minutes after it, whatever the
    # volume holds.
    if [ -f "$BACKUP_DIR/.outcome" ] && [ "$(awk '$1 == "last_status" { print $2 }' "$BACKUP_DIR/.outcome")" != 0 ] \
       && [ $(( $(date -u +%s) - $(awk '$1 == "last_run" { print $2 }' "$BACKUP_DIR/.outcome") )) -ge 900 ]; then need=true; fi
    if $need && [ $(( $(date -u +%s) - last_failure )) -ge 900 ]; then
      local status
      set +e; run_once; status=$?; set -e
      if [ "$status" = 0 ]; then last_failure=0; else last_failure="$(date -u +%s)"; log "will retry in 15 minutes"; fi
    fi
    sleep 30
  done
}

command="${1:-daemon}"
case "$command" in
  daemon) daemon ;;
  now) run_once ;;
  verify) shift; verify "${1:-}" ;;
  list) list ;;
  restore-check) shift; restore_check "${1:-}" ;;
  *) die "unknown command '$command' (daemon | now | verify [FILE] | list | restore-check BLOB)" ;;
esac

#!/usr/bin/env bash
# Times one backup (pg_dump, then the restore check in a scratch server, then — with off-site storage — gpg encryption
# and the upload with its read-back check) of the running stack's database and prints the figures as Markdown tables. Run it against the bench stack after bench/seed.sql (see bench/README.md):
#   bash bench/backup.sh            # uses the container whose name starts with backup-
set -euo pipefail
engine="${AGEPAR_ENGINE:-docker}"
container="${1:-$("$engine" ps -qf name=backup- | head -n 1)}"
[ -n "$container" ] || { echo "no backup container is running (start the AppHost first)" >&2; exit 1; }

log="$(mktemp)"
start=$(date +%s.%N)
"$engine" exec "$container" bash -c 'bash -c "$AGEPAR_BACKUP_SCRIPT" agepar-backup now' 2>"$log" || { cat "$log" >&2; exit 1; }
end=$(date +%s.%N)

stamp() { date -u -d "$(grep -m1 "$1" "$log" | cut -d' ' -f1)" +%s; }
dumped=$(stamp 'agepar-backup: wrote'); began=$(stamp 'agepar-backup: backing up'); checked=$(stamp 'restore check passed')
summary="$(grep -m1 'agepar-backup: wrote' "$log" | sed 's/.*wrote //')"
size_db="$("$engine" exec "$container" bash -c 'eval "$(printf "%s" "$AGEPAR_DB" | tr ";" "\n" | sed -n "s/^Host=/export PGHOST=/p; s/^Port=/export PGPORT=/p; s/^Username=/export PGUSER=/p; s/^Password=/export PGPASSWORD=/p; s/^Database=/export PGDATABASE=/p")"; psql -XAtc "SELECT pg_size_pretty(pg_database_size(current_database()))"')"

echo "| database size | dump | pg_dump (s) | restore check (s) | total (s) |"
echo "|---|---|---|---|---|"
printf '| %s | %s | %d | %d | %.0f |\n' "$size_db" "$summary" $((dumped - began)) $((checked - dumped)) "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"

# The job's own timings (the "outcome: success; timings: …" line): dump, restore check, encrypt, upload + read-back.
timings="$(grep -m1 'outcome: success; timings:' "$log" | sed 's/.*timings: //')"
get() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$timings"; }
if [ -n "$(get upload_seconds)" ]; then
  echo
  echo "| dump (s) | restore check (s) | encrypt, gpg AES-256 (s) | upload + read-back (s) | encrypted blob |"
  echo "|---|---|---|---|---|"
  printf '| %s | %s | %s | %s | %s MB |\n' "$(get dump_seconds)" "$(get verify_seconds)" "$(get encrypt_seconds)" \
    "$(get upload_seconds)" "$(awk -v b="$(get offsite_bytes)" 'BEGIN { printf "%.1f", b / 1e6 }')"
else
  echo
  echo "(no off-site upload: BACKUP_STORAGE is not set in the backup container)"
fi
rm -f "$log"

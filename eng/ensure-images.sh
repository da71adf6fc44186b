#!/usr/bin/env bash
# Makes sure the container images the AppHost needs exist in the local engine, and prints (as KEY=VALUE lines on
# stdout, for `eval`) the AppHost settings that point at them:
#
#   Containers__Registry=...   registry prefix of postgres/redis (empty: the official docker.io images)
#   PgAdmin__Enabled=false     when no pgAdmin image can be had (air-gapped machines)
#   PgBouncer__Image=...       the locally built pgBouncer image (always built here when Debian and root allow)
#   Monitoring__Exporter__Image=...   the locally built postgres_exporter image (Debian package), or
#                              Monitoring__Exporter__Enabled=false where it cannot be built
#   Backup__Image=... / Backup__Storage__Image=...   the locally built backup image (postgresql-15 + gnupg) and Azurite
#                              image (npm azurite on Debian's nodejs), or Backup__Storage__Enabled=false (backups stay on
#                              the volume only) where they cannot be built
#
# Resolution, per run:
#   1. Containers__Registry already set (a site mirror): trust it, the engine pulls from it.
#   2. The official images (docker.io/library/postgres:15, redis:7) are present or can be pulled: use them.
#   3. Otherwise build equivalent images from Debian bookworm packages (debootstrap minbase + postgresql-15 +
#      redis-server) and tag them under $AGEPAR_LOCAL_REGISTRY (default agepar.local) — never under the official
#      names. Root filesystems are cached in $AGEPAR_CACHE_DIR/rootfs, so a rebuild takes seconds.
# AGEPAR_OFFLINE=1 skips the pull attempts (saves their time-outs on machines known to be air-gapped).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=eng/common.sh
source "$here/common.sh"

engine="${AGEPAR_ENGINE:-$("$here/ensure-engine.sh" | tail -n 1)}"
local_registry="${AGEPAR_LOCAL_REGISTRY:-agepar.local}"
pg_tag=15
redis_tag=7

have() { "$engine" image inspect "$1" >/dev/null 2>&1; }
# A locally built image is current when its agepar.entrypoint label matches the entrypoint in eng/images (see
# build-images.sh): a changed entrypoint rebuilds the image on the next run.
current() {
  local want; want="$(sha256sum "$here/images/$2-entrypoint.sh" | cut -c1-64)"
  [ "$("$engine" image inspect --format '{{ index .Config.Labels "agepar.entrypoint" }}' "$1" 2>/dev/null)" = "$want" ]
}

# pgBouncer has no official image with this entrypoint contract: it is always built here from Debian's package
# (eng/images/pgbouncer-entrypoint.sh) and handed to the AppHost as PgBouncer__Image. Where it cannot be built, the
# AppHost runs without pgBouncer (PgBouncer__Enabled stays false) and the pgBouncer tests say why they cannot run.
pgbouncer_image="$local_registry/library/pgbouncer:1.18"
ensure_pgbouncer() {
  if ! current "$pgbouncer_image" pgbouncer; then
    if [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ]; then
      log "building $pgbouncer_image from Debian's pgbouncer package"
      "$here/build-images.sh" "$engine" - - "$pgbouncer_image" >&2
    else
      log "no $pgbouncer_image and no way to build it here (needs Debian and root): pgBouncer stays off"
      return 0
    fi
  fi
  echo "PgBouncer__Image=$pgbouncer_image"
}
# postgres_exporter: like pgBouncer, always built here from Debian's package (entrypoint contract in eng/images/).
# Where it cannot be built, the AppHost runs without it.
exporter_image="$local_registry/library/postgres-exporter:0.11"
ensure_monitoring() {
  if ! current "$exporter_image" postgres-exporter; then
    if [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ]; then
      log "building $exporter_image from Debian's prometheus-postgres-exporter package"
      "$here/build-images.sh" "$engine" - - - "$exporter_image" >&2
    else
      log "no $exporter_image and no way to build it here (needs Debian and root): postgres-exporter stays off"
      echo "Monitoring__Exporter__Enabled=false"
      return 0
    fi
  fi
  echo "Monitoring__Exporter__Image=$exporter_image"
}
# The backup job's image (the database's pg_dump + gnupg for the encryption) and Azurite (the blob container that
# receives the encrypted backups): both always built here (entrypoints in eng/images/). Without them the backup job
# runs from the database image and keeps its backups on the volume only.
backup_image="$local_registry/library/backup:$pg_tag"
azurite_image="$local_registry/library/azurite:3.37"
ensure_backup() {
  local want_backup=- want_azurite=-
  current "$backup_image" backup || want_backup="$backup_image"
  current "$azurite_image" azurite || want_azurite="$azurite_image"
  if [ "$want_backup$want_azurite" != -- ]; then
    # The Azurite image is assembled with the host's npm (the package from the npm registry): Debian's npm if missing.
    if [ "$want_azurite" != - ] && ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ]; then
      log "installing Debian's npm (one time) to assemble the Azurite image"
      apt_update_once; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >&2 || true
    fi
    if [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ] && command -v npm >/dev/null; then
      log "building the backup and Azurite images ($want_backup $want_azurite)"
      "$here/build-images.sh" "$engine" - - - - "$want_backup" "$want_azurite" >&2
    else
      log "no $backup_image / $azurite_image and no way to build them here (needs Debian, root and npm): backups stay on the volume"
      echo "Backup__Storage__Enabled=false"
      return 0
    fi
  fi
  echo "Backup__Image=$backup_image"
  echo "Backup__Storage__Image=$azurite_image"
}
try_pull() {
  [ "${AGEPAR_OFFLINE:-0}" = 1 ] && return 1
  log "pulling $1 …"
  timeout "${AGEPAR_PULL_TIMEOUT:-45}" "$engine" pull -q "$1" >/dev/null 2>&1
}

if [ -n "${Containers__Registry:-}" ]; then
  log "using the configured registry mirror: $Containers__Registry"
  echo "Containers__Registry=$Containers__Registry"
  ensure_pgbouncer
  ensure_monitoring
  ensure_backup
  exit 0
fi

pgadmin_line="PgAdmin__Enabled=false"
if have docker.io/dpage/pgadmin4:latest || have dpage/pgadmin4; then pgadmin_line=""; fi

official_pg="docker.io/library/postgres:$pg_tag"
official_redis="docker.io/library/redis:$redis_tag"
if { have "$official_pg" || have "postgres:$pg_tag"; } && { have "$official_redis" || have "redis:$redis_tag"; }; then
  log "official postgres:$pg_tag and redis:$redis_tag images present"
  echo "Containers__Registry="; [ -n "$pgadmin_line" ] && echo "$pgadmin_line"; ensure_pgbouncer; ensure_monitoring; ensure_backup; exit 0
fi

local_pg="$local_registry/library/postgres:$pg_tag"
local_redis="$local_registry/library/redis:$redis_tag"
if ! { current "$local_pg" postgres && current "$local_redis" redis; }; then
  if try_pull "$official_pg" && try_pull "$official_redis"; then
    log "pulled the official images"
    echo "Containers__Registry="; ensure_pgbouncer; ensure_monitoring; ensure_backup; exit 0
  fi
  log "official images unavailable: building equivalents from Debian packages (tag prefix $local_registry)"
  "$here/build-images.sh" "$engine" "$local_pg" "$local_redis" "$pgbouncer_image" >&2
fi
log "using locally built images: $local_pg, $local_redis"
echo "Containers__Registry=$local_registry"
echo "PgAdmin__Enabled=false"
ensure_pgbouncer
ensure_monitoring
ensure_backup

#!/usr/bin/env bash
# Builds PostgreSQL 15, Redis 7 (and pgBouncer, postgres_exporter, the backup job's and Azurite's) images from Debian
# bookworm packages, without any image registry:
#   eng/build-images.sh ENGINE POSTGRES_TAG REDIS_TAG [PGBOUNCER_TAG [EXPORTER_TAG [BACKUP_TAG [AZURITE_TAG]]]]
# debootstrap --variant=minbase bookworm, then the packages, then `ENGINE import` with ENTRYPOINT/CMD/ENV.
# The root filesystems are cached as tarballs in $AGEPAR_CACHE_DIR/rootfs (delete that folder to rebuild).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=eng/common.sh
source "$here/common.sh"

engine="$1" pg_image="$2" redis_image="$3" pgbouncer_image="${4:-}" exporter_image="${5:-}"
backup_image="${6:-}" azurite_image="${7:-}"
# Azurite comes from the npm registry (the package, with its pure-JavaScript dependencies), installed by the host's npm.
azurite_version=3.37.0
mirror="${AGEPAR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="$AGEPAR_CACHE_DIR/rootfs"
mkdir -p "$cache"

need_root_debian() {
  [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ] || die "building images needs Debian (or Ubuntu) and root.
Alternatively point the AppHost at a registry mirror holding postgres:15 and redis:7: export Containers__Registry=<mirror>"
}

# build_rootfs NAME PACKAGES... : a cached tarball of bookworm minbase + PACKAGES, with eng/images files inside.
build_rootfs() {
  local name="$1"; shift
  local tarball="$cache/$name.tar"
  # The cache key: the packages and the files copied in (customise_* below reads them).
  local stamp; stamp="$( (echo "$*"; declare -f "customise_$name"; cat "$here/images/$name-entrypoint.sh"; [ "$name" != azurite ] || echo "$azurite_version") | sha256sum | cut -c1-16)"
  if [ -f "$tarball" ] && [ "$(cat "$tarball.stamp" 2>/dev/null)" = "$stamp" ]; then
    log "rootfs $name: cached ($tarball)"; return
  fi
  need_root_debian
  command -v debootstrap >/dev/null || { apt_update_once; DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2; }
  local base="$cache/bookworm-minbase"
  if [ ! -f "$base.done" ]; then
    log "debootstrap bookworm minbase (one time, ~1-2 min)…"
    rm -rf "$base"
    debootstrap --variant=minbase bookworm "$base" "$mirror" >"$AGEPAR_CACHE_DIR/debootstrap.log" 2>&1 \
      || { tail -n 30 "$AGEPAR_CACHE_DIR/debootstrap.log" >&2; die "debootstrap failed"; }
    touch "$base.done"
  fi
  local root="$cache/$name.root"
  rm -rf "$root"; cp -a "$base" "$root"
  mount_chroot "$root"
  trap 'umount_chroot "'"$root"'"' RETURN
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
  mkdir -p "$root/etc/postgresql-common"
  echo "create_main_cluster = false" >"$root/etc/postgresql-common/createcluster.conf"
  log "installing into $name: $* (log: $AGEPAR_CACHE_DIR/build-$name.log)"
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c "
    apt-get update -q && apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold $* &&
    apt-get clean && rm -rf /var/lib/apt/lists/*" >"$AGEPAR_CACHE_DIR/build-$name.log" 2>&1 \
    || { tail -n 30 "$AGEPAR_CACHE_DIR/build-$name.log" >&2; die "package installation into $name failed"; }
  rm -f "$root/usr/sbin/policy-rc.d"
  customise_"$name" "$root"
  umount_chroot "$root"; trap - RETURN
  tar -C "$root" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  echo "$stamp" >"$tarball.stamp"
  rm -rf "$root"
}

mount_chroot() { mount -t proc proc "$1/proc"; mount --bind /dev "$1/dev"; cp /etc/resolv.conf "$1/etc/resolv.conf"; }
umount_chroot() { umount -l "$1/proc" 2>/dev/null || true; umount -l "$1/dev" 2>/dev/null || true; }

customise_postgres() {
  local root="$1"
  install -m 0755 "$here/images/postgres-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$root/docker-entrypoint-initdb.d" "$root/var/lib/postgresql/data" "$root/var/run/postgresql"
  # As in the official image: the server listens on every interface of the container.
  sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$root/usr/share/postgresql/15/postgresql.conf.sample"
  chroot "$root" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
}

customise_pgbouncer() {
  local root="$1"
  install -m 0755 "$here/images/pgbouncer-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  chroot "$root" sh -c 'id pgbouncer >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin pgbouncer'
}

customise_postgres-exporter() {
  install -m 0755 "$here/images/postgres-exporter-entrypoint.sh" "$1/usr/local/bin/docker-entrypoint.sh"
}

customise_backup() {
  local root="$1"
  install -m 0755 "$here/images/backup-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  # agepar-blob (Agepar.BackupTool) is not baked in: the AppHost mounts its self-contained build read-only at
  # /opt/agepar/backup-tool, so a change to the tool needs no image rebuild. Deployments copy it in (Backup/Dockerfile).
  mkdir -p "$root/opt/agepar/backup-tool" "$root/backups"
}

customise_azurite() {
  local root="$1"
  install -m 0755 "$here/images/azurite-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  command -v npm >/dev/null || die "building the Azurite image needs npm on this machine (apt-get install npm)"
  mkdir -p "$root/opt/azurite"
  # --engine-strict=false: azurite 3.37 declares node >= 22; its blob service runs on bookworm's nodejs (checked by
  # the backup tests, which store every backup in it).
  (cd "$root/opt/azurite" && echo '{"private":true}' >package.json &&
    npm install --no-audit --no-fund --omit=dev --engine-strict=false --ignore-scripts "azurite@$azurite_version" \
      >"$AGEPAR_CACHE_DIR/npm-azurite.log" 2>&1) || { tail -n 30 "$AGEPAR_CACHE_DIR/npm-azurite.log" >&2; die "npm install azurite failed"; }
  mkdir -p "$root/data"
}

customise_redis() {
  local root="$1"
  install -m 0755 "$here/images/redis-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$root/data"
}

# Each image is built and imported only when asked for ("-" skips it). Every image carries the SHA-256 of its
# entrypoint as the label agepar.entrypoint, so eng/ensure-images.sh rebuilds an image whose entrypoint changed.
label() { echo "LABEL agepar.entrypoint=$(sha256sum "$here/images/$1-entrypoint.sh" | cut -c1-64)"; }
if [ "$pg_image" != - ]; then
  build_rootfs postgres postgresql-15 locales-all
  log "importing $pg_image"
  "$engine" import \
    -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' -c 'ENV PGDATA=/var/lib/postgresql/data' -c 'ENV PG_MAJOR=15' \
    -c 'VOLUME /var/lib/postgresql/data' -c 'EXPOSE 5432' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' -c 'CMD ["postgres"]' \
    -c "$(label postgres)" \
    "$cache/postgres.tar" "$pg_image" >/dev/null
fi
if [ "$redis_image" != - ]; then
  build_rootfs redis redis-server
  log "importing $redis_image"
  "$engine" import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'WORKDIR /data' \
    -c 'VOLUME /data' -c 'EXPOSE 6379' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' -c 'CMD ["redis-server"]' \
    -c "$(label redis)" \
    "$cache/redis.tar" "$redis_image" >/dev/null
fi
if [ -n "$pgbouncer_image" ] && [ "$pgbouncer_image" != - ]; then
  build_rootfs pgbouncer pgbouncer
  log "importing $pgbouncer_image"
  "$engine" import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'EXPOSE 6432' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    -c "$(label pgbouncer)" \
    "$cache/pgbouncer.tar" "$pgbouncer_image" >/dev/null
fi
if [ -n "$exporter_image" ] && [ "$exporter_image" != - ]; then
  build_rootfs postgres-exporter prometheus-postgres-exporter
  log "importing $exporter_image"
  "$engine" import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'EXPOSE 9187' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    -c "$(label postgres-exporter)" \
    "$cache/postgres-exporter.tar" "$exporter_image" >/dev/null
fi
if [ -n "$backup_image" ] && [ "$backup_image" != - ]; then
  build_rootfs backup postgresql-15 locales-all gnupg ca-certificates
  log "importing $backup_image"
  "$engine" import \
    -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' -c 'ENV PG_MAJOR=15' -c 'VOLUME /backups' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' -c 'CMD ["bash"]' \
    -c "$(label backup)" \
    "$cache/backup.tar" "$backup_image" >/dev/null
fi
if [ -n "$azurite_image" ] && [ "$azurite_image" != - ]; then
  build_rootfs azurite nodejs ca-certificates
  log "importing $azurite_image"
  "$engine" import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'VOLUME /data' -c 'EXPOSE 10000' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    -c "$(label azurite)" \
    "$cache/azurite.tar" "$azurite_image" >/dev/null
fi
log "images ready"

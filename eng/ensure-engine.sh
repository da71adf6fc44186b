#!/usr/bin/env bash
# Makes sure a container engine answers, installing and starting Debian's docker.io when none does.
#
#   eng/ensure-engine.sh            # prints the engine it settled on (docker|podman) on its last line
#
# Order: a healthy docker, then a healthy podman, then (Debian + root only) install docker.io and start dockerd
# in the background, logging to $AGEPAR_CACHE_DIR/dockerd.log. Anywhere else it stops and says what to install.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=eng/common.sh
source "$here/common.sh"

engine_answers() { timeout 20 "$1" info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers docker; then
  log "container engine: docker (already running)"; echo docker; exit 0
fi
if command -v podman >/dev/null 2>&1 && engine_answers podman; then
  log "container engine: podman"; echo podman; exit 0
fi

is_debian=false
[ -r /etc/debian_version ] && is_debian=true
if [ "$(id -u)" != 0 ] || [ "$is_debian" != true ]; then
  die "no container engine answers. Install and start Docker Engine (https://docs.docker.com/engine/install/) or Podman 4+,
then run this command again. (On Debian as root this script installs docker.io by itself.)"
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io (one time)…"
  export DEBIAN_FRONTEND=noninteractive
  apt_update_once
  apt-get install -y -q --no-install-recommends docker.io iptables >&2
fi

mkdir -p "$AGEPAR_CACHE_DIR"
dockerd_log="$AGEPAR_CACHE_DIR/dockerd.log"
if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd in the background (log: $dockerd_log)"
  # setsid: dockerd must outlive the shell that started it (and survive Ctrl+C of the run command).
  setsid nohup dockerd >"$dockerd_log" 2>&1 </dev/null &
fi
for _ in $(seq 1 60); do
  if engine_answers docker; then log "container engine: docker (dockerd started)"; echo docker; exit 0; fi
  sleep 1
done
tail -n 40 "$dockerd_log" >&2 || true
die "dockerd did not answer within 60 s; its log is above ($dockerd_log)"

#!/usr/bin/env bash
# Makes sure the command-line tools the tests call are installed: promtool (Debian's `prometheus` package) for the
# alert-rule unit tests. On Debian as root it installs what is missing; elsewhere it says what to install.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=eng/common.sh
source "$here/common.sh"

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ]; then
  log "installing Debian's prometheus package for promtool (one time)…"
  export DEBIAN_FRONTEND=noninteractive
  apt_update_once
  # The package's service is not wanted here: only its promtool binary.
  apt-get install -y -q --no-install-recommends prometheus >&2
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now prometheus >/dev/null 2>&1 || true; fi
  exit 0
fi
log "promtool is missing: install Prometheus 2.x (it ships promtool) to run the alert-rule tests"

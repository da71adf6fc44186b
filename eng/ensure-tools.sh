#!/usr/bin/env bash
# Makes sure the host tools the run and the tests need are installed: Debian's `prometheus` package, for promtool (the
# alert-rule unit tests) and for the run-mode `prometheus` resource (ops/prometheus/run-local.sh). On Debian as root
# it installs what is missing; elsewhere it says what to install, and prints Monitoring__Prometheus__Enabled=false
# (for eval) so the AppHost starts without Prometheus.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=eng/common.sh
source "$here/common.sh"

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
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
log "prometheus/promtool are missing: install Prometheus 2.x (it ships promtool) for the alert-rule tests and the run-mode prometheus"
echo "Monitoring__Prometheus__Enabled=false"

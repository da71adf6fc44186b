#!/usr/bin/env bash
# Runs Prometheus (Debian's `prometheus` binary, installed by eng/ensure-tools.sh) for the AppHost's run mode, as an
# executable resource on the host, so it reaches the BFF (a host process) and the exporter's published port alike.
#   PROMETHEUS_PORT              port to listen on (127.0.0.1), given by the AppHost
#   PROMETHEUS_BFF_TARGET        host:port of the BFF's /metrics (job agepar-bff); empty: not scraped
#   PROMETHEUS_BFF_TOKEN         its bearer token (the AppHost's prometheus-token parameter)
#   PROMETHEUS_EXPORTER_TARGET   host:port of postgres_exporter (job postgres-exporter); empty: not scraped
#   PROMETHEUS_BACKUP_TARGET     host:port of the backup job's outcome metrics (job agepar-backup); empty: not scraped
#   PROMETHEUS_SCRAPE_INTERVAL   default 15s
#   PROMETHEUS_RULES             rule file to load (default: alerts.yml beside this script)
# Config and data live in a private temporary folder, removed when Prometheus stops.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${PROMETHEUS_PORT:?PROMETHEUS_PORT is required}"
command -v prometheus >/dev/null || { echo "prometheus is not installed (Debian: apt-get install prometheus; eng/ensure-tools.sh does it)" >&2; exit 1; }
umask 077
dir="$(mktemp -d "${TMPDIR:-/tmp}/agepar-prometheus.XXXXXX")"
interval="${PROMETHEUS_SCRAPE_INTERVAL:-15s}"
{
  echo "global:"
  echo "  scrape_interval: $interval"
  echo "  evaluation_interval: $interval"
  echo "rule_files:"
  echo "  - ${PROMETHEUS_RULES:-$here/alerts.yml}"
  echo "scrape_configs:"
  if [ -n "${PROMETHEUS_BFF_TARGET:-}" ]; then
    printf '%s' "${PROMETHEUS_BFF_TOKEN:-}" >"$dir/bff.token"
    echo "  - job_name: agepar-bff"
    echo "    metrics_path: /metrics"
    echo "    authorization:"
    echo "      type: Bearer"
    echo "      credentials_file: $dir/bff.token"
    echo "    static_configs:"
    echo "      - targets: [\"$PROMETHEUS_BFF_TARGET\"]"
  fi
  if [ -n "${PROMETHEUS_EXPORTER_TARGET:-}" ]; then
    echo "  - job_name: postgres-exporter"
    echo "    static_configs:"
    echo "      - targets: [\"$PROMETHEUS_EXPORTER_TARGET\"]"
  fi
  if [ -n "${PROMETHEUS_BACKUP_TARGET:-}" ]; then
    echo "  - job_name: agepar-backup"
    echo "    static_configs:"
    echo "      - targets: [\"$PROMETHEUS_BACKUP_TARGET\"]"
  fi
} >"$dir/prometheus.yml"

prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --storage.tsdb.retention.time=2d "$@" &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null || true; }
trap stop TERM INT
status=0
wait "$pid" || status=$?
# wait returns early when a signal arrives: wait again for Prometheus to finish, then clean up.
wait "$pid" 2>/dev/null || true
rm -rf "$dir"
exit "$status"

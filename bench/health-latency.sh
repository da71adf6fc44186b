#!/usr/bin/env bash
# Measures /api/health against a running stack (start it with `bash eng/run.sh`):
#   bench/health-latency.sh [BASE_URL] [REQUESTS]
# Prints the HTTP round trip and the database round trip that the health check itself measured (latencyMs),
# as min / p50 / p95 / p99 / max in milliseconds. The seed's target: database round trip < 100 ms.
set -euo pipefail
base="${1:-http://localhost:5080}"
n="${2:-500}"

for _ in $(seq 1 20); do curl -s -o /dev/null "$base/api/health"; done   # warm the pool

http=(); db=()
for _ in $(seq 1 "$n"); do
  out="$(curl -s -w ' %{time_total} %{http_code}' "$base/api/health")"
  code="${out##* }"; rest="${out% *}"; total="${rest##* }"; body="${rest% *}"
  [ "$code" = 200 ] || { echo "health answered $code: $body" >&2; exit 1; }
  http+=("$(awk -v t="$total" 'BEGIN { printf "%.3f", t * 1000 }')")
  db+=("$(sed -n 's/.*"database":{[^}]*"latencyMs":\([0-9.]*\).*/\1/p' <<<"$body")")
done

stats() {
  sort -n | awk '
    function at(q,   i) { i = int(NR * q + 0.5); if (i < 1) i = 1; if (i > NR) i = NR; return v[i] }
    { v[NR] = $1 }
    END { printf "min %8.2f  p50 %8.2f  p95 %8.2f  p99 %8.2f  max %8.2f  (n=%d)\n", v[1], at(0.50), at(0.95), at(0.99), v[NR], NR }'
}
printf 'GET %s/api/health x %d\n' "$base" "$n"
printf '  HTTP round trip (ms):            '; printf '%s\n' "${http[@]}" | stats
printf '  database SELECT 1 via pool (ms): '; printf '%s\n' "${db[@]}" | stats

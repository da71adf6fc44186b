#!/usr/bin/env bash
# The README's run command: engine + images, then the AppHost with its dashboard. Ctrl+C stops everything.
#   eng/run.sh [extra AppHost arguments]
# Environment: AGEPAR_CONFIGURATION=Release builds and runs everything in Release (the benchmarks, bench/README.md);
# AGEPAR_DASHBOARD_PORT=N moves the dashboard (N), its OTLP endpoint (N+4000) and resource service (N+5000) off the
# launch profile's 15080/19080/20080, so a second stack (bench/stack.sh) can run beside the default one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=eng/common.sh
source "$here/common.sh"

engine="$("$here/ensure-engine.sh" | tail -n 1)"
while IFS= read -r line; do
  [ -n "$line" ] && export "${line?}"
done < <("$here/ensure-tools.sh")
while IFS= read -r line; do
  [ -n "$line" ] && export "${line?}"
done < <(AGEPAR_ENGINE="$engine" "$here/ensure-images.sh")
# Aspire talks to Docker unless told otherwise.
[ "$engine" = podman ] && export ASPIRE_CONTAINER_RUNTIME=podman
[ "${PgAdmin__Enabled:-true}" = false ] && log "pgAdmin: no image available here, starting without it"

# The AppHost warns on every start (a banner on the dashboard) unless the ASP.NET development certificate exists and
# is trusted for this user: create and trust it once (on Linux this trusts it in the user's .NET root store).
if ! dotnet dev-certs https --check --trust >/dev/null 2>&1; then
  log "creating and trusting the ASP.NET development certificate for this user (one time)"
  dotnet dev-certs https --trust >/dev/null 2>&1 || log "could not trust the development certificate: the dashboard will show a banner"
fi

cd "$root"
configuration="${AGEPAR_CONFIGURATION:-Debug}"
profile=(--launch-profile http)
dashboard=15080
if [ -n "${AGEPAR_DASHBOARD_PORT:-}" ]; then
  # The launch profile's variables, with other ports: --no-launch-profile, or its fixed ports would win.
  dashboard="$AGEPAR_DASHBOARD_PORT"
  export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
  export ASPNETCORE_URLS="http://localhost:$dashboard"
  export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://localhost:$((dashboard + 4000))"
  export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://localhost:$((dashboard + 5000))"
  profile=(--no-launch-profile)
fi
log "starting the AppHost ($configuration): dashboard http://localhost:$dashboard (login link below), BFF http://localhost:5080 unless Bff:HostPort says otherwise"
exec dotnet run -c "$configuration" --project Agepar.AppHost "${profile[@]}" -- "$@"

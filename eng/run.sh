#!/usr/bin/env bash
# The README's run command: engine + images, then the AppHost with its dashboard. Ctrl+C stops everything.
#   eng/run.sh [extra AppHost arguments]
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
log "starting the AppHost: dashboard http://localhost:15080 (login link below), BFF http://localhost:5080"
exec dotnet run --project Agepar.AppHost --launch-profile http -- "$@"

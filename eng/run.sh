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

cd "$root"
log "starting the AppHost: dashboard http://localhost:15080 (login link below), BFF http://localhost:5080"
exec dotnet run --project Agepar.AppHost --launch-profile http -- "$@"

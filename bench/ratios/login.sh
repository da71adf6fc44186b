#!/usr/bin/env bash
# Signs in to the bench stack as the bootstrap admin and prints "COOKIE_HEADER<TAB>CSRF_TOKEN" (for wrk and curl).
# The first time, the bootstrap admin must change its password: it then changes RATIOS_ADMIN_FIRST_PASSWORD to
# RATIOS_ADMIN_PASSWORD (bench/ratios/env.sh) and signs in again. One login per run: far below the login limits.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/ratios/env.sh
source "$here/env.sh"
base="${1:-http://127.0.0.1:$RATIOS_BFF_PORT}"
jar="$(mktemp)"; trap 'rm -f "$jar"' EXIT

login() { # password → body on success, nothing on 4xx
  curl -s -c "$jar" -H 'Content-Type: application/json' -w '\n%{http_code}' \
    -d "{\"identifier\":\"$RATIOS_ADMIN_EMAIL\",\"password\":\"$1\"}" "$base/api/auth/login"
}
field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" <<<"$2" | head -n 1; }

out="$(login "$RATIOS_ADMIN_PASSWORD")"
if [ "${out##*$'\n'}" != 200 ]; then
  out="$(login "$RATIOS_ADMIN_FIRST_PASSWORD")"
  [ "${out##*$'\n'}" = 200 ] || { echo "login failed: $out" >&2; exit 1; }
  csrf="$(field csrfToken "$out")"
  curl -sf -b "$jar" -c "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -o /dev/null \
    -d "{\"currentPassword\":\"$RATIOS_ADMIN_FIRST_PASSWORD\",\"newPassword\":\"$RATIOS_ADMIN_PASSWORD\",\"newPasswordConfirm\":\"$RATIOS_ADMIN_PASSWORD\"}" \
    "$base/api/auth/change-password" || { echo "could not change the bootstrap admin's first password" >&2; exit 1; }
  out="$(login "$RATIOS_ADMIN_PASSWORD")"
  [ "${out##*$'\n'}" = 200 ] || { echo "login after the password change failed: $out" >&2; exit 1; }
fi
csrf="$(field csrfToken "$out")"
cookie="$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar")"
printf '%s\t%s\n' "$cookie" "$csrf"

# Settings shared by bench/stack.sh and bench/ratios.sh (sourced). Throwaway bench values for a loopback-only stack:
# never reuse them for anything real. Each can be overridden from the environment.
RATIOS_BFF_PORT="${RATIOS_BFF_PORT:-5280}"
RATIOS_PG_PORT="${RATIOS_PG_PORT:-5482}"
RATIOS_PROMETHEUS_PORT="${RATIOS_PROMETHEUS_PORT:-9290}"
RATIOS_DASHBOARD_PORT="${RATIOS_DASHBOARD_PORT:-15280}"
RATIOS_PG_PASSWORD="${RATIOS_PG_PASSWORD:-RatiosPostgres2026x}"
RATIOS_APP_PASSWORD="${RATIOS_APP_PASSWORD:-RatiosAppUser2026x}"
RATIOS_ADMIN_EMAIL="${RATIOS_ADMIN_EMAIL:-admin@agepar.local}"
RATIOS_ADMIN_FIRST_PASSWORD="${RATIOS_ADMIN_FIRST_PASSWORD:-Ratios-Admin-2026-first}"
RATIOS_ADMIN_PASSWORD="${RATIOS_ADMIN_PASSWORD:-Ratios-Bench-2026-Kq7x}"

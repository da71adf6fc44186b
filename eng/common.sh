#!/usr/bin/env bash
# Shared helpers for the eng/ scripts. Sourced, never run.

# Where built root filesystems, engine logs and other machine-local state live (never committed).
AGEPAR_CACHE_DIR="${AGEPAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/agepar}"
export AGEPAR_CACHE_DIR

log() { printf '[agepar] %s\n' "$*" >&2; }
die() { printf '[agepar] ERROR: %s\n' "$*" >&2; exit 1; }

apt_update_once() {
  local stamp="$AGEPAR_CACHE_DIR/apt-updated"
  mkdir -p "$AGEPAR_CACHE_DIR"
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
    apt-get update -q >&2 && touch "$stamp"
  fi
}

# Sourced by the build scripts of binaries cached under ~/.cache/bizmetrics (the collector,
# Prometheus 3). One way to reuse a cached build and to keep two callers from building the same
# thing at once.
# shellcheck shell=bash

# reuse_or_lock BINARY LOCK_FILE LABEL
# Prints BINARY and exits the calling script when it is already built (unless BIZMETRICS_REBUILD=1).
# Otherwise takes an exclusive lock on LOCK_FILE (fd 9, held until the script exits) and checks again,
# since another process may have finished the same build while we waited. Needs `log` from the caller.
reuse_or_lock() {
  local binary=$1 lock_file=$2 label=$3
  if [[ -x "$binary" && "${BIZMETRICS_REBUILD:-0}" != "1" ]]; then
    log "cached: $binary"
    printf '%s\n' "$binary"
    exit 0
  fi
  mkdir -p "$(dirname "$lock_file")"
  exec 9>"$lock_file"
  if command -v flock >/dev/null 2>&1; then
    log "waiting for the build lock (another build of $label may be running)"
    flock 9
    if [[ -x "$binary" && "${BIZMETRICS_REBUILD:-0}" != "1" ]]; then
      log "built by another process: $binary"
      printf '%s\n' "$binary"
      exit 0
    fi
  fi
}

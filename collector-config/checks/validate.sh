#!/usr/bin/env bash
# Validates everything in collector-config/ with the real tools:
#   - otelcol-bizmetrics validate on the base config alone, on base + each
#     profile, and on base + all profiles together;
#   - that a profile's required variables really are required;
#   - promtool check config / check rules on the Prometheus files;
#   - checks/check-metric-names.sh: the real collector and Prometheus on loopback,
#     asserting the guide's metric names (skip with BIZMETRICS_SKIP_E2E=1).
# Builds or reuses the collector through build-collector.sh (about 5 min the first
# time on 2 cores; seconds after that).
# Exits non-zero with a message naming what failed.
set -euo pipefail

log() { printf '[validate] %s\n' "$*" >&2; }
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
config_dir=$(cd "$script_dir/.." && pwd)
failures=()

command -v promtool >/dev/null || { log "ERROR: promtool is not installed (apt-get install prometheus)"; exit 1; }
otelcol=$(bash "$config_dir/collector/build-collector.sh") || { log "ERROR: building the collector failed"; exit 1; }
log "collector: $otelcol ($("$otelcol" --version))"

# Values for the variables that profiles require; validate parses and checks
# them but opens no connection.
export BIZMETRICS_REMOTE_WRITE_ENDPOINT=http://127.0.0.1:9090/api/v1/write
export BIZMETRICS_REMOTE_WRITE_HEADERS='{"X-Scope-OrgID": "validate"}'
export BIZMETRICS_OTLP_EXPORT_ENDPOINT=https://otlp.example.invalid
export BIZMETRICS_OTLP_EXPORT_HEADERS='{"Authorization": "Bearer validate"}'
export DD_API_KEY=validate
export BIZMETRICS_CORS_ALLOWED_ORIGINS='["https://shop.example.com", "http://localhost:*"]'
export BIZMETRICS_FILE_PATH="${TMPDIR:-/tmp}/bizmetrics-validate.jsonl"

base="$config_dir/otelcol/base.yaml"
run_validate() { # description, config files...
  local what=$1; shift
  local args=() f out
  for f in "$@"; do args+=(--config "$f"); done
  if out=$("$otelcol" validate "${args[@]}" 2>&1); then
    log "ok   otelcol validate: $what"
  else
    log "FAIL otelcol validate: $what"; printf '%s\n' "$out" >&2
    failures+=("otelcol validate: $what")
  fi
}

run_validate "base" "$base"
all=()
for profile in "$config_dir"/otelcol/profiles/*.yaml; do
  run_validate "base + otelcol/profiles/$(basename "$profile")" "$base" "$profile"
  all+=("$profile")
done
run_validate "base + all profiles" "$base" "${all[@]}"

# A missing required endpoint must stop the collector, not start a pipeline
# that silently sends nowhere.
check_required() { # variable, profile
  if (unset "$1"; "$otelcol" validate --config "$base" --config "$config_dir/otelcol/profiles/$2" >/dev/null 2>&1); then
    log "FAIL otelcol/profiles/$2 validates without $1"; failures+=("otelcol/profiles/$2 does not require $1")
  else
    log "ok   otelcol/profiles/$2 refuses to start without $1"
  fi
}
check_required BIZMETRICS_REMOTE_WRITE_ENDPOINT remote-write.yaml
check_required BIZMETRICS_OTLP_EXPORT_ENDPOINT otlphttp.yaml

for promcfg in "$config_dir"/prometheus/*.yml; do
  if promtool check config "$promcfg" >/dev/null 2>&1; then
    log "ok   promtool check config: prometheus/$(basename "$promcfg")"
  else
    log "FAIL promtool check config: $promcfg"; promtool check config "$promcfg" >&2 || true
    failures+=("promtool check config $(basename "$promcfg")")
  fi
done
shopt -s nullglob
rules=("$config_dir"/prometheus/rules/*.yml "$config_dir"/prometheus/rules/*.yaml)
if ((${#rules[@]} == 0)); then
  log "FAIL no rule files in prometheus/rules"; failures+=("no rule files")
elif promtool check rules "${rules[@]}" >/dev/null 2>&1; then
  log "ok   promtool check rules: ${#rules[@]} file(s)"
else
  log "FAIL promtool check rules"; promtool check rules "${rules[@]}" >&2 || true
  failures+=("promtool check rules")
fi

if [[ "${BIZMETRICS_SKIP_E2E:-0}" != "1" ]]; then
  if OTELCOL="$otelcol" bash "$script_dir/check-metric-names.sh"; then
    log "ok   metric names on the Prometheus, remote-write and delta paths"
  else
    failures+=("check-metric-names.sh")
  fi
fi

if ((${#failures[@]})); then
  log "FAILED (${#failures[@]}):"
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
log "all checks passed"

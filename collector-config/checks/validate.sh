#!/usr/bin/env bash
# Validates everything in collector-config/ with the real tools:
#   - otelcol-bizmetrics validate on the base config alone, on base + each
#     backend profile, on base + all of them together, and on the tier
#     combinations (agent with the static or the DNS resolver, gateway with its
#     backends); every profile is in at least one combination;
#   - that a profile's required variables (endpoints, the gateway token) really
#     are required;
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
export BIZMETRICS_GATEWAY_ENDPOINTS='["127.0.0.1:14317", "127.0.0.1:24317"]'
export BIZMETRICS_GATEWAY_DNS_NAME=bizmetrics-gateway.observability.svc.cluster.local
export BIZMETRICS_GATEWAY_TOKEN=validate

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

profiles="$config_dir/otelcol/profiles"
run_validate "base" "$base"
# Backend profiles: each adds its own exporter and pipeline, any set combines.
backends=(datadog debug file otlphttp remote-write)
all=()
for name in "${backends[@]}"; do
  run_validate "base + otelcol/profiles/$name.yaml" "$base" "$profiles/$name.yaml"
  all+=("$profiles/$name.yaml")
done
run_validate "base + all backend profiles" "$base" "${all[@]}"
# Tier profiles: an agent (static or DNS resolver, never both), a gateway with its
# backends.
run_validate "agent: base + agent.yaml" "$base" "$profiles/agent.yaml"
run_validate "agent: base + agent-dns.yaml" "$base" "$profiles/agent-dns.yaml"
run_validate "gateway: base + gateway.yaml + remote-write.yaml" "$base" "$profiles/gateway.yaml" "$profiles/remote-write.yaml"
run_validate "gateway: base + gateway.yaml + remote-write.yaml + datadog.yaml" "$base" "$profiles/gateway.yaml" "$profiles/remote-write.yaml" "$profiles/datadog.yaml"
for f in "$profiles"/*.yaml; do
  case " ${backends[*]} agent agent-dns gateway " in
    *" $(basename "$f" .yaml) "*) ;;
    *) log "FAIL otelcol/profiles/$(basename "$f") is validated by no combination"; failures+=("unvalidated profile $(basename "$f")") ;;
  esac
done

# A missing required setting must stop the collector, not start a pipeline that
# silently sends nowhere or a gateway that accepts anyone.
check_required() { # variable, profile files...
  local var=$1; shift
  local args=(--config "$base") f
  for f in "$@"; do args+=(--config "$profiles/$f"); done
  if (unset "$var"; "$otelcol" validate "${args[@]}" >/dev/null 2>&1); then
    log "FAIL $* validates without $var"; failures+=("$* does not require $var")
  else
    log "ok   $* refuses to start without $var"
  fi
}
check_required BIZMETRICS_REMOTE_WRITE_ENDPOINT remote-write.yaml
check_required BIZMETRICS_OTLP_EXPORT_ENDPOINT otlphttp.yaml
check_required BIZMETRICS_GATEWAY_ENDPOINTS agent.yaml
check_required BIZMETRICS_GATEWAY_DNS_NAME agent-dns.yaml
check_required BIZMETRICS_GATEWAY_TOKEN gateway.yaml remote-write.yaml

# Secure by default: without BIZMETRICS_LISTEN_HOST or an *_ENDPOINT override, every
# listener (OTLP gRPC/HTTP, scrape endpoint, health check, self-metrics) binds to
# 127.0.0.1; BIZMETRICS_LISTEN_HOST moves all of them.
listeners() { # host expected, config files...
  local want=$1; shift
  local args=() f
  for f in "$@"; do args+=(--config "$f"); done
  (unset BIZMETRICS_OTLP_GRPC_ENDPOINT BIZMETRICS_OTLP_HTTP_ENDPOINT BIZMETRICS_PROMETHEUS_ENDPOINT BIZMETRICS_HEALTH_ENDPOINT BIZMETRICS_SELF_METRICS_HOST
   "$otelcol" print-config "${args[@]}" 2>/dev/null) \
    | grep -E '^[[:space:]]+(endpoint: [^h/ ]+:[0-9]+|host: .+)$' | sed -E 's/^[[:space:]]+(endpoint|host): //; s/:[0-9]+$//' | sort | uniq -c \
    | awk -v want="$want" '{ if ($2 != want) bad = 1; n += $1 } END { exit (bad || n != 5) }'
}
for combination in "otelcol/profiles/gateway.yaml otelcol/profiles/remote-write.yaml" "otelcol/profiles/agent.yaml"; do
  files=("$base"); for f in $combination; do files+=("$config_dir/$f"); done
  if (unset BIZMETRICS_LISTEN_HOST; listeners 127.0.0.1 "${files[@]}") && BIZMETRICS_LISTEN_HOST=0.0.0.0 listeners 0.0.0.0 "${files[@]}"; then
    log "ok   base + $combination: all 5 listeners on 127.0.0.1 by default, on BIZMETRICS_LISTEN_HOST when set"
  else
    log "FAIL base + $combination: a listener is not on 127.0.0.1 by default (or ignores BIZMETRICS_LISTEN_HOST)"
    "$otelcol" print-config "${files[@]/#/--config=}" 2>&1 | grep -E '(endpoint|host): ' >&2 || true
    failures+=("listen addresses of base + $combination")
  fi
done

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

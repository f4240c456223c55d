#!/usr/bin/env bash
# End-to-end name check on loopback, with the real collector and a real Prometheus:
#
#   SDK-shaped OTLP/HTTP JSON  --> otelcol-bizmetrics (base + remote-write + file profiles)
#       --> prometheus exporter (scraped here with curl)
#       --> prometheusremotewrite --> Prometheus 2.x remote-write receiver (queried here)
#       --> cumulativetodelta --> file (read here)
#
# and asserts that both Prometheus paths carry exactly the guide's metric names,
# that the delta path carries delta points, and that CORS answers the browser origin.
# Exits non-zero with a message on the first failure. Needs: bash, curl, node,
# prometheus (for the remote-write leg; skipped with a warning if missing).
#
#   OTELCOL=/path/to/otelcol-bizmetrics bash checks/check-metric-names.sh   # reuse a binary
#   BIZMETRICS_KEEP_TMP=1 ...                                              # keep logs/output
set -euo pipefail

log() { printf '[check-metric-names] %s\n' "$*" >&2; }
fail() { printf '[check-metric-names] FAIL: %s\n' "$*" >&2; exit 1; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
config_dir=$(cd "$script_dir/.." && pwd)
otelcol=${OTELCOL:-$(bash "$config_dir/collector/build-collector.sh")}
[[ -x "$otelcol" ]] || fail "collector binary not executable: $otelcol"
command -v curl >/dev/null || fail "curl is required"
command -v node >/dev/null || fail "node is required (for the OTLP sender)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bizmetrics-names.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${BIZMETRICS_KEEP_TMP:-0}" == "1" ]]; then log "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# Free loopback ports, so parallel runs and a developer's own collector don't clash.
read -r p_grpc p_http p_prom p_health p_self p_promserver < <(node -e '
  const net = require("node:net");
  const servers = [];
  const next = () => {
    if (servers.length === 6) { console.log(servers.map((s) => s.address().port).join(" ")); servers.forEach((s) => s.close()); return; }
    const s = net.createServer(); s.listen(0, "127.0.0.1", () => { servers.push(s); next(); });
  };
  next();')

wait_http() { # url, what, seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

have_prometheus=0
profiles=(--config "$config_dir/otelcol/base.yaml" --config "$config_dir/otelcol/profiles/file.yaml")
if command -v prometheus >/dev/null; then
  have_prometheus=1
  cat > "$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1h
EOF
  prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$p_promserver" --web.enable-remote-write-receiver \
    > "$tmp/prometheus.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$p_promserver/-/ready" prometheus 30 || { tail -20 "$tmp/prometheus.log" >&2; fail "Prometheus did not become ready"; }
  profiles+=(--config "$config_dir/otelcol/profiles/remote-write.yaml")
  export BIZMETRICS_REMOTE_WRITE_ENDPOINT="http://127.0.0.1:$p_promserver/api/v1/write"
else
  log "WARNING: prometheus not installed; the remote-write leg is not checked"
fi

export BIZMETRICS_OTLP_GRPC_ENDPOINT="127.0.0.1:$p_grpc"
export BIZMETRICS_OTLP_HTTP_ENDPOINT="127.0.0.1:$p_http"
export BIZMETRICS_PROMETHEUS_ENDPOINT="127.0.0.1:$p_prom"
export BIZMETRICS_HEALTH_ENDPOINT="127.0.0.1:$p_health"
export BIZMETRICS_SELF_METRICS_HOST=127.0.0.1
export BIZMETRICS_SELF_METRICS_PORT="$p_self"
export BIZMETRICS_FILE_PATH="$tmp/delta.jsonl"
export BIZMETRICS_CORS_ALLOWED_ORIGINS='["http://localhost:5173"]'
export BIZMETRICS_BATCH_TIMEOUT=200ms

log "starting $otelcol ${profiles[*]}"
"$otelcol" "${profiles[@]}" > "$tmp/otelcol.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$p_health/" collector 30 || { tail -30 "$tmp/otelcol.log" >&2; fail "collector health check did not answer"; }

# Two senders: the SDK's units, and bare units that would add suffixes if unguarded.
node "$config_dir/test/support/sendSampleMetrics.mjs" --endpoint "http://127.0.0.1:$p_http" --times 2 --interval-ms 1200 \
  --instance checkout-1 --units sdk --origin http://localhost:5173 2> "$tmp/sender.log" &
sender1=$!
node "$config_dir/test/support/sendSampleMetrics.mjs" --endpoint "http://127.0.0.1:$p_http" --times 2 --interval-ms 1200 \
  --instance checkout-2 --units bare 2> "$tmp/sender2.log" \
  || { cat "$tmp/sender2.log" >&2; fail "OTLP export (bare units) was refused"; }
wait "$sender1" || { cat "$tmp/sender.log" >&2; fail "OTLP export was refused"; }
cat "$tmp/sender.log" "$tmp/sender2.log" >&2
grep -q 'access-control-allow-origin=http://localhost:5173' "$tmp/sender.log" || fail "CORS: the collector did not allow origin http://localhost:5173"
sleep 2

expected=(
  business_funnel_step_total business_conversions_total business_revenue_cents_total
  business_feature_usage_total business_funnel_abandoned_total
  business_time_to_conversion_seconds_bucket business_order_value_cents_bucket
  business_session_duration_seconds_bucket
  business_revenue_per_minute_cents business_active_users
)

check_names() { # label, file with one metric name a line
  local label=$1 names=$2 name
  for name in "${expected[@]}"; do
    grep -qx "$name" "$names" || fail "$label: expected metric $name is missing; business_* names seen: $(grep '^business_' "$names" | sort -u | tr '\n' ' ')"
  done
  # Nothing else: no unit suffix glued on (_cents_cent, _seconds_seconds, _ratio, _per_minute).
  local allowed='^(business_funnel_step_total|business_conversions_total|business_revenue_cents_total|business_feature_usage_total|business_funnel_abandoned_total|business_(time_to_conversion_seconds|order_value_cents|session_duration_seconds)_(bucket|sum|count)|business_revenue_per_minute_cents|business_active_users)$'
  local unexpected
  unexpected=$(grep '^business_' "$names" | grep -Ev "$allowed" | sort -u || true)
  [[ -z "$unexpected" ]] || fail "$label: unexpected metric names: $unexpected"
  log "$label: all ${#expected[@]} guide names present, no others"
}

# 1. Prometheus exporter (scrape endpoint)
curl -fsS "http://127.0.0.1:$p_prom/metrics" > "$tmp/scrape.txt" || fail "could not scrape the collector's Prometheus endpoint"
grep -v '^#' "$tmp/scrape.txt" | sed -E 's/[{ ].*//' | sort -u > "$tmp/scrape-names.txt"
check_names "prometheus exporter" "$tmp/scrape-names.txt"
grep -q '^business_funnel_step_total{.*job="shop/checkout".*instance="checkout-1"' "$tmp/scrape.txt" \
  || grep -q '^business_funnel_step_total{.*instance="checkout-1".*job="shop/checkout"' "$tmp/scrape.txt" \
  || fail "prometheus exporter: job/instance labels not derived from service.namespace/service.name/service.instance.id"
grep -q '^target_info{' "$tmp/scrape.txt" || fail "prometheus exporter: no target_info series"
grep -q 'deployment_environment_name' <(grep '^business_' "$tmp/scrape.txt") && fail "prometheus exporter: resource attributes leaked onto business series"

# 2. Remote write into a real Prometheus
if [[ "$have_prometheus" == "1" ]]; then
  ok=0
  for _ in $(seq 1 50); do
    curl -fsS "http://127.0.0.1:$p_promserver/api/v1/label/__name__/values" > "$tmp/rw-names.json" || true
    grep -q 'business_active_users' "$tmp/rw-names.json" && { ok=1; break; }
    sleep 0.2
  done
  [[ "$ok" == "1" ]] || { tail -20 "$tmp/otelcol.log" >&2; fail "remote write: no business_* series arrived in Prometheus"; }
  node -e 'for (const n of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).data) console.log(n)' "$tmp/rw-names.json" > "$tmp/rw-names.txt"
  check_names "prometheus remote write" "$tmp/rw-names.txt"
  # The guide's query shapes work on what arrived (sums drop job/instance).
  q=$(curl -fsS --get "http://127.0.0.1:$p_promserver/api/v1/query" \
    --data-urlencode 'query=sum(business_funnel_step_total{step="order_confirmed"}) / sum(business_funnel_step_total{step="cart_view"})')
  grep -q '"value":\[[0-9.]*,"0.1"\]' <<<"$q" || fail "remote write: conversion ratio query returned $q (expected 0.1)"
  log "remote write: guide-style ratio query answers 0.1"
fi

# 3. Delta path (file exporter)
[[ -s "$tmp/delta.jsonl" ]] || fail "delta pipeline: $tmp/delta.jsonl is empty"
node - "$tmp/delta.jsonl" <<'EOF' || fail "delta pipeline check failed"
const fs = require('node:fs');
const points = [];
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean)) {
  for (const rm of JSON.parse(line).resourceMetrics ?? [])
    for (const sm of rm.scopeMetrics ?? [])
      for (const m of sm.metrics ?? [])
        if (m.name === 'business_funnel_step')
          for (const dp of m.sum.dataPoints) points.push({ temporality: m.sum.aggregationTemporality, step: dp.attributes.find((a) => a.key === 'step').value.stringValue, value: dp.asDouble });
}
const cart = points.filter((p) => p.step === 'cart_view');
if (cart.length === 0) { console.error('no business_funnel_step points in the delta file'); process.exit(1); }
if (!cart.every((p) => p.temporality === 1)) { console.error('not delta temporality:', JSON.stringify(cart)); process.exit(1); }
// cumulative 10 then 20 from each of two senders -> four deltas of 10
if (cart.length !== 4 || !cart.every((p) => p.value === 10)) { console.error('unexpected delta points (want four of 10):', JSON.stringify(cart)); process.exit(1); }
console.error(`[check-metric-names] delta pipeline: business_funnel_step{step=cart_view} arrived as ${cart.length} delta point(s) of 10`);
EOF

if grep -Eq '"level":"error"|\berror\b.*(exporter|processor)' "$tmp/otelcol.log"; then
  grep -E '"level":"error"|\berror\b' "$tmp/otelcol.log" | head -5 >&2
  fail "the collector logged errors"
fi
log "OK"

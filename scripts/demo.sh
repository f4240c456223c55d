#!/usr/bin/env bash
# The demo on a fresh machine: set-up (local Node, pinned pnpm, install, build), then the example.
# Extra arguments go to the example shop's demo, e.g. --stack (collector + Prometheus), --port 8080,
# --duration 60; see examples/shop/README.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/toolchain.sh
source "$ROOT/scripts/lib/toolchain.sh"
cd "$ROOT"

ensure_node
ensure_pnpm
install_workspace
build_workspace

if [ -d examples/shop ]; then
  # The stack path needs a real Prometheus; the collector is built by the demo itself (cached).
  for arg in "$@"; do
    if [ "$arg" = "--stack" ] && ! command -v prometheus >/dev/null 2>&1; then
      [ "$(id -u)" -eq 0 ] || fail "--stack needs prometheus: sudo apt-get install -y prometheus"
      step "Installing Debian's prometheus for the stack path"
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2 ||
        fail "apt-get install prometheus failed"
    fi
  done
  step "Starting the example shop"
  exec pnpm --filter @bizmetrics/example-shop run demo -- "$@"
fi
step "Replaying the guide's checkout flow through @bizmetrics/core"
exec pnpm --filter @bizmetrics/example-guide-checkout --silent run start -- "$@"

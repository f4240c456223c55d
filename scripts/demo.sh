#!/usr/bin/env bash
# The demo on a fresh machine: set-up (local Node, pinned pnpm, install, build), then the example.
# Extra arguments go to the example (e.g. --stack once the shop exists).
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
  step "Starting the example shop"
  exec pnpm --filter @bizmetrics/example-shop run demo -- "$@"
fi
step "Replaying the guide's checkout flow through @bizmetrics/core"
exec pnpm --filter @bizmetrics/example-guide-checkout --silent run start -- "$@"

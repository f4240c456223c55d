#!/usr/bin/env bash
# Builds Prometheus 3 from Go modules and prints the absolute path of the binary on
# stdout (and nothing else):
#
#   BIZMETRICS_PROMETHEUS3=$(bash scripts/build-prometheus3.sh)
#
# Debian ships Prometheus 2.42, which has no OTLP receiver; Prometheus 3 is not
# packaged, so CI and a fresh machine build it with `go install`. The binary is
# cached at
#   ${BIZMETRICS_CACHE_DIR:-$HOME/.cache/bizmetrics}/prometheus/<version>-<os>-<arch>/prometheus
# so a second run returns at once. A first build takes about 5.5 minutes on 2 cores
# (cold Go build cache). The result has no web UI assets; the HTTP API, the OTLP
# receiver and rule evaluation work. Progress goes to stderr.
#
# Environment:
#   BIZMETRICS_CACHE_DIR          cache root (default $HOME/.cache/bizmetrics)
#   BIZMETRICS_PROMETHEUS_MODULE  module version to build (default v0.316.0 = Prometheus 3.16)
#   BIZMETRICS_REBUILD=1          ignore the cached binary and build again
#   GOPROXY, GOFLAGS, GOTOOLCHAIN are respected; see the defaults below.
set -euo pipefail

log() { printf '[build-prometheus3] %s\n' "$*" >&2; }
die() { printf '[build-prometheus3] ERROR: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/cachedBinary.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/cachedBinary.sh"

# Prometheus 3.x is published to the Go module proxy as v0.3xx.y (3.16.0 -> v0.316.0).
version=${BIZMETRICS_PROMETHEUS_MODULE:-v0.316.0}
[[ "$version" =~ ^v0\.[0-9]+\.[0-9]+$ ]] || die "BIZMETRICS_PROMETHEUS_MODULE must look like v0.316.0, got: $version"

command -v go >/dev/null 2>&1 || die "the Go toolchain is not on PATH (need Go >= 1.26 to build Prometheus 3)"

export GOPROXY=${GOPROXY:-https://proxy.golang.org}
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export CGO_ENABLED=0

goos=$(go env GOOS)
goarch=$(go env GOARCH)
cache_root=${BIZMETRICS_CACHE_DIR:-"$HOME/.cache/bizmetrics"}
key="$version-$goos-$goarch"
out_dir="$cache_root/prometheus/$key"
binary="$out_dir/prometheus"

# test.sh and a developer's shell must not build the same thing twice at once.
reuse_or_lock "$binary" "$cache_root/prometheus/.lock-$key" "$key"

work_dir=$(mktemp -d "$cache_root/prometheus/.work-$key.XXXXXX")
cleanup() { rm -rf "$work_dir"; }
trap cleanup EXIT

log "building github.com/prometheus/prometheus/cmd/prometheus@$version ($goos/$goarch) in $work_dir"
log "a first build takes about 5.5 minutes on 2 cores; later builds reuse Go's build cache"
start=$(date +%s)
if ! GOBIN="$work_dir" go install "github.com/prometheus/prometheus/cmd/prometheus@$version" >&2; then
  die "the Prometheus build failed (see the go output above; is the Go module proxy reachable? GOPROXY=$GOPROXY)"
fi
built="$work_dir/prometheus"
[[ -x "$built" ]] || die "go install finished but $built is missing"
"$built" --version >&2 || die "the built binary does not run: $built"

mkdir -p "$out_dir"
cp "$built" "$out_dir/.prometheus.tmp"
mv -f "$out_dir/.prometheus.tmp" "$binary"
printf 'module=%s\nplatform=%s/%s\nbuild_seconds=%s\ngo=%s\n' \
  "$version" "$goos" "$goarch" "$(( $(date +%s) - start ))" "$(go env GOVERSION)" > "$out_dir/build-info.txt"
log "built in $(( $(date +%s) - start ))s: $binary"
printf '%s\n' "$binary"

#!/usr/bin/env bash
# Builds the otelcol-bizmetrics distribution from manifest.yaml (beside it) and prints
# the absolute path of the binary on stdout (and nothing else):
#
#   OTELCOL=$(bash collector-config/collector/build-collector.sh)
#
# The binary is cached at
#   ${BIZMETRICS_CACHE_DIR:-$HOME/.cache/bizmetrics}/otelcol/<hash>/otelcol-bizmetrics
# where <hash> is the sha256 of the manifest, the builder version and the target
# platform, so a second run with an unchanged manifest returns at once.
# A first build took 4 min 47 s on 2 cores (cold Go build cache, modules fetched
# from the proxy); later manifest changes rebuild faster. Progress goes to stderr.
#
# Environment:
#   BIZMETRICS_CACHE_DIR   cache root (default $HOME/.cache/bizmetrics)
#   BIZMETRICS_MANIFEST    manifest to build (default collector-config/collector/manifest.yaml)
#   BIZMETRICS_REBUILD=1   ignore the cached binary and build again
#   GOPROXY, GOFLAGS, GOTOOLCHAIN are respected; see the defaults below.
set -euo pipefail

log() { printf '[build-collector] %s\n' "$*" >&2; }
die() { printf '[build-collector] ERROR: %s\n' "$*" >&2; exit 1; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../scripts/lib/cachedBinary.sh
source "$script_dir/../../scripts/lib/cachedBinary.sh"
manifest=${BIZMETRICS_MANIFEST:-"$script_dir/manifest.yaml"}
[[ -f "$manifest" ]] || die "manifest not found: $manifest"
manifest=$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")

command -v go >/dev/null 2>&1 || die "the Go toolchain is not on PATH (need Go >= 1.26 to build the collector)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum is required"

# The builder must be the release the core components are at: its templates and
# its go.mod pins follow that release. Take it from the manifest so a version bump
# is a one-file change.
builder_version=$(sed -n 's#^[[:space:]]*gomod:[[:space:]]*go\.opentelemetry\.io/collector/service[[:space:]]\{1,\}\(v[0-9][^[:space:]"]*\).*#\1#p' "$manifest" | head -n1)
[[ -n "$builder_version" ]] || die "could not read the go.opentelemetry.io/collector/service version from $manifest (telemetry.gomod)"
dist_name=$(sed -n 's#^[[:space:]]*name:[[:space:]]*\([A-Za-z0-9._-]\{1,\}\).*#\1#p' "$manifest" | head -n1)
[[ -n "$dist_name" ]] || die "could not read dist.name from $manifest"

# Modules come from the Go module proxy only; fail instead of fetching a newer Go.
export GOPROXY=${GOPROXY:-https://proxy.golang.org}
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
export CGO_ENABLED=0

goos=$(go env GOOS)
goarch=$(go env GOARCH)
cache_root=${BIZMETRICS_CACHE_DIR:-"$HOME/.cache/bizmetrics"}
hash=$({ cat "$manifest"; printf '\nbuilder=%s\nplatform=%s/%s\n' "$builder_version" "$goos" "$goarch"; } | sha256sum | cut -c1-16)
out_dir="$cache_root/otelcol/$hash"
binary="$out_dir/$dist_name"

# Two callers (validate.sh and an e2e test, say) must not build the same thing at once.
reuse_or_lock "$binary" "$cache_root/otelcol/.lock-$hash" "$hash"

builder_dir="$cache_root/tools/builder-$builder_version"
builder="$builder_dir/builder"
if [[ ! -x "$builder" ]]; then
  log "installing go.opentelemetry.io/collector/cmd/builder@$builder_version into $builder_dir"
  mkdir -p "$builder_dir"
  GOBIN="$builder_dir" go install "go.opentelemetry.io/collector/cmd/builder@$builder_version" >&2 \
    || die "could not install the collector builder $builder_version (is the Go module proxy reachable? GOPROXY=$GOPROXY)"
fi

work_dir=$(mktemp -d "$cache_root/otelcol/.work-$hash.XXXXXX")
cleanup() { rm -rf "$work_dir"; }
trap cleanup EXIT

log "building $dist_name (manifest $manifest, builder $builder_version, $goos/$goarch) in $work_dir"
log "a first build takes about 5 minutes on 2 cores; later builds reuse Go's build cache"
start=$(date +%s)
# output_path in the manifest is relative, so run from the work dir.
if ! (cd "$work_dir" && "$builder" --config "$manifest") >&2; then
  die "the collector build failed (see the builder output above); manifest: $manifest"
fi
built="$work_dir/_build/$dist_name"
[[ -x "$built" ]] || die "the builder finished but $built is missing; does dist.output_path in $manifest still say ./_build?"
"$built" --version >&2 || die "the built binary does not run: $built"

mkdir -p "$out_dir"
cp "$built" "$out_dir/.$dist_name.tmp"
mv -f "$out_dir/.$dist_name.tmp" "$binary"
printf 'builder=%s\nplatform=%s/%s\nbuild_seconds=%s\ngo=%s\n' \
  "$builder_version" "$goos" "$goarch" "$(( $(date +%s) - start ))" "$(go env GOVERSION)" > "$out_dir/build-info.txt"
log "built in $(( $(date +%s) - start ))s: $binary"
printf '%s\n' "$binary"

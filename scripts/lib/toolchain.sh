# Sourced by the project's scripts. Puts a Node >= 22.15 and the pinned pnpm on PATH, installing
# them under .tools/ from the npm registry when the machine lacks them (the machine's Node is 20).
# shellcheck shell=bash

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOOLS="$ROOT/.tools"
NODE_VERSION=24.21.0
PNPM_VERSION=12.4.2

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

node_is_recent() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 15) ? 0 : 1)'
}

ensure_node() {
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "no Node binary package for $(uname -m); install Node >= 22.15 yourself" ;;
  esac
  local local_bin="$TOOLS/node/node_modules/node-linux-$arch/bin"
  if [ -x "$local_bin/node" ]; then
    export PATH="$local_bin:$PATH"
  elif ! node_is_recent; then
    command -v npm >/dev/null 2>&1 || fail "npm is needed to fetch Node $NODE_VERSION"
    step "Installing Node $NODE_VERSION into .tools/ (the machine has $(node --version 2>/dev/null || echo none))"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TOOLS/node" "node-linux-$arch@$NODE_VERSION" >&2 ||
      fail "could not install node-linux-$arch@$NODE_VERSION from the npm registry"
    export PATH="$local_bin:$PATH"
  fi
  node_is_recent || fail "Node >= 22.15 is required, found $(node --version)"
}

ensure_pnpm() {
  local local_bin="$TOOLS/pnpm/node_modules/.bin"
  if [ ! -x "$local_bin/pnpm" ]; then
    step "Installing pnpm $PNPM_VERSION into .tools/"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >&2 ||
      fail "could not install pnpm@$PNPM_VERSION from the npm registry"
  fi
  export PATH="$local_bin:$PATH"
  [ "$(pnpm --version)" = "$PNPM_VERSION" ] || fail "pnpm $PNPM_VERSION expected, found $(pnpm --version)"
}

# Debian packages the tests need: a real Prometheus (with promtool), a real browser, a real Redis
# (shared funnel and active-user state) and a real load balancer (haproxy, the replica topology).
ensure_debian_packages() {
  local missing=()
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  fi
  step "Installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    fail "apt-get install ${missing[*]} failed"
}

install_workspace() {
  step "Installing workspace dependencies (pnpm install)"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2) || fail "pnpm install failed"
}

build_workspace() {
  step "Building packages"
  (cd "$ROOT" && pnpm run build >&2) || fail "build failed"
}

#!/usr/bin/env bash
# Idempotent set-up: system packages, npm dependencies, generated code, TypeScript build.
# Quick when everything is already there. Used by `npm start`, `npm test` and `npm run bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
# git, rsync, sqlite3 and attr (getfattr/setfattr): the application tests on the mount (test/mount-apps.test.ts);
# build-essential: gcc for the mount's native FUSE binding (scripts/build-native.sh); python3: Debian's
# /usr/bin/python3, which the POSIX suite also runs as an unprivileged uid (test/mount-posix.test.ts)
for pkg in fuse libfuse2 git rsync sqlite3 attr build-essential python3; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_pkgs+=("$pkg")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need_pkgs[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y "${need_pkgs[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update >/dev/null 2>&1 || true
    $SUDO apt-get install -y "${need_pkgs[@]}" >/dev/null
  fi
fi

# Headless Chromium drives the dashboard test (test/ops-dashboard.test.ts through playwright-core).
# Debian's package, never a browser download; quick when already installed.
if [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing chromium (dashboard tests)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y chromium >/dev/null 2>&1; then
    $SUDO apt-get update >/dev/null 2>&1 || true
    $SUDO apt-get install -y chromium >/dev/null
  fi
fi

# fusectl lets tests and `dfs umount` abort a hung FUSE connection.
if [ -d /sys/fs/fuse/connections ] && ! mountpoint -q /sys/fs/fuse/connections 2>/dev/null; then
  mount -t fusectl none /sys/fs/fuse/connections 2>/dev/null || true
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  # `npm ci` when the lock file is usable; npm 11 rejects lock files whose optional platform
  # packages (msgpackr-extract's) were pruned, so fall back to `npm install` from the same lock.
  npm ci --no-audit --no-fund --loglevel=error >&2 2>/dev/null || npm install --no-audit --no-fund --loglevel=error >&2
fi

# The mount's native FUSE binding (patched fuse-native, src/mount/native/): rebuilt only when its
# C source is newer than build/native/fuse.node.
bash scripts/build-native.sh

# Build when any source is newer than the last build.
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find src test proto scripts bench tsconfig.json package.json -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
  echo "setup: building" >&2
  node scripts/gen-proto.mjs
  rm -rf dist
  npx --no-install tsc -p tsconfig.json
  touch "$stamp"
fi

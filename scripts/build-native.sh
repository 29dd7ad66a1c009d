#!/usr/bin/env bash
# Builds the native parts with plain gcc, offline:
# - build/native/malloc.node from src/common/native/malloc-tune.c (mallopt for the data path);
# - build/native/fuse.node, the mount's FUSE binding (src/mount/native/fuse-native.c, a patched
#   fuse-native): Node's headers (node_api.h, uv.h) from /usr/include/node or next to the running
#   node, napi-macros.h and the FUSE 2.9 headers from node_modules, linked against Debian's
#   libfuse.so.2 (package libfuse2).
# Quick when each binary is newer than its source and this script. Usage: scripts/build-native.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."

fresh() { [ "${force:-}" != "--force" ] && [ -f "$1" ] && [ "$1" -nt "$2" ] && [ "$1" -nt "$0" ]; }
force="${1:-}"

fail() { echo "build-native: $*" >&2; exit 1; }

command -v gcc >/dev/null || fail "gcc not found (Debian: apt-get install build-essential)"

node_include=""
for d in /usr/include/node "$(dirname "$(dirname "$(node -p process.execPath)")")/include/node"; do
  if [ -f "$d/node_api.h" ] && [ -f "$d/uv.h" ]; then node_include="$d"; break; fi
done
[ -n "$node_include" ] || fail "Node.js headers (node_api.h, uv.h) not found in /usr/include/node nor next to $(node -p process.execPath) (../include/node): install Node.js with its headers"

mkdir -p build/native
msrc=src/common/native/malloc-tune.c
mout=build/native/malloc.node
if ! fresh "$mout" "$msrc"; then
  echo "build-native: compiling $msrc -> $mout" >&2
  gcc -shared -fPIC -O2 -Wall -I"$node_include" -o "$mout.tmp.$$" "$msrc"
  mv "$mout.tmp.$$" "$mout"
fi

src=src/mount/native/fuse-native.c
out=build/native/fuse.node
fresh "$out" "$src" && exit 0

napi_macros="$(node -p "require('path').dirname(require.resolve('napi-macros/napi-macros.h'))" 2>/dev/null)" \
  || fail "napi-macros not found in node_modules: run npm ci"
fuse_include="$(node -p "require('fuse-shared-library').include" 2>/dev/null)" \
  || fail "fuse-shared-library (FUSE 2.9 headers) not found in node_modules: run npm ci"
[ -f "$fuse_include/fuse.h" ] || fail "no fuse.h in $fuse_include"

# No early exit in these pipelines: with pipefail, a reader that stops first (awk's exit, head -1)
# leaves the writer with SIGPIPE, and the whole set-up failed with status 141 (seen in CI).
libfuse="$( { /sbin/ldconfig -p 2>/dev/null || true; } | awk '/libfuse\.so\.2 / && !found {print $NF; found=1}')"
if [ -z "$libfuse" ]; then
  for f in /lib/*/libfuse.so.2 /usr/lib/*/libfuse.so.2; do
    if [ -e "$f" ]; then libfuse="$f"; break; fi
  done
fi
[ -n "$libfuse" ] || fail "libfuse.so.2 not found (Debian: apt-get install libfuse2)"

mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
echo "build-native: compiling $src -> $out" >&2
gcc -shared -fPIC -O2 -g -Wall -Wno-unused-function -Wno-unused-variable \
  -D_FILE_OFFSET_BITS=64 -D_GNU_SOURCE \
  -I"$node_include" -I"$napi_macros" -I"$fuse_include" \
  -o "$tmp" "$src" "$libfuse" -lpthread
mv "$tmp" "$out"

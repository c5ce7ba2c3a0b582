#!/usr/bin/env bash
# ctest driver for the browser test: a fresh demo database, `liufang serve` on a free loopback
# port, login_position.test.mjs in headless Debian chromium (playwright-core), then the server
# is stopped. Screenshots go to BUILD_DIR/e2e/.
#
#   tests/e2e/run.sh LIUFANG_BINARY BUILD_DIR [TEST_FILE]
#
# TEST_FILE is one of the *.test.mjs here (default login_position.test.mjs); each runs against
# its own fresh demo database.
#
# npm packages are installed (npm ci, from package-lock.json) into BUILD_DIR/e2e/node, so the
# source tree stays clean; they are reinstalled only when the lock file changes. A missing
# node, npm or chromium is a failure, not a skip: scripts/test installs them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ $# -eq 2 ] || [ $# -eq 3 ] || { echo "usage: $0 LIUFANG_BINARY BUILD_DIR [TEST_FILE]" >&2; exit 2; }
test_file="${3:-login_position.test.mjs}"
liufang="$1"
out="$2/e2e"
chromium="${CHROMIUM:-/usr/bin/chromium}"

fail() { echo "e2e: $*" >&2; exit 1; }
[ -x "$liufang" ] || fail "no liufang binary at $liufang"
command -v node >/dev/null || fail "node is not installed (scripts/test installs nodejs)"
command -v npm >/dev/null || fail "npm is not installed (scripts/test installs npm)"
[ -x "$chromium" ] || fail "chromium is not installed at $chromium (scripts/test installs it)"

# ---- the npm packages, in the build folder
node_dir="$out/node"
mkdir -p "$node_dir"
cp "$here/package.json" "$here/package-lock.json" "$here"/*.test.mjs "$node_dir/"
if ! cmp -s "$here/package-lock.json" "$node_dir/node_modules/.liufang-lock.json" 2>/dev/null; then
  echo "e2e: npm ci in $node_dir"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) ||
    fail "npm ci failed (is the npm registry reachable?)"
  cp "$here/package-lock.json" "$node_dir/node_modules/.liufang-lock.json"
fi

# ---- the server
work="$(mktemp -d "${TMPDIR:-/tmp}/liufang-e2e.XXXXXX")"
server=""
# shellcheck disable=SC2317  # runs from the EXIT trap
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$liufang" init --demo --db "$work/e2e.db" >"$work/init.log" 2>&1 ||
  { cat "$work/init.log" >&2; fail "init --demo failed"; }
"$liufang" serve --db "$work/e2e.db" --bind 127.0.0.1 --port 0 \
  >"$work/serve.out" 2>"$work/serve.err" &
server=$!
url=""
for _ in $(seq 200); do  # the server prints "listening on http://127.0.0.1:PORT" once bound
  url="$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out")"
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { tail -n 20 "$work/serve.err" >&2; fail "the server did not start"; }
echo "e2e: server at $url"

# ---- the browser test
status=0
(cd "$node_dir" && LIUFANG_URL="${url%/}" LIUFANG_E2E_OUT="$out" CHROMIUM="$chromium" \
  node --test --test-reporter=spec "$test_file") || status=$?
if [ "$status" -ne 0 ]; then
  echo "e2e: server log (last lines):" >&2
  tail -n 30 "$work/serve.err" >&2
else
  echo "e2e: screenshots in $out"
fi
exit "$status"

#!/usr/bin/env bash
# Measures what a token call costs, side by side in one run (the targets in docs/reference/performance.md):
#   - cached `authflow header local` (target: <= 2x the floor, <= 16 MiB peak RSS)
#   - the floor: a static Foundation hello-world
#   - a cold grant against `authflow serve` (--no-cache) (target: <= 1.3x curl)
#   - curl doing the same POST
# Usage: benchmarks/token-call.sh [RUNS]   (builds the release binary; the first build takes >10 min;
#        AUTHFLOW_BENCH_BIN=path/to/authflow skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

if [ -n "${AUTHFLOW_BENCH_BIN:-}" ]; then
  bin=$AUTHFLOW_BENCH_BIN   # an already built release binary
else
  echo "building release binaries (--static-swift-stdlib)..." >&2
  swift build -c release --static-swift-stdlib -Xlinker -no-pie --scratch-path .build-release >&2
  bin=$(swift build -c release --static-swift-stdlib -Xlinker -no-pie --scratch-path .build-release --show-bin-path)/authflow
fi
printf 'import Foundation\nprint("hello")\n' > "$work/hello.swift"
swiftc -O -static-stdlib "$work/hello.swift" -o "$work/hello"

"$bin" serve --config examples/serve.yaml --port 0 --port-file "$work/port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 300); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "authflow serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
port=$(cat "$work/port")

export AUTHFLOW_CACHE_DIR="$work/cache" AUTHFLOW_SERVE_PORT="$port" DEMO_PASSWORD='Passw0rd!'
cfg=(-c examples/authflow.yaml)
"$bin" header "${cfg[@]}" local >/dev/null   # fill the cache

body="grant_type=password&username=testuser1%40example.com&password=Passw0rd%21&scope=openid+profile+email+offline_access"
basic=$(printf '%s' "0oab8olIgVNOkztHm0h7:demo-client-secret" | base64 -w0)
url="http://127.0.0.1:$port/oauth2/default/v1/token"

hyperfine -N --warmup 20 --runs "$runs" --export-markdown "$work/results.md" \
  -n "cached: authflow header local" "$bin header ${cfg[*]} local" \
  -n "floor: static Foundation hello" "$work/hello" \
  -n "cold: authflow header local --no-cache" "$bin header ${cfg[*]} local --no-cache" \
  -n "curl: the same POST" "curl -s -o /dev/null -X POST -H 'Authorization: Basic $basic' -H 'Accept: application/json' -d $body $url" >&2
cat "$work/results.md"

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo
echo "peak RSS (KiB): cached $(rss "$bin" header "${cfg[@]}" local), floor $(rss "$work/hello"), cold $(rss "$bin" header "${cfg[@]}" local --no-cache)"

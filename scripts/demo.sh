#!/usr/bin/env bash
# The quick start: the whole flow against the built-in local authorization server, no account needed.
#   1. start `authflow serve` with examples/serve.yaml on a free port
#   2. get a token with the `local` profile of examples/authflow.yaml (password grant, custom server)
#   3. show the shell exports, the decoded claims, and a cached second call
#   4. stop the server
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)/authflow
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "authflow serve --config examples/serve.yaml --port 0"
"$bin" serve --config examples/serve.yaml --port 0 --port-file "$work/port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/serve.log"; exit 1; }
head -1 "$work/serve.log"

export AUTHFLOW_SERVE_PORT; AUTHFLOW_SERVE_PORT=$(cat "$work/port")
export AUTHFLOW_CACHE_DIR="$work/cache"
export DEMO_PASSWORD='Passw0rd!'   # testuser1@example.com's password in examples/serve.yaml
cfg=(-c examples/authflow.yaml)

step "authflow profiles"
"$bin" profiles "${cfg[@]}"

step 'eval "$(authflow env local)"'
"$bin" env "${cfg[@]}" local | cut -c1-110
eval "$("$bin" env "${cfg[@]}" local)"

step "the access token's claims (authflow inspect)"
"$bin" inspect "${cfg[@]}" local

step "would an API accept it? authflow verify local-service --scope api:read"
"$bin" verify "${cfg[@]}" local-service --scope api:read

step "a second call comes from the cache (no request): authflow header local"
"$bin" header "${cfg[@]}" local | cut -c1-80
"$bin" profiles "${cfg[@]}" | sed -n '1,2p'

step "a machine token: authflow token local-service --format json"
"$bin" token "${cfg[@]}" local-service --format json | cut -c1-110

step "what the server saw"
tail -n +2 "$work/serve.log"

#!/usr/bin/env bash
# The first start as a newcomer sees it: a fresh clone (no .venv), an empty Maven repository,
# empty project cache and state, empty pip and npm caches. Prints seconds until Neo4j is ready and
# until `{ __typename }` answers over HTTP.
#   bench/first_start.sh [PORT] [BOLT_PORT]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${1:-8717}
BOLT=${2:-7717}
WORK=$(mktemp -d /tmp/isegraph-first-start.XXXXXX)
git clone -q "$ROOT" "$WORK/repo"
export ISEGRAPH_CACHE_DIR="$WORK/cache" ISEGRAPH_STATE_DIR="$WORK/state" PIP_CACHE_DIR="$WORK/pip-cache" npm_config_cache="$WORK/npm-cache"
export MAVEN_OPTS="-Dmaven.repo.local=$WORK/m2" ISEGRAPH_PORT=$PORT ISEGRAPH_NEO4J_BOLT_PORT=$BOLT
unset NEO4J_URI NEO4J_PASSWORD
started=$(date +%s.%N)
# Each line of ./dev up's output is stamped with the seconds since the start.
export started WORK
# In a process group of its own, so that stopping it stops exactly what it started.
setsid bash -c 'cd "$WORK/repo" && ./dev up 2>&1 | while IFS= read -r line; do
  printf "%6.1f %s\n" "$(echo "$(date +%s.%N) - $started" | bc)" "$line"; done' >"$WORK/up.log" &
up=$!
stop() {
  kill -- "-$up" 2>/dev/null || true
  wait "$up" 2>/dev/null || true
  (cd "$WORK/repo" && .venv/bin/isegraph neo4j stop >/dev/null 2>&1) || true
}
trap stop EXIT
ready="" answered=""
while [ -z "$answered" ]; do
  sleep 0.5
  kill -0 "$up" 2>/dev/null || { cat "$WORK/up.log"; echo "./dev up exited early" >&2; exit 1; }
  now=$(date +%s.%N)
  if [ -z "$ready" ] && grep -q "is ready at" "$WORK/up.log"; then ready=$(echo "$now - $started" | bc); fi
  token=$(awk '$2 == "ADMIN" {print $3}' "$WORK/up.log")
  [ -n "$token" ] || continue
  if curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"query":"{ __typename }"}' "http://127.0.0.1:$PORT/graphql" | grep -q '"Query"'; then
    answered=$(echo "$now - $started" | bc)
  fi
done
grep -E "Installing|Downloading|jars in|Starting|ready at|Loading|Done in|GraphQL on" "$WORK/up.log"
echo "Maven repository afterwards: $(find "$WORK/m2" -type f 2>/dev/null | wc -l) files"
printf 'Neo4j ready after %.0f s; { __typename } answered after %.0f s (load average %s)\n' \
  "$ready" "$answered" "$(cut -d' ' -f1-3 /proc/loadavg)"

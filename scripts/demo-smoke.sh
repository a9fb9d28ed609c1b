#!/usr/bin/env bash
# Runs the README's first command exactly as a new user would and checks the issue's "done when": the gateway is up
# in under 20 s, a create through :8080 returns 201, a metadata find lists it, and a call without a key gets 401.
set -euo pipefail
cd "$(dirname "$0")/.."
public=http://127.0.0.1:8080
management=http://127.0.0.1:8081
logfile=$(mktemp)

# Build first so the start-up time measures start-up, not compilation.
dotnet build src/AgentSphere.Gateway --nologo -v quiet >/dev/null

setsid dotnet run --no-build --project src/AgentSphere.Gateway -- --demo >"$logfile" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$logfile"; }
trap cleanup EXIT

started=$(date +%s%N)
ready=""
for _ in $(seq 1 600); do
  if curl -fsS "$management/readyz" >/dev/null 2>&1; then ready=yes; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
if [ -z "$ready" ]; then echo "gateway did not become ready; its output:"; cat "$logfile"; exit 1; fi
echo "ready in ${elapsed_ms} ms"
if [ "$elapsed_ms" -ge 20000 ]; then echo "start-up took ${elapsed_ms} ms (limit 20 s)"; exit 1; fi

code=$(curl -s -o /tmp/demo-create.json -w '%{http_code}' --max-time 60 -X POST "$public/sandboxes" \
  -H 'X-API-Key: demo-key' -H 'Content-Type: application/json' -d '{"templateID":"base","timeout":300,"metadata":{"userId":"u1"}}')
echo "POST /sandboxes -> $code $(cat /tmp/demo-create.json)"
[ "$code" = 201 ] || exit 1
id=$(sed -E 's/.*"sandboxID":"([a-z0-9]+)".*/\1/' /tmp/demo-create.json)

listing=$(curl -fsS --max-time 30 "$public/sandboxes?metadata=userId%3Du1" -H 'X-API-Key: demo-key')
echo "GET /sandboxes?metadata=userId%3Du1 -> $listing"
case "$listing" in *"\"sandboxID\":\"$id\""*) ;; *) echo "the new sandbox $id is not listed"; exit 1 ;; esac

code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$public/sandboxes")
echo "GET /sandboxes without X-API-Key -> $code"
[ "$code" = 401 ] || exit 1

# The demo prints the admin token it generated: the management plane takes it and refuses requests without it.
token=$(sed -n 's/^  Admin token: *\([0-9a-f]\{32\}\).*/\1/p' "$logfile" | head -n1)
[ -n "$token" ] || { echo "the demo printed no admin token; its output:"; cat "$logfile"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$management/admin/status")
echo "GET /admin/status without the token -> $code"
[ "$code" = 401 ] || exit 1
code=$(curl -s -o /tmp/demo-status.json -w '%{http_code}' --max-time 10 "$management/admin/status" -H "Authorization: Bearer $token")
echo "GET /admin/status with the printed token -> $code"
[ "$code" = 200 ] || exit 1
grep -q '"p95Milliseconds"' /tmp/demo-status.json || { echo "no percentiles in /admin/status"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$management/dashboard?token=$token")
echo "GET /dashboard?token=... -> $code"
[ "$code" = 302 ] || exit 1
rm -f /tmp/demo-create.json /tmp/demo-status.json
echo "demo smoke passed"

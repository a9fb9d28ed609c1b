#!/usr/bin/env bash
# Does /admin/status tell the truth? Drives open-loop read traffic (list and find, 20 callers) through the README's
# gateway (--demo: three simulated backends with the seed's latency, default cache) for DURATION, then compares the
# per-operation P50/P95/P99 the gateway reports at /admin/status with what the load generator measured for the same
# requests (its service time: send to last byte). The issue's bound: within 10 % or 5 ms.
#
#   bash loadtests/bench/status-accuracy.sh                 # 60 s at 50 req/s
#   DURATION=20s RATE=30 bash loadtests/bench/status-accuracy.sh
#
# Variables: DURATION [60s] (the gateway's window is 60 s, so longer runs compare the last minute only: keep it at
# most 60s), RATE [50], WARMUP [5s], API_KEYS [20], RESULTS_DIR [loadtests/bench/results], KEEP=1 keeps the logs.
# Every process started here is stopped on exit; all traffic stays on 127.0.0.1.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-60s}
RATE=${RATE:-50}
WARMUP=${WARMUP:-5s}
API_KEYS=${API_KEYS:-20}
RESULTS_DIR=${RESULTS_DIR:-"$repo/loadtests/bench/results"}
work=$(mktemp -d /tmp/agentsphere-status.XXXXXX)
gateway_pid=""

cleanup() {
  if [ -n "$gateway_pid" ]; then
    kill -TERM -- "-$gateway_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$gateway_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== build (Release)"
(cd "$repo" && dotnet build src/AgentSphere.Gateway -c Release --nologo -v quiet && dotnet build loadtests/AgentSphere.LoadTests -c Release --nologo -v quiet) >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }

read -r public_port management_port <<<"$(python3 "$repo/loadtests/bench/benchlib.py" ports 2)"
public="http://127.0.0.1:$public_port"
management="http://127.0.0.1:$management_port"

echo "== start: dotnet run --project src/AgentSphere.Gateway -- --demo (public $public, management $management)"
(cd "$repo" && exec setsid dotnet run --no-build -c Release --project src/AgentSphere.Gateway -- --demo \
  --urls "$public" --Gateway:ManagementUrls="$management") >"$work/gateway.log" 2>&1 </dev/null &
gateway_pid=$!
token=""
for _ in $(seq 300); do
  token=$(sed -n 's/^  Admin token: *\([0-9a-f]\{32\}\).*/\1/p' "$work/gateway.log" | head -n1)
  [ -n "$token" ] && curl -fsS --max-time 2 "$management/readyz" >/dev/null 2>&1 && break
  kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$token" ] || { echo "the gateway printed no admin token" >&2; cat "$work/gateway.log" >&2; exit 1; }

echo "== load: reads at $RATE req/s for $DURATION after $WARMUP warm-up, $API_KEYS callers"
(cd "$repo" && timeout 600 dotnet run --no-build -c Release --project loadtests/AgentSphere.LoadTests -- reads \
  --target "$public" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --api-keys "$API_KEYS" --report "$work/load.json") \
  >"$work/load.log" 2>&1 || { cat "$work/load.log" >&2; exit 1; }
curl -fsS --max-time 10 "$management/admin/status" -H "Authorization: Bearer $token" >"$work/status.json"

mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/status-accuracy-$(date -u +%Y-%m-%d).md"
python3 - "$work/load.json" "$work/status.json" "$out" "$RATE" "$DURATION" "$WARMUP" "$API_KEYS" <<'PY'
import json, sys, subprocess, os
load_path, status_path, out, rate, duration, warmup, keys = sys.argv[1:]
load = json.load(open(load_path))
status = json.load(open(status_path))
gateway_ops = {o["operation"]: o for o in status["kpis"]["operations"]}
rows, ok = [], True
for name, measured in load["operations"].items():
    g = gateway_ops.get(name)
    if g is None:
        rows.append(f"| `{name}` | {measured['count']} | — | — | — | — | missing at /admin/status |")
        ok = False
        continue
    cells = []
    verdict = "within bound"
    for q in ("p50", "p95", "p99"):
        client = measured["serviceTimeMs"][q]
        reported = g[q + "Milliseconds"]
        bound = max(5.0, 0.10 * client)
        diff = reported - client
        cells.append(f"{reported:.1f} vs {client:.1f} ({diff:+.1f})")
        if abs(diff) > bound:
            verdict = "OUT OF BOUND"
            ok = False
    rows.append(f"| `{name}` | {measured['count']} | {g['requests']} | " + " | ".join(cells) + f" | {verdict} |")
commit = subprocess.run(["git", "-C", os.path.dirname(out), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
lines = [
    f"# /admin/status accuracy, {status['kpis']['timestamp'][:10]}",
    "",
    f"- Command: `DURATION={duration} RATE={rate} WARMUP={warmup} API_KEYS={keys} bash loadtests/bench/status-accuracy.sh` at commit `{commit}`",
    f"- Gateway: `--demo` (3 simulated backends, the seed's latency profile, default cache: most lists are hits, finds of 20 x 20 caller/filter pairs miss more), window {status['kpis']['windowSeconds']:.0f} s.",
    f"- Load: the load generator's `reads` scenario, open loop; compared with its service time (send to last byte). The gateway's clock runs from identification to the last byte written, so it sees slightly less than the client.",
    "- Bound (issue 7): the gateway's figure within 10 % or 5 ms of the generator's, whichever is larger.",
    "",
    "| operation | generator requests | gateway requests (last 60 s) | P50 gateway vs generator ms | P95 | P99 | verdict |",
    "|---|---:|---:|---:|---:|---:|---|",
    *rows,
    "",
    f"**{'All within bound' if ok else 'Some figures out of bound'}.** Overall at /admin/status: {status['kpis']['requests']} requests, "
    f"{status['kpis']['requestsPerSecond']:.1f} req/s, P50 {status['kpis']['p50Milliseconds']:.1f} ms, P95 {status['kpis']['p95Milliseconds']:.1f} ms, "
    f"P99 {status['kpis']['p99Milliseconds']:.1f} ms, success {status['kpis']['successRatePercent']:.2f} %.",
]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
sys.exit(0 if ok else 1)
PY
echo "written to $out"

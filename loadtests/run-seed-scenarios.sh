#!/usr/bin/env bash
# The seed report's scenarios against the README's gateway, for CI: builds Release, starts
# `dotnet run -c Release --project src/AgentSphere.Gateway -- --demo` (three simulated backends with the seed's latency
# profile) on free loopback ports, waits for /readyz, then runs the load generator's scenarios one after the other,
# each bounded by `timeout`, reading the gateway's memory from its management /metrics:
#
#   methods     --duration 45s          P50/P95/P99 per operation against the seed's targets, 50 ops/s
#   concurrency                         10 lists, 5 creates, 20 finds, 15 mixed at once; 100 % success
#   ramp        --time-scale 0.1        10 -> 20 -> 35 -> 50 -> 60 ops/s, 12 s each
#   stability   --duration 60s          50 ops/s; error rate, drift and memory growth (growth judged from 10 min up)
#
# Each writes <scenario>.md, .html and .json to RESULTS_DIR and prints one RESULT line. The script exits 1 if any
# scenario misses the seed's targets (50 ops/s sustained with overall P99 under 800 ms, every operation under its
# P99 target, errors under 0.05 %, every concurrent request successful) or fails to finish, 2 if the gateway does not
# start. About 5-6 minutes on a 2-core machine.
#
#   bash loadtests/run-seed-scenarios.sh
#   SCENARIOS="methods ramp" RAMP_TIME_SCALE=0.05 bash loadtests/run-seed-scenarios.sh
#
# Variables: RESULTS_DIR [loadtests/results/ci], SCENARIOS [methods concurrency ramp stability], METHODS_DURATION [45s],
# CONCURRENCY_DURATION [10s per part], RAMP_TIME_SCALE [0.1], STABILITY_DURATION [60s], API_KEYS [100],
# PORT and MANAGEMENT_PORT [free ports], SKIP_BUILD=1, SCENARIO_TIMEOUT [300 s per scenario].
# Every process started here runs in its own process group and is stopped on exit; all traffic stays on 127.0.0.1.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESULTS_DIR=${RESULTS_DIR:-"$repo/loadtests/results/ci"}
SCENARIOS=${SCENARIOS:-"methods concurrency ramp stability"}
METHODS_DURATION=${METHODS_DURATION:-45s}
CONCURRENCY_DURATION=${CONCURRENCY_DURATION:-10s}
RAMP_TIME_SCALE=${RAMP_TIME_SCALE:-0.1}
STABILITY_DURATION=${STABILITY_DURATION:-60s}
API_KEYS=${API_KEYS:-100}
SCENARIO_TIMEOUT=${SCENARIO_TIMEOUT:-300}
started=$(date +%s)
gateway_pid=""

stop_gateway() {
  if [ -n "$gateway_pid" ]; then
    kill -TERM -- "-$gateway_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$gateway_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
    gateway_pid=""
  fi
}
trap stop_gateway EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS_DIR"
RESULTS_DIR=$(cd "$RESULTS_DIR" && pwd)
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build (Release)"
  for project in src/AgentSphere.Gateway loadtests/AgentSphere.LoadTests; do
    (cd "$repo" && dotnet build "$project" -c Release --nologo -v quiet) >"$RESULTS_DIR/build.log" 2>&1 \
      || { cat "$RESULTS_DIR/build.log" >&2; echo "build of $project failed" >&2; exit 2; }
  done
fi

if [ -n "${PORT:-}" ] && [ -n "${MANAGEMENT_PORT:-}" ]; then
  public_port=$PORT management_port=$MANAGEMENT_PORT
else
  read -r public_port management_port <<<"$(python3 "$repo/loadtests/bench/benchlib.py" ports 2)"
fi
public="http://127.0.0.1:$public_port"
management="http://127.0.0.1:$management_port"

echo "== gateway: dotnet run -c Release --project src/AgentSphere.Gateway -- --demo (public $public, management $management)"
(cd "$repo" && exec setsid dotnet run --no-build -c Release --project src/AgentSphere.Gateway -- --demo \
  --urls "$public" --Gateway:ManagementUrls="$management") >"$RESULTS_DIR/gateway.log" 2>&1 </dev/null &
gateway_pid=$!
ready=0
for _ in $(seq 600); do
  if curl -fsS --max-time 2 "$management/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$gateway_pid" 2>/dev/null || break
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  echo "the gateway did not become ready; its log:" >&2
  tail -n 40 "$RESULTS_DIR/gateway.log" >&2
  exit 2
fi
echo "ready after $(( $(date +%s) - started )) s"

loadtest_dll="$repo/loadtests/AgentSphere.LoadTests/bin/Release/net10.0/AgentSphere.LoadTests.dll"
summary="$RESULTS_DIR/summary.txt"
: >"$summary"
failed=0
for scenario in $SCENARIOS; do
  case "$scenario" in
    methods) extra=(--duration "$METHODS_DURATION") ;;
    concurrency) extra=(--duration "$CONCURRENCY_DURATION") ;;
    ramp) extra=(--time-scale "$RAMP_TIME_SCALE") ;;
    stability) extra=(--duration "$STABILITY_DURATION") ;;
    *) extra=() ;;
  esac
  echo "== $scenario ${extra[*]}"
  scenario_started=$(date +%s)
  set +e
  timeout --kill-after=15 "$SCENARIO_TIMEOUT" dotnet "$loadtest_dll" "$scenario" --target "$public" \
    --metrics "$management/metrics" --api-keys "$API_KEYS" --report "$RESULTS_DIR/$scenario" "${extra[@]}" \
    >"$RESULTS_DIR/$scenario.out" 2>"$RESULTS_DIR/$scenario.err"
  status=$?
  set -e
  elapsed=$(( $(date +%s) - scenario_started ))
  line=$(grep -m1 '^RESULT ' "$RESULTS_DIR/$scenario.out" || true)
  case "$status" in
    0) ;;
    1) failed=1 ;;
    124|137) failed=1; line="RESULT $scenario TIMEOUT: not finished within ${SCENARIO_TIMEOUT} s" ;;
    *) failed=1; line="${line:-RESULT $scenario ERROR: exit $status; see $RESULTS_DIR/$scenario.err}" ;;
  esac
  if ! kill -0 "$gateway_pid" 2>/dev/null; then
    failed=1
    line="$line (the gateway exited; see $RESULTS_DIR/gateway.log)"
  fi
  echo "$line [${elapsed} s]" | tee -a "$summary"
  if [ "$status" != 0 ]; then
    grep -E '❌' "$RESULTS_DIR/$scenario.md" 2>/dev/null | head -n 8 | sed 's/^/    /' || true
  fi
done

stop_gateway
total=$(( $(date +%s) - started ))
echo "== summary (${total} s; reports in $RESULTS_DIR)"
cat "$summary"
if [ "$failed" != 0 ]; then
  echo "FAILED: at least one scenario missed the seed's targets"
  exit 1
fi
echo "PASSED: every scenario met the seed's targets"

#!/usr/bin/env bash
# Load-balancing quality benchmark: the same open-loop read load through the gateway with each load-balancing policy,
# over a fleet with one slow backend and over a homogeneous fleet. Every cell gets fresh simulators and a fresh
# gateway; the whole matrix repeats RUNS times and the table shows the median per cell.
#
#   bash loadtests/bench/balance.sh                      # full: 4 policies x 2 fleets x 3 runs, 5 s + 40 s each (~25 min)
#   POLICIES="RoundRobin PowerOfTwoChoices LeastRequests" RUNS=1 QUICK=1 bash loadtests/bench/balance.sh
#
# Variables (defaults in brackets):
#   POLICIES   policies to compare [AgentSphereScored RoundRobin PowerOfTwoChoices LeastRequests]
#   FLEETS     fleets to run [slow homogeneous]
#   RUNS       repetitions of the whole matrix [3]
#   QUICK=1    15 s measured instead of 40 s
#   DURATION   measured period per cell [40s, or 15s with QUICK=1];  WARMUP  warm-up before it [5s]
#   LOAD       fraction of the slow fleet's capacity to drive [0.70];  RATE  req/s, overrides LOAD [computed]
#   CAPACITY   service slots per simulator [8];  SLOW_SCALE  latency scale of the slow simulator [4]
#   API_KEYS   distinct callers [20];  SKIP_BUILD=1  use the existing Release builds;  KEEP=1  keep the raw files
#   RESULTS_DIR  where the Markdown table goes [loadtests/bench/results]
# The gateway runs with AGENTSPHERE_CACHE_TTL=0 (unless set) so that cached reads cannot stand in for balancing.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench="$repo/loadtests/bench"
lib="$bench/benchlib.py"

POLICIES=${POLICIES:-"AgentSphereScored RoundRobin PowerOfTwoChoices LeastRequests"}
FLEETS=${FLEETS:-"slow homogeneous"}
RUNS=${RUNS:-3}
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then DURATION=${DURATION:-15s}; else DURATION=${DURATION:-40s}; fi
WARMUP=${WARMUP:-5s}
LOAD=${LOAD:-0.70}
CAPACITY=${CAPACITY:-8}
SLOW_SCALE=${SLOW_SCALE:-4}
API_KEYS=${API_KEYS:-20}
RESULTS_DIR=${RESULTS_DIR:-"$bench/results"}
export AGENTSPHERE_CACHE_TTL=${AGENTSPHERE_CACHE_TTL:-0}

# Mean service time of the reads mix at latency scale 1, from the simulator's latency profile (piecewise-linear
# through the seed's P50/P95/P99): list 115.9 ms, find 176.8 ms, half each.
MIX_MEAN_S=0.1463
# Little's law: a backend with C slots and mean service time S completes at most C/S requests per second.
capacity_rps=$(python3 -c "print(round($CAPACITY/$MIX_MEAN_S*2 + $CAPACITY/($MIX_MEAN_S*$SLOW_SCALE), 1))")
if [ -z "${RATE:-}" ]; then
  RATE=$(python3 -c "print(round($LOAD*$capacity_rps))")
  rate_note="$RATE req/s = $LOAD x the slow fleet's capacity (Little's law: 2 x $CAPACITY/${MIX_MEAN_S}s + $CAPACITY/(${MIX_MEAN_S}s x $SLOW_SCALE) = $capacity_rps req/s); the homogeneous fleet gets the same rate"
else
  rate_note="$RATE req/s (set by RATE; the slow fleet's capacity is $capacity_rps req/s by Little's law)"
fi

to_seconds() { python3 -c "import sys; t=sys.argv[1]; print(float(t[:-2])/1000 if t.endswith('ms') else float(t[:-1])*{'s':1,'m':60,'h':3600}[t[-1]] if t[-1] in 'smh' else float(t))" "$1"; }
cell_limit=$(python3 -c "print(int($(to_seconds "$WARMUP") + $(to_seconds "$DURATION") + 90))")

sim_dll="$repo/src/AgentSphere.Simulator/bin/Release/net10.0/AgentSphere.Simulator.dll"
gateway_dll="$repo/src/AgentSphere.Gateway/bin/Release/net10.0/AgentSphere.Gateway.dll"
loadtest_dll="$repo/loadtests/AgentSphere.LoadTests/bin/Release/net10.0/AgentSphere.LoadTests.dll"

work=$(mktemp -d /tmp/agentsphere-balance.XXXXXX)
pids=()
ok=0

stop_all() {
  # Each child leads its own process group (setsid): signal the group, give it 5 s, then kill what is left.
  local pid
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}

on_exit() {
  stop_all
  if [ "$ok" = 1 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "raw reports and logs kept in $work" >&2; fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

start() { # start LOGFILE CMD...: runs CMD in its own process group, remembers it
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 < /dev/null &
  pids+=("$!")
}

wait_for() { # wait_for URL SECONDS PID: until URL answers 2xx, the process dies, or time runs out
  local url=$1 deadline=$((SECONDS + $2)) pid=$3
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -fsS --max-time 2 "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

fleet_spec() { # fleet_spec FLEET: one "name scale" line per simulator
  case "$1" in
    slow) printf 'sim-1 1\nsim-2 1\nsim-3 %s\n' "$SLOW_SCALE" ;;
    homogeneous) printf 'sim-1 1\nsim-2 1\nsim-3 1\n' ;;
    *) echo "unknown fleet '$1' (slow, homogeneous)" >&2; exit 2 ;;
  esac
}

fleet_description() {
  case "$1" in
    slow) echo "sim-1, sim-2 at latency scale 1; sim-3 at scale $SLOW_SCALE; $CAPACITY service slots each" ;;
    homogeneous) echo "sim-1, sim-2, sim-3 at latency scale 1; $CAPACITY service slots each" ;;
  esac
}

run_cell() { # run_cell RUN FLEET POLICY
  local run=$1 fleet=$2 policy=$3
  local dir="$work/run-$run/$fleet/$policy"
  mkdir -p "$dir"
  local ports
  read -r -a ports <<<"$(python3 "$lib" ports 5)"
  local destinations=() sim_pids=() index=0 name scale
  while read -r name scale; do
    local port=${ports[$index]}
    start "$dir/$name.log" dotnet "$sim_dll" --urls "http://127.0.0.1:$port" --latency-scale "$scale" \
      --capacity "$CAPACITY" --name "$name" --seed "$((run * 10 + index + 1))"
    destinations+=("$name=http://127.0.0.1:$port")
    sim_pids+=("${pids[-1]}")
    index=$((index + 1))
  done < <(fleet_spec "$fleet")
  for index in "${!destinations[@]}"; do
    local d=${destinations[$index]}
    if ! wait_for "${d#*=}/health" 30 "${sim_pids[$index]}"; then
      echo "  simulator ${d%%=*} did not start; see $dir/${d%%=*}.log" >&2
      stop_all
      return 1
    fi
  done

  python3 "$lib" yarp "$repo/yarp.json" "$dir/yarp.json" "$policy" "${destinations[@]}"
  local public="http://127.0.0.1:${ports[3]}" management="http://127.0.0.1:${ports[4]}"
  start "$dir/gateway.log" dotnet "$gateway_dll" --urls "$public" "--Gateway:ManagementUrls=$management" \
    "--Gateway:YarpConfigPath=$dir/yarp.json"
  local gateway_pid=${pids[-1]}
  if ! wait_for "$management/readyz" 60 "$gateway_pid"; then
    echo "  gateway did not become ready with policy $policy; last lines of its log:" >&2
    tail -n 5 "$dir/gateway.log" | sed 's/^/    /' >&2
    stop_all
    return 1
  fi

  start "$dir/sampler.log" python3 "$lib" sample "$dir/health.jsonl" "${destinations[@]}"
  # In the background and awaited with `wait`, so an interrupt reaches the EXIT trap at once.
  setsid timeout --kill-after=10 "$cell_limit" dotnet "$loadtest_dll" reads --target "$public" --rate "$RATE" \
    --duration "$DURATION" --warmup "$WARMUP" --api-keys "$API_KEYS" --seed "$run" --report "$dir/report.json" \
    >"$dir/generator.out" 2>"$dir/generator.err" </dev/null &
  local generator_pid=$!
  pids+=("$generator_pid")
  local status=0
  wait "$generator_pid" || status=$?
  stop_all
  if [ "$status" != 0 ] || [ ! -f "$dir/report.json" ]; then
    echo "  generator failed (exit $status); last lines of its output:" >&2
    tail -n 5 "$dir/generator.err" | sed 's/^/    /' >&2
    rm -f "$dir/report.json"
    return 1
  fi
  python3 - "$dir/report.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
o = r["overall"]; l = o["latencyMs"]
print(f"  {r['measuredRate']:.1f} req/s, {o['count']} requests, errors {o['errorRate']*100:.2f} %, "
      f"P50 {l['p50']:.1f} / P95 {l['p95']:.1f} / P99 {l['p99']:.1f} / P99.9 {l['p999']:.1f} / max {l['max']:.1f} ms")
EOF
}

echo "== machine"
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
os_name=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s)
echo "nproc: $(nproc); CPU: ${cpu_model:-unknown}; memory: $memory; $os_name; kernel $(uname -r)"
# Everything shares these cores: another build or test run in parallel skews the figures, so say how busy the box was.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before the run: $load_before"
echo "== plan"
echo "policies: $POLICIES; fleets: $FLEETS; runs: $RUNS; $WARMUP warm-up + $DURATION measured per cell"
echo "rate: $rate_note"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build (Release)"
  for project in src/AgentSphere.Simulator src/AgentSphere.Gateway loadtests/AgentSphere.LoadTests; do
    (cd "$repo" && dotnet build -c Release --nologo -v quiet "$project" >"$work/build.log" 2>&1) \
      || { cat "$work/build.log" >&2; echo "build of $project failed" >&2; exit 1; }
  done
fi

commit=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(cd "$repo" && git status --porcelain 2>/dev/null)" ] && commit="$commit (with uncommitted changes)"
export BENCH_META_DATE=$(date +%Y-%m-%d) BENCH_META_CPU="${cpu_model:-unknown}" BENCH_META_MEMORY="$memory" \
  BENCH_META_OS="$os_name" BENCH_META_COMMIT="$commit" BENCH_META_RATE_NOTE="$rate_note" \
  BENCH_META_COMMAND="POLICIES=\"$POLICIES\" FLEETS=\"$FLEETS\" RUNS=$RUNS QUICK=$QUICK DURATION=$DURATION WARMUP=$WARMUP RATE=$RATE CAPACITY=$CAPACITY SLOW_SCALE=$SLOW_SCALE API_KEYS=$API_KEYS bash loadtests/bench/balance.sh" \
  BENCH_META_FLEETS="$FLEETS" BENCH_META_POLICIES="$POLICIES" BENCH_META_RUNS="$RUNS" BENCH_META_RATE="$RATE" \
  BENCH_META_WARMUP="$WARMUP" BENCH_META_DURATION="$DURATION" BENCH_META_KEYS="$API_KEYS" BENCH_META_CAPACITY="$CAPACITY" BENCH_META_LOAD="$load_before" \
  BENCH_META_DOTNET=$(dotnet --version) BENCH_META_ENV="AGENTSPHERE_CACHE_TTL=$AGENTSPHERE_CACHE_TTL" \
  BENCH_META_SLOW="$(fleet_description slow)" BENCH_META_HOMOGENEOUS="$(fleet_description homogeneous)"
python3 - "$work/meta.json" <<'EOF'
import json, os, sys
e = os.environ
json.dump({
    "date": e["BENCH_META_DATE"], "nproc": os.cpu_count(), "cpu": e["BENCH_META_CPU"], "memory": e["BENCH_META_MEMORY"],
    "os": e["BENCH_META_OS"], "dotnet": e["BENCH_META_DOTNET"], "commit": e["BENCH_META_COMMIT"],
    "command": e["BENCH_META_COMMAND"], "fleets": e["BENCH_META_FLEETS"].split(), "policies": e["BENCH_META_POLICIES"].split(),
    "runs": int(e["BENCH_META_RUNS"]), "rate": e["BENCH_META_RATE"], "rateNote": e["BENCH_META_RATE_NOTE"],
    "warmup": e["BENCH_META_WARMUP"], "duration": e["BENCH_META_DURATION"], "apiKeys": e["BENCH_META_KEYS"],
    "gatewayEnv": e["BENCH_META_ENV"], "capacity": int(e["BENCH_META_CAPACITY"]), "loadBefore": e["BENCH_META_LOAD"],
    "fleetDescriptions": {"slow": e["BENCH_META_SLOW"], "homogeneous": e["BENCH_META_HOMOGENEOUS"]},
}, open(sys.argv[1], "w"), indent=2)
EOF

failures=0
for run in $(seq 1 "$RUNS"); do
  for fleet in $FLEETS; do
    fleet_spec "$fleet" >/dev/null
    for policy in $POLICIES; do
      echo "== run $run/$RUNS, fleet $fleet, policy $policy"
      run_cell "$run" "$fleet" "$policy" || failures=$((failures + 1))
    done
  done
done

mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/balance-$(date +%Y-%m-%d).md"
n=2
while [ -e "$out" ]; do out="$RESULTS_DIR/balance-$(date +%Y-%m-%d)-$n.md"; n=$((n + 1)); done
echo "== summary"
python3 "$lib" summarize "$work" "$out"
echo "written to ${out#"$repo"/}"
[ "$failures" = 0 ] && ok=1
[ "$failures" = 0 ] || { echo "$failures cell(s) failed" >&2; exit 1; }

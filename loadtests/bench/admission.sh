#!/usr/bin/env bash
# Admission-control overhead benchmark: closed-loop throughput and latency of GET /sandboxes through the gateway with
# admission OFF, with LOCAL limits and with REDIS-backed limits, next to the same load straight at the backend (DIRECT).
# One simulator with no simulated latency is the backend, so what the gateway adds is its own cost. The simulator,
# Redis and the three gateways start once; every round measures each target once, the order rotated by one per round so
# machine noise spreads evenly, and the table shows the median per target over the rounds.
#
#   bash loadtests/bench/admission.sh                       # full: 5 rounds x 4 targets x (3 s + 10 s), ~5 min
#   QUICK=1 bash loadtests/bench/admission.sh               # smoke: 1 round, 3 s measured
#   SKIP_BUILD=1 BUILD_DIR=/tmp/admbench RUNS=5 bash loadtests/bench/admission.sh   # reuse earlier Release outputs
#   THREADS=1 CONNECTIONS=1 RUNS=3 DURATION=5s bash loadtests/bench/admission.sh   # unloaded: what one request adds
#
# Variables (defaults in brackets):
#   RUNS         rounds [5, or 1 with QUICK=1]
#   QUICK=1      short smoke run: RUNS=1, DURATION=3s, INITIAL_WARMUP=3s unless set
#   DURATION     measured period per target and round [10s];  WARMUP  unmeasured load right before it [3s]
#   INITIAL_WARMUP  extra load per target before round 1, so the JIT has tiered up [10s]
#   CONFIGS      targets, in round-1 order [direct off local redis]
#   THREADS, CONNECTIONS   wrk threads and connections [2, 32];  KEYS  distinct API keys the load rotates over [512]
#   TARGET_PATH  the request [/sandboxes]
#   BUILD_DIR    where the Release outputs go (gateway/, simulator/) [/tmp/agentsphere-admission-build]
#   SKIP_BUILD=1 use the outputs already in BUILD_DIR;  KEEP=1  keep the raw wrk output and logs
#   RESULTS_DIR  where the Markdown table goes [loadtests/bench/results]
#   NOISE_LIMIT  percent of the machine's CPU that processes outside the benchmark may take during a measurement before
#                it counts as noisy [10];  RETRY_NOISY  how often a noisy measurement is repeated (the last one stays) [2]
# Needs wrk and redis-server (installed with apt-get when missing and running as root), curl and python3.
# Every process started here is stopped on exit, all traffic stays on 127.0.0.1, and every wrk run is bounded by timeout.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench="$repo/loadtests/bench"
lib="$bench/benchlib.py"
helper="$bench/admission.py"
lua="$bench/admission-wrk.lua"

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  RUNS=${RUNS:-1}; DURATION=${DURATION:-3s}; INITIAL_WARMUP=${INITIAL_WARMUP:-3s}
else
  RUNS=${RUNS:-5}; DURATION=${DURATION:-10s}; INITIAL_WARMUP=${INITIAL_WARMUP:-10s}
fi
WARMUP=${WARMUP:-3s}
CONFIGS=${CONFIGS:-"direct off local redis"}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
KEYS=${KEYS:-512}
TARGET_PATH=${TARGET_PATH:-/sandboxes}
BUILD_DIR=${BUILD_DIR:-/tmp/agentsphere-admission-build}
SKIP_BUILD=${SKIP_BUILD:-0}
RESULTS_DIR=${RESULTS_DIR:-"$bench/results"}
NOISE_LIMIT=${NOISE_LIMIT:-10}
RETRY_NOISY=${RETRY_NOISY:-2}
# No response caching, should the gateway get one: every request must go through admission and the proxy.
export AGENTSPHERE_CACHE_TTL=${AGENTSPHERE_CACHE_TTL:-0}

read -r -a configs <<<"$CONFIGS"
for config in "${configs[@]}"; do
  case "$config" in direct | off | local | redis) ;; *) echo "unknown configuration '$config' (direct, off, local, redis)" >&2; exit 2 ;; esac
done
wants() { [[ " $CONFIGS " == *" $1 "* ]]; }

to_seconds() { python3 -c "import sys; t=sys.argv[1]; print(float(t[:-2])/1000 if t.endswith('ms') else float(t[:-1])*{'s':1,'m':60,'h':3600}[t[-1]] if t[-1] in 'smh' else float(t))" "$1"; }
for value in "$DURATION" "$WARMUP" "$INITIAL_WARMUP"; do to_seconds "$value" >/dev/null || { echo "bad duration '$value'" >&2; exit 2; }; done

work=$(mktemp -d /tmp/agentsphere-admission.XXXXXX)
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
  if [ "$ok" = 1 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "raw wrk output and logs kept in $work" >&2; fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

start() { # start LOGFILE CMD...: runs CMD in its own process group, in the work directory, and remembers it
  local log=$1
  shift
  # The work directory has no config/gateway.json above it, so a gateway reads the one published beside its binaries.
  (cd "$work" && exec setsid "$@") >"$log" 2>&1 </dev/null &
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

shared_state() { # shared_state MANAGEMENT_URL: the "sharedState" of GET /healthz, or "unknown"
  curl -fsS --max-time 2 "$1/healthz" 2>/dev/null \
    | python3 -c 'import json, sys; print(json.load(sys.stdin).get("sharedState") or "none")' 2>/dev/null || echo unknown
}

ensure_tool() { # ensure_tool COMMAND PACKAGE: install PACKAGE with apt-get when COMMAND is missing
  command -v "$1" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing $2 (apt-get)"
    { apt-get update && apt-get install -y "$2"; } >"$work/apt-$2.log" 2>&1 || { cat "$work/apt-$2.log" >&2; echo "could not install $2" >&2; exit 1; }
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "$1 is missing: install the $2 package (apt-get install -y $2)" >&2; exit 1; }
}

ensure_tool wrk wrk
wants redis && ensure_tool redis-server redis-server
duration_s=$(to_seconds "$DURATION")

run_wrk() { # run_wrk OUT DURATION URL: one bounded wrk run with the rotating-key script
  local limit
  limit=$(python3 -c "print(int($(to_seconds "$2") + 30))")
  setsid timeout --kill-after=5 "$limit" wrk "-t$THREADS" "-c$CONNECTIONS" "-d$2" --latency -s "$lua" "$3" -- "$KEYS" "$THREADS" \
    >"$1" 2>&1 </dev/null &
  local wrk_pid=$!
  pids+=("$wrk_pid")
  # The shell's reaped-children CPU before and after (bash `times`, second line): the difference is wrk's own CPU.
  times >"$1.times-before"
  local status=0
  # In the background and awaited with `wait`, so an interrupt reaches the EXIT trap at once.
  wait "$wrk_pid" || status=$?
  times >"$1.times-after"
  unset 'pids[-1]'
  return "$status"
}

echo "== machine"
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
os_name=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s)
dotnet_version=$(dotnet --version)
wrk_version=$( (wrk -v 2>&1 || true) | head -n1 | awk '{ print $1, $2 }')
redis_version=$( (redis-server --version 2>/dev/null || true) | sed -n 's/.*v=\([0-9.]*\).*/Redis \1/p')
echo "nproc: $(nproc); CPU: ${cpu_model:-unknown}; memory: $memory; $os_name; kernel $(uname -r); .NET SDK $dotnet_version; $wrk_version; ${redis_version:-no Redis}"
# Everything shares these cores: another build or test run in parallel skews the figures, so say how busy the box was.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before the run: $load_before"
echo "== plan"
echo "targets: ${configs[*]}; rounds: $RUNS; per target and round $WARMUP warm-up + $DURATION measured; $INITIAL_WARMUP initial warm-up per target"
echo "load: wrk -t$THREADS -c$CONNECTIONS --latency on GET $TARGET_PATH, X-API-Key rotating over $KEYS keys"

if [ "$SKIP_BUILD" != 1 ]; then
  echo "== build (Release, published to $BUILD_DIR)"
  mkdir -p "$BUILD_DIR"
  for project in Gateway Simulator; do
    target_dir="$BUILD_DIR/$(tr '[:upper:]' '[:lower:]' <<<"$project")"
    (cd "$repo" && dotnet publish "src/AgentSphere.$project" -c Release -o "$target_dir" --nologo -v quiet) >"$work/build-$project.log" 2>&1 \
      || { cat "$work/build-$project.log" >&2; echo "publish of src/AgentSphere.$project failed" >&2; exit 1; }
  done
  binaries_note="published by this run to $BUILD_DIR"
fi
sim_dll="$BUILD_DIR/simulator/AgentSphere.Simulator.dll"
gateway_dll="$BUILD_DIR/gateway/AgentSphere.Gateway.dll"
for dll in "$sim_dll" "$gateway_dll"; do
  [ -f "$dll" ] || { echo "$dll is missing: run without SKIP_BUILD=1 or point BUILD_DIR at a publish output" >&2; exit 1; }
done
if [ "$SKIP_BUILD" = 1 ]; then
  binaries_note="reused from $BUILD_DIR (SKIP_BUILD=1), gateway published $(date -r "$gateway_dll" '+%Y-%m-%d %H:%M %Z')"
fi

echo "== start"
read -r -a ports <<<"$(python3 "$lib" ports 8)"
sim_port=${ports[0]}
redis_port=${ports[1]}
declare -A public_port=([off]=${ports[2]} [local]=${ports[4]} [redis]=${ports[6]})
declare -A management_port=([off]=${ports[3]} [local]=${ports[5]} [redis]=${ports[7]})
declare -A extra_args=([off]="--Admission:Enabled=false" [local]="" [redis]="--Redis:Configuration=127.0.0.1:$redis_port")
declare -A descriptions=(
  [direct]="wrk straight at the simulator (no gateway)"
  [off]="admission off (\`--Admission:Enabled=false\`; the API key is still required)"
  [local]="default limits in process (global 50 at once with a queue of 200, per caller 5 at once)"
  [redis]="the same limits with the per-caller stage in Redis (\`--Redis:Configuration=127.0.0.1:PORT\`, a local redis-server without persistence)"
)
declare -A gateway_pid=()

start "$work/simulator.log" dotnet "$sim_dll" --urls "http://127.0.0.1:$sim_port" --latency-scale 0 --capacity 100000 --name sim-1
sim_pid=${pids[-1]}
redis_pid=""
if wants redis; then
  start "$work/redis.log" redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work"
  redis_pid=${pids[-1]}
  deadline=$((SECONDS + 20))
  until [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ]; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$redis_pid" 2>/dev/null; then
      echo "redis-server did not start; last lines of its log:" >&2; tail -n 5 "$work/redis.log" >&2; exit 1
    fi
    sleep 0.2
  done
fi
if ! wait_for "http://127.0.0.1:$sim_port/health" 30 "$sim_pid"; then
  echo "the simulator did not start; last lines of its log:" >&2; tail -n 5 "$work/simulator.log" >&2; exit 1
fi

python3 "$lib" yarp "$repo/yarp.json" "$work/yarp.json" AgentSphereScored "backend-1=http://127.0.0.1:$sim_port"
for config in off local redis; do
  wants "$config" || continue
  # The CPU guard is effectively off (100 %) in every gateway: on a small machine the load generator, the backend and
  # Redis share the CPUs with the gateway, a closed-loop flood drives the gateway's process CPU past the default 70 % /
  # 80 %, and the guard would hold back and shed the low-priority list requests, so the table would measure the guard
  # rather than the limiters. The health probe runs every second so /readyz turns ready quickly.
  # shellcheck disable=SC2086 # extra_args holds zero or one argument without spaces
  start "$work/gateway-$config.log" dotnet "$gateway_dll" --urls "http://127.0.0.1:${public_port[$config]}" \
    "--Gateway:ManagementUrls=http://127.0.0.1:${management_port[$config]}" "--Gateway:YarpConfigPath=$work/yarp.json" \
    --AgentSphere:HealthCheckIntervalMs=1000 --Admission:Resources:CpuWaitPercent=100 --Admission:Resources:CpuShedPercent=100 \
    ${extra_args[$config]}
  gateway_pid[$config]=${pids[-1]}
done
for config in off local redis; do
  wants "$config" || continue
  management="http://127.0.0.1:${management_port[$config]}"
  if ! wait_for "$management/readyz" 60 "${gateway_pid[$config]}"; then
    echo "gateway '$config' did not become ready; last lines of its log:" >&2; tail -n 5 "$work/gateway-$config.log" | sed 's/^/  /' >&2; exit 1
  fi
  if [ "$config" = redis ]; then
    deadline=$((SECONDS + 30))
    until [ "$(shared_state "$management")" = shared ]; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "gateway 'redis' reports sharedState '$(shared_state "$management")', not 'shared'; last lines of its log:" >&2
        tail -n 5 "$work/gateway-redis.log" | sed 's/^/  /' >&2; exit 1
      fi
      sleep 0.5
    done
  fi
  echo "gateway '$config' ready on 127.0.0.1:${public_port[$config]} (management ${management_port[$config]})$([ "$config" = redis ] && echo ", sharedState shared")"
done

target_url() { # target_url CONFIG
  if [ "$1" = direct ]; then echo "http://127.0.0.1:$sim_port$TARGET_PATH"; else echo "http://127.0.0.1:${public_port[$1]}$TARGET_PATH"; fi
}

alive_check() { # alive_check CONFIG: the processes CONFIG needs are still running
  local pid
  for pid in "$sim_pid" ${gateway_pid[$1]:-} $([ "$1" = redis ] && echo "$redis_pid"); do
    kill -0 "$pid" 2>/dev/null || { echo "  a process of '$1' (pid $pid) has exited; see the logs in $work" >&2; return 1; }
  done
}

measure_once() { # measure_once ROUND CONFIG: warm-up, then one measured wrk run, recorded as round-ROUND/CONFIG.json
  local round=$1 config=$2
  local dir="$work/round-$round" url management="" gw_pid=${gateway_pid[$2]:-}
  url=$(target_url "$config")
  [ "$config" != direct ] && management="http://127.0.0.1:${management_port[$config]}"
  alive_check "$config" || { touch "$dir/$config.failed"; return 1; }
  run_wrk "$dir/$config.warmup.txt" "$WARMUP" "$url" || { echo "  warm-up failed; see $dir/$config.warmup.txt" >&2; touch "$dir/$config.failed"; return 1; }
  local extras=("gatewayPid=$gw_pid" "simulatorPid=$sim_pid" "redisPid=$redis_pid" "wrkTimes=$dir/$config.wrk.txt")
  local fallbacks_before=0 state_before=""
  if [ "$config" = redis ]; then
    state_before=$(shared_state "$management")
    fallbacks_before=$(python3 "$helper" metric "$management/metrics" agentsphere_gateway_shared_state_fallbacks_total)
    redis-cli -h 127.0.0.1 -p "$redis_port" config resetstat >/dev/null
  fi
  local before after status=0
  # Every process of the benchmark, the idle gateways included, so that what is left of the machine's busy time is
  # other load (and kernel time charged to no process).
  before=$(python3 "$helper" cpu "$sim_pid" "${gateway_pid[@]}" $redis_pid)
  run_wrk "$dir/$config.wrk.txt" "$DURATION" "$url" || status=$?
  after=$(python3 "$helper" cpu "$sim_pid" "${gateway_pid[@]}" $redis_pid)
  if [ "$status" != 0 ]; then
    echo "  wrk failed (exit $status); last lines of its output:" >&2; tail -n 5 "$dir/$config.wrk.txt" | sed 's/^/    /' >&2
    touch "$dir/$config.failed"
    return 1
  fi
  if [ "$config" = redis ]; then
    python3 "$helper" commandstats "$redis_port" >"$dir/$config.commandstats.json"
    local fallbacks_after state_after
    fallbacks_after=$(python3 "$helper" metric "$management/metrics" agentsphere_gateway_shared_state_fallbacks_total)
    state_after=$(shared_state "$management")
    local fallbacks=unknown state=$state_after
    [[ "$fallbacks_before" =~ ^[0-9]+$ && "$fallbacks_after" =~ ^[0-9]+$ ]] && fallbacks=$((fallbacks_after - fallbacks_before))
    [ "$state_before" != shared ] && state=$state_before
    extras+=("fallbacks=$fallbacks" "sharedState=$state" "redisStatsFile=$dir/$config.commandstats.json")
  fi
  python3 "$helper" sample "$dir/$config.json" "$dir/$config.wrk.txt" "$before" "$after" "noiseLimit=$NOISE_LIMIT" "${extras[@]}"
}

measure() { # measure ROUND CONFIG: measure_once, again up to RETRY_NOISY times while other load made it noisy
  local round=$1 config=$2 attempt=1 file
  local dir="$work/round-$round"
  while :; do
    measure_once "$round" "$config" || return 1
    python3 -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1])).get("noisy") else 1)' "$dir/$config.json" || return 0
    [ "$attempt" -gt "$RETRY_NOISY" ] && return 0
    # Keep the noisy attempt for the raw table, out of the medians.
    for file in "$dir/$config".*; do
      [[ "$file" == *.noisy-* ]] || mv "$file" "${file/"$dir/$config."/"$dir/$config.noisy-$attempt."}"
    done
    echo "  measuring '$config' again (attempt $((attempt + 1)) of $((RETRY_NOISY + 1)))"
    attempt=$((attempt + 1))
  done
}

echo "== initial warm-up ($INITIAL_WARMUP per target)"
for config in "${configs[@]}"; do
  alive_check "$config" || exit 1
  run_wrk "$work/initial-warmup-$config.txt" "$INITIAL_WARMUP" "$(target_url "$config")" \
    || { echo "initial warm-up of '$config' failed; see $work/initial-warmup-$config.txt" >&2; exit 1; }
  echo "  $config: $(sed -n 's/^Requests\/sec: *//p' "$work/initial-warmup-$config.txt") req/s"
done

commit=$(python3 "$helper" head "$repo")
export BENCH_META_DATE=$(date +%Y-%m-%d) BENCH_META_CPU="${cpu_model:-unknown}" BENCH_META_MEMORY="$memory" \
  BENCH_META_OS="$os_name" BENCH_META_KERNEL="$(uname -r)" BENCH_META_COMMIT="$commit" BENCH_META_DOTNET="$dotnet_version" \
  BENCH_META_WRK="$wrk_version" BENCH_META_REDIS="${redis_version:-no Redis}" BENCH_META_LOAD="$load_before" \
  BENCH_META_COMMAND="RUNS=$RUNS QUICK=$QUICK DURATION=$DURATION WARMUP=$WARMUP INITIAL_WARMUP=$INITIAL_WARMUP CONFIGS=\"$CONFIGS\" THREADS=$THREADS CONNECTIONS=$CONNECTIONS KEYS=$KEYS NOISE_LIMIT=$NOISE_LIMIT RETRY_NOISY=$RETRY_NOISY$([ "$SKIP_BUILD" = 1 ] && echo " SKIP_BUILD=1 BUILD_DIR=$BUILD_DIR") bash loadtests/bench/admission.sh" \
  BENCH_META_CONFIGS="$CONFIGS" BENCH_META_RUNS="$RUNS" BENCH_META_DURATION="$DURATION" BENCH_META_WARMUP="$WARMUP" \
  BENCH_META_INITIAL="$INITIAL_WARMUP" BENCH_META_THREADS="$THREADS" BENCH_META_CONNECTIONS="$CONNECTIONS" BENCH_META_KEYS="$KEYS" \
  BENCH_META_PATH="$TARGET_PATH" BENCH_META_NOISE="$NOISE_LIMIT" BENCH_META_RETRY="$RETRY_NOISY" BENCH_META_BINARIES="$binaries_note" BENCH_META_ENV="AGENTSPHERE_CACHE_TTL=$AGENTSPHERE_CACHE_TTL" \
  BENCH_META_DESC_DIRECT="${descriptions[direct]}" BENCH_META_DESC_OFF="${descriptions[off]}" \
  BENCH_META_DESC_LOCAL="${descriptions[local]}" BENCH_META_DESC_REDIS="${descriptions[redis]}"
python3 - "$work/meta.json" <<'EOF'
import json, os, sys
e = os.environ
json.dump({
    "date": e["BENCH_META_DATE"], "nproc": os.cpu_count(), "cpu": e["BENCH_META_CPU"], "memory": e["BENCH_META_MEMORY"],
    "os": e["BENCH_META_OS"], "kernel": e["BENCH_META_KERNEL"], "dotnet": e["BENCH_META_DOTNET"], "wrk": e["BENCH_META_WRK"],
    "redis": e["BENCH_META_REDIS"], "commit": e["BENCH_META_COMMIT"], "loadBefore": e["BENCH_META_LOAD"],
    "command": e["BENCH_META_COMMAND"], "configs": e["BENCH_META_CONFIGS"].split(), "runs": int(e["BENCH_META_RUNS"]),
    "duration": e["BENCH_META_DURATION"], "warmup": e["BENCH_META_WARMUP"], "initialWarmup": e["BENCH_META_INITIAL"],
    "threads": e["BENCH_META_THREADS"], "connections": e["BENCH_META_CONNECTIONS"], "keys": e["BENCH_META_KEYS"],
    "path": e["BENCH_META_PATH"], "noiseLimit": float(e["BENCH_META_NOISE"]), "retryNoisy": int(e["BENCH_META_RETRY"]),
    "binaries": e["BENCH_META_BINARIES"], "gatewayEnv": e["BENCH_META_ENV"],
    "descriptions": {"direct": e["BENCH_META_DESC_DIRECT"], "off": e["BENCH_META_DESC_OFF"],
                     "local": e["BENCH_META_DESC_LOCAL"], "redis": e["BENCH_META_DESC_REDIS"]},
}, open(sys.argv[1], "w"), indent=2)
EOF

failures=0
for round in $(seq 1 "$RUNS"); do
  mkdir -p "$work/round-$round"
  # Rotate the order by one per round: each target takes each position equally often over len(CONFIGS) rounds.
  shift_by=$(((round - 1) % ${#configs[@]}))
  order=("${configs[@]:$shift_by}" "${configs[@]:0:$shift_by}")
  echo "${order[*]}" >"$work/round-$round/order"
  for config in "${order[@]}"; do
    echo "== round $round/$RUNS, $config"
    measure "$round" "$config" || failures=$((failures + 1))
  done
done

mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/admission-$(date +%Y-%m-%d).md"
n=2
while [ -e "$out" ]; do out="$RESULTS_DIR/admission-$(date +%Y-%m-%d)-$n.md"; n=$((n + 1)); done
echo "== summary"
summary_status=0
python3 "$helper" summarize "$work" "$out" || summary_status=$?
echo "written to ${out#"$repo"/}"
[ "$failures" = 0 ] && [ "$summary_status" = 0 ] && ok=1
[ "$failures" = 0 ] || { echo "$failures measurement(s) failed" >&2; exit 1; }
[ "$summary_status" = 0 ] || { echo "some measurements were invalid (see the table)" >&2; exit 1; }

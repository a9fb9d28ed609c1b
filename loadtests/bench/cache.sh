#!/usr/bin/env bash
# Proxy/cache benchmark: closed-loop throughput and latency of GET /sandboxes, X-API-Key rotating over KEYS callers,
# side by side: straight at the simulator (direct), through a bare YARP reverse proxy with no policies (yarp:
# loadtests/AgentSphere.BareProxy, the baseline the gateway is held to), through nginx as a plain reverse proxy (nginx),
# through the gateway with its cache off (proxied) and through the gateway with every caller's list cached (hit). Two
# backends in the same run: a simulator with the seed report's latencies (seed) and one with none (zero). Every process
# starts once; every round measures each (backend, target) once, the orders rotated by one per round so machine noise
# spreads evenly, and the table shows the median per (backend, target) over the rounds, with each target's throughput
# relative to yarp's and nginx's (targets: proxied >= 0.85x yarp, hit above nginx).
#
#   bash loadtests/bench/cache.sh                           # full: 5 rounds x 10 cells x (3 s + 10 s), ~14 min
#   RUNS=3 BACKENDS=zero bash loadtests/bench/cache.sh      # zero-latency backend only, ~6 min
#   QUICK=1 bash loadtests/bench/cache.sh                   # smoke: 1 round, 3 s measured
#   SKIP_BUILD=1 BUILD_DIR=/tmp/cachebench RUNS=5 bash loadtests/bench/cache.sh   # reuse earlier Release outputs
#   BACKENDS=zero TARGETS="nginx hit" RUNS=3 bash loadtests/bench/cache.sh       # a subset
#
# Variables (defaults in brackets):
#   RUNS         rounds [5, or 1 with QUICK=1]
#   QUICK=1      short smoke run: RUNS=1, DURATION=3s, INITIAL_WARMUP=3s unless set
#   DURATION     measured period per cell and round [10s];  WARMUP  unmeasured load right before it [3s]
#   INITIAL_WARMUP  extra load per cell before round 1, so the JIT has tiered up [10s]
#   BACKENDS     simulators, in round-1 order [seed zero]: seed = --latency-scale 1, zero = --latency-scale 0
#   TARGETS      targets per backend, in round-1 order [direct yarp nginx proxied hit]
#   SEED_CAPACITY  service slots of the simulators, so the seed-latency one never queues [100000]
#   THREADS, CONNECTIONS   wrk threads and connections [2, 32];  KEYS  distinct API keys the load rotates over [64]
#   TARGET_PATH  the request [/sandboxes]
#   BUILD_DIR    where the Release outputs go (gateway/, simulator/, bareproxy/) [/tmp/agentsphere-cache-build]
#   SKIP_BUILD=1 use the outputs already in BUILD_DIR;  KEEP=1  keep the raw wrk output, logs and nginx configs
#   RESULTS_DIR  where the Markdown table goes [loadtests/bench/results]
#   NOISE_LIMIT  percent of the machine's CPU that processes outside the benchmark may take during a measurement before
#                it counts as noisy [10];  RETRY_NOISY  how often a noisy measurement is repeated (the last one stays) [2]
# Needs wrk and nginx (packages wrk and nginx-light, installed with apt-get when missing and running as root), curl and
# python3. Every process started here is stopped on exit, all traffic stays on 127.0.0.1, and every wrk run is bounded
# by timeout.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench="$repo/loadtests/bench"
lib="$bench/benchlib.py"
helper="$bench/cache.py"
lua="$bench/admission-wrk.lua"

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  RUNS=${RUNS:-1}; DURATION=${DURATION:-3s}; INITIAL_WARMUP=${INITIAL_WARMUP:-3s}
else
  RUNS=${RUNS:-5}; DURATION=${DURATION:-10s}; INITIAL_WARMUP=${INITIAL_WARMUP:-10s}
fi
WARMUP=${WARMUP:-3s}
BACKENDS=${BACKENDS:-"seed zero"}
TARGETS=${TARGETS:-"direct yarp nginx proxied hit"}
SEED_CAPACITY=${SEED_CAPACITY:-100000}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
KEYS=${KEYS:-64}
TARGET_PATH=${TARGET_PATH:-/sandboxes}
BUILD_DIR=${BUILD_DIR:-/tmp/agentsphere-cache-build}
SKIP_BUILD=${SKIP_BUILD:-0}
RESULTS_DIR=${RESULTS_DIR:-"$bench/results"}
NOISE_LIMIT=${NOISE_LIMIT:-10}
RETRY_NOISY=${RETRY_NOISY:-2}
# The cached gateway runs with its defaults: Caching:DefaultTtlSeconds 300 unless AGENTSPHERE_CACHE_TTL says otherwise,
# and the other benchmarks export AGENTSPHERE_CACHE_TTL=0, so never inherit it.
unset AGENTSPHERE_CACHE_TTL
CACHE_TTL=300
# nginx lives in /usr/sbin, which an unprivileged user's PATH may lack.
PATH="$PATH:/usr/sbin:/sbin"

read -r -a backends <<<"$BACKENDS"
read -r -a targets <<<"$TARGETS"
if [ "${#backends[@]}" = 0 ] || [ "${#targets[@]}" = 0 ]; then echo "BACKENDS and TARGETS must not be empty" >&2; exit 2; fi
for backend in "${backends[@]}"; do
  case "$backend" in seed | zero) ;; *) echo "unknown backend '$backend' (seed, zero)" >&2; exit 2 ;; esac
done
for target in "${targets[@]}"; do
  case "$target" in direct | yarp | nginx | proxied | hit) ;; *) echo "unknown target '$target' (direct, yarp, nginx, proxied, hit)" >&2; exit 2 ;; esac
done
wants() { [[ " $TARGETS " == *" $1 "* ]]; }
[[ "$KEYS" =~ ^[1-9][0-9]*$ ]] || { echo "KEYS must be a positive number" >&2; exit 2; }

to_seconds() { python3 -c "import sys; t=sys.argv[1]; print(float(t[:-2])/1000 if t.endswith('ms') else float(t[:-1])*{'s':1,'m':60,'h':3600}[t[-1]] if t[-1] in 'smh' else float(t))" "$1"; }
for value in "$DURATION" "$WARMUP" "$INITIAL_WARMUP"; do to_seconds "$value" >/dev/null || { echo "bad duration '$value'" >&2; exit 2; }; done
# Every `hit` measurement stores its keys afresh right before its warm-up, so the entries must outlive warm-up + measured
# period (with a margin) or some would expire, and be misses, while measured.
entry_needs=$(python3 -c "print(int($(to_seconds "$WARMUP") + $(to_seconds "$DURATION") + 30))")
if wants hit && [ "$entry_needs" -ge "$CACHE_TTL" ]; then
  echo "WARMUP + DURATION + 30 s must stay below the cache TTL of $CACHE_TTL s, or entries expire while measured" >&2; exit 2
fi

work=$(mktemp -d /tmp/agentsphere-cache.XXXXXX)
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

ensure_tool() { # ensure_tool COMMAND PACKAGE: install PACKAGE with apt-get when COMMAND is missing
  command -v "$1" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing $2 (apt-get)"
    { apt-get update && apt-get install -y "$2"; } >"$work/apt-$2.log" 2>&1 || { cat "$work/apt-$2.log" >&2; echo "could not install $2" >&2; exit 1; }
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "$1 is missing: install the $2 package (apt-get install -y $2)" >&2; exit 1; }
}

ensure_tool wrk wrk
wants nginx && ensure_tool nginx nginx-light

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
nginx_version=$( (nginx -v 2>&1 || true) | sed -n 's/^nginx version: nginx\//nginx /p')
echo "nproc: $(nproc); CPU: ${cpu_model:-unknown}; memory: $memory; $os_name; kernel $(uname -r); .NET SDK $dotnet_version; $wrk_version; ${nginx_version:-no nginx}"
# Everything shares these cores: another build or test run in parallel skews the figures, so say how busy the box was.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before the run: $load_before"
echo "== plan"
echo "backends: ${backends[*]}; targets: ${targets[*]}; rounds: $RUNS; per cell and round $WARMUP warm-up + $DURATION measured; $INITIAL_WARMUP initial warm-up per cell"
echo "load: wrk -t$THREADS -c$CONNECTIONS --latency on GET $TARGET_PATH, X-API-Key rotating over $KEYS keys"

if [ "$SKIP_BUILD" != 1 ]; then
  echo "== build (Release, published to $BUILD_DIR)"
  mkdir -p "$BUILD_DIR"
  for project in src/AgentSphere.Gateway src/AgentSphere.Simulator loadtests/AgentSphere.BareProxy; do
    name=${project##*/AgentSphere.}
    target_dir="$BUILD_DIR/$(tr '[:upper:]' '[:lower:]' <<<"$name")"
    (cd "$repo" && dotnet publish "$project" -c Release -o "$target_dir" --nologo -v quiet) >"$work/build-$name.log" 2>&1 \
      || { cat "$work/build-$name.log" >&2; echo "publish of $project failed" >&2; exit 1; }
  done
  binaries_note="published by this run to $BUILD_DIR"
fi
sim_dll="$BUILD_DIR/simulator/AgentSphere.Simulator.dll"
gateway_dll="$BUILD_DIR/gateway/AgentSphere.Gateway.dll"
bare_dll="$BUILD_DIR/bareproxy/AgentSphere.BareProxy.dll"
dlls=("$sim_dll" "$gateway_dll")
wants yarp && dlls+=("$bare_dll")
for dll in "${dlls[@]}"; do
  [ -f "$dll" ] || { echo "$dll is missing: run without SKIP_BUILD=1 or point BUILD_DIR at a publish output" >&2; exit 1; }
done
if [ "$SKIP_BUILD" = 1 ]; then
  binaries_note="reused from $BUILD_DIR (SKIP_BUILD=1), gateway published $(date -r "$gateway_dll" '+%Y-%m-%d %H:%M %Z')"
fi

echo "== start"
# Per backend: simulator, nginx, proxied gateway (public, management), hit gateway (public, management), bare YARP.
read -r -a ports <<<"$(python3 "$lib" ports $((7 * ${#backends[@]})))"
declare -A latency_scale=([seed]=1 [zero]=0)
declare -A sim_port=() sim_pid=() nginx_port=() nginx_pid=() public_port=() management_port=() gateway_pid=() list_bytes=()
declare -A yarp_port=() yarp_pid=()
i=0
for backend in "${backends[@]}"; do
  sim_port[$backend]=${ports[i]}
  nginx_port[$backend]=${ports[i + 1]}
  public_port[$backend-proxied]=${ports[i + 2]}; management_port[$backend-proxied]=${ports[i + 3]}
  public_port[$backend-hit]=${ports[i + 4]}; management_port[$backend-hit]=${ports[i + 5]}
  yarp_port[$backend]=${ports[i + 6]}
  i=$((i + 7))
done
declare -A descriptions=(
  [direct]="wrk straight at the simulator (no proxy)"
  [yarp]="a bare YARP reverse proxy (loadtests/AgentSphere.BareProxy, Yarp.ReverseProxy $(sed -n 's/.*Include="Yarp.ReverseProxy" Version="\([^"]*\)".*/\1/p' "$repo/Directory.Packages.props")): \`AddReverseProxy().LoadFromMemory(...)\` with one route \`/{**catch-all}\` to the simulator, default load balancing, HTTP client and forwarder, Kestrel without the Server header, logging at Warning; no admission, cache, metrics, retries or health checks. The baseline the gateway is held to"
  [nginx]="${nginx_version:-nginx} (nginx-light) as a plain reverse proxy to the simulator: \`worker_processes auto\`, an upstream with \`keepalive 64\`, \`proxy_http_version 1.1\`, \`proxy_set_header Connection \"\"\`, \`keepalive_requests 1000000\` towards clients and the upstream (by default nginx closes a connection after 1,000 requests; the gateway never does), no caching, access log off"
  [proxied]="the gateway with the response cache off (\`--Caching:Enabled=false\`)"
  [hit]="the gateway with the response cache on (its defaults: per caller, TTL $CACHE_TTL s). Before each warm-up every key's list is stored afresh (\`Cache-Control: no-cache\` refreshes an entry without looking it up) and checked to come back as \`X-Cache: HIT\`, so the measured period is all hits; checked from the gateway's cache counters"
)
declare -A backend_descriptions=(
  [seed]="one simulator, \`--latency-scale 1 --capacity $SEED_CAPACITY\`: the seed report's latency profile (list P50 / P95 / P99 120 / 140 / 150 ms), enough service slots that nothing queues"
  [zero]="one simulator, \`--latency-scale 0 --capacity $SEED_CAPACITY\`: no simulated latency, so what is left is the backend's and the proxies' own cost"
)

for backend in "${backends[@]}"; do
  start "$work/simulator-$backend.log" dotnet "$sim_dll" --urls "http://127.0.0.1:${sim_port[$backend]}" \
    --latency-scale "${latency_scale[$backend]}" --capacity "$SEED_CAPACITY" --name sim-1
  sim_pid[$backend]=${pids[-1]}
done
for backend in "${backends[@]}"; do
  if ! wait_for "http://127.0.0.1:${sim_port[$backend]}/health" 30 "${sim_pid[$backend]}"; then
    echo "the '$backend' simulator did not start; last lines of its log:" >&2; tail -n 5 "$work/simulator-$backend.log" >&2; exit 1
  fi
  # What one list weighs: what every proxy forwards and the cache stores.
  list_bytes[$backend]=$(curl -fsS --max-time 5 -o /dev/null -w '%{size_download}' -H "X-API-Key: bench-key-0000" \
    "http://127.0.0.1:${sim_port[$backend]}$TARGET_PATH" 2>/dev/null || echo "unknown")
done

if wants nginx; then
  nginx_build=$(nginx -V 2>&1 || true)
  if [ "$(id -u)" = 0 ]; then
    # nginx started by root runs its workers as nobody: they must reach their temporary directories in here.
    chmod 711 "$work"
  fi
  for backend in "${backends[@]}"; do
    dir="$work/nginx-$backend"
    mkdir -p "$dir/tmp"
    # Temporary paths of the modules this build has, so nothing is written outside the work directory.
    temp_paths="client_body_temp_path $dir/tmp/body;"$'\n'"  proxy_temp_path $dir/tmp/proxy;"
    for module in fastcgi uwsgi scgi; do
      [[ "$nginx_build" == *"--without-http_${module}_module"* ]] || temp_paths+=$'\n'"  ${module}_temp_path $dir/tmp/$module;"
    done
    cat >"$dir/nginx.conf" <<EOF
# nginx as a plain reverse proxy to the '$backend' simulator (written by cache.sh)
daemon off;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  $temp_paths
  keepalive_requests 1000000;
  upstream simulator {
    server 127.0.0.1:${sim_port[$backend]};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${nginx_port[$backend]};
    location / {
      proxy_pass http://simulator;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
    nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$work/nginx-$backend-test.log" 2>&1 \
      || { cat "$work/nginx-$backend-test.log" >&2; echo "the nginx configuration for '$backend' does not validate" >&2; exit 1; }
    start "$work/nginx-$backend.log" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    nginx_pid[$backend]=${pids[-1]}
  done
  for backend in "${backends[@]}"; do
    if ! wait_for "http://127.0.0.1:${nginx_port[$backend]}/health" 30 "${nginx_pid[$backend]}"; then
      echo "nginx for '$backend' did not start; last lines of its logs:" >&2
      tail -n 5 "$work/nginx-$backend.log" "$work/nginx-$backend/error.log" >&2; exit 1
    fi
    echo "nginx for '$backend' ready on 127.0.0.1:${nginx_port[$backend]}"
  done
fi

if wants yarp; then
  for backend in "${backends[@]}"; do
    start "$work/bareproxy-$backend.log" dotnet "$bare_dll" --urls "http://127.0.0.1:${yarp_port[$backend]}" \
      --destination "http://127.0.0.1:${sim_port[$backend]}"
    yarp_pid[$backend]=${pids[-1]}
  done
  for backend in "${backends[@]}"; do
    # /health goes through the proxy to the simulator.
    if ! wait_for "http://127.0.0.1:${yarp_port[$backend]}/health" 30 "${yarp_pid[$backend]}"; then
      echo "the bare YARP proxy for '$backend' did not start; last lines of its log:" >&2; tail -n 5 "$work/bareproxy-$backend.log" >&2; exit 1
    fi
    echo "bare YARP for '$backend' ready on 127.0.0.1:${yarp_port[$backend]}"
  done
fi

for backend in "${backends[@]}"; do
  python3 "$lib" yarp "$repo/yarp.json" "$work/yarp-$backend.json" AgentSphereScored "backend-1=http://127.0.0.1:${sim_port[$backend]}"
  for target in proxied hit; do
    wants "$target" || continue
    cell="$backend-$target"
    cache_args=()
    [ "$target" = proxied ] && cache_args=(--Caching:Enabled=false)
    # The CPU guard is effectively off (100 %): on a small machine the load generator and the backend share the CPUs
    # with the gateway, a closed-loop flood drives the gateway's process CPU past the default 70 % / 80 %, and the guard
    # would hold back and shed the low-priority list requests, so the table would measure the guard rather than the
    # proxy and the cache. The health probe runs every second so /readyz turns ready quickly.
    start "$work/gateway-$cell.log" dotnet "$gateway_dll" --urls "http://127.0.0.1:${public_port[$cell]}" \
      "--Gateway:ManagementUrls=http://127.0.0.1:${management_port[$cell]}" "--Gateway:YarpConfigPath=$work/yarp-$backend.json" \
      --AgentSphere:HealthCheckIntervalMs=1000 --Admission:Resources:CpuWaitPercent=100 --Admission:Resources:CpuShedPercent=100 \
      "${cache_args[@]}"
    gateway_pid[$cell]=${pids[-1]}
  done
done
for backend in "${backends[@]}"; do
  for target in proxied hit; do
    wants "$target" || continue
    cell="$backend-$target"
    if ! wait_for "http://127.0.0.1:${management_port[$cell]}/readyz" 60 "${gateway_pid[$cell]}"; then
      echo "gateway '$cell' did not become ready; last lines of its log:" >&2; tail -n 5 "$work/gateway-$cell.log" | sed 's/^/  /' >&2; exit 1
    fi
    echo "gateway '$cell' ready on 127.0.0.1:${public_port[$cell]} (management ${management_port[$cell]})"
  done
done

# Every long-running process of the benchmark, idle or not: the CPU snapshots take them (and nginx's workers) all, so
# what is left of the machine's busy time is other load.
all_roots=("${sim_pid[@]}" "${yarp_pid[@]}" "${nginx_pid[@]}" "${gateway_pid[@]}")

target_url() { # target_url BACKEND TARGET
  case "$2" in
    direct) echo "http://127.0.0.1:${sim_port[$1]}$TARGET_PATH" ;;
    yarp) echo "http://127.0.0.1:${yarp_port[$1]}$TARGET_PATH" ;;
    nginx) echo "http://127.0.0.1:${nginx_port[$1]}$TARGET_PATH" ;;
    *) echo "http://127.0.0.1:${public_port[$1-$2]}$TARGET_PATH" ;;
  esac
}

proxy_pid() { # proxy_pid BACKEND TARGET: the process between wrk and the simulator, or nothing for direct
  case "$2" in
    direct) ;;
    yarp) echo "${yarp_pid[$1]}" ;;
    nginx) echo "${nginx_pid[$1]}" ;;
    *) echo "${gateway_pid[$1-$2]}" ;;
  esac
}

alive_check() { # alive_check BACKEND TARGET: the processes the cell needs are still running
  local pid needed=("${sim_pid[$1]}") proxy
  proxy=$(proxy_pid "$1" "$2")
  [ -n "$proxy" ] && needed+=("$proxy")
  for pid in "${needed[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "  a process of '$1-$2' (pid $pid) has exited; see the logs in $work" >&2; return 1; }
  done
}

warm_cache() { # warm_cache BACKEND: store every key's list afresh in the backend's caching gateway and check it is a HIT
  python3 "$helper" warm "$(target_url "$1" hit)" "$KEYS" "$CACHE_TTL" "$entry_needs"
}

measure_once() { # measure_once ROUND BACKEND TARGET: warm-up, then one measured wrk run, recorded as round-ROUND/BACKEND-TARGET.json
  local round=$1 backend=$2 target=$3
  local cell="$backend-$target" dir="$work/round-$round" url proxy metrics=""
  url=$(target_url "$backend" "$target")
  proxy=$(proxy_pid "$backend" "$target")
  case "$target" in proxied | hit) metrics="http://127.0.0.1:${management_port[$cell]}/metrics" ;; esac
  alive_check "$backend" "$target" || { touch "$dir/$cell.failed"; return 1; }
  if [ "$target" = hit ]; then
    warm_cache "$backend" || { touch "$dir/$cell.failed"; return 1; }
  fi
  run_wrk "$dir/$cell.warmup.txt" "$WARMUP" "$url" || { echo "  warm-up failed; see $dir/$cell.warmup.txt" >&2; touch "$dir/$cell.failed"; return 1; }
  local extras=("target=$target" "backend=$backend" "simulatorPid=${sim_pid[$backend]}" "wrkTimes=$dir/$cell.wrk.txt" "noiseLimit=$NOISE_LIMIT")
  [ -n "$proxy" ] && extras+=("proxyPid=$proxy")
  local cache_before="" cache_after="" before after status=0
  [ -n "$metrics" ] && cache_before=$(python3 "$helper" counts "$metrics")
  before=$(python3 "$helper" cpu "${all_roots[@]}")
  run_wrk "$dir/$cell.wrk.txt" "$DURATION" "$url" || status=$?
  after=$(python3 "$helper" cpu "${all_roots[@]}")
  [ -n "$metrics" ] && cache_after=$(python3 "$helper" counts "$metrics")
  if [ "$status" != 0 ]; then
    echo "  wrk failed (exit $status); last lines of its output:" >&2; tail -n 5 "$dir/$cell.wrk.txt" | sed 's/^/    /' >&2
    touch "$dir/$cell.failed"
    return 1
  fi
  python3 "$helper" sample "$dir/$cell.json" "$dir/$cell.wrk.txt" "$before" "$after" "${extras[@]}" \
    "cacheBefore=$cache_before" "cacheAfter=$cache_after"
}

measure() { # measure ROUND BACKEND TARGET: measure_once, again up to RETRY_NOISY times while other load made it noisy
  local round=$1 backend=$2 target=$3 attempt=1 file
  local cell="$backend-$target" dir="$work/round-$round"
  while :; do
    measure_once "$round" "$backend" "$target" || return 1
    python3 -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1])).get("noisy") else 1)' "$dir/$cell.json" || return 0
    [ "$attempt" -gt "$RETRY_NOISY" ] && return 0
    # Keep the noisy attempt for the raw table, out of the medians.
    for file in "$dir/$cell".*; do
      [[ "$file" == *.noisy-* ]] || mv "$file" "${file/"$dir/$cell."/"$dir/$cell.noisy-$attempt."}"
    done
    echo "  measuring '$cell' again (attempt $((attempt + 1)) of $((RETRY_NOISY + 1)))"
    attempt=$((attempt + 1))
  done
}

echo "== initial warm-up ($INITIAL_WARMUP per cell)"
for backend in "${backends[@]}"; do
  for target in "${targets[@]}"; do
    alive_check "$backend" "$target" || exit 1
    if [ "$target" = hit ]; then warm_cache "$backend" || { echo "could not warm the '$backend' cache" >&2; exit 1; }; fi
    run_wrk "$work/initial-warmup-$backend-$target.txt" "$INITIAL_WARMUP" "$(target_url "$backend" "$target")" \
      || { echo "initial warm-up of '$backend-$target' failed; see $work/initial-warmup-$backend-$target.txt" >&2; exit 1; }
    echo "  $backend-$target: $(sed -n 's/^Requests\/sec: *//p' "$work/initial-warmup-$backend-$target.txt") req/s"
  done
done

commit=$(python3 "$bench/admission.py" head "$repo")
skip_note=""
[ "$SKIP_BUILD" = 1 ] && skip_note=" SKIP_BUILD=1 BUILD_DIR=$BUILD_DIR"
meta=(
  "date=$(date +%Y-%m-%d)" "cpu=${cpu_model:-unknown}" "memory=$memory" "os=$os_name" "kernel=$(uname -r)" "commit=$commit"
  "dotnet=$dotnet_version" "wrk=$wrk_version" "nginx=${nginx_version:-no nginx}" "loadBefore=$load_before"
  "command=RUNS=$RUNS QUICK=$QUICK DURATION=$DURATION WARMUP=$WARMUP INITIAL_WARMUP=$INITIAL_WARMUP BACKENDS=\"$BACKENDS\" TARGETS=\"$TARGETS\" SEED_CAPACITY=$SEED_CAPACITY THREADS=$THREADS CONNECTIONS=$CONNECTIONS KEYS=$KEYS NOISE_LIMIT=$NOISE_LIMIT RETRY_NOISY=$RETRY_NOISY$skip_note bash loadtests/bench/cache.sh"
  "backendsList=$BACKENDS" "targetsList=$TARGETS" "runs=$RUNS" "duration=$DURATION" "warmup=$WARMUP" "initialWarmup=$INITIAL_WARMUP"
  "threads=$THREADS" "connections=$CONNECTIONS" "keys=$KEYS" "path=$TARGET_PATH" "noiseLimit=$NOISE_LIMIT" "retryNoisy=$RETRY_NOISY"
  "binaries=$binaries_note" "gatewayEnv=AGENTSPHERE_CACHE_TTL unset (cache TTL $CACHE_TTL s, the default)"
)
for target in "${targets[@]}"; do meta+=("descriptions.$target=${descriptions[$target]}"); done
for backend in "${backends[@]}"; do
  meta+=("backendDescriptions.$backend=${backend_descriptions[$backend]}; a list response has ${list_bytes[$backend]} bytes of body")
done
python3 "$helper" meta "$work/meta.json" "${meta[@]}"

failures=0
for round in $(seq 1 "$RUNS"); do
  mkdir -p "$work/round-$round"
  # Rotate the backends' order and the targets' order within each backend by one per round: over len(TARGETS) rounds
  # each target takes each position in its backend's block equally often.
  shift_b=$(((round - 1) % ${#backends[@]}))
  shift_t=$(((round - 1) % ${#targets[@]}))
  backend_order=("${backends[@]:$shift_b}" "${backends[@]:0:$shift_b}")
  target_order=("${targets[@]:$shift_t}" "${targets[@]:0:$shift_t}")
  order=()
  for backend in "${backend_order[@]}"; do
    for target in "${target_order[@]}"; do order+=("$backend-$target"); done
  done
  echo "${order[*]}" >"$work/round-$round/order"
  for backend in "${backend_order[@]}"; do
    for target in "${target_order[@]}"; do
      echo "== round $round/$RUNS, $backend-$target"
      measure "$round" "$backend" "$target" || failures=$((failures + 1))
    done
  done
done

mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/cache-$(date +%Y-%m-%d).md"
n=2
while [ -e "$out" ]; do out="$RESULTS_DIR/cache-$(date +%Y-%m-%d)-$n.md"; n=$((n + 1)); done
echo "== summary"
summary_status=0
python3 "$helper" summarize "$work" "$out" || summary_status=$?
echo "written to ${out#"$repo"/}"
[ "$failures" = 0 ] && [ "$summary_status" = 0 ] && ok=1
[ "$failures" = 0 ] || { echo "$failures measurement(s) failed" >&2; exit 1; }
[ "$summary_status" = 0 ] || { echo "some measurements were invalid (see the table)" >&2; exit 1; }

#!/usr/bin/env bash
# The README's test command: installs what the tests need, runs every test project, then smoke-tests the README's
# run command (the gateway with --demo) as a real process. Bounded in time; stops everything it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\n== %s\n' "$*"; }

need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# python3: the seed-scenario runner picks its free ports with loadtests/bench/benchlib.py.
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# A real redis-server: the shared-limit tests start their own on a free loopback port and stop it.
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need_apt+=(redis-server)
# Debian's chromium: the dashboard tests drive it through Playwright (whose own browser download is never used).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# promtool, from Debian's prometheus package: the tests check and unit-test config/prometheus with it. Without its
# recommended node exporter, which would be a second service nobody asked for.
need_apt_bare=()
command -v promtool >/dev/null 2>&1 || [ -x /usr/bin/promtool ] || need_apt_bare+=(prometheus)
if [ ${#need_apt[@]} -gt 0 ] || [ ${#need_apt_bare[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} ${need_apt_bare[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get install -y -qq "${need_apt[@]}"
  fi
  if [ ${#need_apt_bare[@]} -gt 0 ]; then
    apt-get install -y -qq --no-install-recommends "${need_apt_bare[@]}"
  fi
fi

log "node packages for the SDK test (tests/sdk)"
npm ci --prefix tests/sdk --no-audit --no-fund --loglevel=error

log "dotnet test (all but the abuse suite, which runs next with its figures shown)"
results=$(mktemp -d)
set +e
dotnet test AgentSphere.Gateway.sln --nologo --filter "FullyQualifiedName!~AbuseSuiteTests" 2>&1 | tee "$results/test.log"
test_status=${PIPESTATUS[0]}
set -e

# The fuzz and abuse suite: the gateway as its own process under malformed, random and flooding traffic (about a minute,
# loopback only). Its figures (requests tried, crashes, memory, cross-tenant reads) go to the log; ABUSE_SEED replays a run.
log "abuse suite (tests/AgentSphere.Gateway.Tests/Hardening/AbuseSuiteTests.cs)"
set +e
dotnet test tests/AgentSphere.Gateway.Tests --nologo --no-build --filter "FullyQualifiedName~AbuseSuiteTests" \
  --logger "console;verbosity=detailed" 2>&1 | tee -a "$results/test.log" | grep -vE '^\s*$' | grep -vE '^\[xUnit.net' 
abuse_status=${PIPESTATUS[0]}
set -e
if [ "$abuse_status" -ne 0 ]; then test_status=$abuse_status; fi
passed=$(grep -oE 'Passed: +[0-9]+' "$results/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$results/test.log" | awk '{s+=$2} END {print s+0}')

log "demo smoke: dotnet run --project src/AgentSphere.Gateway -- --demo"
smoke_status=0
bash scripts/demo-smoke.sh || smoke_status=$?
smoke_passed=$(( smoke_status == 0 ? 1 : 0 ))
smoke_failed=$(( smoke_status == 0 ? 0 : 1 ))

log "the seed's scenarios against --demo (loadtests/run-seed-scenarios.sh): methods, concurrency, ramp, stability"
load_status=0
bash loadtests/run-seed-scenarios.sh || load_status=$?
load_passed=$(( load_status == 0 ? 1 : 0 ))
load_failed=$(( load_status == 0 ? 0 : 1 ))

rm -rf "$results"
echo
echo "Tests: $((passed + smoke_passed + load_passed)) passed, $((failed + smoke_failed + load_failed)) failed"
if [ "$test_status" -ne 0 ] || [ "$smoke_status" -ne 0 ] || [ "$load_status" -ne 0 ]; then
  exit 1
fi

#!/usr/bin/env python3
"""Helpers of admission.sh: CPU snapshots, wrk output parsing, Redis and gateway counters, and the summary table.

Standard library only. Subcommands:
  cpu PID...                                print a JSON snapshot: CPU seconds of each PID and the machine's busy/total jiffies
  sample OUT.json WRK_OUT BEFORE AFTER      parse wrk's output and the two `cpu` snapshots into one measurement record;
                                            extra KEY=VALUE arguments are stored as-is (numbers when they parse)
  metric URL NAME [LABEL=VALUE...]          print the sum of the Prometheus samples called NAME at URL (0 when absent),
                                            only those with these label values when given
  commandstats PORT                         print Redis INFO commandstats as JSON {command: {calls, usec}}
  head REPO                                 print the checked-out commit, read from .git without running git
  summarize WORKDIR OUT.md                  median per configuration over rounds; print the Markdown and write it to OUT.md
"""

import json
import os
import re
import socket
import statistics
import sys
import urllib.request

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Commands the gateway's Redis scripts (src/AgentSphere.Policies/Redis) call inside EVAL/EVALSHA, never on their own on
# the list path; INFO commandstats counts them separately from the script call that ran them.
SCRIPT_INTERNAL = {"time", "zremrangebyscore", "zcard", "zadd", "zrem", "zscore", "pttl", "pexpire", "pexpireat", "incr", "decr", "get"}


def process_cpu_seconds(pid):
    """utime + stime of PID in seconds, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            text = f.read()
    except OSError:
        return None
    # The command name (field 2) may contain spaces: split after its closing parenthesis.
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_jiffies():
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    # irq + softirq, mostly loopback network processing. With tick-based CPU accounting (as on the machine this was
    # written on) it is also in the system time of whichever process the interrupt hit, so it is shown, never subtracted.
    interrupts = sum(values[5:7])
    return total - idle, total, interrupts


def cmd_cpu(*pids):
    busy, total, interrupts = machine_jiffies()
    print(json.dumps({"pids": {p: process_cpu_seconds(p) for p in pids}, "busy": busy, "total": total, "irq": interrupts}))


def children_cpu_seconds(path):
    """User + system CPU of reaped children from bash's `times` output (its second line, "0m1.230s 0m0.450s")."""
    try:
        with open(path, encoding="ascii") as f:
            lines = f.read().splitlines()
        total = 0.0
        for part in lines[1].split():
            m = re.fullmatch(r"(\d+)m([\d.]+)s", part)
            total += int(m.group(1)) * 60 + float(m.group(2))
        return total
    except (OSError, IndexError, AttributeError):
        return None


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}[unit]


def parse_wrk(text):
    result = {"rps": None, "requests": None, "seconds": None, "p50": None, "p75": None, "p90": None, "p99": None,
              "non2xx": 0, "socketErrors": {"connect": 0, "read": 0, "write": 0, "timeout": 0}}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        result["rps"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in ([\d.]+\w+),", text):
        result["requests"] = int(m.group(1))
        result["seconds"] = to_ms(m.group(2)) / 1000 if to_ms(m.group(2)) is not None else None
    for percent in ("50", "75", "90", "99"):
        if m := re.search(rf"^\s+{percent}%\s+(\S+)\s*$", text, re.MULTILINE):
            result["p" + percent] = to_ms(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text):
        result["non2xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        result["socketErrors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups())))
    return result


def parse_value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def build_sample(wrk_out, before_json, after_json, *extras):
    """One measurement record from wrk's output, two `cpu` snapshots and KEY=VALUE extras (see cmd_sample)."""
    with open(wrk_out, encoding="utf-8", errors="replace") as f:
        record = parse_wrk(f.read())
    before, after = json.loads(before_json), json.loads(after_json)
    requests = record["requests"] or 0
    cpu = {}
    for pid, start in before["pids"].items():
        end = after["pids"].get(pid)
        cpu[pid] = None if start is None or end is None else end - start
    record["cpuSeconds"] = cpu
    record["cpuBefore"], record["cpuAfter"] = before, after
    span = after["total"] - before["total"]
    record["machineBusyPercent"] = 100.0 * (after["busy"] - before["busy"]) / span if span > 0 else None
    for extra in extras:
        key, _, value = extra.partition("=")
        record[key] = parse_value(value)
    # Redis commands of the measured period (INFO commandstats, reset after the warm-up). Redis also counts the commands
    # a Lua script runs (and their time, inside the script's own), so only the commands the gateway sends count as
    # round trips: everything but this script's own INFO/CONFIG and the commands the gateway's scripts call inside.
    stats_file = record.pop("redisStatsFile", None)
    if stats_file and os.path.exists(stats_file):
        with open(stats_file, encoding="utf-8") as f:
            stats = json.load(f)
        record["redisCommands"] = stats
        ours = {"info", "config|resetstat", "config"}
        calls = sum(v["calls"] for k, v in stats.items() if k.lower() not in ours | SCRIPT_INTERNAL)
        usec = sum(v["usec"] for k, v in stats.items() if k.lower() not in ours | SCRIPT_INTERNAL)
        record["redisCallsPerRequest"] = calls / requests if requests else None
        record["redisServerUsPerRequest"] = usec / requests if requests else None
    busy_seconds = (after["busy"] - before["busy"]) / CLOCK_TICKS
    record["machineCpuUsPerRequest"] = busy_seconds / requests * 1e6 if requests else None
    # wrk's CPU from the shell's `times` before and after it ran; what is left of the machine's busy time after wrk and
    # the benchmark's processes is other load on the machine (a build, a test run), which skews the figures.
    wrk_base = record.pop("wrkTimes", None)
    wrk_seconds = None
    if wrk_base:
        start, end = children_cpu_seconds(wrk_base + ".times-before"), children_cpu_seconds(wrk_base + ".times-after")
        wrk_seconds = end - start if start is not None and end is not None else None
    record["wrkCpuUsPerRequest"] = wrk_seconds / requests * 1e6 if wrk_seconds is not None and requests else None
    irq_seconds = (after.get("irq", 0) - before.get("irq", 0)) / CLOCK_TICKS
    record["irqCpuUsPerRequest"] = irq_seconds / requests * 1e6 if requests else None
    known = [v for v in cpu.values() if v is not None]
    total_seconds = (after["total"] - before["total"]) / CLOCK_TICKS
    if wrk_seconds is not None and requests:
        other_seconds = busy_seconds - sum(known) - wrk_seconds
        record["otherCpuUsPerRequest"] = other_seconds / requests * 1e6
        record["otherCpuPercent"] = 100.0 * other_seconds / total_seconds if total_seconds > 0 else None
    # Per-request CPU (microseconds) of the roles named in the extras ("gatewayPid=123" and so on).
    for role in ("gateway", "simulator", "redis"):
        pid = str(record.get(role + "Pid", ""))
        seconds = cpu.get(pid)
        record[role + "CpuUsPerRequest"] = seconds / requests * 1e6 if seconds is not None and requests else None
    limit = record.pop("noiseLimit", None)
    other = record.get("otherCpuPercent")
    record["noisy"] = bool(isinstance(limit, (int, float)) and other is not None and other > limit)
    errors = sum(record["socketErrors"].values())
    problems = []
    if record["rps"] is None or record["p99"] is None:
        problems.append("wrk output not understood")
    if record["non2xx"]:
        problems.append(f"{record['non2xx']} non-2xx")
    if errors:
        problems.append(f"{errors} socket errors")
    if record.get("fallbacks", 0):
        problems.append(f"{record['fallbacks']} requests counted locally (Redis fallback)")
    if record.get("sharedState") not in (None, "", "shared"):
        problems.append(f"shared state '{record['sharedState']}'")
    record["problems"] = problems
    return record


def sample_line(record, cpu_label="gateway CPU", cpu_key="gatewayCpuUsPerRequest"):
    """The one-line summary of a measurement record that the scripts print."""
    other = record.get("otherCpuPercent")
    problems = record["problems"]
    cpu = record.get(cpu_key)
    return (f"  {fmt(record['rps'], 0)} req/s, {record['requests'] or 0} requests, P50 {fmt(record['p50'], 2)} ms, "
            f"P99 {fmt(record['p99'], 2)} ms"
            + (f", {cpu_label} {cpu:.0f} µs/request" if cpu is not None else "")
            + f", machine busy {fmt(record['machineBusyPercent'], 0)} %"
            + (f", other load {other:.0f} %" + (" (noisy)" if record["noisy"] else "") if other is not None else "")
            + (f"  ** INVALID: {'; '.join(problems)}" if problems else ""))


def cmd_sample(out, wrk_out, before_json, after_json, *extras):
    record = build_sample(wrk_out, before_json, after_json, *extras)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2)
    print(sample_line(record))


def scrape(url):
    """The text of a Prometheus endpoint, or None when it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - the caller treats None as "unknown"
        return None


def metric_sum(text, name, labels=None):
    """The sum of the samples called NAME in Prometheus text whose labels include every LABELS item (0 when absent)."""
    total = 0.0
    for line in text.splitlines():
        if not (line.startswith(name) and (len(line) == len(name) or line[len(name)] in " {")):
            continue
        if labels:
            found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', line[len(name):].rsplit(" ", 1)[0]))
            if any(found.get(k) != v for k, v in labels.items()):
                continue
        total += float(line.rsplit(" ", 1)[1])
    return int(total) if total.is_integer() else total


def cmd_metric(url, name, *labels):
    text = scrape(url)
    if text is None:
        print("unknown")
        return
    print(metric_sum(text, name, dict(label.split("=", 1) for label in labels)))


def redis_command(port, *args):
    payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
    with socket.create_connection(("127.0.0.1", int(port)), timeout=5) as s:
        s.sendall(payload.encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if data.startswith(b"$"):
                header, _, rest = data.partition(b"\r\n")
                if len(rest) >= int(header[1:]) + 2:
                    return rest[: int(header[1:])].decode()
            elif data.endswith(b"\r\n"):
                return data.decode().strip()
    return data.decode()


def cmd_commandstats(port):
    stats = {}
    try:
        text = redis_command(port, "INFO", "commandstats")
    except OSError:
        print("{}")
        return
    for line in text.splitlines():
        if m := re.match(r"cmdstat_([^:]+):calls=(\d+),usec=(\d+)", line):
            stats[m.group(1)] = {"calls": int(m.group(2)), "usec": int(m.group(3))}
    print(json.dumps(stats))


def cmd_head(repo):
    git = os.path.join(repo, ".git")
    try:
        if os.path.isfile(git):  # a worktree: "gitdir: PATH"
            with open(git, encoding="utf-8") as f:
                git = os.path.join(repo, f.read().split(":", 1)[1].strip())
        with open(os.path.join(git, "HEAD"), encoding="utf-8") as f:
            head = f.read().strip()
        if not head.startswith("ref: "):
            print(head[:7])
            return
        ref = head[5:]
        common = git
        if os.path.exists(os.path.join(git, "commondir")):
            with open(os.path.join(git, "commondir"), encoding="utf-8") as f:
                common = os.path.join(git, f.read().strip())
        for base in (git, common):
            path = os.path.join(base, ref)
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    print(f.read().strip()[:7])
                    return
        with open(os.path.join(common, "packed-refs"), encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref:
                    print(parts[0][:7])
                    return
    except (OSError, IndexError):
        pass
    print("unknown")


def fmt(value, digits=1):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(value, base):
    return value / base if value is not None and base else None


def cmd_summarize(workdir, out_md):
    with open(os.path.join(workdir, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    configs = meta["configs"]
    rounds = []
    for name in sorted(os.listdir(workdir), key=lambda n: int(n.split("-")[1]) if n.startswith("round-") else 0):
        path = os.path.join(workdir, name)
        if not (name.startswith("round-") and os.path.isdir(path)):
            continue
        records = {}
        for config in configs:
            record_path = os.path.join(path, config + ".json")
            if os.path.exists(record_path):
                with open(record_path, encoding="utf-8") as f:
                    records[config] = json.load(f)
            elif os.path.exists(os.path.join(path, config + ".wrk.txt")) or os.path.exists(os.path.join(path, config + ".failed")):
                records[config] = None  # attempted, failed
        discarded = []
        for config in configs:
            for file in sorted(os.listdir(path)):
                if m := re.fullmatch(re.escape(config) + r"\.noisy-(\d+)\.json", file):
                    with open(os.path.join(path, file), encoding="utf-8") as f:
                        discarded.append((config, int(m.group(1)), json.load(f)))
        order_path = os.path.join(path, "order")
        order = open(order_path, encoding="utf-8").read().split() if os.path.exists(order_path) else configs
        rounds.append({"round": int(name.split("-")[1]), "order": order, "records": records, "discarded": discarded})

    def valid(record):
        return record is not None and not record["problems"]

    summary = {}
    for config in configs:
        records = [r["records"].get(config) for r in rounds]
        good = [r for r in records if valid(r)]
        summary[config] = {
            "valid": len(good),
            "noisy": sum(1 for r in good if r.get("noisy")),
            "attempted": sum(1 for r in rounds if config in r["records"]),
            "rps": median([r["rps"] for r in good]),
            "p50": median([r["p50"] for r in good]),
            "p90": median([r["p90"] for r in good]),
            "p99": median([r["p99"] for r in good]),
            "gatewayCpu": median([r.get("gatewayCpuUsPerRequest") for r in good]),
            "simulatorCpu": median([r.get("simulatorCpuUsPerRequest") for r in good]),
            "redisCpu": median([r.get("redisCpuUsPerRequest") for r in good]),
            "busy": median([r.get("machineBusyPercent") for r in good]),
            "redisCallsPerRequest": median([r.get("redisCallsPerRequest") for r in good]),
            "redisServerUs": median([r.get("redisServerUsPerRequest") for r in good]),
            "machineCpu": median([r.get("machineCpuUsPerRequest") for r in good]),
            "wrkCpu": median([r.get("wrkCpuUsPerRequest") for r in good]),
            "irqCpu": median([r.get("irqCpuUsPerRequest") for r in good]),
            "otherCpu": median([r.get("otherCpuUsPerRequest") for r in good]),
            "otherPercent": median([r.get("otherCpuPercent") for r in good]),
        }

    def get(config, key):
        return summary.get(config, {}).get(key)

    direct_p50, direct_p99 = get("direct", "p50"), get("direct", "p99")
    off_rps, local_rps = get("off", "rps"), get("local", "rps")

    # Per-round ratio redis/local: both measured in the same round, under the same machine noise.
    per_round = []
    for r in rounds:
        redis, local = r["records"].get("redis"), r["records"].get("local")
        if valid(redis) and valid(local):
            per_round.append(redis["rps"] / local["rps"])
    target = ratio(get("redis", "rps"), local_rps)
    quiet_rounds = [r for r in rounds if all(valid(r["records"].get(c)) and not r["records"][c].get("noisy") for c in ("redis", "local"))]
    quiet_ratio = median([r["records"]["redis"]["rps"] / r["records"]["local"]["rps"] for r in quiet_rounds]) if quiet_rounds else None
    limit = meta.get("noiseLimit", 10)

    lines = []
    lines.append(f"# Admission-control overhead benchmark, {meta['date']}")
    lines.append("")
    lines.append("## Setup")
    lines.append("")
    lines.append(
        f"- Machine: {meta['nproc']} CPUs ({meta['cpu']}), {meta['memory']} RAM; {meta['os']}, kernel {meta['kernel']}; "
        f".NET SDK {meta['dotnet']}; {meta['wrk']}; {meta['redis']}. Load average before the run {meta['loadBefore']}. "
        f"wrk, the gateway, the simulator and Redis all share these CPUs."
    )
    lines.append(f"- Commit: `{meta['commit']}` (read from .git; the binaries are {meta['binaries']})")
    lines.append(f"- Command: `{meta['command']}`")
    lines.append(
        f"- Load: `wrk -t{meta['threads']} -c{meta['connections']} -d{meta['duration']} --latency` closed loop on "
        f"`GET {meta['path']}`, `X-API-Key` rotating round robin over {meta['keys']} keys (admission-wrk.lua), so the "
        f"per-caller limit of 5 at once never binds. {meta['warmup']} warm-up before every measurement, and "
        f"{meta['initialWarmup']} per target before round 1 (JIT tiering)."
    )
    lines.append(
        f"- Rounds: {meta['runs']}; each measures every configuration once, the order rotated by one each round "
        f"(round 1: {' → '.join(configs)}). Medians over the valid rounds."
    )
    lines.append(
        "- Backend: one simulator, `--latency-scale 0 --capacity 100000` (no simulated latency, no slot limit), so "
        "`direct` is the backend's own cost and the rest is what the gateway adds."
    )
    lines.append(
        "- Gateways (all started once, idle while another target is measured), each with `--AgentSphere:HealthCheckIntervalMs=1000 "
        "--Admission:Resources:CpuWaitPercent=100 --Admission:Resources:CpuShedPercent=100`: "
        + "; ".join(f"`{c}` {meta['descriptions'][c]}" for c in configs)
        + ". The CPU guard is set to 100 % because on this machine the load generator and the backend share the CPUs with "
        "the gateway: its process CPU passes the default 70 % / 80 % under a closed-loop flood and it would shed the "
        "low-priority list requests, measuring the guard instead of the limiters."
    )
    lines.append(f"- Gateway environment: {meta['gatewayEnv']}")
    lines.append("")
    lines.append("## Results (median over rounds)")
    lines.append("")
    lines.append("| configuration | valid rounds | req/s | P50 ms | P90 ms | P99 ms | req/s vs `off` | added P50 vs `direct` ms | added P99 vs `direct` ms |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for config in configs:
        s = summary[config]
        valid_text = f"{s['valid']}/{s['attempted']}" + (f" ({s['noisy']} noisy)" if s["noisy"] else "")
        rel = ratio(s["rps"], off_rps) if config != "direct" else None
        added50 = s["p50"] - direct_p50 if config != "direct" and s["p50"] is not None and direct_p50 is not None else None
        added99 = s["p99"] - direct_p99 if config != "direct" and s["p99"] is not None and direct_p99 is not None else None
        lines.append(
            f"| `{config}` | {valid_text} | {fmt(s['rps'], 0)} | {fmt(s['p50'], 2)} | {fmt(s['p90'], 2)} | {fmt(s['p99'], 2)} | "
            f"{fmt(rel, 2) + '×' if rel is not None else '—'} | "
            f"{('+' if added50 >= 0 else '') + fmt(added50, 2) if added50 is not None else '—'} | "
            f"{('+' if added99 >= 0 else '') + fmt(added99, 2) if added99 is not None else '—'} |"
        )
    lines.append("")
    if target is not None:
        verdict = ("met" if target >= 0.8 else "NOT met") if int(meta["connections"]) > 2 else (
            "not judged here: with this few connections the ratio is one of latencies, the target is for a saturated gateway")
        spread = (f"; per round {', '.join(f'{x:.2f}' for x in per_round)} (median {statistics.median(per_round):.2f}, "
                  f"min {min(per_round):.2f})") if per_round else ""
        lines.append(f"**Redis-backed vs local limits: {target:.2f}× the throughput** (target ≥ 0.80: {verdict}){spread}.")
        lines.append("")
        if not quiet_rounds and per_round:
            lines.append(f"No round had both `local` and `redis` quiet (other load ≤ {limit:g} % of the machine).")
            lines.append("")
        elif quiet_ratio is not None and len(quiet_rounds) < len(per_round):
            lines.append(
                f"Over the {len(quiet_rounds)} round(s) where neither `local` nor `redis` was noisy (other load ≤ {limit:g} % "
                f"of the machine): median per-round ratio {quiet_ratio:.2f}."
            )
            lines.append("")
    if int(meta["connections"]) > 2:
        lines.append(
            f"With a closed loop of {meta['connections']} connections every target runs at saturation, so latency here is "
            f"mostly queueing (Little's law: P50 ≈ connections / throughput); the latency one request adds on an idle "
            f"gateway is smaller (`THREADS=1 CONNECTIONS=1` measures that)."
        )
    else:
        lines.append(
            f"With {meta['connections']} connection(s) requests barely queue: latency is each request's own path, and "
            f"throughput is 1 / latency per connection. The CPU table below says little at this concurrency: the .NET "
            f"thread pool spins while it waits for the next request, so CPU per request is inflated."
        )
    lines.append("")
    lines.append("## Where the CPU went (median over rounds)")
    lines.append("")
    lines.append(
        ("The machine is saturated in every configuration, so throughput is about (CPUs × busy share) / (CPU per request "
         "over all processes). " if int(meta["connections"]) > 2 else "")
        + "CPU time over the measured period divided by the requests completed, in µs per request: "
        "each process from /proc/PID/stat (utime + stime), wrk from the shell's `times`, *all* = the whole machine's "
        "busy time from /proc/stat, *softirq* = its irq + softirq time (loopback network processing; shown for "
        "information, it is also part of the processes' system time), *other* = all minus the benchmark's processes "
        "(the idle gateways included): other load on the machine and kernel threads, which should stay near 0. Per-request CPU is not a pure per-request constant: at lower throughput every process does "
        "fewer requests per wake-up and system call, so the simulator's figure rises behind a slower gateway. Redis round "
        "trips and Redis server time per request come from `INFO commandstats`, reset after the warm-up; the commands "
        "the gateway's Lua scripts run inside EVALSHA are left out (their time is part of the EVALSHA's)."
    )
    lines.append("")
    lines.append("| configuration | all µs/req | gateway µs/req | simulator µs/req | redis-server µs/req | wrk µs/req | softirq µs/req | other µs/req | Redis round trips/req | Redis server time µs/req | machine busy % |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for config in configs:
        s = summary[config]
        is_redis = config == "redis"
        lines.append(
            f"| `{config}` | {fmt(s['machineCpu'], 0)} | {fmt(s['gatewayCpu'], 0) if config != 'direct' else '—'} | {fmt(s['simulatorCpu'], 0)} | "
            f"{fmt(s['redisCpu'], 1) if is_redis else '—'} | {fmt(s['wrkCpu'], 0)} | {fmt(s['irqCpu'], 0)} | {fmt(s['otherCpu'], 0)} | "
            f"{fmt(s['redisCallsPerRequest'], 2) if is_redis else '—'} | "
            f"{fmt(s['redisServerUs'], 1) if is_redis else '—'} | {fmt(s['busy'], 0)} |"
        )
    lines.append("")
    lines.append("## Every measurement")
    lines.append("")
    lines.append("| round | position | configuration | req/s | requests | P50 ms | P90 ms | P99 ms | non-2xx | socket errors | gateway µs/req | machine busy % | other load % | valid |")
    lines.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    invalid = 0
    noisy_final = 0
    for r in rounds:
        rows = []  # (position, attempt, line): every attempt of a target next to the one that stayed
        for config, attempt, record in r["discarded"]:
            errors = record["socketErrors"]
            error_text = ", ".join(f"{k} {v}" for k, v in errors.items() if v) or "0"
            position = r["order"].index(config) + 1 if config in r["order"] else 0
            rows.append((position, attempt, (
                f"| {r['round']} | {position} | `{config}` attempt {attempt} | "
                f"{fmt(record['rps'], 0)} | {record['requests'] or 0:,} | {fmt(record['p50'], 2)} | {fmt(record['p90'], 2)} | "
                f"{fmt(record['p99'], 2)} | {record['non2xx']} | {error_text} | "
                f"{fmt(record.get('gatewayCpuUsPerRequest'), 0) if config != 'direct' else '—'} | "
                f"{fmt(record.get('machineBusyPercent'), 0)} | {fmt(record.get('otherCpuPercent'), 1)} | discarded: noisy, measured again |"
            )))
        for position, config in enumerate(r["order"], 1):
            if config not in r["records"]:
                continue
            record = r["records"][config]
            if record is None:
                invalid += 1
                rows.append((position, 1_000, f"| {r['round']} | {position} | `{config}` | failed | | | | | | | | | | no |"))
                continue
            errors = record["socketErrors"]
            error_text = ", ".join(f"{k} {v}" for k, v in errors.items() if v) or "0"
            if record["problems"]:
                invalid += 1
            elif record.get("noisy"):
                noisy_final += 1
            rows.append((position, 1_000, (
                f"| {r['round']} | {position} | `{config}` | {fmt(record['rps'], 0)} | {record['requests'] or 0:,} | "
                f"{fmt(record['p50'], 2)} | {fmt(record['p90'], 2)} | {fmt(record['p99'], 2)} | {record['non2xx']} | {error_text} | "
                f"{fmt(record.get('gatewayCpuUsPerRequest'), 0) if config != 'direct' else '—'} | "
                f"{fmt(record.get('machineBusyPercent'), 0)} | {fmt(record.get('otherCpuPercent'), 1)} | "
                f"{('NO: ' + '; '.join(record['problems'])) if record['problems'] else 'yes, noisy' if record.get('noisy') else 'yes'} |"
            )))
        lines.extend(line for _, _, line in sorted(rows, key=lambda row: (row[0], row[1])))
    lines.append("")
    if invalid:
        lines.append(f"**{invalid} measurement(s) were invalid (non-2xx responses, socket errors, Redis fallback or a failure) "
                     f"and are left out of the medians.**")
    else:
        lines.append("Every measurement was valid: no non-2xx responses, no socket errors, and in `redis` no request counted locally.")
    lines.append("")
    lines.append(
        f"*Other load* is the share of the whole machine's CPU (100 % = all {meta['nproc']} CPUs) that went to processes "
        f"outside the benchmark (and kernel threads) during the measured period. Above "
        f"{limit:g} % a measurement counts as noisy and is repeated up to {meta.get('retryNoisy', 0)} time(s); "
        f"the last attempt stays in the medians either way."
        + (f" {noisy_final} measurement(s) in the medians are still noisy." if noisy_final else "")
    )
    text = "\n".join(lines) + "\n"
    with open(out_md, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    return 1 if invalid else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    handlers = {"cpu": cmd_cpu, "sample": cmd_sample, "metric": cmd_metric, "commandstats": cmd_commandstats,
                "head": cmd_head, "summarize": cmd_summarize}
    if command not in handlers:
        print(__doc__, file=sys.stderr)
        return 2
    return handlers[command](*args) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

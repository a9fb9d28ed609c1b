#!/usr/bin/env python3
"""Helpers of cache.sh: CPU snapshots over process trees, cache warming, cache counters, and the summary table.

Standard library only; wrk parsing, CPU accounting, noise checks and formatting come from admission.py. Subcommands:
  cpu PID...                                as admission.py cpu, each PID with its descendants (nginx's workers)
  warm URL KEYS TTL_SECONDS MIN_LEFT_SECONDS
                                            store every key's response afresh (Cache-Control: no-cache refreshes the
                                            entry without looking it up), then check that a plain GET of each is a HIT
                                            with at least MIN_LEFT_SECONDS of its TTL left
  counts METRICS_URL                        print the gateway's list cache lookups and admission rejections as JSON
                                            {"hit", "miss", "bypass", "rejected": {policy: count}}
  sample OUT.json WRK_OUT BEFORE AFTER KEY=VALUE...
                                            as admission.py sample, plus the cache checks (cacheBefore/cacheAfter
                                            from `counts`) and the proxy's CPU (proxyPid=PID, with its descendants)
  meta OUT.json KEY=VALUE...                write the run's description (lists: space-separated values of *List keys)
  summarize WORKDIR OUT.md                  median per (backend, target) over rounds; print the Markdown, write OUT.md
"""

import concurrent.futures
import http.client
import json
import os
import re
import sys
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admission  # noqa: E402 - the sibling helper, found through the path set just above

from admission import fmt, median, ratio  # noqa: E402

KEY_FORMAT = "bench-key-%04d"  # the keys admission-wrk.lua sends
HIT_RATIO_LIMIT = 0.99
YARP_RATIO_TARGET = 0.85  # issue 9: the full gateway keeps at least this share of bare YARP's throughput
CACHE_METRIC = "agentsphere_gateway_cache_requests_total"
DECISIONS_METRIC = "agentsphere_gateway_admission_decisions_total"


def process_tree(root):
    """ROOT and every live descendant of it, read from /proc."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii") as f:
                text = f.read()
        except OSError:
            continue
        parent = text[text.rindex(")") + 2:].split()[1]
        children.setdefault(parent, []).append(name)
    tree, pending = [], [str(root)]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def cmd_cpu(*roots):
    pids = [pid for root in roots for pid in process_tree(root)]
    admission.cmd_cpu(*pids)


def fetch(url, key, no_cache=False):
    """GET URL the way wrk sends it (Host and X-API-Key only: the cache key varies by Accept and Accept-Encoding, which
    urllib and curl would add); returns (status, X-Cache, Age), the status an error text when the request failed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", parts.path + (f"?{parts.query}" if parts.query else ""), skip_accept_encoding=True)
        connection.putheader("X-API-Key", key)
        if no_cache:
            connection.putheader("Cache-Control", "no-cache")
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Cache"), response.getheader("Age")
    except OSError as error:
        return str(error), None, None
    finally:
        connection.close()


def cmd_warm(url, keys, ttl_seconds, min_left_seconds):
    keys = [KEY_FORMAT % i for i in range(int(keys))]
    ttl, min_left = float(ttl_seconds), float(min_left_seconds)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        stored = list(pool.map(lambda key: fetch(url, key, no_cache=True), keys))
    failed = [(key, status) for key, (status, _, _) in zip(keys, stored) if status != 200]
    if failed:
        print(f"  warming failed: {len(failed)} of {len(keys)} keys, e.g. {failed[0][0]}: {failed[0][1]}", file=sys.stderr)
        return 1
    # One by one, so each check is a lookup of an entry that is already there.
    checks = [fetch(url, key) for key in keys]
    not_hits = [(key, status, cache) for key, (status, cache, _) in zip(keys, checks) if status != 200 or cache != "HIT"]
    if not_hits:
        key, status, cache = not_hits[0]
        print(f"  after warming, {len(not_hits)} of {len(keys)} keys were not served from the cache "
              f"(e.g. {key}: status {status}, X-Cache {cache})", file=sys.stderr)
        return 1
    ages = [float(age) for _, _, age in checks if age is not None and re.fullmatch(r"\d+", age)]
    oldest = max(ages) if ages else 0.0
    if ttl - oldest < min_left:
        print(f"  after warming, the oldest entry is {oldest:.0f} s old: only {ttl - oldest:.0f} s of its {ttl:.0f} s TTL left, "
              f"less than the {min_left:.0f} s the measurement needs (Cache-Control: no-cache did not refresh it)", file=sys.stderr)
        return 1
    print(f"  {len(keys)} keys cached (each a HIT, oldest entry {oldest:.0f} s old)")
    return 0


def cache_counts(url):
    """The gateway's list cache lookups by result, and its admission rejections by policy (to explain non-2xx)."""
    text = admission.scrape(url)
    if text is None:
        return None
    counts = {result: admission.metric_sum(text, CACHE_METRIC, {"operation": "list", "result": result})
              for result in ("hit", "miss", "bypass")}
    rejected = {}
    for line in text.splitlines():
        if line.startswith(DECISIONS_METRIC + "{"):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', line.rsplit(" ", 1)[0]))
            if labels.get("outcome") == "rejected":
                policy = labels.get("policy", "?")
                rejected[policy] = rejected.get(policy, 0) + float(line.rsplit(" ", 1)[1])
    counts["rejected"] = rejected
    return counts


def cmd_counts(url):
    print(json.dumps(cache_counts(url)))


def cmd_sample(out, wrk_out, before_json, after_json, *extras):
    record = admission.build_sample(wrk_out, before_json, after_json, *extras)
    requests = record["requests"] or 0
    # The proxy's CPU: the gateway's or bare YARP's process, or nginx's master and its workers.
    root = record.pop("proxyPid", None)
    proxy = process_tree(root) if root else []
    seconds = [record["cpuSeconds"].get(p) for p in proxy]
    known = [s for s in seconds if s is not None]
    record["proxyCpuUsPerRequest"] = sum(known) / requests * 1e6 if proxy and known and requests else None
    target = record.get("target")
    before, after = record.pop("cacheBefore", None), record.pop("cacheAfter", None)
    if target in ("hit", "proxied"):
        try:
            before, after = json.loads(before), json.loads(after)
        except (TypeError, ValueError):
            before = after = None
        if not before or not after:
            record["problems"].append("cache counters unavailable")
        else:
            delta = {k: after[k] - before[k] for k in ("hit", "miss", "bypass")}
            record["cache"] = delta
            rejected = {policy: int(n - before.get("rejected", {}).get(policy, 0))
                        for policy, n in after.get("rejected", {}).items()}
            rejected = {policy: n for policy, n in rejected.items() if n}
            record["admissionRejected"] = rejected
            if rejected:
                # Name what admission refused next to the non-2xx count.
                record["problems"] = [
                    f"{problem} (admission rejected: {', '.join(f'{p} {n}' for p, n in sorted(rejected.items()))})"
                    if problem.endswith("non-2xx") else problem for problem in record["problems"]]
            lookups = delta["hit"] + delta["miss"]
            record["hitRatio"] = delta["hit"] / lookups if lookups else None
            if target == "hit":
                if not lookups:
                    record["problems"].append("no cache lookups counted")
                elif record["hitRatio"] < HIT_RATIO_LIMIT:
                    record["problems"].append(f"cache hit ratio {100 * record['hitRatio']:.2f} % < {100 * HIT_RATIO_LIMIT:.0f} %")
            elif delta["hit"]:
                record["problems"].append(f"{delta['hit']} responses served from the cache with caching off")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2)
    label = {"nginx": "nginx CPU", "yarp": "YARP CPU"}.get(target, "gateway CPU")
    line, _, invalid = admission.sample_line(record, cpu_label=label, cpu_key="proxyCpuUsPerRequest").partition("  ** INVALID")
    if "cache" in record and target == "hit":
        c = record["cache"]
        hit_ratio = record["hitRatio"]
        line += f"; cache {c['hit']:,} hits, {c['miss']:,} misses" + (
            f", hit ratio {100 * hit_ratio:.2f} %" if hit_ratio is not None else "")
    print(line + ("  ** INVALID" + invalid if invalid else ""))


def cmd_meta(out, *pairs):
    meta = {"nproc": os.cpu_count()}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key.endswith("List"):
            meta[key[:-4]] = value.split()
        elif "." in key:  # descriptions.hit=... → {"descriptions": {"hit": ...}}
            group, _, name = key.partition(".")
            meta.setdefault(group, {})[name] = value
        else:
            meta[key] = value
    with open(out, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)


def load_rounds(workdir, cells):
    rounds = []
    names = [n for n in os.listdir(workdir) if re.fullmatch(r"round-\d+", n) and os.path.isdir(os.path.join(workdir, n))]
    for name in sorted(names, key=lambda n: int(n.split("-")[1])):
        path = os.path.join(workdir, name)
        records, discarded = {}, []
        for cell in cells:
            record_path = os.path.join(path, cell + ".json")
            if os.path.exists(record_path):
                with open(record_path, encoding="utf-8") as f:
                    records[cell] = json.load(f)
            elif os.path.exists(os.path.join(path, cell + ".wrk.txt")) or os.path.exists(os.path.join(path, cell + ".failed")):
                records[cell] = None  # attempted, failed
            for file in sorted(os.listdir(path)):
                if m := re.fullmatch(re.escape(cell) + r"\.noisy-(\d+)\.json", file):
                    with open(os.path.join(path, file), encoding="utf-8") as f:
                        discarded.append((cell, int(m.group(1)), json.load(f)))
        order_path = os.path.join(path, "order")
        with open(order_path, encoding="utf-8") as f:
            order = f.read().split()
        rounds.append({"round": int(name.split("-")[1]), "order": order, "records": records, "discarded": discarded})
    return rounds


def valid(record):
    return record is not None and not record["problems"]


def times(value, digits=None):
    """A ratio as "1.73×", "26.4×" or "268×" (digits: fixed decimals instead)."""
    if value is None:
        return "n/a"
    if digits is None:
        digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:,.{digits}f}×"


def cmd_summarize(workdir, out_md):
    with open(os.path.join(workdir, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    backends, targets = meta["backends"], meta["targets"]
    cells = [f"{b}-{t}" for b in backends for t in targets]
    rounds = load_rounds(workdir, cells)

    summary = {}
    for cell in cells:
        good = [r["records"].get(cell) for r in rounds]
        good = [r for r in good if valid(r)]
        summary[cell] = {
            "valid": len(good),
            "noisy": sum(1 for r in good if r.get("noisy")),
            "attempted": sum(1 for r in rounds if cell in r["records"]),
            **{key: median([r.get(key) for r in good]) for key in (
                "rps", "p50", "p90", "p99", "hitRatio", "proxyCpuUsPerRequest", "simulatorCpuUsPerRequest",
                "machineCpuUsPerRequest", "wrkCpuUsPerRequest", "otherCpuUsPerRequest", "machineBusyPercent")},
        }

    def get(backend, target, key):
        return summary.get(f"{backend}-{target}", {}).get(key)

    def per_round(backend, numerator, denominator, key, invert=False):
        """The ratio of two targets' KEY within each round (same machine noise), over rounds where both are valid."""
        values = []
        for r in rounds:
            a, b = r["records"].get(f"{backend}-{numerator}"), r["records"].get(f"{backend}-{denominator}")
            if valid(a) and valid(b) and a.get(key) and b.get(key):
                values.append(b[key] / a[key] if invert else a[key] / b[key])
        return values

    def spread(values):
        """Per-round values as "1.71×, 1.80× (min 1.71×)", or "" without any."""
        if not values:
            return ""
        return ", ".join(times(v) for v in values) + (f" (min {times(min(values))})" if len(values) > 1 else "")

    limit = meta.get("noiseLimit", "10")
    lines = []
    lines.append(f"# Proxy/cache benchmark, {meta['date']}")
    lines.append("")
    lines.append("## Setup")
    lines.append("")
    lines.append(
        f"- Machine: {meta['nproc']} CPUs ({meta['cpu']}), {meta['memory']} RAM; {meta['os']}, kernel {meta['kernel']}; "
        f".NET SDK {meta['dotnet']}; {meta['wrk']}; {meta['nginx']}. Load average before the run {meta['loadBefore']}. "
        f"wrk, nginx, bare YARP, the gateways and the simulators all share these CPUs."
    )
    lines.append(f"- Commit: `{meta['commit']}` (read from .git; the binaries are {meta['binaries']})")
    lines.append(f"- Command: `{meta['command']}`")
    lines.append(
        f"- Load: `wrk -t{meta['threads']} -c{meta['connections']} -d{meta['duration']} --latency` closed loop on "
        f"`GET {meta['path']}`, `X-API-Key` rotating round robin over {meta['keys']} keys (admission-wrk.lua): each key's "
        f"first request through a caching gateway is a miss, every later one a hit. {meta['warmup']} warm-up before every "
        f"measurement, and {meta['initialWarmup']} per target before round 1 (JIT tiering)."
    )
    lines.append(
        f"- Rounds: {meta['runs']}; each measures every (backend, target) once, the backends' order and the targets' "
        f"order within each backend rotated by one per round. Medians over the valid rounds."
    )
    for backend in backends:
        lines.append(f"- Backend `{backend}`: {meta['backendDescriptions'][backend]}")
    lines.append("- Targets, one of each per backend, all started once (idle while another is measured):")
    for target in targets:
        lines.append(f"  - `{target}`: {meta['descriptions'][target]}")
    lines.append(
        "- The gateways run with `--AgentSphere:HealthCheckIntervalMs=1000 --Admission:Resources:CpuWaitPercent=100 "
        "--Admission:Resources:CpuShedPercent=100` and otherwise their defaults (admission on). The CPU guard is set to "
        "100 % because the load generator shares the CPUs: under a closed-loop flood the gateway's process CPU passes "
        "the default 70 % / 80 % and it would hold back and shed the low-priority list requests, measuring the guard."
    )
    lines.append(f"- Gateway environment: {meta['gatewayEnv']}")
    lines.append("")

    # Headlines.
    seed, zero = "seed", "zero"
    lines.append("## Headline")
    lines.append("")
    speedup = ratio(get(seed, "proxied", "p50"), get(seed, "hit", "p50"))
    if seed in backends:
        verdict = "n/a" if speedup is None else ("met" if speedup >= 5 else "NOT met")
        rounds_text = spread(per_round(seed, "hit", "proxied", "p50", invert=True))
        lines.append(
            f"- **cache hit vs proxied list P50 on the seed-latency simulator: {times(speedup)} faster** (target ≥ 5×: "
            f"{verdict})" + (f"; per round {rounds_text}" if rounds_text else "") + "."
        )
    if "yarp" in targets and "proxied" in targets:
        vs_yarp = {b: ratio(get(b, "proxied", "rps"), get(b, "yarp", "rps")) for b in backends}
        known = [v for v in vs_yarp.values() if v is not None]
        verdict = "n/a" if len(known) < len(vs_yarp) else ("met" if min(known) >= YARP_RATIO_TARGET else "NOT met")
        parts = [f"{times(vs_yarp[b])} on the {label} backend" for b, label in ((seed, "seed-latency"), (zero, "zero-latency"))
                 if b in backends]
        details = "; ".join(
            f"{b} {spread(per_round(b, 'proxied', 'yarp', 'rps'))}" for b in backends if per_round(b, "proxied", "yarp", "rps"))
        lines.append(
            f"- **full gateway (`proxied`) vs bare YARP throughput: {', '.join(parts)}** (target ≥ {YARP_RATIO_TARGET}×: "
            f"{verdict})" + (f"; per round: {details}" if details else "") + "."
        )
    vs_nginx = {b: ratio(get(b, "hit", "rps"), get(b, "nginx", "rps")) for b in backends}
    parts = []
    for backend, label in ((seed, "seed-latency"), (zero, "zero-latency")):
        if backend in backends:
            parts.append(f"{times(vs_nginx[backend])} on the {label} backend")
    if parts:
        known = [v for v in vs_nginx.values() if v is not None]
        verdict = "n/a" if len(known) < len(vs_nginx) else ("met" if min(known) >= 1.5 else "NOT met")
        beats = "n/a" if len(known) < len(vs_nginx) else ("yes" if min(known) > 1 else "no")
        details = "; ".join(
            f"{b} {spread(per_round(b, 'hit', 'nginx', 'rps'))}" for b in backends if per_round(b, "hit", "nginx", "rps"))
        lines.append(
            f"- **cache hits vs nginx throughput: {', '.join(parts)}** (beats nginx: {beats}; target ≥ 1.5×: {verdict})"
            + (f"; per round: {details}" if details else "") + "."
        )
    lines.append("")
    lines.append(
        f"With a closed loop of {meta['connections']} connections, throughput is connections / latency (Little's law). "
        f"Against the seed-latency simulator every uncached request waits out the backend's simulated list latency, so "
        f"`direct`, `yarp`, `nginx` and `proxied` are bound by it and the machine is mostly idle, while `hit` never reaches the "
        f"backend and is bound by CPU. Against the zero-latency simulator every target is bound by CPU."
    )
    lines.append("")

    lines.append("## Results (median over rounds)")
    lines.append("")
    for backend in backends:
        lines.append(f"### Backend `{backend}`")
        lines.append("")
        lines.append("| target | valid rounds | req/s | P50 ms | P90 ms | P99 ms | req/s vs `yarp` | req/s vs `nginx` | req/s vs `proxied` | P50 speed-up vs `proxied` | cache hit ratio |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        nginx_rps, proxied_rps, proxied_p50 = get(backend, "nginx", "rps"), get(backend, "proxied", "rps"), get(backend, "proxied", "p50")
        yarp_rps = get(backend, "yarp", "rps")
        for target in targets:
            s = summary[f"{backend}-{target}"]
            valid_text = f"{s['valid']}/{s['attempted']}" + (f" ({s['noisy']} noisy)" if s["noisy"] else "")
            vs_y = ratio(s["rps"], yarp_rps) if target != "yarp" else None
            vs_n = ratio(s["rps"], nginx_rps) if target != "nginx" else None
            vs_p = ratio(s["rps"], proxied_rps) if target != "proxied" else None
            up = ratio(proxied_p50, s["p50"]) if target != "proxied" else None
            hit_text = f"{100 * s['hitRatio']:.2f} %" if target == "hit" and s["hitRatio"] is not None else "—"
            lines.append(
                f"| `{target}` | {valid_text} | {fmt(s['rps'], 0)} | {fmt(s['p50'], 2)} | {fmt(s['p90'], 2)} | "
                f"{fmt(s['p99'], 2)} | {times(vs_y) if vs_y is not None else '—'} | {times(vs_n) if vs_n is not None else '—'} | "
                f"{times(vs_p) if vs_p is not None else '—'} | {times(up) if up is not None else '—'} | {hit_text} |"
            )
        lines.append("")
    lines.append(
        "*req/s vs X*: the target's median req/s divided by X's (`yarp`: the bare YARP proxy, the baseline the full gateway "
        f"should keep at least {YARP_RATIO_TARGET}× of). "
        "*P50 speed-up vs `proxied`*: `proxied`'s median P50 divided by the target's. *Cache hit ratio*: hits / (hits + "
        "misses) of `agentsphere_gateway_cache_requests_total{operation=\"list\"}` on the gateway's `/metrics`, read "
        f"right before and after the measured period; a `hit` measurement below {100 * HIT_RATIO_LIMIT:.0f} % is invalid, "
        "and so is a `proxied` one with any hit."
    )
    lines.append("")

    lines.append("## Where the CPU went (median over rounds)")
    lines.append("")
    lines.append(
        "CPU time over the measured period divided by the requests completed, in µs per request: the proxy (the "
        "gateway's or bare YARP's process, or nginx's master and workers) and the simulator from /proc/PID/stat, wrk from the shell's "
        "`times`, *all* = the whole machine's busy time from /proc/stat, *other* = all minus the benchmark's processes "
        "(the idle ones included): other load on the machine and kernel threads, which should stay near 0. Behind the "
        "seed-latency simulator the machine is mostly idle outside `hit`: there the per-request figures are large because "
        "the .NET processes' thread pools spin while they wait, and *other* may come out a little below 0 (CPU time is "
        "counted in clock ticks, and few requests share the rounding)."
    )
    lines.append("")
    lines.append("| backend | target | all µs/req | proxy µs/req | simulator µs/req | wrk µs/req | other µs/req | machine busy % |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for backend in backends:
        for target in targets:
            s = summary[f"{backend}-{target}"]
            lines.append(
                f"| {backend} | `{target}` | {fmt(s['machineCpuUsPerRequest'], 0)} | "
                f"{fmt(s['proxyCpuUsPerRequest'], 0) if target != 'direct' else '—'} | {fmt(s['simulatorCpuUsPerRequest'], 0)} | "
                f"{fmt(s['wrkCpuUsPerRequest'], 0)} | {fmt(s['otherCpuUsPerRequest'], 0)} | {fmt(s['machineBusyPercent'], 0)} |"
            )
    lines.append("")

    lines.append("## Every measurement")
    lines.append("")
    lines.append("| round | position | backend | target | req/s | requests | P50 ms | P90 ms | P99 ms | non-2xx | socket errors | cache hits / misses | machine busy % | other load % | valid |")
    lines.append("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")

    def row(r, position, cell, label, record, verdict):
        backend, target = cell.split("-", 1)
        errors = ", ".join(f"{k} {v}" for k, v in record["socketErrors"].items() if v) or "0"
        cache = record.get("cache")
        cache_text = f"{cache['hit']:,} / {cache['miss']:,}" if cache and target == "hit" else "—"
        return (
            f"| {r['round']} | {position} | {backend} | `{target}`{label} | {fmt(record['rps'], 0)} | {record['requests'] or 0:,} | "
            f"{fmt(record['p50'], 2)} | {fmt(record['p90'], 2)} | {fmt(record['p99'], 2)} | {record['non2xx']} | {errors} | "
            f"{cache_text} | {fmt(record.get('machineBusyPercent'), 0)} | {fmt(record.get('otherCpuPercent'), 1)} | {verdict} |"
        )

    invalid = noisy_final = 0
    for r in rounds:
        rows = []
        for cell, attempt, record in r["discarded"]:
            position = r["order"].index(cell) + 1 if cell in r["order"] else 0
            rows.append((position, attempt, row(r, position, cell, f" attempt {attempt}", record, "discarded: noisy, measured again")))
        for position, cell in enumerate(r["order"], 1):
            if cell not in r["records"]:
                continue
            record = r["records"][cell]
            if record is None:
                invalid += 1
                backend, target = cell.split("-", 1)
                rows.append((position, 1_000, f"| {r['round']} | {position} | {backend} | `{target}` | failed | | | | | | | | | | no |"))
                continue
            if record["problems"]:
                invalid += 1
                verdict = "NO: " + "; ".join(record["problems"])
            elif record.get("noisy"):
                noisy_final += 1
                verdict = "yes, noisy"
            else:
                verdict = "yes"
            rows.append((position, 1_000, row(r, position, cell, "", record, verdict)))
        lines.extend(text for _, _, text in sorted(rows, key=lambda x: (x[0], x[1])))
    lines.append("")
    if invalid:
        lines.append(f"**{invalid} measurement(s) were invalid (non-2xx responses, socket errors, a cache hit ratio below "
                     f"{100 * HIT_RATIO_LIMIT:.0f} % in `hit`, or a failure) and are left out of the medians.**")
    else:
        lines.append(f"Every measurement was valid: no non-2xx responses, no socket errors, `hit` at least "
                     f"{100 * HIT_RATIO_LIMIT:.0f} % hits and `proxied` none.")
    lines.append("")
    lines.append(
        f"*Other load* is the share of the whole machine's CPU (100 % = all {meta['nproc']} CPUs) that went to processes "
        f"outside the benchmark (and kernel threads) during the measured period. Above {limit} % a measurement counts "
        f"as noisy and is repeated up to {meta.get('retryNoisy', 0)} time(s); the last attempt stays in the medians "
        f"either way." + (f" {noisy_final} measurement(s) in the medians are still noisy." if noisy_final else "")
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
    handlers = {"cpu": cmd_cpu, "warm": cmd_warm, "counts": cmd_counts, "sample": cmd_sample, "meta": cmd_meta,
                "summarize": cmd_summarize}
    if command not in handlers:
        print(__doc__, file=sys.stderr)
        return 2
    return handlers[command](*args) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Helpers of balance.sh: free ports, per-run yarp.json, backend load sampling, and the summary table.

Standard library only. Subcommands:
  ports N                                   print N free loopback ports
  yarp SRC DST POLICY NAME=URL...           write SRC (yarp.json with comments) to DST with these destinations and policy
  sample OUT NAME=URL...                    poll each backend's GET /health 4 times a second into OUT (JSON lines) until killed
  summarize WORKDIR OUT.md                  median per (fleet, policy) over runs; print the Markdown and write it to OUT.md
"""

import json
import os
import re
import signal
import socket
import statistics
import sys
import time
import urllib.request


def strip_json_comments(text):
    """Removes // and /* */ comments outside strings, and trailing commas, so json.loads accepts YARP's commented JSON."""
    out = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
        elif c == '"':
            in_string = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def cmd_ports(count):
    sockets = []
    try:
        for _ in range(int(count)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        print(" ".join(str(s.getsockname()[1]) for s in sockets))
    finally:
        for s in sockets:
            s.close()


def cmd_yarp(src, dst, policy, *destinations):
    with open(src, encoding="utf-8") as f:
        config = json.loads(strip_json_comments(f.read()))
    cluster = config["ReverseProxy"]["Clusters"]["agentsphere"]
    cluster["LoadBalancingPolicy"] = policy
    cluster["Destinations"] = {
        name: {"Address": url.rstrip("/") + "/"} for name, url in (d.split("=", 1) for d in destinations)
    }
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)


def cmd_sample(out, *backends):
    targets = [d.split("=", 1) for d in backends]
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(out, "w", encoding="utf-8") as f:
        while running:
            started = time.monotonic()
            row = {"t": time.time()}
            for name, url in targets:
                try:
                    with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=2) as response:
                        health = json.load(response)
                    row[name] = {"inFlight": health.get("inFlight", 0), "queue": health.get("queueLength", 0)}
                except Exception:  # noqa: BLE001 - a missed sample is just a missing point
                    row[name] = None
            f.write(json.dumps(row) + "\n")
            f.flush()
            time.sleep(max(0.0, 0.25 - (time.monotonic() - started)))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_ms(value):
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def fmt_ratio(value, base):
    if value is None or not base:
        return "n/a"
    return f"{value / base:.2f}×"


def load_samples(path, measured_from, measured_to):
    """Mean in-flight (in service + queued) and mean/max queue per backend over the measured period."""
    per_backend = {}
    first_queue, last_queue = {}, {}
    if not os.path.exists(path):
        return per_backend
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not (measured_from <= row["t"] <= measured_to):
                continue
            for name, value in row.items():
                if name == "t" or value is None:
                    continue
                acc = per_backend.setdefault(name, {"inFlight": [], "queue": []})
                acc["inFlight"].append(value["inFlight"])
                acc["queue"].append(value["queue"])
                first_queue.setdefault(name, value["queue"])
                last_queue[name] = value["queue"]
    return {
        name: {
            "meanInFlight": statistics.fmean(acc["inFlight"]),
            "meanQueue": statistics.fmean(acc["queue"]),
            "maxQueue": max(acc["queue"]),
            "queueGrowth": last_queue[name] - first_queue[name],
        }
        for name, acc in per_backend.items()
        if acc["inFlight"]
    }


def iso_to_epoch(text):
    # .NET writes 7 fractional digits; Python's fromisoformat (3.11+) takes them, older versions do not: trim to 6.
    from datetime import datetime

    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    return datetime.fromisoformat(text).timestamp()


def cmd_summarize(workdir, out_md):
    with open(os.path.join(workdir, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    cells = {}
    for run in sorted(os.listdir(workdir)):
        run_dir = os.path.join(workdir, run)
        if not (run.startswith("run-") and os.path.isdir(run_dir)):
            continue
        for fleet in meta["fleets"]:
            for policy in meta["policies"]:
                cell_dir = os.path.join(run_dir, fleet, policy)
                cell = cells.setdefault((fleet, policy), {"reports": [], "backends": [], "failed": 0})
                report_path = os.path.join(cell_dir, "report.json")
                if not os.path.exists(report_path):
                    if os.path.isdir(cell_dir):
                        cell["failed"] += 1
                    continue
                with open(report_path, encoding="utf-8") as f:
                    report = json.load(f)
                cell["reports"].append(report)
                start = iso_to_epoch(report["measuredFrom"])
                cell["backends"].append(load_samples(os.path.join(cell_dir, "health.jsonl"), start, start + report["durationSeconds"]))

    capacity = int(meta["capacity"])
    rows = []
    for fleet in meta["fleets"]:
        for policy in meta["policies"]:
            cell = cells.get((fleet, policy), {"reports": [], "backends": [], "failed": 0})
            reports = cell["reports"]
            overall = [r["overall"] for r in reports]
            row = {
                "fleet": fleet,
                "policy": policy,
                "runs": len(reports),
                "failed": cell["failed"],
                "p50": median([o["latencyMs"]["p50"] for o in overall]),
                "p95": median([o["latencyMs"]["p95"] for o in overall]),
                "p99": median([o["latencyMs"]["p99"] for o in overall]),
                "p999": median([o["latencyMs"]["p999"] for o in overall]),
                "max": median([o["latencyMs"]["max"] for o in overall]),
                "errorRate": median([o["errorRate"] for o in overall]),
                "rate": median([r["measuredRate"] for r in reports]),
                "sendLagP99": median([r["sendLagMs"]["p99"] for r in reports]),
                "backends": {},
            }
            names = sorted({name for b in cell["backends"] for name in b})
            for name in names:
                row["backends"][name] = {
                    key: median([b[name][key] for b in cell["backends"] if name in b])
                    for key in ("meanInFlight", "meanQueue", "maxQueue", "queueGrowth")
                }
            rows.append(row)

    base = {}
    for row in rows:
        base[(row["fleet"], row["policy"])] = row["p99"]

    lines = []
    lines.append(f"# Load-balancing benchmark, {meta['date']}")
    lines.append("")
    lines.append("## Setup")
    lines.append("")
    lines.append(
        f"- Machine: {meta['nproc']} CPUs ({meta['cpu']}), {meta['memory']} RAM; {meta['os']}; .NET SDK {meta['dotnet']}; "
        f"load average before the run {meta['loadBefore']} (generator, gateway and simulators share these CPUs)"
    )
    lines.append(f"- Commit: `{meta['commit']}`")
    lines.append(f"- Command: `{meta['command']}`")
    lines.append(
        f"- Per cell: fresh simulators and a fresh gateway; `reads` scenario (50 % list, 50 % find), open loop, "
        f"{meta['rate']} req/s evenly spaced, {meta['warmup']} warm-up + {meta['duration']} measured, "
        f"{meta['apiKeys']} API keys; {meta['runs']} run(s) of the whole matrix, median per cell. "
        f"Latency is measured from each request's scheduled start (corrected for coordinated omission)."
    )
    for fleet in meta["fleets"]:
        lines.append(f"- Fleet `{fleet}`: {meta['fleetDescriptions'][fleet]}")
    lines.append(f"- Rate: {meta['rateNote']}")
    lines.append(f"- Gateway environment: {meta['gatewayEnv']}")
    lines.append("")
    lines.append("## Results (median over runs)")
    lines.append("")
    lines.append("| fleet | policy | runs | P50 ms | P95 ms | P99 ms | P99.9 ms | max ms | errors | P99 / RoundRobin | P99 / PowerOfTwoChoices |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        runs = str(row["runs"]) + (f" ({row['failed']} failed)" if row["failed"] else "")
        if row["runs"] == 0:
            lines.append(f"| {row['fleet']} | {row['policy']} | {runs} | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |")
            continue
        lines.append(
            f"| {row['fleet']} | {row['policy']} | {runs} | {fmt_ms(row['p50'])} | {fmt_ms(row['p95'])} | {fmt_ms(row['p99'])} | "
            f"{fmt_ms(row['p999'])} | {fmt_ms(row['max'])} | {row['errorRate'] * 100:.2f} % | "
            f"{fmt_ratio(row['p99'], base.get((row['fleet'], 'RoundRobin')))} | "
            f"{fmt_ratio(row['p99'], base.get((row['fleet'], 'PowerOfTwoChoices')))} |"
        )
    lines.append("")
    lines.append("## Where the load went (median over runs)")
    lines.append("")
    lines.append(
        "Each backend's `GET /health` sampled 4 times a second during the measured period: requests in the backend "
        "(in service + queued; its 8 service slots are the capacity), and its FIFO queue."
    )
    lines.append("")
    backend_names = sorted({name for row in rows for name in row["backends"]})
    header = " | ".join(f"{n} in-flight (mean) | {n} queue (mean / max)" for n in backend_names)
    lines.append(f"| fleet | policy | {header} | overloaded |")
    lines.append("|---|---|" + "---:|---:|" * len(backend_names) + "---|")
    for row in rows:
        cells_text = []
        for name in backend_names:
            b = row["backends"].get(name)
            if b is None:
                cells_text += ["n/a", "n/a"]
            else:
                cells_text += [f"{b['meanInFlight']:.1f}", f"{b['meanQueue']:.1f} / {b['maxQueue']:.0f}"]
        growing = [
            f"{name} (queue +{b['queueGrowth']:.0f})"
            for name, b in sorted(row["backends"].items())
            if b["queueGrowth"] is not None and b["queueGrowth"] > capacity
        ]
        lines.append(f"| {row['fleet']} | {row['policy']} | " + " | ".join(cells_text) + f" | {', '.join(growing) or 'no'} |")
    lines.append("")
    lines.append(
        "*Overloaded*: the backend's queue grew by more than its capacity during the measured period, so it receives "
        "more than it can serve and its queue has no steady state; that cell's tail latencies grow with `DURATION` and "
        "are lower bounds of what a longer run would show."
    )
    lines.append("")
    rates = sorted({"%.1f" % r["rate"] for r in rows if r["rate"] is not None})
    worst_lag = max((r["sendLagP99"] or 0) for r in rows)
    lines.append(
        f"Generator check: achieved rate per cell {', '.join(rates)} req/s; "
        f"largest P99 send lag behind schedule {worst_lag:.1f} ms."
    )
    text = "\n".join(lines) + "\n"
    with open(out_md, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    handlers = {"ports": cmd_ports, "yarp": cmd_yarp, "sample": cmd_sample, "summarize": cmd_summarize}
    if command not in handlers:
        print(__doc__, file=sys.stderr)
        return 2
    handlers[command](*args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Reads: GET a segment and GET a task under load, with Locust; latency and gateway CPU per read.

Against the running stack of a profile (`up` by default; started here if it is down):

    python -m bench.reads [--rate 1100] [--users 100] [--seconds 30] [--via envoy|direct]
                          [--processes 2] [--keys 8] [--keep] [--gateway-pid PID]

It creates an enterprise tenant with `--keys` API keys (the rate limit is per key: 500/s on
enterprise), uploads _samples/scenes.mp4 and two photos and waits until they are DONE, then runs
Locust headless in a subprocess (bench/locust_reads.py, `--processes` forked workers so the
load generator is not what saturates first; Locust is never imported here, it monkeypatches
with gevent). Users ask for random segments (`GET /v1/analysis/{task}/segments/{segment}`,
3 in 4) and tasks (`GET /v1/analysis/{task}`), through Envoy's REST listener (`--via envoy`)
or straight to the gateway's gRPC port (`--via direct`). `--rate` is the offered rate in all:
each user runs at most rate/users requests a second (0: no pacing, as fast as answers
come). Statistics are reset once every user runs (`--warmup` seconds of ramp). The load is
closed-loop: a user waits for its answer, so past saturation the achieved rate falls below the
offered one and latency stays near users / achieved rate instead of growing without bound.

Over a window of `--seconds` it reads the CPU time (utime + stime, /proc) of the gateway,
Envoy, Postgres and Locust and the gateway's own request counter (its metrics port), and prints:
offered and achieved GET/s, p50 / p99 / max latency (Locust's, ms), errors, CPU ms per read of
each, and the ratios to the targets (1,000 GET/s per gateway process, p99 under 20 ms).
The tasks are deleted afterwards unless `--keep`.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass

import httpx

from bench.machine import machine_busy
from bench.photos_bare import ASSETS
from bench.tenants import create_tenant, issue_key
from devstack import Stack

REPO = pathlib.Path(__file__).resolve().parent.parent
LOCUSTFILE = REPO / "bench" / "locust_reads.py"
SAMPLES = REPO / "_samples"
TARGET_RATE = 1000.0  # GET/s per gateway process
TARGET_P99_MS = 20.0
READ_METHODS = ("GetSegment", "GetAnalysis")
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- CPU from /proc --------------------------------------------------------------------------


def cpu_s(pid: int) -> float:
    """utime + stime of one process (all its threads), in seconds; 0 once it is gone."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    parents: dict[int, list[int]] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(parents.get(p, []))
    return found


def gateway_metrics(metrics_url: str) -> tuple[float, dict[float, float]]:
    """Reads the gateway has answered (GetSegment and GetAnalysis, any status), and how many of
    them it handled within each latency bucket (seconds; its own histogram, Envoy not included)."""
    with urllib.request.urlopen(metrics_url, timeout=5) as resp:
        text = resp.read().decode()
    total, buckets = 0.0, dict[float, float]()
    for line in text.splitlines():
        if not any(f'method="{m}"' in line for m in READ_METHODS):
            continue
        value = float(line.rsplit(" ", 1)[1])
        if line.startswith("scenelens_api_requests_total{"):
            total += value
        elif line.startswith("scenelens_api_request_duration_seconds_bucket{"):
            le = float(line.split('le="', 1)[1].split('"', 1)[0])
            buckets[le] = buckets.get(le, 0.0) + value
    return total, buckets


def gateway_reads(metrics_url: str) -> float:
    return gateway_metrics(metrics_url)[0]


def bucket_quantile(first: dict[float, float], last: dict[float, float], q: float) -> str:
    """The histogram bucket the q-quantile of the window falls in, as "<= N ms"."""
    counts = sorted((le, last[le] - first.get(le, 0.0)) for le in last)
    if not counts or counts[-1][1] <= 0:
        return "n/a"
    for le, below in counts:
        if below >= q * counts[-1][1]:
            return f"<= {le * 1000:g} ms" if le != float("inf") else "> the last bucket"
    return "n/a"


@dataclass
class Sample:
    at: float
    reads: float
    cpu: dict[str, float]
    busy: tuple[float, float]
    buckets: dict[float, float]


class Sampler:
    """CPU seconds of named process trees and the gateway's read counter, at two moments."""

    def __init__(self, roots: dict[str, int], metrics_url: str) -> None:
        self.roots = roots
        self.metrics_url = metrics_url

    def take(self) -> Sample:
        cpu = {name: sum(cpu_s(p) for p in tree(pid)) for name, pid in self.roots.items()}
        reads, buckets = gateway_metrics(self.metrics_url)
        return Sample(time.monotonic(), reads, cpu, machine_busy(), buckets)


# -- tasks to read -------------------------------------------------------------------------


def make_tasks(url: str, key: str, videos: int, photos: int) -> list[tuple[str, str]]:
    """Upload the sample video and photos, wait until DONE; (task_id, segment_id) of each segment."""
    files = [SAMPLES / "scenes.mp4"] * videos + [
        ASSETS / name for name in ("bus.jpg", "zidane.jpg")
    ] * ((photos + 1) // 2)
    files = files[: videos + photos]
    types = {".mp4": "video/mp4", ".jpg": "image/jpeg"}
    with httpx.Client(base_url=url, timeout=120,
                      headers={"Authorization": f"Bearer {key}"}) as client:
        tasks = []
        for path in files:
            resp = client.post("/v1/analysis", content=path.read_bytes(),
                               params={"filename": path.name},
                               headers={"Content-Type": types[path.suffix]})
            resp.raise_for_status()
            tasks.append(resp.json()["task_id"])
        deadline = time.monotonic() + 300
        for task_id in tasks:
            while True:
                body = client.get(f"/v1/analysis/{task_id}").json()
                if body["status"] == "TASK_STATUS_DONE":
                    break
                if body["status"] == "TASK_STATUS_FAILED" or time.monotonic() > deadline:
                    raise SystemExit(f"task {task_id} did not finish: {body}")
                time.sleep(0.25)
        targets = []
        for task_id in tasks:
            page = client.get(f"/v1/analysis/{task_id}/segments").json()
            targets += [(task_id, s["segment_id"]) for s in page["segments"]]
        # Every segment has its annotated image, so each GET segment presigns a link.
        task_id, segment_id = targets[0]
        one = client.get(f"/v1/analysis/{task_id}/segments/{segment_id}").json()
        assert one["result_image_url"], one
    return targets


def delete_tasks(url: str, key: str, targets: list[tuple[str, str]]) -> None:
    with httpx.Client(base_url=url, timeout=60,
                      headers={"Authorization": f"Bearer {key}"}) as client:
        for task_id in sorted({t for t, _ in targets}):
            client.delete(f"/v1/analysis/{task_id}")


# -- Locust ----------------------------------------------------------------------------------


def locust_command(args: argparse.Namespace, host: str, prefix: pathlib.Path) -> list[str]:
    return [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(args.users), "-r", str(max(1.0, args.users / max(args.warmup, 1.0))),
        "-t", f"{args.warmup + args.seconds + 2:.0f}s", "--host", host,
        "--processes", str(args.processes), "--reset-stats", "--only-summary",
        "--csv", str(prefix), "--loglevel", "WARNING", "--stop-timeout", "2",
        "--exit-code-on-error", "0",
        "GrpcReader" if args.via == "direct" else "RestReader",
    ]


def read_stats(prefix: pathlib.Path) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """Locust's rows by name ("Aggregated" for all), and its failures."""
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    failures: list[dict[str, str]] = []
    path = pathlib.Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, newline="") as f:
            failures = list(csv.DictReader(f))
    return rows, failures


def run_locust(args: argparse.Namespace, host: str, plan: dict[str, object], sampler: Sampler,
               folder: pathlib.Path) -> tuple[Sample, Sample, pathlib.Path]:
    """Run Locust; sample once the gateway sees reads plus the warm-up, and `seconds` later."""
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan))
    plan_path.chmod(0o600)
    prefix = folder / "reads"
    env = {**os.environ, "READS_PLAN": str(plan_path), "PYTHONPATH": str(REPO)}
    log = open(folder / "locust.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(locust_command(args, host, prefix), cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    sampler.roots["locust"] = proc.pid
    samples: list[Sample] = []

    def sample() -> None:
        start = gateway_reads(sampler.metrics_url)
        while proc.poll() is None and gateway_reads(sampler.metrics_url) == start:
            time.sleep(0.1)
        time.sleep(args.warmup + 0.5)
        if proc.poll() is None:
            samples.append(sampler.take())
            time.sleep(args.seconds)
            samples.append(sampler.take())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        proc.wait(timeout=args.warmup + args.seconds + 120)
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
    thread.join(timeout=5)
    if len(samples) != 2 or proc.returncode != 0:
        tail = (folder / "locust.log").read_text()[-3000:]
        raise SystemExit(f"locust failed (exit {proc.returncode}):\n{tail}")
    return samples[0], samples[1], prefix


# -- report ----------------------------------------------------------------------------------


def report(args: argparse.Namespace, targets: list[tuple[str, str]], first: Sample,
           last: Sample, prefix: pathlib.Path) -> None:
    rows, failures = read_stats(prefix)
    agg = rows["Aggregated"]
    wall = last.at - first.at
    reads = last.reads - first.reads
    achieved = reads / wall
    count, failed = int(agg["Request Count"]), int(agg["Failure Count"])
    p99 = float(agg["99%"])
    offered = f"{args.rate:.0f}" if args.rate > 0 else "closed loop"
    busy = (last.busy[0] - first.busy[0]) / max(1.0, last.busy[1] - first.busy[1])
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; via {args.via}; {args.users} users in "
          f"{args.processes} Locust processes, {len(args.api_keys)} keys; "
          f"{len(targets)} segments of {len({t for t, _ in targets})} tasks")
    print(f"offered GET/s: {offered}; achieved GET/s (gateway counter, {wall:.1f} s window): "
          f"{achieved:.0f}; Locust: {count} requests, {float(agg['Requests/s']):.0f}/s")
    print(f"{'request':<46} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>8}")
    for name, row in rows.items():
        print(f"{name:<46} {int(row['Request Count']):>7} {int(row['Failure Count']):>5} "
              f"{row['50%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>8.0f}")
    print(f"inside the gateway (its latency histogram): p50 "
          f"{bucket_quantile(first.buckets, last.buckets, 0.5)}, p99 "
          f"{bucket_quantile(first.buckets, last.buckets, 0.99)}")
    print(f"errors: {failed} of {count}" + "".join(
        f"\n  {f['Occurrences']} x {f['Name']}: {f['Error'][:160]}" for f in failures[:5]))
    print("CPU ms per read (window): " + ", ".join(
        f"{name} {(last.cpu[name] - first.cpu[name]) * 1000 / max(reads, 1):.2f}"
        for name in last.cpu))
    gateway_ms = (last.cpu["gateway"] - first.cpu["gateway"]) * 1000 / max(reads, 1)
    gateway_core = (last.cpu["gateway"] - first.cpu["gateway"]) / wall
    print(f"gateway: {gateway_core * 100:.0f}% of one core; at {gateway_ms:.2f} ms per read one "
          f"gateway core serves at most {1000 / max(gateway_ms, 1e-9):.0f} GET/s; machine "
          f"{busy * 100:.0f}% busy")
    # Offer more than the target (--rate 1100) to show that the gateway reaches it.
    print(f"targets: achieved {achieved:.1f} / {TARGET_RATE:.0f} GET/s = "
          f"{achieved / TARGET_RATE:.3f} "
          f"({'met' if achieved >= TARGET_RATE else 'NOT met'}); p99 {p99:.0f} ms / "
          f"{TARGET_P99_MS:.0f} ms = {p99 / TARGET_P99_MS:.2f} "
          f"({'met' if p99 < TARGET_P99_MS else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("SCENELENS_PROFILE", "up"))
    parser.add_argument("--via", choices=["envoy", "direct"], default="envoy")
    parser.add_argument("--rate", type=float, default=TARGET_RATE * 1.1,
                        help="offered GET/s in all (0: closed loop)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0, help="measured window")
    parser.add_argument("--warmup", type=float, default=5.0, help="ramp-up before the window")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2,
                        help="Locust worker processes")
    parser.add_argument("--keys", type=int, default=8, help="API keys of the bench tenant")
    parser.add_argument("--videos", type=int, default=1)
    parser.add_argument("--photos", type=int, default=2)
    parser.add_argument("--segment-weight", type=int, default=3)
    parser.add_argument("--task-weight", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the tasks afterwards")
    parser.add_argument("--gateway-pid", type=int, default=None,
                        help="the gateway process to measure (default: the stack's)")
    args = parser.parse_args()

    stack = Stack(args.profile)
    if not stack.is_up():
        print(f"starting the {args.profile!r} stack", flush=True)
        stack.up()
    settings = stack.settings
    env = {**os.environ, **stack.env}
    tenant = create_tenant("bench-reads", "enterprise", env)
    args.api_keys = [tenant["api_key"]] + [
        issue_key(tenant["tenant_id"], env) for _ in range(args.keys - 1)
    ]
    rest = f"http://{settings.http_host}:{settings.http_port}"
    targets = make_tasks(rest, args.api_keys[0], args.videos, args.photos)
    plan = {
        "via": args.via, "keys": args.api_keys, "targets": targets,
        "segment_weight": args.segment_weight, "task_weight": args.task_weight,
        "rate_per_user": args.rate / args.users if args.rate > 0 else 0,
        "grpc_target": f"{settings.grpc_host}:{settings.grpc_port}",
    }
    metrics = f"http://{settings.metrics_host}:{settings.metrics_port('gateway')}/metrics"
    roots = {name: stack.pid(name) for name in ("envoy", "postgres")}
    roots = {"gateway": args.gateway_pid or stack.pid("gateway"), **roots}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-reads-") as tmp:
            first, last, prefix = run_locust(args, rest, plan, Sampler(roots, metrics),
                                             pathlib.Path(tmp))
            report(args, targets, first, last, prefix)
    finally:
        if not args.keep:
            delete_tasks(rest, args.api_keys[0], targets)


if __name__ == "__main__":
    main()

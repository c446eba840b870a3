"""Where the CPU goes per photo, process by process, and one photo's time to DONE on an idle stack.

Run against a running stack (`make up`, or `--profile test` for the test profile's):
    python -m bench.plumbing [-n 200] [--concurrency 8] [--idle 30] [--profile up]

1. Photos through the whole stack (REST via Envoy, bus.jpg and zidane.jpg in turn). The CPU of
   every process of the stack (found by the marker variable devstack gives each of them;
   Postgres backends that exit are counted through the postmaster) is read from /proc before the
   first upload and after the last task is DONE, and printed in ms per photo.
2. The model's forward pass alone, in this process, on the same images (preprocessed once):
   CPU ms per call. Plumbing = all the stack's CPU per photo minus one forward pass.
3. Idle latency: one photo at a time, time from the start of the upload to the `completed`
   update of the task's watch stream (sent once the read models show DONE), p50 / p90 / max.

Targets (issue 11): plumbing at most 20 ms per photo; idle upload-to-DONE p50 at most 150 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from typing import Any

import httpx

from bench.machine import wait_quiet
from bench.photos import _images, run_stack
from bench.photos_bare import ASSETS, default_model
from bench.tenants import auth_headers
from scenelens.settings import Settings

TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")
PLUMBING_TARGET_MS = 20.0
IDLE_P50_TARGET_MS = 150.0

# A process's role by its command line (the first match wins).
ROLES = (
    ("-m gateway", "gateway"), ("-m relay", "relay"), ("-m projections", "projections"),
    ("-m recognition_service", "recognition"), ("-m video_service", "video"),
    ("-m recorder", "recorder"), ("-m janitor", "janitor"), ("-m webhooks", "webhooks"),
    ("postgres", "postgres"), ("beam.smp", "rabbitmq"), ("erl_child_setup", "rabbitmq"),
    ("inet_gethost", "rabbitmq"), ("weed", "s3"), ("envoy", "envoy"),
    ("supervisord", "supervisor"),
)


def role(pid: int) -> str:
    try:
        cmd = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    for needle, name in ROLES:
        if needle in cmd:
            return name
    return "other"


def cpu_ms(pid: int) -> float:
    """utime + stime of the process and of its reaped children, in ms."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3): utime is field 14, stime 15, cutime 16, cstime 17.
    return sum(int(v) for v in fields[11:15]) * TICK_MS


def stack_pids(run_dir: pathlib.Path) -> set[int]:
    """The processes devstack marked for this run dir and all their descendants (Postgres
    backends rewrite their environment, so they are found as the postmaster's children)."""
    from devstack.procs import marked

    parents: dict[int, int] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = set(marked(run_dir))
    grew = True
    while grew:
        children = {pid for pid, ppid in parents.items() if ppid in found} - found
        found |= children
        grew = bool(children)
    return found


def snapshot(run_dir: pathlib.Path) -> dict[int, tuple[str, float]]:
    return {pid: (role(pid), cpu_ms(pid)) for pid in stack_pids(run_dir)}


def per_role(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
             ) -> dict[str, float]:
    """CPU ms spent between the two snapshots, by role (new processes count from zero)."""
    spent: dict[str, float] = defaultdict(float)
    for pid, (name, ms) in after.items():
        start = before.get(pid, (name, 0.0))[1]
        spent[name] += max(0.0, ms - start)
    return dict(spent)


def forward_cpu_ms(model_path: str, calls: int) -> float:
    """CPU ms of one forward pass of the model (preprocessing and NMS excluded), in this process."""
    import cv2
    from ultralytics import YOLO

    from recognition_service.detector import _no_openvino_telemetry

    _no_openvino_telemetry()
    model = YOLO(model_path, task="detect")
    images = [cv2.imread(str(ASSETS / n)) for n in ("bus.jpg", "zidane.jpg")]
    model.predict(images[0], verbose=False)
    predictor = model.predictor
    assert predictor is not None
    batches = [predictor.preprocess([img]) for img in images]
    for b in batches:
        predictor.inference(b)
    started = time.process_time()
    for i in range(calls):
        predictor.inference(batches[i % 2])
    return (time.process_time() - started) * 1000 / calls


def idle_latency(url: str, headers: dict[str, str], photos: int) -> list[float]:
    """Seconds from the start of each upload to its task's `completed` update, one at a time."""
    data = [(ASSETS / n).read_bytes() for n in ("bus.jpg", "zidane.jpg")]
    out: list[float] = []
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        for i in range(photos + 1):  # the first one warms the connections; not counted
            time.sleep(0.3)  # idle in between
            started = time.perf_counter()
            resp = client.post("/v1/analysis", content=data[i % 2],
                               params={"filename": f"idle{i}.jpg"},
                               headers={"Content-Type": "image/jpeg"})
            resp.raise_for_status()
            task_id = resp.json()["task_id"]
            last: dict[str, Any] = {}
            with client.stream("GET", f"/v1/analysis/{task_id}:watch") as stream:
                for line in stream.iter_lines():
                    if line.strip():
                        last = json.loads(line)
                        if last.get("change") in ("completed", "failed"):
                            break
            took = time.perf_counter() - started
            if last.get("change") != "completed":
                raise SystemExit(f"task {task_id} did not complete: {last}")
            client.delete(f"/v1/analysis/{task_id}")
            if i:
                out.append(took)
    return out


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=200, help="photos in the throughput run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--idle", type=int, default=30, help="photos in the idle-latency run")
    parser.add_argument("--profile", default="up", help="the devstack profile that runs the stack")
    parser.add_argument("--run-dir", default="",
                        help="the stack's run directory, when another checkout started it")
    parser.add_argument("--url", default=f"http://127.0.0.1:{settings.http_port}")
    parser.add_argument("--model", default=default_model())
    parser.add_argument("--forward-calls", type=int, default=100)
    args = parser.parse_args()
    from devstack import Stack

    run_dir = (pathlib.Path(args.run_dir).resolve() if args.run_dir
               else Stack(profile=args.profile).run_dir)
    headers = auth_headers()
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.node()}, "
          f"model {os.path.basename(args.model)}")

    waited, busy = wait_quiet()  # a stack just started is still loading its models
    print(f"machine quiet after {waited:.0f} s ({busy:.0%} of its CPUs busy)")
    forward = forward_cpu_ms(args.model, args.forward_calls)

    idle = sorted(idle_latency(args.url, headers, args.idle))
    time.sleep(1.0)
    quiet = 3.0
    before = snapshot(run_dir)
    time.sleep(quiet)
    idle_cpu = per_role(before, snapshot(run_dir))

    with tempfile.TemporaryDirectory() as tmp:
        paths = _images(args.n, pathlib.Path(tmp))
        after: dict[int, tuple[str, float]] = {}
        ended = 0.0

        def all_done() -> None:  # before the tasks are deleted
            nonlocal ended
            time.sleep(0.5)  # trailing work: projections, acks
            after.update(snapshot(run_dir))
            ended = time.perf_counter()

        before = snapshot(run_dir)
        t0 = time.perf_counter()
        seconds, _ = run_stack(args.url, paths, args.concurrency, all_done)
        spent = per_role(before, after)
        wall = ended - t0

    total = sum(spent.values()) / args.n
    print(f"\nthroughput run: {args.n} photos in {seconds:.1f} s = {args.n / seconds:.2f} photos/s "
          f"(concurrency {args.concurrency}; CPU counted over {wall:.1f} s)")
    print(f"{'process':<12} {'CPU ms/photo':>12} {'idle CPU ms/s':>14}")
    for name, ms in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{name:<12} {ms / args.n:12.1f} {idle_cpu.get(name, 0.0) / quiet:14.1f}")
    print(f"{'all':<12} {total:12.1f} {sum(idle_cpu.values()) / quiet:14.1f}")
    plumbing = total - forward
    print(f"\nmodel forward pass alone: {forward:.1f} ms CPU per photo "
          f"({args.forward_calls} calls in this process)")
    print(f"plumbing (all but the forward pass): {plumbing:.1f} ms per photo; "
          f"target {PLUMBING_TARGET_MS:.0f} ms, ratio {plumbing / PLUMBING_TARGET_MS:.2f}")
    if not idle:  # --idle 0
        print("\nidle photo latency: not measured")
        return
    p50 = statistics.median(idle) * 1000
    print(f"\nidle photo, upload to DONE ({len(idle)} photos): p50 {p50:.0f} ms, "
          f"p90 {idle[int(len(idle) * 0.9)] * 1000:.0f} ms, max {idle[-1] * 1000:.0f} ms; "
          f"target p50 {IDLE_P50_TARGET_MS:.0f} ms, ratio {p50 / IDLE_P50_TARGET_MS:.2f}")


if __name__ == "__main__":
    main()

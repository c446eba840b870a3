"""Photo throughput through the whole stack beside a bare loop of Ultralytics predictions.

Run against a running stack (`make up`, or the test profile):
    python -m bench.photos [-n 200] [--url http://127.0.0.1:8000] [--concurrency 8]
Prints photos/s for both and their ratio (stack / bare; 1.0 means no overhead).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import pathlib
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime

import httpx

from bench.machine import wait_quiet
from bench.photos_bare import ASSETS, bare_loop, default_model
from bench.tenants import auth_headers
from scenelens.settings import Settings


def _images(n: int, folder: pathlib.Path) -> list[pathlib.Path]:
    sources = [ASSETS / "bus.jpg", ASSETS / "zidane.jpg"]
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"{i:04d}_{src.name}"
        dst.write_bytes(src.read_bytes())
        paths.append(dst)
    return paths


def run_stack(url: str, paths: list[pathlib.Path], concurrency: int,
              done: Callable[[], None] | None = None) -> tuple[float, list[float]]:
    """Seconds from the first upload to the last task DONE, and each task's time to DONE.

    `done` is called once every task is DONE, before they are deleted."""
    client = httpx.Client(
        base_url=url, timeout=120, headers=auth_headers(), limits=httpx.Limits(max_connections=concurrency * 2)
    )
    started: dict[str, float] = {}

    def upload(path: pathlib.Path) -> str:
        t = time.perf_counter()
        resp = client.post(
            "/v1/analysis",
            content=path.read_bytes(),
            params={"filename": path.name},
            headers={"Content-Type": "image/jpeg"},
        )
        resp.raise_for_status()
        task_id: str = resp.json()["task_id"]
        started[task_id] = t
        return task_id

    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(concurrency) as pool:
        task_ids = list(pool.map(upload, paths))
    # Tasks finish roughly in upload order: poll the oldest unfinished ones, gently, and
    # take each task's finish time from the server (updated_at), not from the polling.
    pending = list(task_ids)
    finished: dict[str, float] = {}
    wall_offset = time.time() - time.perf_counter()
    while pending:
        for tid in list(pending[:8]):
            body = client.get(f"/v1/analysis/{tid}").json()
            if body["status"] not in ("TASK_STATUS_DONE", "TASK_STATUS_FAILED"):
                break
            if body["status"] != "TASK_STATUS_DONE":
                raise SystemExit(f"task {tid} failed: {body.get('error')}")
            done_at = datetime.fromisoformat(body["updated_at"].replace("Z", "+00:00"))
            finished[tid] = done_at.timestamp() - wall_offset
            pending.remove(tid)
        else:
            continue
        time.sleep(0.25)
    total = max(finished.values()) - t0
    if done is not None:
        done()
    for tid in task_ids:
        client.delete(f"/v1/analysis/{tid}")
    return total, [finished[t] - started[t] for t in task_ids]


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--url", default=f"http://127.0.0.1:{settings.http_port}")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--model", default=default_model())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = _images(args.n, pathlib.Path(tmp))
        # A stack just started is still loading its models: a bare loop beside it would run
        # slow and flatter the ratio.
        waited, busy = wait_quiet()
        print(f"machine quiet after {waited:.0f} s ({busy:.0%} of its CPUs busy)")
        bare_s, _ = bare_loop(args.model, paths)
        stack_s, latencies = run_stack(args.url, paths, args.concurrency)
    bare_rate, stack_rate = args.n / bare_s, args.n / stack_s
    lat = sorted(latencies)
    print(f"photos: {args.n} (bus.jpg and zidane.jpg), model {os.path.basename(args.model)}")
    print(f"bare Ultralytics loop : {bare_rate:7.2f} photos/s ({bare_s:.1f} s)")
    print(f"whole stack via REST  : {stack_rate:7.2f} photos/s ({stack_s:.1f} s)")
    print(f"ratio stack/bare      : {stack_rate / bare_rate:7.2f}")
    print(
        f"time to DONE per photo: p50 {statistics.median(lat):.2f} s, "
        f"p99 {lat[min(len(lat) - 1, int(len(lat) * 0.99))]:.2f} s"
    )


if __name__ == "__main__":
    main()

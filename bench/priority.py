"""Priority by tier: a backlog of free-tier photos, then pro-tier photos that should overtake it.

Many free tenants (each within its tier's caps) queue `--free` photos; as soon as they are all
accepted, one pro tenant submits `--pro` photos. Time to DONE is taken from the server
(updated_at - created_at of each task). Target: pro p50 at most 10% of the free backlog's p50,
and every task DONE.

    python -m bench.priority [--url http://127.0.0.1:8000] [--free 400] [--pro 20]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import platform
import statistics
import time
from datetime import datetime
from pathlib import Path

import httpx
import ultralytics

from bench.tenants import create_tenant

ASSETS = Path(ultralytics.__file__).parent / "assets"
PER_FREE_TENANT = 10  # under the free tier's cap of unfinished tasks


def _seconds(task: dict[str, str]) -> float:
    created = datetime.fromisoformat(task["created_at"].replace("Z", "+00:00"))
    updated = datetime.fromisoformat(task["updated_at"].replace("Z", "+00:00"))
    return (updated - created).total_seconds()


class Tenant:
    def __init__(self, url: str, name: str, tier: str) -> None:
        self.key = create_tenant(name, tier)["api_key"]
        self.http = httpx.Client(base_url=url, timeout=120,
                                 headers={"Authorization": f"Bearer {self.key}"})
        self.tasks: list[str] = []

    def upload(self, data: bytes, name: str) -> None:
        for _ in range(50):
            resp = self.http.post("/v1/analysis", content=data, params={"filename": name},
                                  headers={"Content-Type": "image/jpeg"})
            if resp.status_code == 429 and resp.headers.get("retry-after"):
                time.sleep(float(resp.headers["retry-after"]))
                continue
            resp.raise_for_status()
            self.tasks.append(resp.json()["task_id"])
            return
        raise RuntimeError(f"upload kept being refused: {resp.text}")

    def finished(self) -> dict[str, dict[str, str]]:
        """This tenant's tasks that ended, by id (one list call per page)."""
        out: dict[str, dict[str, str]] = {}
        token = ""
        while True:
            resp = self.http.get("/v1/analysis", params={"page_size": 1000, "page_token": token})
            if resp.status_code == 429:
                return out
            resp.raise_for_status()
            body = resp.json()
            for t in body["tasks"]:
                if t["status"] in ("TASK_STATUS_DONE", "TASK_STATUS_FAILED"):
                    out[t["task_id"]] = t
            token = body["next_page_token"]
            if not token:
                return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--free", type=int, default=400, help="free-tier photos in the backlog")
    parser.add_argument("--pro", type=int, default=20, help="pro-tier photos submitted after")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    photo = (ASSETS / "bus.jpg").read_bytes()
    run = time.strftime("%H%M%S")
    free = [Tenant(args.url, f"bench-free-{run}-{i}", "free")
            for i in range(-(-args.free // PER_FREE_TENANT))]
    pro = Tenant(args.url, f"bench-pro-{run}", "pro")

    jobs = [(free[i // PER_FREE_TENANT], f"f{i}.jpg") for i in range(args.free)]
    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda job: job[0].upload(photo, job[1]), jobs))
    queued = time.perf_counter() - t0
    with cf.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: pro.upload(photo, f"p{i}.jpg"), range(args.pro)))

    ended: dict[str, dict[str, str]] = {}
    deadline = time.monotonic() + args.timeout
    everyone = [*free, pro]
    total = args.free + args.pro
    while len(ended) < total and time.monotonic() < deadline:
        for tenant in everyone:
            ended.update(tenant.finished())
        time.sleep(1.0)
    free_times = [_seconds(ended[t]) for f in free for t in f.tasks if t in ended]
    pro_times = [_seconds(ended[t]) for t in pro.tasks if t in ended]
    not_done = [t for t in ended.values() if t["status"] != "TASK_STATUS_DONE"]

    print(f"machine: {platform.node()} ({platform.machine()}, {len(os.sched_getaffinity(0))} CPUs)")
    print(f"free backlog: {args.free} photos from {len(free)} free tenants, accepted in "
          f"{queued:.1f} s; then {args.pro} pro photos")
    print(f"{'tier':<6} {'tasks':>6} {'done':>6} {'p50 s':>8} {'p90 s':>8} {'max s':>8}")
    for name, times, n in (("free", free_times, args.free), ("pro", pro_times, args.pro)):
        q = statistics.quantiles(times, n=10) if len(times) >= 2 else [float("nan")] * 9
        print(f"{name:<6} {n:>6} {len(times):>6} {statistics.median(times):>8.2f} {q[8]:>8.2f} "
              f"{max(times):>8.2f}")
    ratio = statistics.median(pro_times) / statistics.median(free_times)
    print(f"pro p50 / free p50 = {ratio:.3f} (target <= 0.10): "
          f"{'met' if ratio <= 0.10 else 'NOT met'}")
    print(f"every task DONE: {len(ended) == total and not not_done} "
          f"({len(ended)}/{total} ended, {len(not_done)} not DONE)")


if __name__ == "__main__":
    main()

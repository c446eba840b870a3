"""Scale-out: photos/s and video minutes per minute with 1 and 2 worker hosts, and a host killed.

Run as root against a running stack (`make up`; devstack gives it the hosts' bridge):
    python -m bench.scaleout [--photos 120] [--videos 4] [--video-minutes 1] [--quota 0.5]

Each worker host is a network namespace of its own (devstack/hosts.py) on one CPU (taskset)
with a CFS quota of --quota CPUs, running recognition_service and video_service; they reach
Postgres, RabbitMQ and S3 over the bridge. The stack's own recognition and video workers are
stopped meanwhile, so that all of that work is done by the hosts. The quota leaves the rest of
the machine to the shared servers (gateway, Envoy, relay, recorder, projections, Postgres,
RabbitMQ, S3) and the load generator, so that the hosts, not they, are what limits: on a
2-core machine two hosts of a whole core each would leave nothing to everything else.

For 1 and then 2 hosts: --photos photos uploaded 8 at a time (time from the first upload to
the last DONE), then --videos copies of a 720p 30 fps video of --video-minutes (many shots) all
at once (video minutes per wall minute). Then a run with 2 hosts where host 2 is killed with
SIGKILL (every process at once) while photos and videos are in flight: every task must end
DONE, with exactly one result per segment in the event store, the read model and S3.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import pathlib
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import psycopg

from bench.photos_bare import ASSETS
from bench.synth import render_long
from bench.tenants import auth_headers
from devstack import Stack
from devstack.hosts import Hosts

TERMINAL = ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")
WORKERS = ("recognition_service", "video_service")


def _done_at(body: dict[str, Any]) -> float:
    return datetime.fromisoformat(body["updated_at"].replace("Z", "+00:00")).timestamp()


class Client:
    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, headers=auth_headers(), timeout=300,
                                 limits=httpx.Limits(max_connections=32))

    def upload(self, path: pathlib.Path, content_type: str) -> str:
        with path.open("rb") as f:
            resp = self.http.post("/v1/analysis", content=f.read(),
                                  params={"filename": path.name},
                                  headers={"Content-Type": content_type})
        resp.raise_for_status()
        return str(resp.json()["task_id"])

    def wait(self, task_ids: list[str], timeout: float = 1800) -> dict[str, dict[str, Any]]:
        pending, out = list(task_ids), {}
        deadline = time.monotonic() + timeout
        while pending:
            for tid in list(pending[:16]):
                body = self.http.get(f"/v1/analysis/{tid}").json()
                if body["status"] in TERMINAL:
                    out[tid] = body
                    pending.remove(tid)
            if time.monotonic() > deadline:
                raise SystemExit(f"{len(pending)} tasks not finished after {timeout:.0f} s")
            if pending:
                time.sleep(0.25)
        return out

    def delete(self, task_ids: list[str]) -> None:
        for tid in task_ids:
            self.http.delete(f"/v1/analysis/{tid}")


@dataclass(frozen=True)
class Rates:
    hosts: int
    photos_per_s: float
    video_min_per_min: float


def photos(client: Client, folder: pathlib.Path, n: int) -> float:
    sources = [ASSETS / "bus.jpg", ASSETS / "zidane.jpg"]
    paths = []
    for i in range(n):
        dst = folder / f"p{i:04d}.jpg"
        shutil.copyfile(sources[i % 2], dst)
        paths.append(dst)
    t0 = time.time()
    with cf.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda p: client.upload(p, "image/jpeg"), paths))
    return n / _all_done(client, ids, t0, "photo")


def videos(client: Client, video: pathlib.Path, copies: int, minutes: float) -> float:
    t0 = time.time()
    with cf.ThreadPoolExecutor(copies) as pool:
        ids = list(pool.map(lambda _: client.upload(video, "video/mp4"), range(copies)))
    return copies * minutes / (_all_done(client, ids, t0, "video") / 60)


def _all_done(client: Client, ids: list[str], t0: float, what: str) -> float:
    """Wait for the tasks; seconds from t0 to the last DONE (server time); then delete them."""
    bodies = client.wait(ids)
    failed = [b for b in bodies.values() if b["status"] != "TASK_STATUS_DONE"]
    if failed:
        raise SystemExit(f"{len(failed)} {what} tasks failed: {failed[0].get('error')}")
    wall = max(_done_at(b) for b in bodies.values()) - t0
    client.delete(ids)
    return wall


def start_hosts(hosts: Hosts, stack: Stack, count: int, quota: float | None) -> None:
    s = stack.settings
    for i in range(1, count + 1):
        hosts.start(i, [(i - 1) % os.cpu_count()], WORKERS, quota)  # type: ignore[operator]
    for i in range(1, count + 1):
        hosts.wait_ready(i, [s.recognition_metrics_port, s.video_metrics_port])


def duplicates(stack: Stack, task_ids: list[str]) -> tuple[int, int, int]:
    """(segments, FrameRecognized events, recognition_results rows) over the tasks."""
    with psycopg.connect(stack.settings.pg_conninfo, autocommit=True) as conn:
        segs = conn.execute("SELECT count(*) FROM task_segments WHERE task_id = ANY(%s)",
                            (task_ids,)).fetchone()
        events = conn.execute(
            "SELECT count(*) FROM tasks_events WHERE originator_id = ANY(%s::uuid[]) "
            "AND topic LIKE %s", (task_ids, "%FrameRecognized")).fetchone()
        rows = conn.execute("SELECT count(*) FROM recognition_results WHERE task_id = ANY(%s)",
                            (task_ids,)).fetchone()
    assert segs and events and rows
    return int(segs[0]), int(events[0]), int(rows[0])


def kill_run(client: Client, stack: Stack, hosts: Hosts, folder: pathlib.Path,
             video: pathlib.Path, quota: float | None) -> None:
    start_hosts(hosts, stack, 2, quota)
    try:
        sources = [ASSETS / "bus.jpg", ASSETS / "zidane.jpg"]
        ids = [client.upload(video, "video/mp4") for _ in range(2)]
        for i in range(60):
            path = folder / f"k{i:03d}.jpg"
            shutil.copyfile(sources[i % 2], path)
            ids.append(client.upload(path, "image/jpeg"))
        time.sleep(3)
        unfinished = sum(1 for tid in ids if client.http.get(f"/v1/analysis/{tid}").json()[
            "status"] not in TERMINAL)
        killed = hosts.kill(2)
        print(f"killed host 2 (SIGKILL to {len(killed)} processes) with {unfinished} of "
              f"{len(ids)} tasks unfinished")
        t0 = time.time()
        bodies = client.wait(ids)
        done = sum(1 for b in bodies.values() if b["status"] == "TASK_STATUS_DONE")
        segments, events, rows = duplicates(stack, ids)
        print(f"after the kill: {done}/{len(ids)} tasks DONE in {time.time() - t0:.1f} s; "
              f"{segments} segments, {events} FrameRecognized events, {rows} result rows "
              f"({'no duplicates, nothing lost' if segments == events == rows else 'MISMATCH'})")
        client.delete(ids)
    finally:
        hosts.stop_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="up")
    parser.add_argument("--photos", type=int, default=120)
    parser.add_argument("--videos", type=int, default=4)
    parser.add_argument("--video-minutes", type=float, default=1.0)
    parser.add_argument("--quota", type=float, default=0.5,
                        help="CPUs' worth per host (0: no quota, a whole CPU each)")
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()
    stack = Stack(args.profile)
    hosts = stack.hosts
    quota = args.quota or None
    client = Client(f"http://127.0.0.1:{stack.settings.http_port}")
    video = render_long(args.video_minutes).path
    print(f"machine: {platform.node()} ({platform.machine()}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f} before the run); hosts: one CPU each, quota "
          f"{quota or 'none'}; video {video.name} ({args.video_minutes} min 720p30)")
    for name in WORKERS:
        stack.stop(name)
    results: list[Rates] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp)
            for count in (1, 2):
                start_hosts(hosts, stack, count, quota)
                try:
                    p = photos(client, folder, args.photos)
                    v = videos(client, video, args.videos, args.video_minutes)
                finally:
                    hosts.stop_all()
                results.append(Rates(count, p, v))
                print(f"{count} host(s): {p:6.2f} photos/s   {v:5.2f} video min/min")
            one, two = results
            print(f"2 hosts / 1 host: photos {two.photos_per_s / one.photos_per_s:.2f}x, "
                  f"video {two.video_min_per_min / one.video_min_per_min:.2f}x")
            if not args.no_kill:
                kill_run(client, stack, hosts, folder, video, quota)
    finally:
        for name in WORKERS:
            stack.start(name)


if __name__ == "__main__":
    main()

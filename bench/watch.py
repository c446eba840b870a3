"""WatchAnalysis at scale: 1,000 concurrent watchers on one gateway, its memory and the delay.

`--videos` copies of the sample video are uploaded and `--per-task` watchers follow each, all
at once, over `--channels` gRPC connections to the gateway. Printed: the gateway's RSS before,
with every watcher attached, and at the end; and the delay from each event (its timestamp in the
store) to its arrival at a watcher, p50/p99/max.

    python -m bench.watch [--target 127.0.0.1:50051] [--videos 20] [--per-task 50]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import time
from datetime import UTC
from pathlib import Path

from bench.tenants import create_tenant
from devstack import Stack
from scenelens.client import AsyncClient

SAMPLE = Path(__file__).resolve().parent.parent / "_samples" / "scenes.mp4"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def watch(client: AsyncClient, task_id: str, delays: list[float],
                attached: asyncio.Event, counter: list[int], total: int) -> int:
    updates = 0
    stream = client.watch(task_id)
    since = time.time()
    first = True
    async for update in stream:
        now = time.time()
        if first:
            counter[0] += 1
            if counter[0] == total:
                attached.set()
            first = False
        at = update.task.updated_at.ToDatetime(tzinfo=UTC).timestamp()
        if at > since:  # live changes only; the catch-up on attaching is not a delay
            delays.append(now - at)
        updates += 1
    return updates


async def main_async(args: argparse.Namespace) -> None:
    stack = Stack(args.profile)
    pid = stack.pid("gateway")
    key = create_tenant("bench-watch", "enterprise")["api_key"]
    clients = [AsyncClient(args.target, key) for _ in range(args.channels)]
    before = rss_mib(pid)
    tasks = [(await clients[0].upload(SAMPLE, filename=f"w{i}.mp4")).task_id
             for i in range(args.videos)]
    delays: list[float] = []
    attached = asyncio.Event()
    counter = [0]
    total = args.videos * args.per_task
    t0 = time.perf_counter()
    jobs = [asyncio.create_task(watch(clients[i % len(clients)], tasks[i % len(tasks)], delays,
                                      attached, counter, total)) for i in range(total)]
    await asyncio.wait_for(attached.wait(), 120)
    attach_s = time.perf_counter() - t0
    peak = rss_mib(pid)
    updates = await asyncio.gather(*jobs)
    after = rss_mib(pid)
    for c in clients:
        await c.close()
    delays.sort()
    print(f"machine: {platform.node()} ({platform.machine()}, {len(os.sched_getaffinity(0))} CPUs)")
    print(f"{total} watchers on {args.videos} videos over {args.channels} connections; "
          f"all attached in {attach_s:.1f} s; {sum(updates)} updates received")
    print(f"gateway RSS MiB: before {before:.0f}, all attached {peak:.0f} "
          f"(+{(peak - before) * 1024 / total:.1f} KiB per watcher), after {after:.0f}")
    if delays:
        p50 = statistics.median(delays)
        p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))]
        print(f"event -> watcher delay: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
              f"max {delays[-1] * 1000:.0f} ms over {len(delays)} deliveries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("SCENELENS_PROFILE", "up"))
    parser.add_argument("--target", default=None, help="host:port (default: the gateway)")
    parser.add_argument("--videos", type=int, default=20)
    parser.add_argument("--per-task", type=int, default=50)
    parser.add_argument("--channels", type=int, default=10)
    args = parser.parse_args()
    if args.target is None:
        s = Stack(args.profile).settings
        args.target = f"{s.grpc_host}:{s.grpc_port}"
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()

"""Worker hosts (network namespaces on the stack's bridge): one is killed with SIGKILL while its
work is in flight; every task still ends DONE with exactly one result per segment (issue 12).

The stack's own recognition and video workers are stopped for the test, so all of that work is
done by the two hosts, which reach Postgres, RabbitMQ and S3 over the bridge by settings alone.
"""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from devstack.hosts import pids
from tests.support import ApiClient, Stores, wait_until

WORKERS = ("recognition_service", "video_service")
TERMINAL = ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")


def test_a_killed_worker_host_loses_nothing_and_duplicates_nothing(
    stack: Any, api: ApiClient, stores: Stores, bus_bytes: bytes, zidane_bytes: bytes,
    sample_video: Path,
) -> None:
    assert stack.network is not None, (
        "the test stack has no hosts network: worker hosts need devstack to run as root with "
        "`ip` and `taskset`")
    hosts = stack.hosts
    s = stack.settings
    for name in WORKERS:
        stack.stop(name)
    try:
        for host, cpu in ((1, 0), (2, 1)):
            hosts.start(host, [cpu], WORKERS)
        for host in (1, 2):
            hosts.wait_ready(host, [s.recognition_metrics_port, s.video_metrics_port])
        # The hosts reach the servers over the bridge, not loopback.
        assert hosts.net.address(2) != "127.0.0.1" and s.pg_host == "127.0.0.1"

        video = sample_video.read_bytes()
        tasks = [api.create(video, f"v{i}.mp4")["task_id"] for i in range(2)]
        tasks += [api.create(bus_bytes if i % 2 else zidane_bytes, f"p{i}.jpg")["task_id"]
                  for i in range(24)]

        # Kill host 2 once it has done some of the work and holds more (prefetched, unacked).
        def host2_busy() -> bool:
            log = (hosts.folder / "h2-recognition_service.log").read_text(errors="replace")
            return log.count("frame recognized") >= 2

        wait_until(host2_busy, timeout=120, what="host 2 to recognise frames")
        unfinished = [t for t in tasks if api.task(t).json()["status"] not in TERMINAL]
        killed = hosts.kill(2)
        assert len(killed) >= 2 and unfinished, (killed, unfinished)
        wait_until(lambda: not pids(hosts.net, 2), timeout=10, what="host 2's processes gone")

        for tid in tasks:
            task = api.wait_terminal(tid, timeout=300)
            assert task["status"] == "TASK_STATUS_DONE", task
            segments = api.all_segments(tid)
            assert len(segments) == task["segments_total"] > 0
            assert all(seg["status"] == "SEGMENT_STATUS_DONE" for seg in segments), tid
            events = Counter(stores.events(tid))
            # Exactly one result per segment: in the event store, the read model and S3.
            assert events["FrameRecognized"] == len(segments), (tid, events)
            assert events["Completed"] == 1, (tid, events)
            rows = stores.sql("SELECT count(*), count(DISTINCT segment_id) FROM "
                              "recognition_results WHERE task_id = %s", tid)[0]
            assert rows == (len(segments), len(segments)), (tid, rows)
            assert len(stores.keys(f"recognition-results/{tid}/")) == len(segments)
            if task["kind"] == "MEDIA_KIND_VIDEO":
                assert events["SceneExtracted"] == len(segments), (tid, events)
        # Host 1 did the rest: its log shows frames recognised after the kill.
        log1 = (hosts.folder / "h1-recognition_service.log").read_text(errors="replace")
        assert log1.count("frame recognized") > 0
        for tid in tasks:
            api.delete(tid)
    finally:
        hosts.stop_all()
        for name in WORKERS:
            stack.start(name)
        time.sleep(0.5)

"""Fault injection with work in flight: nothing lost, nothing duplicated, no orphans (issue 4)."""
from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support import ApiClient, Stores

SERVICES = ("recognition_service", "recorder", "video_service", "relay", "projections",
            "gateway")
DLQS = ("recognition_queue.dlq", "video_processing_queue.dlq",
        "recognition_results_queue.dlq")
TERMINAL = ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")


def _dlq_depth(stack: Any) -> dict[str, int]:
    out = stack.rabbitmqctl("list_queues", "-q", "--no-table-headers", "name", "messages")
    depth = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in DLQS:
            depth[parts[0]] = int(parts[1])
    return depth


def _check_task(api: ApiClient, stores: Stores, tid: str) -> dict[str, Any]:
    task = api.wait_terminal(tid, timeout=300)
    assert task["status"] in ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")
    if task["status"] == "TASK_STATUS_FAILED":
        assert task["error"], task
    segments = api.all_segments(tid)
    assert len(segments) == task["segments_total"]
    assert [s["index"] for s in segments] == list(range(len(segments)))
    done = [s for s in segments if s["status"] == "SEGMENT_STATUS_DONE"]
    events = Counter(stores.events(tid))
    assert events["FrameRecognized"] == len(done), (tid, events)
    assert events["Completed"] + events["Failed"] == 1, (tid, events)
    results = stores.sql("SELECT count(*) FROM recognition_results WHERE task_id = %s", tid)
    assert results[0][0] == len(done)
    assert len(stores.keys(f"recognition-results/{tid}/")) == len(done)
    if task["kind"] == "MEDIA_KIND_VIDEO":
        assert events["SceneExtracted"] == len(segments), (tid, events)
        assert len(stores.keys(f"scene-images/{tid}/")) == len(segments)
    return task


def test_every_part_fails_in_turn_with_work_in_flight(
    api: ApiClient, stores: Stores, stack: Any, bus_bytes: bytes, zidane_bytes: bytes,
    sample_video: Path,
) -> None:
    video = sample_video.read_bytes()
    dlq_before = _dlq_depth(stack)
    tasks: list[str] = []

    def submit(n_photos: int, n_videos: int) -> None:
        for i in range(n_photos):
            tasks.append(api.create(bus_bytes if i % 2 else zidane_bytes, f"f{i}.jpg")["task_id"])
        for _ in range(n_videos):
            tasks.append(api.create(video, sample_video.name)["task_id"])

    submit(6, 2)
    for program in SERVICES:
        stack.kill(program, signal.SIGKILL)
        stack.wait_running(program)
        submit(3, 1)

    stack.restart("rabbitmq")
    stack.wait_running("rabbitmq")
    stack.wait_running("gateway")
    submit(3, 1)

    stack.restart("postgres")
    stack.wait_running("postgres")
    stack.wait_running("gateway")
    submit(4, 2)

    stack.stop("s3")
    # Work is in flight while S3 is down: some of the tasks just sent are unfinished, and none
    # of them fails during the outage (they wait and retry).
    in_flight = [t for t in tasks if api.task(t).json()["status"] not in TERMINAL]
    assert in_flight, "S3 stopped with no work in flight: the test would prove nothing"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        statuses = [api.task(t).json()["status"] for t in in_flight]
        assert "TASK_STATUS_FAILED" not in statuses, statuses
        time.sleep(0.5)
    stack.start("s3")
    stack.wait_running("s3")
    stack.wait_running("gateway")

    finished = [_check_task(api, stores, tid) for tid in tasks]
    # Outages are transient: every task completes; nothing was dead-lettered.
    assert [t["status"] for t in finished] == ["TASK_STATUS_DONE"] * len(tasks)
    assert all(t["segments_failed"] == 0 for t in finished)
    assert _dlq_depth(stack) == dlq_before

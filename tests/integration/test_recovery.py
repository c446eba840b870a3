"""Crashes lose nothing and duplicate nothing; read models rebuild by replay (issue 2 acc 5-6)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support import ApiClient, Stores, rebuild_read_models, wait_until


def _unacked(stores: Stores, task_ids: list[str]) -> bool:
    """True once some tasks have results and others not yet: the worker holds messages."""
    done = stores.sql("SELECT count(*) FROM recognition_results WHERE task_id = ANY(%s::uuid[])",
                      task_ids)[0][0]
    return 0 < done < len(task_ids)


def _one_result_per_segment(stores: Stores, task_id: str) -> None:
    events = stores.events(task_id)
    recognized = Counter(events)["FrameRecognized"]
    segments = stores.sql("SELECT count(*) FROM task_segments WHERE task_id = %s", task_id)[0][0]
    results = stores.sql("SELECT count(*) FROM recognition_results WHERE task_id = %s",
                         task_id)[0][0]
    assert recognized == segments == results, (task_id, events, segments, results)
    assert len(stores.keys(f"recognition-results/{task_id}/")) == segments


def test_kill_recognition_while_it_holds_messages(api: ApiClient, stores: Stores, stack: Any,
                                                  bus_bytes: bytes, zidane_bytes: bytes) -> None:
    tasks = [api.create(bus_bytes if i % 2 else zidane_bytes, f"p{i}.jpg")["task_id"]
             for i in range(12)]
    wait_until(lambda: _unacked(stores, tasks), timeout=60, interval=0.05,
               what="recognition to be part-way through the batch")
    stack.kill("recognition_service", signal.SIGKILL)
    stack.wait_running("recognition_service")
    for tid in tasks:
        assert api.wait_terminal(tid, timeout=120)["status"] == "TASK_STATUS_DONE"
        _one_result_per_segment(stores, tid)


def test_kill_video_service_mid_video(api: ApiClient, stores: Stores, stack: Any,
                                      long_video: Path) -> None:
    task = api.create(long_video.read_bytes(), long_video.name)
    tid = task["task_id"]
    wait_until(lambda: "ProcessingStarted" in stores.events(tid), timeout=60, interval=0.05,
               what="the video service to start splitting")
    stack.kill("video_service", signal.SIGKILL)
    stack.wait_running("video_service")
    done = api.wait_terminal(tid, timeout=240)
    assert done["status"] == "TASK_STATUS_DONE", done
    segments = api.all_segments(tid)
    assert [s["index"] for s in segments] == list(range(done["segments_total"]))
    assert Counter(stores.events(tid))["SceneExtracted"] == done["segments_total"]
    assert len(stores.keys(f"scene-images/{tid}/")) == done["segments_total"]
    _one_result_per_segment(stores, tid)


def _answers(api: ApiClient, task_ids: list[str]) -> list[Any]:
    out: list[Any] = []
    for tid in task_ids:
        out.append(api.task(tid).json())
        segments = api.all_segments(tid)
        out.append(segments)
        for s in segments:
            seg = api.segment(tid, s["segment_id"]).json()
            seg["result_image_url"] = seg.get("result_image_url", "").split("?")[0]
            out.append(seg)
    return out


def test_rebuild_read_models_by_replay(api: ApiClient, stores: Stores, stack: Any,
                                       bus_bytes: bytes, sample_video: Path) -> None:
    photo = api.create(bus_bytes, "bus.jpg")["task_id"]
    video = api.create(sample_video.read_bytes(), sample_video.name)["task_id"]
    deleted = api.create(bus_bytes, "gone.jpg")["task_id"]
    for tid in (photo, video, deleted):
        done = api.wait_terminal(tid)
        assert done["status"] == "TASK_STATUS_DONE", done
        assert done["segments_done"] == done["segments_total"] > 0, done
    # Something to rebuild: the video has several recognised scenes, the photo its detections.
    assert len(api.all_segments(video)) >= 2
    [photo_segment] = api.all_segments(photo)
    assert api.segment(photo, photo_segment["segment_id"]).json()["detections"]
    assert api.delete(deleted).status_code == 200
    before = _answers(api, [photo, video])
    tasks_before = stores.sql("SELECT count(*) FROM tasks")[0][0]

    # While the rebuild runs, the API answers 503 (Retry-After), never from half a replay: no
    # 401 for a key not replayed yet, no 404 for a task not replayed yet.
    seen: list[tuple[int, str, str]] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            resp = api.task(photo)
            message = resp.json().get("message", "") if resp.status_code != 200 else ""
            seen.append((resp.status_code, resp.headers.get("retry-after", ""), message))
            time.sleep(0.1)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        rebuild_read_models(stack)
    finally:
        done.set()
        poller.join()
    assert {code for code, _, _ in seen} == {200, 503}, sorted(set(seen))
    for code, retry_after, message in seen:
        if code == 503:
            assert retry_after == "5" and "being rebuilt" in message, (retry_after, message)
    wait_until(lambda: api.task(photo).status_code == 200, timeout=30, what="the API back")
    assert _answers(api, [photo, video]) == before
    assert api.task(deleted).status_code == 404  # replay never resurrects a deleted task
    assert stores.sql("SELECT count(*) FROM tasks")[0][0] == tasks_before


def test_rebuild_refuses_while_projection_runs(stack: Any) -> None:
    out = subprocess.run([sys.executable, "-m", "projections", "rebuild"], env={**os.environ, **stack.env},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "stop it first" in out.stderr

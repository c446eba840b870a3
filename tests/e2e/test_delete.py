"""Delete removes every object and read-model row, at any stage; replay keeps it deleted."""
from __future__ import annotations

from pathlib import Path

from tests.support import ApiClient, Stores, wait_until


def _gone(api: ApiClient, stores: Stores, tid: str) -> None:
    assert api.task(tid).status_code == 404
    assert api.segments(tid).status_code == 404
    assert api.delete(tid).status_code == 404  # a second delete
    # Workers that were mid-flight may still finish writing; nothing of it must survive.
    wait_until(lambda: not stores.task_keys(tid), timeout=60, what=f"no objects for {tid}")
    for table in ("tasks", "task_segments", "recognition_results"):
        assert stores.sql(f"SELECT count(*) FROM {table} WHERE task_id = %s", tid)[0][0] == 0
    assert stores.events(tid)[-1] == "Deleted"


def test_delete_after_completion(api: ApiClient, stores: Stores, bus_bytes: bytes) -> None:
    tid = api.create(bus_bytes, "bus.jpg")["task_id"]
    assert api.wait_terminal(tid)["status"] == "TASK_STATUS_DONE"
    assert stores.task_keys(tid)
    resp = api.delete(tid)
    assert resp.status_code == 200 and resp.json() == {}
    _gone(api, stores, tid)


def test_delete_right_after_upload(api: ApiClient, stores: Stores, bus_bytes: bytes) -> None:
    tid = api.create(bus_bytes, "bus.jpg")["task_id"]
    assert api.delete(tid).status_code == 200
    _gone(api, stores, tid)


def test_delete_during_splitting_and_recognition(api: ApiClient, stores: Stores,
                                                 long_video: Path) -> None:
    data = long_video.read_bytes()
    splitting = api.create(data, long_video.name)["task_id"]
    # Deleted while its scenes are being detected: the detection stops at its next progress
    # report (tests/unit/test_split_progress.py), and nothing of the task survives.
    wait_until(lambda: "SplitProgressed" in stores.events(splitting), timeout=60,
               interval=0.05, what="scene detection to report progress")
    assert "VideoSplit" not in stores.events(splitting)
    assert api.delete(splitting).status_code == 200
    _gone(api, stores, splitting)

    recognizing = api.create(data, long_video.name)["task_id"]
    wait_until(lambda: "FrameRecognized" in stores.events(recognizing), timeout=120,
               interval=0.05, what="recognition to start")
    assert api.delete(recognizing).status_code == 200
    _gone(api, stores, recognizing)

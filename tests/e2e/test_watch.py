"""WatchAnalysis: every change of a task, live, over gRPC and through Envoy, resumable (issue 10)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from scenelens.client import Client, NotFound, Unauthenticated
from scenelens.v1 import analysis_pb2
from tests.support import ApiClient, ApiTenant


def _summary(updates: list[analysis_pb2.AnalysisUpdate]) -> list[tuple[int, str, str]]:
    return [(u.position, u.change, u.segment.segment_id) for u in updates]


@pytest.mark.parametrize("via", ["envoy", "direct"])
def test_watch_a_video_from_upload_to_done_and_resume(
    grpc_targets: dict[str, str], via: str, tenant: ApiTenant, sample_video: Path,
    api: ApiClient,
) -> None:
    with Client(grpc_targets[via], tenant.api_key) as sl:
        task = sl.upload(sample_video)
        updates = list(sl.watch(task.task_id))
    final = updates[-1]
    assert final.change == "completed" and final.task.status == analysis_pb2.TASK_STATUS_DONE
    assert updates[0].change == "created"
    positions = [u.position for u in updates]
    assert positions == sorted(set(positions))  # in order, none repeated
    recognized = [u.segment for u in updates if u.change == "frame_recognized"]
    total = final.task.segments_total
    assert total >= 3
    assert sorted(s.index for s in recognized) == list(range(total))  # each segment once
    # What the stream said agrees with the REST read models.
    for seg in recognized:
        rest = api.segment(task.task_id, seg.segment_id).json()
        assert [d["label"] for d in rest["detections"]] == [d.label for d in seg.detections]
        assert rest["start_time_s"] == pytest.approx(seg.start_time_s)
    assert any(seg.detections for seg in recognized)
    # Progress is visible along the way.
    done_counts = [u.task.segments_done for u in updates]
    assert done_counts == sorted(done_counts) and done_counts[-1] == total

    middle = updates[len(updates) // 2].position
    with Client(grpc_targets[via], tenant.api_key) as sl:
        resumed = list(sl.watch(task.task_id, after_position=middle))
    assert _summary(resumed) == _summary([u for u in updates if u.position > middle])


def test_watch_shows_scene_detection_progress(grpc_targets: dict[str, str], tenant: ApiTenant,
                                              long_video: Path, api: ApiClient) -> None:
    with Client(grpc_targets["envoy"], tenant.api_key) as sl:
        task = sl.upload(long_video)
        updates = list(sl.watch(task.task_id))
    changes = [u.change for u in updates]
    assert changes[-1] == "completed"
    progress = [u.task.split_progress for u in updates if u.change == "split_progress"]
    # The test stack reports every 0.2 s; detecting a minute of video takes seconds.
    assert len(progress) >= 2, changes
    assert progress == sorted(set(progress)) and 0 < progress[0] and progress[-1] < 1
    # All of it before the video is split; 1 from then on, in the stream and in REST.
    split = changes.index("video_split")
    assert "split_progress" not in changes[split:]
    assert all(u.task.split_progress == 1 for u in updates[split:])
    assert all(u.task.split_progress < 1 for u in updates[:split])
    assert api.task(task.task_id).json()["split_progress"] == 1


def test_watch_through_envoy_as_streamed_json(base_url: str, api: ApiClient, tenant: ApiTenant,
                                              sample_video: Path) -> None:
    task = api.create(sample_video.read_bytes(), "watched.mp4")
    lines: list[dict[str, Any]] = []
    with httpx.stream("GET", f"{base_url}/v1/analysis/{task['task_id']}:watch",
                      headers={"Authorization": f"Bearer {tenant.api_key}"}, timeout=120) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.strip():
                lines.append(json.loads(line))
    assert lines[0]["change"] == "created"
    assert lines[-1]["change"] == "completed"
    assert lines[-1]["task"]["status"] == "TASK_STATUS_DONE"
    assert lines[-1]["task"]["split_progress"] == 1
    recognized = [u["segment"]["index"] for u in lines if u["change"] == "frame_recognized"]
    assert sorted(recognized) == list(range(lines[-1]["task"]["segments_total"]))


def test_watch_refuses_what_is_not_yours(grpc_targets: dict[str, str], make_tenant: Any,
                                         api: ApiClient, bus_bytes: bytes) -> None:
    task_id = api.create(bus_bytes, "private.jpg")["task_id"]
    other = make_tenant("watcher", "pro")
    with Client(grpc_targets["envoy"], other.api_key) as sl, pytest.raises(NotFound):
        list(sl.watch(task_id))
    with Client(grpc_targets["envoy"], "") as sl, pytest.raises(Unauthenticated):
        list(sl.watch(task_id))

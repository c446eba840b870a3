"""The recorder: results of one task are group-committed, once each, by one writer.

Runs the recorder's handler against the real TaskApplication on in-memory persistence, with
many deliveries in flight at once, as the broker hands them over with a large prefetch.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

import pytest

from recorder.handlers import Deps, give_up, group_commit, handle_record
from scenelens.adapters.rabbitmq import Delivery
from scenelens.application import TaskApplication
from scenelens.batching import GroupCommit
from scenelens.domain import ids
from scenelens.domain.errors import PermanentFailure, TaskGone
from scenelens.domain.task import FIRST_RUN, run_id
from scenelens.observability import EVENT_APPENDS, EVENT_CONFLICTS
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2, types_pb2


class Store:
    def __init__(self, keys: set[str]) -> None:
        self.objects = set(keys)

    async def delete_prefix(self, prefix: str) -> int:
        gone = {k for k in self.objects if k.startswith(prefix)}
        self.objects -= gone
        return len(gone)


def _app() -> TaskApplication:
    return TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def _video(app: TaskApplication, scenes: int) -> tuple[uuid.UUID, list[str]]:
    task_id = uuid.uuid4()
    app.create_task(task_id=task_id, kind="video", filename="v.mp4", content_type="video/mp4",
                    size_bytes=1, input_key=f"input-files/{task_id}/v.mp4", scene_options={},
                    tenant_id=uuid.uuid4(), tier="pro")
    app.start_processing(task_id)
    segments = []
    for i in range(scenes):
        sid = str(ids.segment_id(task_id, i))
        app.record_scene(task_id, segment_id=sid, index=i, start_time_s=i, end_time_s=i + 1,
                         start_frame=i, end_frame=i + 1, key_frame_time_s=i + 0.5,
                         image_key=f"scene-images/{task_id}/image_{sid}.jpg", width=64,
                         height=36)
        segments.append(sid)
    app.finish_split(task_id, scenes)
    return task_id, segments


def _result(task_id: uuid.UUID, sid: str, *, run: str = "", conf: float = 0.87654) -> Delivery:
    msg = commands_pb2.RecordRecognition(
        task_id=str(task_id), segment_id=sid, run_id=run, model_name="m", model_version="v",
        result_key=f"recognition-results/{task_id}/{sid}_result.jpg", width=64, height=36,
        confidence=0.25, iou=0.7, labels=[],
        detections=[types_pb2.Detection(label="person", class_id=0, confidence=conf,
                                        box=types_pb2.Box(x1=1.25, y1=2.5, x2=1234.56, y2=30))],
    )
    return Delivery(body=msg.SerializeToString(), type="scenelens.v1.RecordRecognition",
                    message_id=f"r/{sid}", attempt=1, headers={})


def _deps(app: TaskApplication, store: Any = None, **settings: Any) -> Deps:
    s = Settings(**settings)
    return Deps(settings=s, app=app, s3=store or Store(set()), commits=group_commit(app, s))


async def _all(deps: Deps, deliveries: Sequence[Delivery]) -> list[Any]:
    return await asyncio.gather(*(handle_record(d, deps=deps) for d in deliveries),
                                return_exceptions=True)


def _events(app: TaskApplication, task_id: uuid.UUID) -> list[str]:
    return [type(e).__name__ for e in app.events.get(task_id)]


def test_results_arriving_together_are_saved_in_one_batch_each_once() -> None:
    app = _app()
    task_id, segments = _video(app, 40)
    deps = _deps(app, recorder_batch_window_ms=50)
    appends, conflicts = EVENT_APPENDS._value.get(), EVENT_CONFLICTS._value.get()
    outcomes = asyncio.run(_all(deps, [_result(task_id, s) for s in segments]))
    assert outcomes == [None] * 40
    # One save for all 40 results (the window gathered them), no conflict.
    assert EVENT_APPENDS._value.get() - appends == 1
    assert EVENT_CONFLICTS._value.get() - conflicts == 0
    task = app.get_task(task_id)
    assert task.status == "DONE" and all(s == "DONE" for _, s in task.segments.values())
    names = _events(app, task_id)
    assert names.count("FrameRecognized") == 40 and names.count("Completed") == 1
    # Floats come back as the worker rounded them (float32 on the wire).
    first = next(e for e in app.events.get(task_id) if type(e).__name__ == "FrameRecognized")
    assert first.detections == [{"label": "person", "class_id": 0, "confidence": 0.87654,
                                 "box": [1.25, 2.5, 1234.56, 30.0]}]
    assert first.confidence == 0.25 and first.iou == pytest.approx(0.7)

    # Redelivered (a worker died before its ack, the broker sent it again): nothing changes.
    assert asyncio.run(_all(deps, [_result(task_id, s) for s in segments[:5]])) == [None] * 5
    assert _events(app, task_id) == names


def test_a_failure_and_a_result_for_one_segment_settle_it_once() -> None:
    app = _app()
    task_id, segments = _video(app, 2)
    deps = _deps(app, recorder_batch_window_ms=20)
    failure = commands_pb2.RecordSegmentFailure(task_id=str(task_id), segment_id=segments[0],
                                                reason="gave up")
    fail = Delivery(body=failure.SerializeToString(), type="scenelens.v1.RecordSegmentFailure",
                    message_id="f", attempt=1, headers={})
    asyncio.run(_all(deps, [fail, _result(task_id, segments[0]), _result(task_id, segments[1])]))
    names = _events(app, task_id)
    assert names.count("SegmentFailed") == 1 and names.count("FrameRecognized") == 1
    task = app.get_task(task_id)
    assert task.status == "DONE"
    assert task.segments[segments[0]][1] == "FAILED" and task.segments[segments[1]][1] == "DONE"


def test_re_analysis_results_go_to_their_run() -> None:
    app = _app()
    task_id, segments = _video(app, 3)
    deps = _deps(app)
    asyncio.run(_all(deps, [_result(task_id, s, run=str(run_id(task_id, FIRST_RUN)))
                            for s in segments]))
    started = app.reanalyze(task_id, None, {"model": "m"})
    asyncio.run(_all(deps, [_result(task_id, s, run=started.run_id) for s in segments]))
    assert app.get_task(task_id).run(started.run_id).status == "DONE"
    assert _events(app, task_id).count("RunFrameRecognized") == 3


def test_a_result_for_a_deleted_task_removes_its_image() -> None:
    app = _app()
    task_id, segments = _video(app, 1)
    app.delete_task(task_id)
    store = Store({f"recognition-results/{task_id}/{segments[0]}_result.jpg", "input-files/x/y"})
    deps = _deps(app, store)
    with pytest.raises(TaskGone):
        asyncio.run(handle_record(_result(task_id, segments[0]), deps=deps))
    assert store.objects == {"input-files/x/y"}
    with pytest.raises(TaskGone):  # a task that never existed
        asyncio.run(handle_record(_result(uuid.uuid4(), segments[0]), deps=deps))


def test_bad_messages_are_permanent_failures_and_do_not_spoil_the_batch() -> None:
    app = _app()
    task_id, segments = _video(app, 2)
    deps = _deps(app, recorder_batch_window_ms=20)
    unknown = _result(task_id, str(uuid.uuid4()))
    garbage = Delivery(body=b"\xff\x00junk", type="scenelens.v1.RecordRecognition",
                       message_id="g", attempt=1, headers={})
    out = asyncio.run(_all(deps, [unknown, garbage, *(_result(task_id, s) for s in segments)]))
    assert isinstance(out[0], PermanentFailure) and "not found" in str(out[0])
    assert isinstance(out[1], PermanentFailure)
    assert out[2:] == [None, None]
    assert app.get_task(task_id).status == "DONE"


def test_giving_up_on_a_result_marks_the_segment_failed() -> None:
    app = _app()
    task_id, segments = _video(app, 2)
    deps = _deps(app)
    asyncio.run(give_up(_result(task_id, segments[0]), "postgres down", deps=deps))
    task = app.get_task(task_id)
    assert task.segments[segments[0]][1] == "FAILED"
    reason = next(e.reason for e in app.events.get(task_id)
                  if type(e).__name__ == "SegmentFailed")
    assert "could not be recorded" in reason and "postgres down" in reason


def test_group_commit_applies_each_key_once_per_round_and_isolates_errors() -> None:
    calls: list[tuple[str, list[int]]] = []

    def apply(key: str, items: Sequence[int]) -> list[int | BaseException]:
        calls.append((key, list(items)))
        if key == "broken":
            raise ConnectionError("db down")
        return [ValueError(f"bad {i}") if i < 0 else i * 10 for i in items]

    async def main() -> list[Any]:
        commits: GroupCommit[str, int, int] = GroupCommit(apply, window_s=0.05, max_items=100)
        return await asyncio.gather(
            commits.submit("a", 1), commits.submit("b", 2), commits.submit("a", -3),
            commits.submit("a", 4), commits.submit("broken", 5), return_exceptions=True)

    out = asyncio.run(main())
    assert out[0] == 10 and out[1] == 20 and out[3] == 40
    assert isinstance(out[2], ValueError) and isinstance(out[4], ConnectionError)
    assert sorted(calls) == [("a", [1, -3, 4]), ("b", [2]), ("broken", [5])]


def test_group_commit_flushes_when_full_and_never_overlaps_rounds_of_a_key() -> None:
    running: set[str] = set()
    overlaps: list[str] = []
    sizes: list[int] = []

    def apply(key: str, items: Sequence[int]) -> list[int | BaseException]:
        if key in running:
            overlaps.append(key)
        running.add(key)
        import time
        time.sleep(0.01)
        running.discard(key)
        sizes.append(len(items))
        return list(items)

    async def main() -> list[int]:
        # A long window: only the size limit can start a round.
        commits: GroupCommit[str, int, int] = GroupCommit(apply, window_s=30, max_items=8)
        return await asyncio.wait_for(
            asyncio.gather(*(commits.submit("k", i) for i in range(32))), 10)

    assert asyncio.run(main()) == list(range(32))
    assert overlaps == [] and sizes == [8, 8, 8, 8]

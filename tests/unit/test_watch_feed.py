"""WatchAnalysis sends a task's end only once the read models show it (read-your-writes)."""
from __future__ import annotations

import asyncio
import uuid

from gateway import watch
from gateway.watch import TaskFeed
from scenelens.adapters.eventlog import EventLogSignal
from scenelens.application import TaskApplication
from scenelens.domain import ids


def _done_photo(app: TaskApplication, tenant: uuid.UUID) -> uuid.UUID:
    tid = uuid.uuid4()
    app.create_task(task_id=tid, kind="photo", filename="p.jpg", content_type="image/jpeg",
                    size_bytes=1, input_key=f"input-files/{tid}/p.jpg", scene_options={},
                    tenant_id=tenant, tier="pro")
    app.start_processing(tid)
    app.record_recognition(tid, segment_id=str(ids.segment_id(tid, 0)), detections=[],
                           model_name="m", model_version="1", result_key="k", width=4, height=4)
    return tid


def _polling() -> EventLogSignal:
    return EventLogSignal(None, None, poll_s=0.01, recheck_s=1.0)  # no Postgres: it polls


class LaggingReads:
    """The tasks view catches up with the event store after `lag` looks."""

    def __init__(self, lag: int) -> None:
        self.lag = lag
        self.looks = 0

    async def task_ended(self, task_id: uuid.UUID) -> bool:
        self.looks += 1
        return self.looks > self.lag


async def _watch_all(feed: TaskFeed, tid: uuid.UUID, tenant: uuid.UUID, watchers: int
                     ) -> list[list[str]]:
    async def one() -> list[str]:
        return [u.change async for u in feed.follow(tid, tenant, 0)]
    try:
        return await asyncio.gather(*(one() for _ in range(watchers)))
    finally:
        await feed.close()


def test_the_end_waits_for_the_read_models(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(watch, "SETTLE_POLL_S", 0.001)
    app, tenant = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), uuid.uuid4()
    tid = _done_photo(app, tenant)
    reads = LaggingReads(lag=3)

    changes = asyncio.run(_watch_all(TaskFeed(app, _polling(), reads.task_ended), tid, tenant, 5))

    assert changes == [["created", "processing_started", "frame_recognized", "completed"]] * 5
    assert reads.looks == 4  # waited until the view showed the end, once for all five watchers


def test_a_view_that_never_catches_up_delays_the_end_but_does_not_lose_it(
        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(watch, "SETTLE_S", 0.05)
    monkeypatch.setattr(watch, "SETTLE_POLL_S", 0.001)
    app, tenant = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), uuid.uuid4()
    tid = _done_photo(app, tenant)
    reads = LaggingReads(lag=10**9)

    [changes] = asyncio.run(_watch_all(TaskFeed(app, _polling(), reads.task_ended), tid, tenant, 1))

    assert changes[-1] == "completed" and reads.looks > 1

"""WatchAnalysis: a task's changes, read from the event store and woken by its notification log.

One `TaskFeed` per gateway tails the notification log (only while someone watches) and wakes the
watchers of the tasks that changed; each watcher then reads its own task's new events by version.
So a thousand watchers cost one poller, an asyncio.Event each, and reads only when their task
changes. An update's `position` is the version of the event it reports, so resuming from a
position is exact: nothing lost, nothing repeated.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from relay.mapping import KINDS, detection_pb, scene_options_pb
from scenelens.application import TaskApplication
from scenelens.domain.errors import InvalidRequest, TaskNotFound
from scenelens.domain.task import Task
from scenelens.v1 import analysis_pb2

log = logging.getLogger(__name__)

CHANGES: dict[str, str] = {
    "Created": "created", "ProcessingStarted": "processing_started",
    "SceneExtracted": "scene_extracted", "VideoSplit": "video_split",
    "FrameRecognized": "frame_recognized", "SegmentFailed": "segment_failed",
    "Completed": "completed", "Failed": "failed",
}
# Even without a wake-up, a watcher re-reads its task this often (a safety net, not the feed).
RECHECK_S = 10.0


class TaskFeed:
    """Tails the notification log for the whole gateway and wakes the watchers of each task."""

    def __init__(self, app: TaskApplication, interval_s: float) -> None:
        self._app = app
        self._interval = interval_s
        self._watchers: dict[uuid.UUID, set[asyncio.Event]] = {}
        self._task: asyncio.Task[None] | None = None

    @contextlib.contextmanager
    def subscribe(self, task_id: uuid.UUID) -> Iterator[asyncio.Event]:
        wake = asyncio.Event()
        self._watchers.setdefault(task_id, set()).add(wake)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="task-feed")
        try:
            yield wake
        finally:
            waiting = self._watchers.get(task_id)
            if waiting is not None:
                waiting.discard(wake)
                if not waiting:
                    del self._watchers[task_id]

    @property
    def watchers(self) -> int:
        return sum(len(w) for w in self._watchers.values())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        position = await asyncio.to_thread(self._app.max_notification_id)
        while self._watchers:
            try:
                notifications = await asyncio.to_thread(
                    self._app.recorder.select_notifications, start=position + 1, limit=1000)
            except Exception:  # noqa: BLE001 - a database outage: watchers wait, we retry
                log.warning("task feed cannot read the notification log", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            for n in notifications:
                key = n.originator_id
                for wake in self._watchers.get(key if isinstance(key, uuid.UUID)
                                               else uuid.UUID(str(key)), ()):
                    wake.set()
            if notifications:
                position = notifications[-1].id
            else:
                await asyncio.sleep(self._interval)


def _ts(value: Any) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


class Watch:
    """One watcher's view of one task: folds its events into updates."""

    def __init__(self, app: TaskApplication, task_id: uuid.UUID, tenant_id: uuid.UUID) -> None:
        self._app = app
        self._task_id = task_id
        self._tenant_id = str(tenant_id)
        self._aggregate: Any = None
        self._scenes: dict[str, Any] = {}  # segment id -> its SceneExtracted event
        self._version = 0

    def _read(self) -> list[Any]:
        stored = self._app.recorder.select_events(self._task_id, gt=self._version or None)
        return [self._app.mapper.to_domain_event(s) for s in stored]

    async def follow(self, after: int, wake: asyncio.Event) -> AsyncIterator[analysis_pb2.AnalysisUpdate]:
        """Every change after `after`, then each new one as it is recorded, until the end."""
        if after < 0:
            raise InvalidRequest("after_position must not be negative")
        while True:
            wake.clear()
            events = await asyncio.to_thread(self._read)
            for event in events:
                update, ended = self._apply(event)
                if update is not None and update.position > after:
                    yield update
                if ended:
                    return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), RECHECK_S)

    def _apply(self, event: Any) -> tuple[analysis_pb2.AnalysisUpdate | None, bool]:
        """Fold one event; the update it makes, and whether the watch is over."""
        if self._aggregate is None:
            if not isinstance(event, Task.Created) or event.tenant_id != self._tenant_id:
                raise TaskNotFound(f"task {self._task_id} not found")
        self._aggregate = event.mutate(self._aggregate)
        self._version = event.originator_version
        name = type(event).__name__
        if name == "Deleted":
            raise TaskNotFound(f"task {self._task_id} not found")
        change = CHANGES.get(name)
        if change is None:
            return None, False
        update = analysis_pb2.AnalysisUpdate(
            position=event.originator_version, change=change, task=self._task_pb())
        segment = self._segment_pb(event)
        if segment is not None:
            update.segment.CopyFrom(segment)
        return update, name in ("Completed", "Failed")

    def _task_pb(self) -> analysis_pb2.Task:
        t = self._aggregate
        return analysis_pb2.Task(
            task_id=str(t.id), status=analysis_pb2.TaskStatus.Value(f"TASK_STATUS_{t.status}"),
            kind=KINDS[t.kind], filename=t.filename, content_type=t.content_type,
            size_bytes=t.size_bytes, created_at=_ts(t.created_on), updated_at=_ts(t.modified_on),
            segments_total=t.segments_total or 0, segments_done=t.segments_done,
            segments_failed=t.segments_failed, error=t.error,
            scene_options=scene_options_pb(t.scene_options),
        )

    def _segment_pb(self, event: Any) -> analysis_pb2.Segment | None:
        name = type(event).__name__
        if name not in ("SceneExtracted", "FrameRecognized", "SegmentFailed"):
            return None
        sid = event.segment_id
        if name == "SceneExtracted":
            self._scenes[sid] = event
        state = self._aggregate.segments[sid]
        pb = analysis_pb2.Segment(
            segment_id=sid, task_id=str(self._task_id), index=state.index,
            status=analysis_pb2.SegmentStatus.Value(f"SEGMENT_STATUS_{state.status}"),
        )
        scene = self._scenes.get(sid)
        if scene is not None:
            pb.start_time_s, pb.end_time_s = scene.start_time_s, scene.end_time_s
            pb.start_frame, pb.end_frame = scene.start_frame, scene.end_frame
            pb.key_frame_time_s = scene.key_frame_time_s
            pb.width, pb.height = scene.width, scene.height
        if name == "FrameRecognized":
            pb.width, pb.height = event.width, event.height
            pb.detections.extend(detection_pb(d) for d in event.detections)
            pb.detection_count = len(event.detections)
            pb.model_name, pb.model_version = event.model_name, event.model_version
        if name == "SegmentFailed":
            pb.error = event.reason
        return pb

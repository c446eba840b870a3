"""WatchAnalysis: a task's changes, read from the event store and woken by its notification log.

One `TaskFeed` per gateway tails the notification log (only while someone watches). Each watched
task has one `TaskChannel`: when the log shows the task changed, its new events are read once,
folded into updates once, and every watcher of the task is woken to send them. So a thousand
watchers cost one poller, one read per change per task, and a position each. An update's `position` is the version of the event it reports, so resuming from a
position is exact: nothing lost, nothing repeated.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from relay.mapping import KINDS, detection_pb, scene_options_pb
from scenelens.adapters.eventlog import EventLogSignal
from scenelens.application import TaskApplication
from scenelens.domain.errors import InvalidRequest, TaskNotFound
from scenelens.domain.task import Task
from scenelens.v1 import analysis_pb2

log = logging.getLogger(__name__)

CHANGES: dict[str, str] = {
    "Created": "created", "ProcessingStarted": "processing_started",
    "SplitProgressed": "split_progress", "SceneExtracted": "scene_extracted", "VideoSplit": "video_split",
    "FrameRecognized": "frame_recognized", "SegmentFailed": "segment_failed",
    "Completed": "completed", "Failed": "failed",
}
# Even without a wake-up, a watcher re-reads its task this often (a safety net, not the feed).
RECHECK_S = 10.0
# The last update waits at most this long for the read models to show the end too.
SETTLE_S = 5.0
SETTLE_POLL_S = 0.002  # the first recheck; doubling to 50 ms
ENDINGS = ("completed", "failed")

# Whether the read models already show a task as ended (DONE or FAILED).
Projected = Callable[[uuid.UUID], Awaitable[bool]]


class TaskChannel:
    """One watched task: its updates, read and folded once, shared by all its watchers."""

    def __init__(self, app: TaskApplication, task_id: uuid.UUID,
                 projected: Projected | None = None) -> None:
        self._app = app
        self._projected = projected
        self._settling: asyncio.Task[None] | None = None
        self._fold = Fold(task_id)
        self.task_id = task_id
        self.updates: list[analysis_pb2.AnalysisUpdate] = []
        self.changed = asyncio.Condition()
        self.watchers = 0
        self.loaded = asyncio.Event()  # set once the first read is done
        self._reading = asyncio.Lock()

    @property
    def owner(self) -> str | None:
        return self._fold.owner

    @property
    def ended(self) -> bool:
        return self._fold.ended

    @property
    def deleted(self) -> bool:
        return self._fold.deleted

    def has_news(self, seen: int) -> bool:
        """Whether a watcher that has seen `seen` updates has more to do."""
        return seen < len(self.updates) or self.deleted

    async def refresh(self) -> None:
        """Read the task's events after the last one folded; wake the watchers if any."""
        async with self._reading:
            events = await asyncio.to_thread(self._read, self._fold.version)
            if not events:
                return
            for event in events:
                update = self._fold.apply(event)
                if update is not None:
                    self.updates.append(update)
        async with self.changed:
            self.changed.notify_all()

    async def settle(self) -> None:
        """Wait (once for all watchers, at most SETTLE_S) until the read models show the task
        ended, so a client that is told DONE and then reads the task reads DONE."""
        if self._projected is None:
            return
        if self._settling is None:
            self._settling = asyncio.create_task(self._wait_projected(self._projected))
        await asyncio.shield(self._settling)

    async def _wait_projected(self, projected: Projected) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_S
        delay = SETTLE_POLL_S
        while loop.time() < deadline:
            try:
                if await projected(self.task_id):
                    return
            except Exception:  # noqa: BLE001 - reads unavailable: the event store is the truth
                log.warning("cannot read the task's projection", exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)  # the projection usually follows within milliseconds
        log.warning("read models lag the end of the task by over %.0f s", SETTLE_S)

    def _read(self, version: int) -> list[Any]:
        stored = self._app.recorder.select_events(self.task_id, gt=version or None)
        return [self._app.mapper.to_domain_event(s) for s in stored]


class TaskFeed:
    """Tails the notification log for the whole gateway; refreshes the watched tasks' channels."""

    def __init__(self, app: TaskApplication, news: EventLogSignal,
                 projected: Projected | None = None) -> None:
        self._app = app
        self._news = news  # the event store's NOTIFY (or a plain poll without one)
        self._projected = projected
        self._channels: dict[uuid.UUID, TaskChannel] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def watchers(self) -> int:
        return sum(c.watchers for c in self._channels.values())

    async def follow(self, task_id: uuid.UUID, tenant_id: uuid.UUID, after: int
                     ) -> AsyncIterator[analysis_pb2.AnalysisUpdate]:
        """Every change of the task after `after`, then each new one, until the task ends."""
        if after < 0:
            raise InvalidRequest("after_position must not be negative")
        channel = self._channels.get(task_id)
        fresh = channel is None
        if channel is None:
            channel = self._channels[task_id] = TaskChannel(self._app, task_id, self._projected)
        channel.watchers += 1
        if self._task is None or self._task.done():
            self._news.start()  # listens from the first watcher on (a no-op after that)
            self._task = asyncio.create_task(self._run(), name="task-feed")
        try:
            if fresh:
                try:
                    await channel.refresh()
                finally:
                    channel.loaded.set()
            else:
                await channel.loaded.wait()
            if channel.owner != str(tenant_id):
                raise TaskNotFound(f"task {task_id} not found")
            seen = 0
            while True:
                while seen < len(channel.updates):
                    update = channel.updates[seen]
                    seen += 1
                    if update.position > after:
                        if update.change in ENDINGS and not channel.deleted:
                            await channel.settle()
                        yield update
                if channel.deleted:
                    raise TaskNotFound(f"task {task_id} not found")
                if channel.ended:
                    return
                async with channel.changed:
                    try:
                        await asyncio.wait_for(
                            channel.changed.wait_for(functools.partial(channel.has_news, seen)),
                            RECHECK_S)
                    except TimeoutError:
                        pass
                if seen >= len(channel.updates):
                    await channel.refresh()  # nothing for a while: look for ourselves
        finally:
            channel.watchers -= 1
            if channel.watchers == 0 and self._channels.get(task_id) is channel:
                del self._channels[task_id]

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._news.close()

    async def _run(self) -> None:
        position = await asyncio.to_thread(self._app.max_notification_id)
        while self._channels:
            try:
                notifications = await asyncio.to_thread(
                    self._app.recorder.select_notifications, start=position + 1, limit=1000)
            except Exception:  # noqa: BLE001 - a database outage: watchers wait, we retry
                log.warning("task feed cannot read the notification log", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            changed: set[uuid.UUID] = set()
            for n in notifications:
                key = n.originator_id
                changed.add(key if isinstance(key, uuid.UUID) else uuid.UUID(str(key)))
            channels = [self._channels[t] for t in changed if t in self._channels]
            if channels:
                await asyncio.gather(*(c.refresh() for c in channels), return_exceptions=True)
            if notifications:
                position = notifications[-1].id
            else:
                await self._news.wait()


def _ts(value: Any) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


class Fold:
    """Folds one task's events into updates (the same for every watcher of the task)."""

    def __init__(self, task_id: uuid.UUID) -> None:
        self._task_id = task_id
        self._aggregate: Any = None
        self._scenes: dict[str, Any] = {}  # segment id -> its SceneExtracted event
        self.version = 0
        self.owner: str | None = None
        self.ended = False
        self.deleted = False

    def apply(self, event: Any) -> analysis_pb2.AnalysisUpdate | None:
        """Fold one event; the update it makes, if any."""
        if self._aggregate is None and not isinstance(event, Task.Created):
            return None  # not a task
        self._aggregate = event.mutate(self._aggregate)
        self.version = event.originator_version
        name = type(event).__name__
        if name == "Created":
            self.owner = event.tenant_id
        if name == "Deleted":
            self.deleted = True
            return None
        change = CHANGES.get(name)
        if change is None:
            return None
        update = analysis_pb2.AnalysisUpdate(
            position=event.originator_version, change=change, task=self._task_pb())
        segment = self._segment_pb(event)
        if segment is not None:
            update.segment.CopyFrom(segment)
        if name in ("Completed", "Failed"):
            self.ended = True
        return update

    def _task_pb(self) -> analysis_pb2.Task:
        t = self._aggregate
        return analysis_pb2.Task(
            task_id=str(t.id), status=analysis_pb2.TaskStatus.Value(f"TASK_STATUS_{t.status}"),
            kind=KINDS[t.kind], filename=t.filename, content_type=t.content_type,
            size_bytes=t.size_bytes, created_at=_ts(t.created_on), updated_at=_ts(t.modified_on),
            segments_total=t.segments_total or 0, segments_done=t.segments_done,
            segments_failed=t.segments_failed, error=t.error,
            scene_options=scene_options_pb(t.scene_options),
            split_progress=t.split_progress,
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

"""Consumer handlers: SplitVideo -> scenes, key frames in S3, SceneExtracted, VideoSplit."""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from scenelens.adapters.rabbitmq import VIDEO_QUEUE, Delivery
from scenelens.adapters.s3 import ObjectMissing, ObjectStore, scene_image_key
from scenelens.application import TaskApplication
from scenelens.batching import GroupCommit
from scenelens.cleanup import remove_task_files
from scenelens.domain.errors import PermanentFailure, TaskGone, TaskNotFound
from scenelens.domain.ids import segment_id
from scenelens.logs import log_context
from scenelens.observability import SCENE_DETECTION_FPS
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2
from video_service.probe import UndecodableVideo
from video_service.splitter import detect_scenes, extract_key_frames

log = logging.getLogger(__name__)

_DONE = object()


@dataclass
class Deps:
    settings: Settings
    app: TaskApplication
    s3: ObjectStore
    scenes: GroupCommit[uuid.UUID, Callable[[Any], bool], bool] = field(init=False)

    def __post_init__(self) -> None:
        self.scenes = GroupCommit(self.app.record_batch,
                                  window_s=self.settings.scene_batch_window_ms / 1000,
                                  max_items=self.settings.recorder_batch_max)


def encode_frame(image_rgb: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(image_rgb[..., ::-1]),
                           [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def _options(cmd: commands_pb2.SplitVideo, settings: Settings) -> dict[str, Any]:
    o = cmd.scene_options
    threshold = o.threshold if o.HasField("threshold") else (settings.scene_threshold or None)
    return {
        "detector": o.detector or settings.scene_detector,
        "threshold": threshold,
        "min_scene_seconds": (
            o.min_scene_seconds if o.HasField("min_scene_seconds") else settings.min_scene_seconds
        ),
        "min_scene_frames": settings.min_scene_frames,
        "max_scenes": o.max_scenes if o.HasField("max_scenes") else settings.max_scenes,
    }


async def handle_split_video(delivery: Delivery, *, deps: Deps) -> None:
    cmd = commands_pb2.SplitVideo.FromString(delivery.body)
    task_id = uuid.UUID(cmd.task_id)
    with log_context(task_id=task_id):
        task = await asyncio.to_thread(deps.app.get_live_task, task_id)
        if task.ended or task.segments_total is not None:
            log.info("video already split; nothing to do")
            return
        await asyncio.to_thread(deps.app.start_processing, task_id)
        work_dir = deps.settings.work_dir or None
        fd, path = tempfile.mkstemp(prefix="scenelens-", suffix=".video", dir=work_dir)
        os.close(fd)
        try:
            try:
                await deps.s3.download_file(cmd.input_key, path)
            except ObjectMissing:
                raise PermanentFailure(f"input file {cmd.input_key} is missing") from None
            try:
                await _split(path, task_id, cmd, deps, set(task.segments))
            except UndecodableVideo as e:
                log.warning("undecodable video: %s", e)
                await asyncio.to_thread(deps.app.fail_task, task_id, f"undecodable video: {e}")
            except TaskGone:
                # Deleted while splitting: what we wrote must not survive.
                await remove_task_files(deps.s3, task_id)
                raise
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)


async def _split(
    path: str, task_id: uuid.UUID, cmd: commands_pb2.SplitVideo, deps: Deps, known: set[str]
) -> None:
    options = _options(cmd, deps.settings)
    started = time.perf_counter()
    reporter = SplitProgress(task_id, deps, asyncio.get_running_loop())
    try:
        scenes = await asyncio.to_thread(detect_scenes, path, progress=reporter, **options)
    finally:
        await reporter.drain()
    if scenes:
        elapsed = time.perf_counter() - started
        SCENE_DETECTION_FPS.observe((scenes[-1].end_frame + 1) / max(elapsed, 1e-6))
    if not scenes:
        raise UndecodableVideo("no video frames could be decoded")
    log.info("scenes detected", extra={"scenes": len(scenes), "detector": options["detector"]})
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=4)
    stop_flag: list[bool] = []
    quality = deps.settings.jpeg_quality
    max_side = deps.settings.imgsz

    def produce() -> None:
        """Decode and encode key frames in a thread, handing them over one at a time."""
        frames: Iterator[Any] = extract_key_frames(path, scenes, max_side=max_side)
        try:
            for frame in frames:
                if stop_flag:
                    break
                item = (frame, encode_frame(frame.image, quality))
                asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()
        except BaseException as e:  # noqa: BLE001 - handed over to the event loop
            asyncio.run_coroutine_threadsafe(queue.put(e), loop).result()
        else:
            asyncio.run_coroutine_threadsafe(queue.put(_DONE), loop).result()

    producer = asyncio.create_task(asyncio.to_thread(produce))
    by_index = {s.index: s for s in scenes}
    records: list[asyncio.Future[bool]] = []
    try:
        while True:
            item = await queue.get()
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            frame, jpeg = item
            scene = by_index[frame.index]
            sid = str(segment_id(task_id, scene.index))
            if sid in known:
                continue  # recorded before a crash or redelivery
            key = scene_image_key(task_id, sid)
            await deps.s3.put_bytes(key, jpeg, "image/jpeg")
            # Group-committed: scenes extracted within a short window are saved together, so
            # the splitter writes the task a few times a second, not once a scene (fewer
            # conflicts with the recorder, which appends recognitions to the same task).
            records.append(asyncio.ensure_future(deps.scenes.submit(task_id, _scene_command(
                segment_id=sid, index=scene.index, start_time_s=scene.start_time_s,
                end_time_s=scene.end_time_s, start_frame=scene.start_frame,
                end_frame=scene.end_frame, key_frame_time_s=scene.key_frame_time_s,
                image_key=key, width=frame.width, height=frame.height))))
        await asyncio.gather(*records)  # every scene recorded (or the first error raised)
    finally:
        stop_flag.append(True)
        while not producer.done():
            # Unblock a producer waiting on a full queue.
            with contextlib.suppress(asyncio.QueueEmpty):
                queue.get_nowait()
            await asyncio.sleep(0.01)
        with contextlib.suppress(BaseException):
            await producer
        # Never leave a scene record running behind a failure (a retry would race it).
        await asyncio.gather(*records, return_exceptions=True)
    await asyncio.to_thread(deps.app.finish_split, task_id, len(scenes))
    log.info("video split", extra={"segments_total": len(scenes)})


class SplitProgress:
    """detect_scenes()'s progress callback: records how far detection has got (the task's
    split_progress) at most every split_progress_interval_s, from the detection thread without
    waiting for the write. A task deleted meanwhile stops the detection (TaskGone, raised in
    the detection thread at its next report); any other failure to record is logged and the
    detection goes on, since progress is only information."""

    def __init__(self, task_id: uuid.UUID, deps: Deps, loop: asyncio.AbstractEventLoop) -> None:
        self._task_id = task_id
        self._deps = deps
        self._loop = loop
        self._interval = deps.settings.split_progress_interval_s
        self._last = time.monotonic()  # the first report after one interval
        self._pending: concurrent.futures.Future[None] | None = None
        self._gone: TaskGone | None = None

    def __call__(self, fraction: float) -> None:
        if self._gone is not None:
            raise self._gone
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last < self._interval:
            return  # the end is recorded by finish_split
        if self._pending is not None and not self._pending.done():
            return  # the last report is still being written: skip this one
        self._last = now
        self._pending = asyncio.run_coroutine_threadsafe(self._record(fraction), self._loop)

    async def _record(self, fraction: float) -> None:
        with log_context(task_id=self._task_id):
            try:
                await asyncio.to_thread(
                    self._deps.app.report_split_progress, self._task_id, fraction)
            except TaskGone as e:
                self._gone = e
            except Exception:  # noqa: BLE001 - progress is information; the split goes on
                log.warning("could not record the split's progress", exc_info=True)

    async def drain(self) -> None:
        """Wait for the report being written, so none lands after the split is recorded."""
        if self._pending is not None:
            await asyncio.wrap_future(self._pending)


def _scene_command(**scene: Any) -> Callable[[Any], bool]:
    return lambda task: bool(task.record_scene(**scene))


async def give_up(delivery: Delivery, reason: str, *, deps: Deps) -> None:
    """After the last attempt (or a permanent failure) the task is marked FAILED."""
    cmd = commands_pb2.SplitVideo.FromString(delivery.body)
    with contextlib.suppress(TaskGone, TaskNotFound, ValueError):
        await asyncio.to_thread(deps.app.fail_task, uuid.UUID(cmd.task_id), reason)


HANDLERS = {VIDEO_QUEUE: (handle_split_video, give_up)}

"""Consumer handlers: RecognizeFrame -> detections, an annotated image, FrameRecognized."""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np

from recognition_service.batcher import InferenceBatcher
from recognition_service.detector import Detection
from recognition_service.imaging import (
    UnsupportedImage,
    decode_image,
    draw_detections,
    encode_jpeg,
)
from recognition_service.models import ModelPool
from relay.mapping import detection_pb
from scenelens.adapters.rabbitmq import RECOGNITION_QUEUE, RESULTS_QUEUE, Delivery, Publisher
from scenelens.adapters.s3 import ObjectMissing, ObjectStore, result_key, run_result_key
from scenelens.application import TaskApplication
from scenelens.domain.errors import PermanentFailure, RunNotFound
from scenelens.domain.ids import NAMESPACE
from scenelens.domain.task import FIRST_RUN, run_id
from scenelens.logs import log_context
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2

log = logging.getLogger(__name__)


@dataclass
class Deps:
    settings: Settings
    app: TaskApplication
    s3: ObjectStore
    models: ModelPool
    publisher: Publisher | None = None  # the broker, once it is started
    batch: int = 1  # frames per model call of the default model


@dataclass(frozen=True)
class Recognized:
    detections: list[dict[str, Any]]
    jpeg: bytes
    width: int
    height: int


def decode(data: bytes) -> np.ndarray:
    """The image to recognise (CPU-bound; runs in a worker thread)."""
    try:
        return decode_image(data)
    except UnsupportedImage as e:
        raise PermanentFailure(f"cannot decode image: {e}") from None


def annotate(image: np.ndarray, found: list[Detection], width: int, height: int,
             quality: int) -> Recognized:
    """Detections in the frame's displayed size, and the annotated JPEG (a worker thread)."""
    h, w = image.shape[:2]
    # Key frames are stored downscaled; report boxes in the frame's displayed size.
    out_w, out_h = (width, height) if width > 0 and height > 0 else (w, h)
    sx, sy = out_w / w, out_h / h
    detections = [
        {"label": d.label, "class_id": d.class_id, "confidence": round(float(d.confidence), 5),
         "box": [round(d.x1 * sx, 2), round(d.y1 * sy, 2), round(d.x2 * sx, 2), round(d.y2 * sy, 2)]}
        for d in found
    ]
    jpeg = encode_jpeg(draw_detections(image, found), quality)
    return Recognized(detections, jpeg, out_w, out_h)


def _recognize_alone(batcher: InferenceBatcher, data: bytes, width: int, height: int,
                     quality: int, conf: float | None, classes: list[int] | None) -> Recognized:
    image = decode(data)
    found = batcher.detect_alone(image, conf=conf, classes=classes)
    return annotate(image, found, width, height, quality)


async def recognize(batcher: InferenceBatcher, data: bytes, width: int, height: int,
                    quality: int, conf: float | None = None, classes: list[int] | None = None
                    ) -> Recognized:
    """Decode, detect (alone or in a batch with other frames), draw and encode."""
    if batcher.max_batch == 1:  # no batching: the whole frame in one worker-thread hop
        return await asyncio.to_thread(_recognize_alone, batcher, data, width, height, quality,
                                       conf, classes)
    image = await asyncio.to_thread(decode, data)
    found = await batcher.detect(image, conf=conf, classes=classes)
    return await asyncio.to_thread(annotate, image, found, width, height, quality)


def class_ids(names: dict[int, str], labels: list[str]) -> list[int] | None:
    """The model's class ids for the labels to keep (None: keep every class)."""
    if not labels:
        return None
    by_name = {name: i for i, name in names.items()}
    missing = [label for label in labels if label not in by_name]
    if missing:
        raise PermanentFailure(f"the model has no class {missing[0]!r}")
    return sorted(by_name[label] for label in labels)


@dataclass(frozen=True)
class RunOptions:
    model: str
    confidence: float | None
    labels: list[str]


async def _run_options(deps: Deps, delivery: Delivery, cmd: commands_pb2.RecognizeFrame,
                       task_id: uuid.UUID, rid: str, first: str) -> RunOptions | None:
    """The run's options, or None when the segment is already settled (nothing to do).

    A command that carries its run's options and comes for the first time starts at once: its
    segment is pending, since nothing recognised it before. Anything else (a retry, a
    redelivery after a crash, a command from before options travelled) reads the task: a
    settled segment is skipped, and a deleted task's work dropped (TaskGone)."""
    fresh = delivery.attempt == 1 and not delivery.redelivered
    if cmd.options_included and fresh:
        return RunOptions(cmd.model, cmd.confidence if cmd.HasField("confidence") else None,
                          list(cmd.labels))
    task = await asyncio.to_thread(deps.app.get_live_task, task_id)
    try:
        run = task.run(rid)
    except RunNotFound:
        raise PermanentFailure(f"run {rid} is not part of task {task_id}") from None
    state = run.segments.get(cmd.segment_id)
    if state is None:
        raise PermanentFailure(f"segment {cmd.segment_id} is not part of task {task_id}")
    if state != "PENDING" or run.status == "FAILED" or (rid != first and run.ended):
        return None
    conf = run.options.get("confidence")
    return RunOptions(str(run.options.get("model") or ""),
                      None if conf is None else float(conf),
                      [str(x) for x in run.options.get("labels") or []])


async def handle_recognize_frame(delivery: Delivery, *, deps: Deps) -> None:
    cmd = commands_pb2.RecognizeFrame.FromString(delivery.body)
    task_id = uuid.UUID(cmd.task_id)
    first = str(run_id(task_id, FIRST_RUN))
    rid = cmd.run_id or first  # commands from before runs are the first run's
    with log_context(task_id=task_id, segment_id=cmd.segment_id, run_id=rid):
        options = await _run_options(deps, delivery, cmd, task_id, rid, first)
        if options is None:
            log.info("segment already settled; nothing to do")
            return
        # Empty options (tasks from before models) take the worker's default model, its
        # threshold and every class.
        model = await deps.models.get(options.model)
        conf = model.info.confidence if options.confidence is None else options.confidence
        labels = options.labels
        batcher: InferenceBatcher = model.detector  # the model behind its micro-batcher
        classes = class_ids(batcher.detector.class_names, labels)
        try:
            data = await deps.s3.get_bytes(cmd.image_key)
        except ObjectMissing:
            # Most likely the task was deleted while this waited: then its work is dropped.
            await asyncio.to_thread(deps.app.get_live_task, task_id)  # TaskGone if so
            raise PermanentFailure(f"image {cmd.image_key} is missing") from None
        result = await recognize(batcher, data, cmd.width, cmd.height,
                                 deps.settings.jpeg_quality, conf, classes)
        key = (result_key(task_id, cmd.segment_id) if rid == first
               else run_result_key(task_id, rid, cmd.segment_id))
        await deps.s3.put_bytes(key, result.jpeg, "image/jpeg")
        record = commands_pb2.RecordRecognition(
            task_id=str(task_id), segment_id=cmd.segment_id, run_id=rid,
            detections=[detection_pb(d) for d in result.detections],
            model_name=model.info.name, model_version=model.version, result_key=key,
            width=result.width, height=result.height, confidence=conf,
            iou=batcher.detector.iou, labels=labels,
        )
        # The recorder appends it to the task (and removes the image if the task is gone).
        await _send_result(deps, delivery, record)
        log.info("frame recognized", extra={"detections": len(result.detections),
                                            "model": model.info.name})


async def _send_result(deps: Deps, delivery: Delivery,
                       msg: commands_pb2.RecordRecognition | commands_pb2.RecordSegmentFailure
                       ) -> None:
    """Send to the recorder, confirmed, with an id derived from the command's (redelivery of
    the command sends the same id; the recorder records a segment's outcome once anyway)."""
    assert deps.publisher is not None, "start_consuming sets the publisher"
    name = msg.DESCRIPTOR.name
    message_id = str(uuid.uuid5(NAMESPACE, f"{delivery.message_id}/{name}"))
    request_id = delivery.headers.get("x-request-id")
    headers: dict[str, Any] = {"x-request-id": str(request_id)} if request_id else {}
    await deps.publisher.send(RESULTS_QUEUE, msg, message_id=message_id, **headers)


async def give_up(delivery: Delivery, reason: str, *, deps: Deps) -> None:
    """After the last attempt (or a permanent failure) the segment is marked FAILED (in its run),
    by the recorder; if even that cannot be sent, the broker tries this again later."""
    try:
        cmd = commands_pb2.RecognizeFrame.FromString(delivery.body)
        uuid.UUID(cmd.task_id)
    except ValueError:
        return  # unreadable: it waits in the dead-letter queue, there is no task to tell
    await _send_result(deps, delivery, commands_pb2.RecordSegmentFailure(
        task_id=cmd.task_id, segment_id=cmd.segment_id, run_id=cmd.run_id,
        reason=reason[:2000]))


HANDLERS = {RECOGNITION_QUEUE: (handle_recognize_frame, give_up)}

"""Consumer handlers: RecognizeFrame -> detections, an annotated image, FrameRecognized."""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from recognition_service.detector import Detector
from recognition_service.imaging import (
    UnsupportedImage,
    decode_image,
    draw_detections,
    encode_jpeg,
)
from scenelens.adapters.rabbitmq import RECOGNITION_QUEUE, Delivery
from scenelens.adapters.s3 import ObjectMissing, ObjectStore, result_key
from scenelens.application import TaskApplication
from scenelens.cleanup import remove_task_files
from scenelens.domain.errors import PermanentFailure, SegmentNotFound, TaskGone, TaskNotFound
from scenelens.logs import log_context
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2

log = logging.getLogger(__name__)


@dataclass
class Deps:
    settings: Settings
    app: TaskApplication
    s3: ObjectStore
    detector: Detector


@dataclass(frozen=True)
class Recognized:
    detections: list[dict[str, Any]]
    jpeg: bytes
    width: int
    height: int


def recognize(detector: Detector, data: bytes, width: int, height: int, quality: int) -> Recognized:
    """Decode, detect, draw and encode (CPU-bound; runs in a worker thread)."""
    try:
        image = decode_image(data)
    except UnsupportedImage as e:
        raise PermanentFailure(f"cannot decode image: {e}") from None
    h, w = image.shape[:2]
    # Key frames are stored downscaled; report boxes in the frame's displayed size.
    out_w, out_h = (width, height) if width > 0 and height > 0 else (w, h)
    sx, sy = out_w / w, out_h / h
    found = detector.detect(image)
    detections = [
        {"label": d.label, "class_id": d.class_id, "confidence": round(float(d.confidence), 5),
         "box": [round(d.x1 * sx, 2), round(d.y1 * sy, 2), round(d.x2 * sx, 2), round(d.y2 * sy, 2)]}
        for d in found
    ]
    jpeg = encode_jpeg(draw_detections(image, found), quality)
    return Recognized(detections, jpeg, out_w, out_h)


async def handle_recognize_frame(delivery: Delivery, *, deps: Deps) -> None:
    cmd = commands_pb2.RecognizeFrame.FromString(delivery.body)
    task_id = uuid.UUID(cmd.task_id)
    with log_context(task_id=task_id, segment_id=cmd.segment_id):
        task = await asyncio.to_thread(deps.app.get_live_task, task_id)
        state = task.segments.get(cmd.segment_id)
        if state is None:
            raise PermanentFailure(f"segment {cmd.segment_id} is not part of task {task_id}")
        if state[1] != "PENDING" or task.status == "FAILED":
            log.info("segment already settled; nothing to do")
            return
        try:
            data = await deps.s3.get_bytes(cmd.image_key)
        except ObjectMissing:
            raise PermanentFailure(f"image {cmd.image_key} is missing") from None
        result = await asyncio.to_thread(
            recognize, deps.detector, data, cmd.width, cmd.height, deps.settings.jpeg_quality
        )
        key = result_key(task_id, cmd.segment_id)
        await deps.s3.put_bytes(key, result.jpeg, "image/jpeg")
        try:
            recorded = await asyncio.to_thread(
                deps.app.record_recognition, task_id, segment_id=cmd.segment_id,
                detections=result.detections, model_name=deps.detector.model_name,
                model_version=deps.detector.model_version, result_key=key,
                width=result.width, height=result.height,
            )
        except TaskGone:
            # Deleted while we worked: what we wrote must not survive.
            await remove_task_files(deps.s3, task_id)
            raise
        log.info("frame recognized", extra={"detections": len(result.detections),
                                            "recorded": recorded})


async def give_up(delivery: Delivery, reason: str, *, deps: Deps) -> None:
    """After the last attempt (or a permanent failure) the segment is marked FAILED."""
    cmd = commands_pb2.RecognizeFrame.FromString(delivery.body)
    try:
        await asyncio.to_thread(
            deps.app.fail_segment, uuid.UUID(cmd.task_id), cmd.segment_id, reason
        )
    except (TaskGone, TaskNotFound, SegmentNotFound, ValueError):
        pass


HANDLERS = {RECOGNITION_QUEUE: (handle_recognize_frame, give_up)}

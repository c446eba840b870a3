"""Maps stored domain events to protobuf events and the commands they cause (pure)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from scenelens.adapters.rabbitmq import RECOGNITION_QUEUE, VIDEO_QUEUE
from scenelens.domain.ids import NAMESPACE
from scenelens.domain.task import FIRST_RUN, PHOTO, Task, run_id
from scenelens.v1 import commands_pb2, events_pb2, types_pb2

KINDS = {"photo": types_pb2.MEDIA_KIND_PHOTO, "video": types_pb2.MEDIA_KIND_VIDEO}


@dataclass(frozen=True)
class Outgoing:
    """One message to publish: to a work queue (command) or the events exchange (event)."""

    msg: Message
    message_id: str
    task_id: str
    queue: str = ""  # a command's work queue
    routing_key: str = ""  # an event's routing key


def scene_options_pb(options: dict[str, Any]) -> types_pb2.SceneOptions:
    pb = types_pb2.SceneOptions(detector=str(options.get("detector") or ""))
    if options.get("threshold") is not None:
        pb.threshold = float(options["threshold"])
    if options.get("min_scene_seconds") is not None:
        pb.min_scene_seconds = float(options["min_scene_seconds"])
    if options.get("max_scenes") is not None:
        pb.max_scenes = int(options["max_scenes"])
    return pb


def detection_pb(d: dict[str, Any]) -> types_pb2.Detection:
    x1, y1, x2, y2 = d["box"]
    return types_pb2.Detection(
        label=d["label"], class_id=int(d["class_id"]), confidence=float(d["confidence"]),
        box=types_pb2.Box(x1=x1, y1=y1, x2=x2, y2=y2),
    )


def include_options(cmd: commands_pb2.RecognizeFrame, options: dict[str, Any]
                    ) -> commands_pb2.RecognizeFrame:
    """Copy a run's options (model, confidence, labels) into its recognition command."""
    cmd.model = str(options.get("model") or "")
    if options.get("confidence") is not None:
        cmd.confidence = float(options["confidence"])
    cmd.labels[:] = [str(x) for x in options.get("labels") or []]
    cmd.options_included = True
    return cmd


def first_run(task_id: str) -> str:
    return str(run_id(task_id, FIRST_RUN))


def event_id(e: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{e.originator_id}/{e.originator_version}"))


def _command_id(eid: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{eid}/{name}"))


def outgoing(e: Any) -> list[Outgoing]:
    """Everything to publish for one stored event (empty for internal events)."""
    eid = event_id(e)
    tid = str(e.originator_id)

    def event(msg: Message, name: str) -> Outgoing:
        return Outgoing(msg=msg, message_id=eid, task_id=tid, routing_key=f"task.{name}")

    if isinstance(e, Task.Created):
        ts = Timestamp()
        ts.FromDatetime(e.timestamp)
        out = [event(events_pb2.TaskCreated(
            task_id=tid, kind=KINDS[e.kind], filename=e.filename, content_type=e.content_type,
            size_bytes=e.size_bytes, input_key=e.input_key,
            scene_options=scene_options_pb(e.scene_options), created_at=ts,
        ), "created")]
        if e.kind == PHOTO:
            cmd: Message = include_options(commands_pb2.RecognizeFrame(
                task_id=tid, segment_id=e.first_segment_id, index=0, image_key=e.input_key,
                run_id=first_run(tid)), e.analysis_options)
            out.append(Outgoing(cmd, _command_id(eid, "RecognizeFrame"), tid, queue=RECOGNITION_QUEUE))
        else:
            cmd = commands_pb2.SplitVideo(
                task_id=tid, input_key=e.input_key,
                scene_options=scene_options_pb(e.scene_options),
            )
            out.append(Outgoing(cmd, _command_id(eid, "SplitVideo"), tid, queue=VIDEO_QUEUE))
        return out
    if isinstance(e, Task.SceneExtracted):
        return [
            event(events_pb2.SceneExtracted(
                task_id=tid, segment_id=e.segment_id, index=e.index,
                start_time_s=e.start_time_s, end_time_s=e.end_time_s,
                start_frame=e.start_frame, end_frame=e.end_frame,
                key_frame_time_s=e.key_frame_time_s, image_key=e.image_key,
                width=e.width, height=e.height,
            ), "scene_extracted"),
            # The first run's options are the task's (TaskCreated): the relay adds them.
            Outgoing(commands_pb2.RecognizeFrame(
                task_id=tid, segment_id=e.segment_id, index=e.index, image_key=e.image_key,
                width=e.width, height=e.height, run_id=first_run(tid),
            ), _command_id(eid, "RecognizeFrame"), tid, queue=RECOGNITION_QUEUE),
        ]
    if isinstance(e, Task.VideoSplit):
        return [event(events_pb2.VideoSplit(task_id=tid, segments_total=e.segments_total),
                      "video_split")]
    if isinstance(e, (Task.FrameRecognized, Task.RunFrameRecognized)):
        first = isinstance(e, Task.FrameRecognized)
        return [event(events_pb2.FrameRecognized(
            task_id=tid, segment_id=e.segment_id,
            detections=[detection_pb(d) for d in e.detections],
            model_name=e.model_name, model_version=e.model_version, result_key=e.result_key,
            run_id=first_run(tid) if first else getattr(e, "run_id", ""),
            confidence_threshold=e.confidence or 0.0, iou_threshold=e.iou or 0.0,
            labels=list(e.labels),
        ), "frame_recognized" if first else "run_frame_recognized")]
    if isinstance(e, Task.RunStarted):
        options = e.options
        out = [event(events_pb2.RunStarted(
            task_id=tid, run_id=e.run_id, number=e.number, model=str(options.get("model", "")),
            confidence=float(options.get("confidence") or 0.0),
            labels=list(options.get("labels") or []), segments_total=len(e.segments),
        ), "run_started")]
        for seg in e.segments:
            out.append(Outgoing(include_options(commands_pb2.RecognizeFrame(
                task_id=tid, segment_id=seg["segment_id"], index=seg["index"],
                image_key=seg["image_key"], width=seg["width"], height=seg["height"],
                run_id=e.run_id), options),
                _command_id(eid, f"RecognizeFrame/{seg['segment_id']}"), tid,
                queue=RECOGNITION_QUEUE))
        return out
    if isinstance(e, Task.RunCompleted):
        return [event(events_pb2.RunFinished(
            task_id=tid, run_id=e.run_id, status="DONE", segments_done=e.segments_done,
            segments_failed=e.segments_failed), "run_finished")]
    if isinstance(e, Task.RunFailed):
        return [event(events_pb2.RunFinished(task_id=tid, run_id=e.run_id, status="FAILED",
                                             reason=e.reason), "run_finished")]
    if isinstance(e, Task.SegmentFailed):
        return [event(events_pb2.SegmentFailed(task_id=tid, segment_id=e.segment_id,
                                               reason=e.reason), "segment_failed")]
    if isinstance(e, Task.Completed):
        return [event(events_pb2.TaskCompleted(task_id=tid, segments_done=e.segments_done,
                                               segments_failed=e.segments_failed), "completed")]
    if isinstance(e, Task.Failed):
        return [event(events_pb2.TaskFailed(task_id=tid, reason=e.reason), "failed")]
    if isinstance(e, Task.Deleted):
        return [event(events_pb2.TaskDeleted(task_id=tid), "deleted")]
    return []

"""Recorder handlers: RecordRecognition and RecordSegmentFailure -> Task events, group-committed.

Recognition workers do not write tasks themselves: with several workers on one video they would
race on its Task aggregate (optimistic concurrency: reload, decide again, retry), and every
retry loads the whole task again. Instead each worker sends its result here. One recorder
consumes the queue at a time (single active consumer); results of one task that arrive within
a few milliseconds are applied with one load and one save (`GroupCommit`), and no two batches of
one task run at once. Redelivery changes nothing: the task records a segment's outcome once.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import DecodeError

from scenelens.adapters.rabbitmq import RESULTS_QUEUE, Delivery
from scenelens.adapters.s3 import ObjectStore
from scenelens.application import TaskApplication
from scenelens.batching import GroupCommit
from scenelens.cleanup import remove_task_files
from scenelens.domain.errors import (
    DomainError,
    PermanentFailure,
    RunNotFound,
    SegmentNotFound,
    TaskGone,
    TaskNotFound,
)
from scenelens.domain.task import FIRST_RUN, Task, run_id
from scenelens.logs import log_context
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2, types_pb2

log = logging.getLogger(__name__)

Command = Callable[[Task], bool]


@dataclass
class Deps:
    settings: Settings
    app: TaskApplication
    s3: ObjectStore
    commits: GroupCommit[uuid.UUID, Command, bool]


def group_commit(app: TaskApplication, settings: Settings) -> GroupCommit[uuid.UUID, Command, bool]:
    def apply(task_id: uuid.UUID, commands: Sequence[Command]) -> Sequence[bool | BaseException]:
        try:
            return app.record_batch(task_id, commands)
        except TaskNotFound as e:  # never created (or not a task): every command is moot
            return [TaskGone(str(e))] * len(commands)

    return GroupCommit(apply, window_s=settings.recorder_batch_window_ms / 1000,
                       max_items=settings.recorder_batch_max)


def detection(d: types_pb2.Detection) -> dict[str, Any]:
    """A detection as events store it (floats rounded as the worker rounded them)."""
    return {"label": d.label, "class_id": int(d.class_id),
            "confidence": round(float(d.confidence), 5),
            "box": [round(float(v), 2) for v in (d.box.x1, d.box.y1, d.box.x2, d.box.y2)]}


def recognition_command(cmd: commands_pb2.RecordRecognition) -> Command:
    """The Task command that records one result, in the first run or a re-analysis."""
    result: dict[str, Any] = dict(
        segment_id=cmd.segment_id, detections=[detection(d) for d in cmd.detections],
        model_name=cmd.model_name, model_version=cmd.model_version, result_key=cmd.result_key,
        width=cmd.width, height=cmd.height,
        confidence=cmd.confidence if cmd.HasField("confidence") else None,
        iou=cmd.iou if cmd.HasField("iou") else None, labels=list(cmd.labels),
    )
    rid = cmd.run_id
    if not rid or rid == str(run_id(cmd.task_id, FIRST_RUN)):
        return lambda task: task.record_recognition(**result)
    return lambda task: task.record_run_recognition(run_id=rid, **result)


def failure_command(cmd: commands_pb2.RecordSegmentFailure) -> Command:
    rid, segment, reason = cmd.run_id, cmd.segment_id, cmd.reason
    if not rid or rid == str(run_id(cmd.task_id, FIRST_RUN)):
        return lambda task: task.fail_segment(segment, reason)
    return lambda task: task.fail_run_segment(rid, segment, reason)


def parse(delivery: Delivery) -> tuple[uuid.UUID, str, str, Command, str]:
    """(task id, segment id, run id, command, what) of a message; PermanentFailure if unreadable."""
    try:
        if delivery.type.endswith("RecordSegmentFailure"):
            failure = commands_pb2.RecordSegmentFailure.FromString(delivery.body)
            return (uuid.UUID(failure.task_id), failure.segment_id, failure.run_id,
                    failure_command(failure), "failure")
        result = commands_pb2.RecordRecognition.FromString(delivery.body)
        return (uuid.UUID(result.task_id), result.segment_id, result.run_id,
                recognition_command(result), "result")
    except (ValueError, DecodeError) as e:  # a malformed body or id: it will never parse
        raise PermanentFailure(f"unreadable {delivery.type or 'message'}: {e}") from None


async def handle_record(delivery: Delivery, *, deps: Deps) -> None:
    task_id, segment_id, rid, command, what = parse(delivery)
    with log_context(task_id=task_id, segment_id=segment_id, run_id=rid or None):
        try:
            recorded = await deps.commits.submit(task_id, command)
        except TaskGone:
            if what == "result":
                # Deleted while the worker ran: its annotated image must not survive.
                await remove_task_files(deps.s3, task_id)
            raise
        except (SegmentNotFound, RunNotFound) as e:
            raise PermanentFailure(str(e)) from None
        except DomainError as e:
            raise PermanentFailure(f"{type(e).__name__}: {e}") from None
        log.info("%s recorded" if recorded else "%s already settled", what,
                 extra={"recorded": recorded})


async def give_up(delivery: Delivery, reason: str, *, deps: Deps) -> None:
    """Out of retries (e.g. the event store was down for long): the message waits in the
    dead-letter queue; the segment is marked failed if that can be recorded."""
    try:
        task_id, segment_id, rid, _, what = parse(delivery)
    except PermanentFailure:
        return
    if what != "result":
        return
    failure = commands_pb2.RecordSegmentFailure(
        task_id=str(task_id), segment_id=segment_id, run_id=rid,
        reason=f"its result could not be recorded: {reason}"[:2000])
    try:
        await deps.commits.submit(task_id, failure_command(failure))
    except DomainError:
        pass


HANDLERS = {RESULTS_QUEUE: (handle_record, give_up)}

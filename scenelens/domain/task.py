"""The Task aggregate: an uploaded file, its segments and the rule that decides when it is done."""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate, event

from scenelens.domain.errors import (
    InvalidRequest,
    RunNotFound,
    SegmentNotFound,
    TaskGone,
    TaskNotReady,
)
from scenelens.domain.ids import NAMESPACE
from scenelens.domain.tenant import DEFAULT_TENANT_ID

# The tier that tasks recorded before tenants existed are taken to have.
DEFAULT_TIER = "pro"

PHOTO = "photo"
VIDEO = "video"

PENDING = "PENDING"
PROCESSING = "PROCESSING"
DONE = "DONE"
FAILED = "FAILED"

SEGMENT_PENDING = "PENDING"
SEGMENT_DONE = "DONE"
SEGMENT_FAILED = "FAILED"

FIRST_RUN = 1


def run_id(task_id: uuid.UUID | str, number: int) -> uuid.UUID:
    """The id of a task's run: uuid5 of task id and run number (the first analysis is run 1)."""
    return uuid.uuid5(NAMESPACE, f"{task_id}/run/{number}")


@dataclass
class SegmentState:
    """What the aggregate needs to know of a segment (details live in the events)."""

    index: int
    status: str = SEGMENT_PENDING
    image_key: str = ""  # the image recognition reads: the photo, or the scene's key frame
    width: int = 0  # size boxes are reported in (0: the image's own)
    height: int = 0
    reason: str = ""  # why it failed, when it did


@dataclass
class RunState:
    """A re-analysis (run 2 on): its options and each segment's status in it."""

    run_id: str
    number: int
    options: dict[str, Any]
    segments: dict[str, str]  # segment id -> status in this run
    status: str = PENDING

    @property
    def ended(self) -> bool:
        return self.status in (DONE, FAILED)

    def count(self, status: str) -> int:
        return sum(1 for s in self.segments.values() if s == status)


class Task(Aggregate):
    """A photo (one segment) or a video (one segment per scene)."""

    class Created(Aggregate.Created):
        """TaskCreated. Version 2 added the owning tenant and its tier at upload time;
        version 3 the id of the upload's request, which every later message carries;
        version 4 the analysis options (model, confidence threshold, labels) of the first run."""

        class_version = 4
        kind: str
        filename: str
        content_type: str
        size_bytes: int
        input_key: str
        scene_options: dict[str, Any]
        first_segment_id: str
        tenant_id: str
        tier: str
        request_id: str
        analysis_options: dict[str, Any]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["tenant_id"] = str(DEFAULT_TENANT_ID)
            state["tier"] = DEFAULT_TIER

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["request_id"] = ""

        @staticmethod
        def upcast_v3_v4(state: dict[str, Any]) -> None:
            # Before models were chosen: the default model of the day, its threshold, all labels.
            state["analysis_options"] = {}

    class FrameRecognized(Aggregate.Event):
        """A segment's detections in the first run. Version 2 added the thresholds used."""

        class_version = 2
        segment_id: str
        detections: list[dict[str, Any]]
        model_name: str
        model_version: str
        result_key: str
        width: int
        height: int
        confidence: float | None
        iou: float | None
        labels: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["confidence"] = None
            state["iou"] = None
            state["labels"] = []

    @event(Created)
    def __init__(
        self,
        *,
        id: uuid.UUID,  # noqa: A002 - eventsourcing takes the aggregate id from this argument
        kind: str,
        filename: str,
        content_type: str,
        size_bytes: int,
        input_key: str,
        scene_options: dict[str, Any],
        first_segment_id: str,
        tenant_id: str,
        tier: str,
        request_id: str = "",
        analysis_options: dict[str, Any] | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self.tier = tier
        self.request_id = request_id
        self.kind = kind
        self.filename = filename
        self.content_type = content_type
        self.size_bytes = size_bytes
        self.input_key = input_key
        self.scene_options = scene_options
        self.status = PENDING
        self.error = ""
        self.deleted = False
        self.segments: dict[str, SegmentState] = {}
        self.segments_total: int | None = None
        self.split_progress = 0.0  # a video: the share of it scene detection has gone through
        self.analysis_options: dict[str, Any] = dict(analysis_options or {})
        self.runs: dict[str, RunState] = {}  # re-analyses, by run id
        if kind == PHOTO:
            self.segments[first_segment_id] = SegmentState(index=0, image_key=input_key)
            self.segments_total = 1

    # -- queries -------------------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def segments_done(self) -> int:
        return sum(1 for s in self.segments.values() if s.status == SEGMENT_DONE)

    @property
    def segments_failed(self) -> int:
        return sum(1 for s in self.segments.values() if s.status == SEGMENT_FAILED)

    def segment(self, segment_id: str) -> SegmentState:
        try:
            return self.segments[segment_id]
        except KeyError:
            raise SegmentNotFound(f"segment {segment_id} not found in task {self.id}") from None

    def _check_live(self) -> None:
        if self.deleted:
            raise TaskGone(f"task {self.id} was deleted")

    # -- commands (rules first, then the event) ---------------------------------------------------

    def start_processing(self) -> bool:
        """Mark a video as being split; False when nothing changed."""
        self._check_live()
        if self.status != PENDING:
            return False
        self._processing_started()
        return True

    def record_scene(
        self,
        *,
        segment_id: str,
        index: int,
        start_time_s: float,
        end_time_s: float,
        start_frame: int,
        end_frame: int,
        key_frame_time_s: float,
        image_key: str,
        width: int,
        height: int,
    ) -> bool:
        """Record an extracted scene once; a repeat (redelivery) changes nothing."""
        self._check_live()
        if self.ended or segment_id in self.segments or self.segments_total is not None:
            return False
        self._scene_extracted(
            segment_id=segment_id, index=index, start_time_s=start_time_s,
            end_time_s=end_time_s, start_frame=start_frame, end_frame=end_frame,
            key_frame_time_s=key_frame_time_s, image_key=image_key, width=width, height=height,
        )
        return True

    def report_split_progress(self, fraction: float) -> bool:
        """Record how far scene detection has gone through the video (0..1, in hundredths,
        never backwards: a redelivered split starting over reports nothing until it passes
        the last report). False when nothing changed: not a video, split or ended already."""
        self._check_live()
        if self.kind != VIDEO or self.ended or self.segments_total is not None:
            return False
        if not math.isfinite(fraction):
            raise ValueError("split progress must be a number")
        hundredths = min(max(math.floor(fraction * 100), 0), 99)  # 1.0 is the split itself
        if hundredths <= round(self.split_progress * 100):
            return False
        self._split_progressed(fraction=hundredths / 100)
        return True

    def finish_split(self, segments_total: int) -> bool:
        """Record that splitting ended with this many scenes."""
        self._check_live()
        if self.ended or self.segments_total is not None:
            return False
        self._video_split(segments_total=segments_total)
        self._complete_if_finished()
        return True

    def record_recognition(
        self,
        *,
        segment_id: str,
        detections: list[dict[str, Any]],
        model_name: str,
        model_version: str,
        result_key: str,
        width: int,
        height: int,
        confidence: float | None = None,
        iou: float | None = None,
        labels: list[str] | None = None,
    ) -> bool:
        """Record a segment's detections once; later duplicates change nothing."""
        self._check_live()
        segment = self.segment(segment_id)
        if self.status == FAILED or segment.status != SEGMENT_PENDING:
            return False
        self._frame_recognized(
            segment_id=segment_id, detections=detections, model_name=model_name,
            model_version=model_version, result_key=result_key, width=width, height=height,
            confidence=confidence, iou=iou, labels=list(labels or []),
        )
        self._complete_if_finished()
        return True

    def fail_segment(self, segment_id: str, reason: str) -> bool:
        """Mark a segment failed after its retries; the task still completes."""
        self._check_live()
        segment = self.segment(segment_id)
        if self.status == FAILED or segment.status != SEGMENT_PENDING:
            return False
        self._segment_failed(segment_id=segment_id, reason=reason[:2000])
        self._complete_if_finished()
        return True

    def fail(self, reason: str) -> bool:
        """Fail the whole task (e.g. an undecodable file)."""
        self._check_live()
        if self.ended:
            return False
        self._failed(reason=reason[:2000])
        return True

    # -- runs (re-analysis of the stored key frames) -------------------------------------------

    def run(self, rid: str) -> RunState:
        try:
            return self.runs[rid]
        except KeyError:
            raise RunNotFound(f"run {rid} not found in task {self.id}") from None

    @property
    def default_run_id(self) -> str:
        """The latest finished (DONE) run; the first run until a re-analysis finishes."""
        done = [r for r in self.runs.values() if r.status == DONE]
        if done:
            return max(done, key=lambda r: r.number).run_id
        return str(run_id(self.id, FIRST_RUN))

    def reanalyze(self, options: dict[str, Any]) -> str:
        """Start a new run on the stored key frames; returns its id."""
        self._check_live()
        if not self.ended:
            raise TaskNotReady(
                f"task {self.id} is still being analysed; re-analyse it once it has finished"
            )
        if not self.segments:
            raise InvalidRequest(f"task {self.id} has no key frames to re-analyse")
        number = FIRST_RUN + len(self.runs) + 1
        rid = str(run_id(self.id, number))
        ordered = sorted(self.segments.items(), key=lambda kv: kv[1].index)
        self._run_started(
            run_id=rid, number=number, options=dict(options),
            segments=[{"segment_id": sid, "index": s.index, "image_key": s.image_key,
                       "width": s.width, "height": s.height} for sid, s in ordered],
        )
        return rid

    def record_run_recognition(
        self, *, run_id: str, segment_id: str, detections: list[dict[str, Any]],
        model_name: str, model_version: str, result_key: str, width: int, height: int,
        confidence: float | None, iou: float | None, labels: list[str],
    ) -> bool:
        """Record a segment's detections in a re-analysis once; duplicates change nothing."""
        self._check_live()
        run = self.run(run_id)
        if segment_id not in run.segments:
            raise SegmentNotFound(f"segment {segment_id} is not part of run {run_id}")
        if run.ended or run.segments[segment_id] != SEGMENT_PENDING:
            return False
        self._run_frame_recognized(
            run_id=run_id, segment_id=segment_id, detections=detections, model_name=model_name,
            model_version=model_version, result_key=result_key, width=width, height=height,
            confidence=confidence, iou=iou, labels=list(labels),
        )
        self._complete_run_if_finished(run)
        return True

    def fail_run_segment(self, run_id: str, segment_id: str, reason: str) -> bool:
        """Mark a segment failed in a re-analysis; the run still completes."""
        self._check_live()
        run = self.run(run_id)
        if segment_id not in run.segments:
            raise SegmentNotFound(f"segment {segment_id} is not part of run {run_id}")
        if run.ended or run.segments[segment_id] != SEGMENT_PENDING:
            return False
        self._run_segment_failed(run_id=run_id, segment_id=segment_id, reason=reason[:2000])
        self._complete_run_if_finished(run)
        return True

    def _complete_run_if_finished(self, run: RunState) -> None:
        done, failed = run.count(SEGMENT_DONE), run.count(SEGMENT_FAILED)
        if run.ended or done + failed < len(run.segments):
            return
        # The same rule as the first analysis: done unless every segment failed.
        if done == 0:
            self._run_failed(run_id=run.run_id, reason=f"all {failed} segments failed")
        else:
            self._run_completed(run_id=run.run_id, segments_done=done, segments_failed=failed)

    def _all_failed_reason(self) -> str:
        """Why the task failed when every segment did: a photo's own reason, or the count and
        the first segment's reason."""
        first = min((s for s in self.segments.values() if s.status == SEGMENT_FAILED),
                    key=lambda s: s.index)
        if self.segments_failed == 1:
            return first.reason or "its one segment failed"
        return (f"all {self.segments_failed} segments failed; the first: {first.reason}"
                if first.reason else f"all {self.segments_failed} segments failed")[:2000]

    def delete(self) -> None:
        """Delete the task; its files are removed by the caller, its events stay."""
        self._check_live()
        self._deleted()

    def _complete_if_finished(self) -> None:
        if self.ended or self.segments_total is None:
            return
        settled = self.segments_done + self.segments_failed
        if settled < self.segments_total:
            return
        if self.segments_total > 0 and self.segments_done == 0:
            self._failed(reason=self._all_failed_reason())
        else:
            self._completed(
                segments_done=self.segments_done, segments_failed=self.segments_failed
            )

    # -- events (state changes only) --------------------------------------------------------------

    @event("ProcessingStarted")
    def _processing_started(self) -> None:
        self.status = PROCESSING

    @event("SceneExtracted")
    def _scene_extracted(
        self, *, segment_id: str, index: int, start_time_s: float, end_time_s: float,
        start_frame: int, end_frame: int, key_frame_time_s: float, image_key: str,
        width: int, height: int,
    ) -> None:
        self.segments[segment_id] = SegmentState(
            index=index, image_key=image_key, width=width, height=height
        )
        self.status = PROCESSING

    @event("SplitProgressed")
    def _split_progressed(self, *, fraction: float) -> None:
        self.split_progress = fraction

    @event("VideoSplit")
    def _video_split(self, *, segments_total: int) -> None:
        self.segments_total = segments_total
        self.split_progress = 1.0
        self.status = PROCESSING if self.status == PENDING else self.status

    @event(FrameRecognized)
    def _frame_recognized(
        self, *, segment_id: str, detections: list[dict[str, Any]], model_name: str,
        model_version: str, result_key: str, width: int, height: int,
        confidence: float | None, iou: float | None, labels: list[str],
    ) -> None:
        self.segments[segment_id].status = SEGMENT_DONE

    @event("SegmentFailed")
    def _segment_failed(self, *, segment_id: str, reason: str) -> None:
        self.segments[segment_id].status = SEGMENT_FAILED
        self.segments[segment_id].reason = reason

    @event("Completed")
    def _completed(self, *, segments_done: int, segments_failed: int) -> None:
        self.status = DONE
        if segments_failed:
            self.error = f"{segments_failed} of {segments_done + segments_failed} segments failed"

    @event("Failed")
    def _failed(self, *, reason: str) -> None:
        self.status = FAILED
        self.error = reason

    @event("RunStarted")
    def _run_started(
        self, *, run_id: str, number: int, options: dict[str, Any], segments: list[dict[str, Any]]
    ) -> None:
        self.runs[run_id] = RunState(
            run_id=run_id, number=number, options=options,
            segments={s["segment_id"]: SEGMENT_PENDING for s in segments},
        )

    @event("RunFrameRecognized")
    def _run_frame_recognized(
        self, *, run_id: str, segment_id: str, detections: list[dict[str, Any]], model_name: str,
        model_version: str, result_key: str, width: int, height: int,
        confidence: float | None, iou: float | None, labels: list[str],
    ) -> None:
        run = self.runs[run_id]
        run.segments[segment_id] = SEGMENT_DONE
        run.status = PROCESSING

    @event("RunSegmentFailed")
    def _run_segment_failed(self, *, run_id: str, segment_id: str, reason: str) -> None:
        run = self.runs[run_id]
        run.segments[segment_id] = SEGMENT_FAILED
        run.status = PROCESSING

    @event("RunCompleted")
    def _run_completed(self, *, run_id: str, segments_done: int, segments_failed: int) -> None:
        self.runs[run_id].status = DONE

    @event("RunFailed")
    def _run_failed(self, *, run_id: str, reason: str) -> None:
        self.runs[run_id].status = FAILED

    @event("Deleted")
    def _deleted(self) -> None:
        self.deleted = True

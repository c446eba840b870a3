"""The Task aggregate: an uploaded file, its segments and the rule that decides when it is done."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate, event

from scenelens.domain.errors import SegmentNotFound, TaskGone
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


@dataclass
class SegmentState:
    """What the aggregate needs to know of a segment (details live in the events)."""

    index: int
    status: str = SEGMENT_PENDING


class Task(Aggregate):
    """A photo (one segment) or a video (one segment per scene)."""

    class Created(Aggregate.Created):
        """TaskCreated. Version 2 added the owning tenant and its tier at upload time;
        version 3 the id of the upload's request, which every later message carries."""

        class_version = 3
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

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["tenant_id"] = str(DEFAULT_TENANT_ID)
            state["tier"] = DEFAULT_TIER

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["request_id"] = ""

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
        if kind == PHOTO:
            self.segments[first_segment_id] = SegmentState(index=0)
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
    ) -> bool:
        """Record a segment's detections once; later duplicates change nothing."""
        self._check_live()
        segment = self.segment(segment_id)
        if self.status == FAILED or segment.status != SEGMENT_PENDING:
            return False
        self._frame_recognized(
            segment_id=segment_id, detections=detections, model_name=model_name,
            model_version=model_version, result_key=result_key, width=width, height=height,
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
            self._failed(reason=f"all {self.segments_failed} segments failed")
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
        self.segments[segment_id] = SegmentState(index=index)
        self.status = PROCESSING

    @event("VideoSplit")
    def _video_split(self, *, segments_total: int) -> None:
        self.segments_total = segments_total
        self.status = PROCESSING if self.status == PENDING else self.status

    @event("FrameRecognized")
    def _frame_recognized(
        self, *, segment_id: str, detections: list[dict[str, Any]], model_name: str,
        model_version: str, result_key: str, width: int, height: int,
    ) -> None:
        self.segments[segment_id].status = SEGMENT_DONE

    @event("SegmentFailed")
    def _segment_failed(self, *, segment_id: str, reason: str) -> None:
        self.segments[segment_id].status = SEGMENT_FAILED

    @event("Completed")
    def _completed(self, *, segments_done: int, segments_failed: int) -> None:
        self.status = DONE
        if segments_failed:
            self.error = f"{segments_failed} of {segments_done + segments_failed} segments failed"

    @event("Failed")
    def _failed(self, *, reason: str) -> None:
        self.status = FAILED
        self.error = reason

    @event("Deleted")
    def _deleted(self) -> None:
        self.deleted = True

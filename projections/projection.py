"""Turns Task events into read-model writes (one method per event type)."""
from __future__ import annotations

import logging
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from projections.view import ReadModelView
from scenelens.domain.task import FIRST_RUN, Task, run_id
from scenelens.domain.tenant import Tenant
from scenelens.observability import SEGMENTS, TASK_DURATION, TASKS_FINISHED

log = logging.getLogger(__name__)


class ReadModelProjection(Projection[ReadModelView]):
    """Builds tasks, task_segments and recognition_results."""

    name = "readmodels"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.skip(tracking)

    @process_event.register
    def _(self, e: Task.Created, tracking: Tracking) -> None:
        self.view.task_created(
            tracking, task_id=e.originator_id, kind=e.kind, filename=e.filename,
            content_type=e.content_type, size_bytes=e.size_bytes, input_key=e.input_key,
            scene_options=e.scene_options, first_segment_id=e.first_segment_id, at=e.timestamp,
            tenant_id=e.tenant_id, tier=e.tier, request_id=e.request_id,
            analysis_options=e.analysis_options,
        )
        log.info("task projected", extra={"task_id": str(e.originator_id),
                                           "request_id": e.request_id})

    @process_event.register
    def _(self, e: Task.ProcessingStarted, tracking: Tracking) -> None:
        self.view.set_status(tracking, task_id=e.originator_id, status="PROCESSING",
                             error=None, at=e.timestamp)

    @process_event.register
    def _(self, e: Task.SceneExtracted, tracking: Tracking) -> None:
        self.view.scene_extracted(
            tracking, task_id=e.originator_id, segment_id=e.segment_id, index=e.index,
            start_time_s=e.start_time_s, end_time_s=e.end_time_s, start_frame=e.start_frame,
            end_frame=e.end_frame, key_frame_time_s=e.key_frame_time_s, image_key=e.image_key,
            width=e.width, height=e.height, at=e.timestamp,
        )

    @process_event.register
    def _(self, e: Task.SplitProgressed, tracking: Tracking) -> None:
        self.view.split_progressed(tracking, task_id=e.originator_id, fraction=e.fraction,
                                   at=e.timestamp)

    @process_event.register
    def _(self, e: Task.VideoSplit, tracking: Tracking) -> None:
        self.view.video_split(tracking, task_id=e.originator_id,
                              segments_total=e.segments_total, at=e.timestamp)

    @process_event.register
    def _(self, e: Task.FrameRecognized, tracking: Tracking) -> None:
        self.view.frame_recognized(
            tracking, task_id=e.originator_id, segment_id=e.segment_id,
            detections=e.detections, model_name=e.model_name, model_version=e.model_version,
            result_key=e.result_key, width=e.width, height=e.height, at=e.timestamp,
            run_id=str(run_id(e.originator_id, FIRST_RUN)), confidence=e.confidence, iou=e.iou,
            labels=e.labels,
        )
        SEGMENTS.labels("recognized").inc()

    # -- re-analyses (run 2 on) -------------------------------------------------------------------

    @process_event.register
    def _(self, e: Task.RunStarted, tracking: Tracking) -> None:
        self.view.run_started(tracking, task_id=e.originator_id, run_id=e.run_id,
                              number=e.number, options=e.options,
                              segments_total=len(e.segments), at=e.timestamp)

    @process_event.register
    def _(self, e: Task.RunFrameRecognized, tracking: Tracking) -> None:
        self.view.run_frame_recognized(
            tracking, task_id=e.originator_id, run_id=e.run_id, segment_id=e.segment_id,
            detections=e.detections, model_name=e.model_name, model_version=e.model_version,
            result_key=e.result_key, width=e.width, height=e.height, confidence=e.confidence,
            iou=e.iou, labels=e.labels, at=e.timestamp,
        )

    @process_event.register
    def _(self, e: Task.RunSegmentFailed, tracking: Tracking) -> None:
        self.view.run_segment_failed(tracking, task_id=e.originator_id, run_id=e.run_id,
                                     segment_id=e.segment_id, reason=e.reason, at=e.timestamp)

    @process_event.register
    def _(self, e: Task.RunCompleted, tracking: Tracking) -> None:
        error = (f"{e.segments_failed} of {e.segments_done + e.segments_failed} segments failed"
                 if e.segments_failed else "")
        self.view.run_finished(tracking, task_id=e.originator_id, run_id=e.run_id,
                               status="DONE", error=error, at=e.timestamp)

    @process_event.register
    def _(self, e: Task.RunFailed, tracking: Tracking) -> None:
        self.view.run_finished(tracking, task_id=e.originator_id, run_id=e.run_id,
                               status="FAILED", error=e.reason, at=e.timestamp)

    @process_event.register
    def _(self, e: Task.SegmentFailed, tracking: Tracking) -> None:
        self.view.segment_failed(tracking, task_id=e.originator_id, segment_id=e.segment_id,
                                 reason=e.reason, at=e.timestamp)
        SEGMENTS.labels("failed").inc()

    @process_event.register
    def _(self, e: Task.Completed, tracking: Tracking) -> None:
        error = None
        if e.segments_failed:
            total = e.segments_done + e.segments_failed
            error = f"{e.segments_failed} of {total} segments failed"
        self.view.set_status(tracking, task_id=e.originator_id, status="DONE", error=error,
                             at=e.timestamp)
        self._finished(e, "DONE")

    @process_event.register
    def _(self, e: Task.Failed, tracking: Tracking) -> None:
        self.view.set_status(tracking, task_id=e.originator_id, status="FAILED",
                             error=e.reason, at=e.timestamp)
        self._finished(e, "FAILED")

    def _finished(self, e: Any, status: str) -> None:
        """Count a task's end once (when its event is projected), with its time to the end."""
        info = self.view.task_info(e.originator_id)
        if info is None:
            return
        kind, tier, created_at, request_id = info
        TASKS_FINISHED.labels(kind, status, tier or "none").inc()
        TASK_DURATION.labels(kind).observe(max(0.0, (e.timestamp - created_at).total_seconds()))
        log.info("task %s", status.lower(), extra={"task_id": str(e.originator_id),
                                                  "request_id": request_id})

    @process_event.register
    def _(self, e: Task.Deleted, tracking: Tracking) -> None:
        self.view.task_deleted(tracking, task_id=e.originator_id)

    # -- tenants ----------------------------------------------------------------------------------

    @process_event.register
    def _(self, e: Tenant.Created, tracking: Tracking) -> None:
        self.view.tenant_created(tracking, tenant_id=e.originator_id, name=e.name, tier=e.tier,
                                 at=e.timestamp)

    @process_event.register
    def _(self, e: Tenant.KeyIssued, tracking: Tracking) -> None:
        self.view.key_issued(tracking, tenant_id=e.originator_id, key_id=e.key_id,
                             prefix=e.prefix, key_hash=e.key_hash, at=e.timestamp)

    @process_event.register
    def _(self, e: Tenant.KeyRevoked, tracking: Tracking) -> None:
        self.view.key_revoked(tracking, key_id=e.key_id, at=e.timestamp)

    @process_event.register
    def _(self, e: Tenant.TierChanged, tracking: Tracking) -> None:
        self.view.tier_changed(tracking, tenant_id=e.originator_id, tier=e.tier, at=e.timestamp)

"""AnalysisService: thin RPC handlers over ingest, the read models and the task application."""
from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import grpc
from google.protobuf import empty_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.auth import current_caller
from gateway.errors import client_still_there
from gateway.ingest import Ingest
from gateway.models import ModelCatalog
from gateway.pagination import PageTokens
from gateway.uploads import open_upload
from gateway.watch import TaskFeed
from gateway.webhooks import Webhooks
from relay.mapping import detection_pb, scene_options_pb
from scenelens.adapters.eventlog import EventLogSignal, channel_of
from scenelens.adapters.readmodels import HitRow, ReadModels, RunRow, SegmentRow, TaskRow
from scenelens.adapters.s3 import ObjectStore
from scenelens.application import TaskApplication
from scenelens.cleanup import remove_task_files
from scenelens.domain import media
from scenelens.domain.errors import InvalidRequest, RunNotFound, SegmentNotFound, TaskNotFound
from scenelens.domain.ids import parse_uuid
from scenelens.domain.models import AnalysisOptions, ModelInfo
from scenelens.domain.summary import summarize
from scenelens.domain.task import FIRST_RUN, run_id
from scenelens.logs import bind
from scenelens.settings import Settings
from scenelens.v1 import analysis_pb2, analysis_pb2_grpc, types_pb2

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
KINDS = {"photo": types_pb2.MEDIA_KIND_PHOTO, "video": types_pb2.MEDIA_KIND_VIDEO}


def _ts(value: Any) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def options_pb(options: dict[str, Any]) -> analysis_pb2.AnalysisOptions:
    return analysis_pb2.AnalysisOptions(
        model=str(options.get("model") or ""), confidence=float(options.get("confidence") or 0.0),
        labels=[str(x) for x in options.get("labels") or []],
    )


@functools.lru_cache(maxsize=4096)
def first_run_id(task_id: Any) -> uuid.UUID:
    return run_id(task_id, FIRST_RUN)  # uuid5: hashing, on every read


def task_pb(row: TaskRow) -> analysis_pb2.Task:
    return analysis_pb2.Task(
        analysis_options=options_pb(row.analysis_options), runs_total=row.runs_total,
        default_run_id=str(row.default_run_id or first_run_id(row.task_id)),
        task_id=str(row.task_id), status=analysis_pb2.TaskStatus.Value(f"TASK_STATUS_{row.status}"),
        kind=KINDS[row.kind], filename=row.filename, content_type=row.content_type,
        size_bytes=row.size_bytes, created_at=_ts(row.created_at), updated_at=_ts(row.updated_at),
        segments_total=row.segments_total or 0, segments_done=row.segments_done,
        segments_failed=row.segments_failed, error=row.error,
        scene_options=scene_options_pb(row.scene_options), split_progress=row.split_progress,
    )


def segment_pb(row: SegmentRow, rid: uuid.UUID | str = "") -> analysis_pb2.Segment:
    return analysis_pb2.Segment(
        run_id=str(rid or first_run_id(row.task_id)),
        confidence_threshold=row.confidence_threshold or 0.0,
        iou_threshold=row.iou_threshold or 0.0, labels=row.labels or [],
        segment_id=str(row.segment_id), task_id=str(row.task_id), index=row.idx,
        status=analysis_pb2.SegmentStatus.Value(f"SEGMENT_STATUS_{row.status}"),
        start_time_s=row.start_time_s, end_time_s=row.end_time_s, start_frame=row.start_frame,
        end_frame=row.end_frame, key_frame_time_s=row.key_frame_time_s, width=row.width,
        height=row.height, detection_count=row.detection_count or 0,
        model_name=row.model_name, model_version=row.model_version, error=row.error,
    )


def first_run_pb(task: TaskRow, model_version: str) -> analysis_pb2.Run:
    return analysis_pb2.Run(
        run_id=str(first_run_id(task.task_id)), task_id=str(task.task_id), number=FIRST_RUN,
        status=analysis_pb2.TaskStatus.Value(f"TASK_STATUS_{task.status}"),
        options=options_pb(task.analysis_options), model_version=model_version,
        segments_total=task.segments_total or 0, segments_done=task.segments_done,
        segments_failed=task.segments_failed, error=task.error,
        created_at=_ts(task.created_at), updated_at=_ts(task.updated_at),
        is_default=task.default_run_id is None,
    )


def run_pb(run: RunRow, task: TaskRow) -> analysis_pb2.Run:
    return analysis_pb2.Run(
        run_id=str(run.run_id), task_id=str(run.task_id), number=run.number,
        status=analysis_pb2.TaskStatus.Value(f"TASK_STATUS_{run.status}"),
        options=options_pb(run.options), model_version=run.model_version,
        segments_total=run.segments_total, segments_done=run.segments_done,
        segments_failed=run.segments_failed, error=run.error,
        created_at=_ts(run.created_at), updated_at=_ts(run.updated_at),
        is_default=task.default_run_id == run.run_id,
    )


def model_pb(info: ModelInfo) -> analysis_pb2.Model:
    return analysis_pb2.Model(name=info.name, version=info.version,
                              default_confidence=info.confidence, labels=list(info.labels),
                              is_default=info.is_default)


def hit_pb(row: HitRow) -> analysis_pb2.DetectionHit:
    return analysis_pb2.DetectionHit(
        task_id=str(row.task_id), run_id=str(row.run_id), segment_id=str(row.segment_id),
        segment_index=row.segment_index, filename=row.filename, start_time_s=row.start_time_s,
        end_time_s=row.end_time_s, key_frame_time_s=row.key_frame_time_s,
        detection=types_pb2.Detection(
            label=row.label, class_id=row.class_id, confidence=row.confidence,
            box=types_pb2.Box(x1=row.x1, y1=row.y1, x2=row.x2, y2=row.y2)),
        recognized_at=_ts(row.recognized_at),
    )


def _options(request: Any) -> dict[str, Any]:
    return media.scene_options(
        detector=request.scene_detector,
        threshold=request.scene_threshold if request.HasField("scene_threshold") else None,
        min_scene_seconds=(
            request.min_scene_seconds if request.HasField("min_scene_seconds") else None
        ),
        max_scenes=request.max_scenes if request.HasField("max_scenes") else None,
    )


class AnalysisServicer(analysis_pb2_grpc.AnalysisServiceServicer):
    """The public API."""

    def __init__(
        self, settings: Settings, app: TaskApplication, s3: ObjectStore, readmodels: ReadModels,
        webhooks: Any = None, models: ModelCatalog | None = None,
    ) -> None:
        self._settings = settings
        self._models = models or ModelCatalog(settings)
        self._app = app
        self._s3 = s3
        self._read = readmodels
        self._ingest = Ingest(settings, app, s3, readmodels)
        self._pages = PageTokens(settings.page_token_secret.get_secret_value())
        news = EventLogSignal(settings.pg_conninfo, channel_of(app),
                              poll_s=settings.watch_poll_interval_s,
                              recheck_s=settings.event_log_recheck_s)
        self.feed = TaskFeed(app, news, readmodels.task_ended)
        self._webhooks = Webhooks(settings, webhooks) if webhooks is not None else None

    async def CreateAnalysis(  # noqa: N802 - gRPC method name
        self, request: analysis_pb2.CreateAnalysisRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.Task:
        options = _options(request)
        analysis = await self._analysis(request)

        expected = _declared_length(context)
        if expected is not None and expected != len(request.file.data):
            raise InvalidRequest(_cut_short(len(request.file.data), expected))

        async def body() -> AsyncIterator[bytes]:
            data = request.file.data
            step = 1024 * 1024
            for i in range(0, len(data), step):
                yield data[i : i + step]

        upload = await open_upload(request.file.content_type, body(), request.filename,
                                   idle_timeout_s=self._settings.upload_idle_timeout_s)
        return await self._created(
            await self._ingest.accept(upload, options, current_caller(), analysis,
                                      abandoned=lambda: _gone(context)))

    async def UploadAnalysis(  # noqa: N802
        self, request_iterator: AsyncIterator[analysis_pb2.UploadAnalysisRequest],
        context: grpc.aio.ServicerContext,
    ) -> analysis_pb2.Task:
        first = await anext(aiter(request_iterator), None)
        if first is None:
            raise InvalidRequest("the upload is empty")
        options = _options(first)
        analysis = await self._analysis(first)

        expected = _declared_length(context)

        async def body() -> AsyncIterator[bytes]:
            received = len(first.file.data)
            if first.file.data:
                yield first.file.data
            async for message in request_iterator:
                if message.file.data:
                    received += len(message.file.data)
                    yield message.file.data
            # The stream ended, or its client went away (a gRPC cancel, or Envoy's reset when a
            # REST client disconnects mid-body): grpc.aio ends the stream the same way for both,
            # and marks the call cancelled only later. gRPC core knows at once (_gone).
            if expected is not None and received != expected:
                raise InvalidRequest(_cut_short(received, expected))
            if await _gone(context):  # before the file is complete: then no object appears
                raise asyncio.CancelledError

        upload = await open_upload(first.file.content_type, body(), first.filename,
                                   idle_timeout_s=self._settings.upload_idle_timeout_s)
        return await self._created(
            await self._ingest.accept(upload, options, current_caller(), analysis,
                                      abandoned=lambda: _gone(context)))

    async def _analysis(self, request: Any) -> AnalysisOptions:
        """The request's model, threshold and labels, checked (400 before any byte is stored)."""
        return await self._models.resolve(
            model=request.model,
            confidence=request.confidence if request.HasField("confidence") else None,
            labels=list(request.labels),
        )

    async def _created(self, accepted: Any) -> analysis_pb2.Task:
        # Read-your-writes: answer once the projection has passed the TaskCreated event.
        try:
            await self._read.wait_for_position(
                accepted.notification_id, timeout=self._settings.read_your_writes_timeout_s
            )
        except asyncio.CancelledError:
            # The call was cancelled after its task was recorded: the task stays (and is
            # processed), though its client never got the id. Said, so that it can be found.
            log.warning("upload cancelled after its task was recorded",
                        extra={"task_id": str(accepted.task_id)})
            raise
        row = await self._read.get_task(accepted.task_id, current_caller().tenant_id)
        if row is not None:
            return task_pb(row)
        return analysis_pb2.Task(
            task_id=str(accepted.task_id), status=analysis_pb2.TASK_STATUS_PENDING,
            kind=KINDS[accepted.kind], filename=accepted.filename,
            content_type=accepted.content_type, size_bytes=accepted.size_bytes,
        )

    async def ListAnalyses(  # noqa: N802
        self, request: analysis_pb2.ListAnalysesRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.ListAnalysesResponse:
        size = _page_size(request.page_size)
        status = None
        if request.status != analysis_pb2.TASK_STATUS_UNSPECIFIED:
            name = analysis_pb2.TaskStatus.Name(request.status)
            status = name.removeprefix("TASK_STATUS_")
        tenant_id = current_caller().tenant_id
        scope = f"tasks/{tenant_id}/{status or ''}"
        after = self._pages.time_after(scope, request.page_token)
        rows = await self._read.list_tasks(tenant_id, status=status, before=after, limit=size + 1)
        token = ""
        if len(rows) > size:
            last = rows[size - 1]
            token = self._pages.time_cursor(scope, last.created_at, last.task_id)
        return analysis_pb2.ListAnalysesResponse(
            tasks=[task_pb(r) for r in rows[:size]], next_page_token=token
        )

    async def GetAnalysis(  # noqa: N802
        self, request: analysis_pb2.GetAnalysisRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.Task:
        return task_pb(await self._task(request.task_id))

    async def ListSegments(  # noqa: N802
        self, request: analysis_pb2.ListSegmentsRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.ListSegmentsResponse:
        # Arguments first (400), then the task (404), as for every other method.
        size = _page_size(request.page_size)
        task_id = parse_uuid(request.task_id, "task_id")
        after = self._pages.segment_after(task_id, request.page_token)
        task = await self._task(request.task_id)
        rid, rerun = await self._run_of(task, request.run_id)
        rows = await self._read.list_segments(task.task_id, after_index=after, limit=size + 1,
                                              rerun_id=rerun)
        total = await self._read.count_segments(task.task_id)
        token = self._pages.segment_cursor(task_id, rows[size - 1].idx) if len(rows) > size else ""
        return analysis_pb2.ListSegmentsResponse(
            segments=[segment_pb(r, rid) for r in rows[:size]], next_page_token=token,
            total_size=total,
        )

    async def GetSegment(  # noqa: N802
        self, request: analysis_pb2.GetSegmentRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.Segment:
        segment_id = parse_uuid(request.segment_id, "segment_id")  # 400 before 404
        if not request.run_id:
            # The common read (the default run, when that is the first) in one query; any
            # other case, and every 404, takes the general path below.
            task_id = parse_uuid(request.task_id, "task_id")
            bind(task_id=task_id)
            found = await self._read.get_owned_segment(task_id, current_caller().tenant_id,
                                                       segment_id)
            first = first_run_id(task_id)
            if found is not None and found[0] in (None, first):
                return await self._segment_answer(found[1], first)
        task = await self._task(request.task_id)
        rid, rerun = await self._run_of(task, request.run_id)
        row = await self._read.get_segment(task.task_id, segment_id, rerun_id=rerun)
        if row is None:
            raise SegmentNotFound(f"segment {segment_id} not found in task {task.task_id}")
        return await self._segment_answer(row, rid)

    async def _segment_answer(self, row: SegmentRow, rid: uuid.UUID) -> analysis_pb2.Segment:
        pb = segment_pb(row, rid)
        pb.detections.extend(detection_pb(d) for d in row.detections or [])
        if row.result_key:
            pb.result_image_url = await self._s3.presign_get(
                row.result_key, self._settings.result_url_ttl_s
            )
        return pb

    async def WatchAnalysis(  # noqa: N802
        self, request: analysis_pb2.WatchAnalysisRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[analysis_pb2.AnalysisUpdate]:
        task_id = parse_uuid(request.task_id, "task_id")
        bind(task_id=task_id)
        async for update in self.feed.follow(task_id, current_caller().tenant_id,
                                              request.after_position):
            yield update

    async def _run_of(self, task: TaskRow, raw: str) -> tuple[uuid.UUID, uuid.UUID | None]:
        """The run a read asks for ("" is the default run): its id, and the id again when it
        is a re-analysis (None for the first run, whose results live with the task)."""
        first = first_run_id(task.task_id)
        if not raw:
            rid = task.default_run_id or first
        else:
            rid = parse_uuid(raw, "run_id")
        if rid == first:
            return first, None
        if not any(r.run_id == rid for r in await self._read.list_runs(task.task_id)):
            raise RunNotFound(f"run {rid} not found in task {task.task_id}")
        return rid, rid

    # -- models, runs, summaries, search ----------------------------------------------------

    async def ListModels(  # noqa: N802
        self, request: analysis_pb2.ListModelsRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.ListModelsResponse:
        models = await self._models.all()
        return analysis_pb2.ListModelsResponse(
            models=[model_pb(m) for m in models.values()],
            default_model=self._settings.default_model_name,
        )

    async def ReanalyzeAnalysis(  # noqa: N802
        self, request: analysis_pb2.ReanalyzeAnalysisRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.Run:
        task_id = parse_uuid(request.task_id, "task_id")
        bind(task_id=task_id)
        analysis = await self._analysis(request)
        started = await asyncio.to_thread(
            self._app.reanalyze, task_id, current_caller().tenant_id, analysis.as_dict()
        )
        log.info("re-analysis requested", extra={"run_id": started.run_id,
                                                 "model": analysis.model})
        await self._read.wait_for_position(
            started.notification_id, timeout=self._settings.read_your_writes_timeout_s
        )
        task = await self._task(request.task_id)
        for run in await self._read.list_runs(task_id):
            if str(run.run_id) == started.run_id:
                return run_pb(run, task)
        return analysis_pb2.Run(  # the read models lag: what was recorded
            run_id=started.run_id, task_id=str(task_id), number=started.number,
            status=analysis_pb2.TASK_STATUS_PENDING, options=options_pb(analysis.as_dict()),
        )

    async def ListRuns(  # noqa: N802
        self, request: analysis_pb2.ListRunsRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.ListRunsResponse:
        task = await self._task(request.task_id)
        first = first_run_pb(task, await self._read.first_run_model_version(task.task_id))
        runs = [first, *(run_pb(r, task) for r in await self._read.list_runs(task.task_id))]
        return analysis_pb2.ListRunsResponse(
            runs=runs, default_run_id=str(task.default_run_id or first_run_id(task.task_id))
        )

    async def GetAnalysisSummary(  # noqa: N802
        self, request: analysis_pb2.GetAnalysisSummaryRequest,
        context: grpc.aio.ServicerContext,
    ) -> analysis_pb2.AnalysisSummary:
        task = await self._task(request.task_id)
        rid, _ = await self._run_of(task, request.run_id)
        rows = await self._read.run_detections(task.task_id, rid)
        return analysis_pb2.AnalysisSummary(
            task_id=str(task.task_id), run_id=str(rid),
            labels=[analysis_pb2.LabelSummary(
                label=s.label, detection_count=s.detection_count,
                max_confidence=s.max_confidence,
                segments=[analysis_pb2.SegmentAppearance(
                    segment_id=a.segment_id, index=a.index, start_time_s=a.start_time_s,
                    end_time_s=a.end_time_s, detection_count=a.detection_count,
                    max_confidence=a.max_confidence) for a in s.segments],
                time_ranges=[analysis_pb2.TimeRange(start_time_s=a, end_time_s=b)
                             for a, b in s.time_ranges],
            ) for s in summarize(rows)],
        )

    async def SearchDetections(  # noqa: N802
        self, request: analysis_pb2.SearchDetectionsRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.SearchDetectionsResponse:
        size = _page_size(request.page_size)
        label = request.label.strip()
        if label and label not in await self._models.labels():
            raise InvalidRequest(f"unknown label {label[:40]!r}: no configured model has it")
        if not 0.0 <= request.min_confidence <= 1.0:
            raise InvalidRequest(
                f"min_confidence must be between 0 and 1, got {request.min_confidence!r}")
        tenant_id = current_caller().tenant_id
        # The token is bound to the search it continues: same tenant, label and threshold.
        scope = f"detections/{tenant_id}/{label}/{request.min_confidence!r}"
        after = self._pages.time_after(scope, request.page_token)
        rows = await self._read.search_detections(
            tenant_id, label=label, min_confidence=request.min_confidence,
            before=after, limit=size + 1,
        )
        token = ""
        if len(rows) > size:
            last = rows[size - 1]
            token = self._pages.time_cursor(scope, last.recognized_at, last.detection_id)
        return analysis_pb2.SearchDetectionsResponse(
            detections=[hit_pb(r) for r in rows[:size]], next_page_token=token
        )

    # -- webhooks ---------------------------------------------------------------------------

    def _hooks(self) -> Webhooks:
        assert self._webhooks is not None, "webhooks are not wired"
        return self._webhooks

    async def CreateWebhook(  # noqa: N802
        self, request: analysis_pb2.CreateWebhookRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.Webhook:
        return await self._hooks().create(current_caller().tenant_id, request.url,
                                          list(request.events))

    async def ListWebhooks(  # noqa: N802
        self, request: analysis_pb2.ListWebhooksRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.ListWebhooksResponse:
        return await self._hooks().list(current_caller().tenant_id)

    async def DeleteWebhook(  # noqa: N802
        self, request: analysis_pb2.DeleteWebhookRequest, context: grpc.aio.ServicerContext
    ) -> empty_pb2.Empty:
        await self._hooks().delete(current_caller().tenant_id, request.webhook_id)
        return empty_pb2.Empty()

    async def ListWebhookDeliveries(  # noqa: N802
        self, request: analysis_pb2.ListWebhookDeliveriesRequest,
        context: grpc.aio.ServicerContext,
    ) -> analysis_pb2.ListWebhookDeliveriesResponse:
        return await self._hooks().deliveries(current_caller().tenant_id, request.webhook_id,
                                              request.page_size)

    async def DeleteAnalysis(  # noqa: N802
        self, request: analysis_pb2.DeleteAnalysisRequest, context: grpc.aio.ServicerContext
    ) -> empty_pb2.Empty:
        task_id = parse_uuid(request.task_id, "task_id")
        bind(task_id=task_id)
        # Recorded first, so that workers stop and drop late writes; then the files go.
        _, position = await asyncio.to_thread(
            self._app.delete_task, task_id, current_caller().tenant_id
        )
        try:
            await remove_task_files(self._s3, task_id)
        except Exception:  # noqa: BLE001 - the janitor removes them when it passes TaskDeleted
            log.warning("files not removed yet; the janitor will", exc_info=True)
        await self._read.wait_for_position(
            position, timeout=self._settings.read_your_writes_timeout_s
        )
        log.info("task deleted")
        return empty_pb2.Empty()

    async def _task(self, raw_id: str) -> TaskRow:
        task_id = parse_uuid(raw_id, "task_id")
        bind(task_id=task_id)
        row = await self._read.get_task(task_id, current_caller().tenant_id)
        if row is None:
            raise TaskNotFound(f"task {task_id} not found")
        return row


# A gRPC client that knows its upload's size may send it: the bytes are counted against it.
UPLOAD_SIZE_HEADER = "x-scenelens-upload-size"


async def _gone(context: grpc.aio.ServicerContext) -> bool:
    """Whether an upload's client went away before its task was recorded."""
    return not await client_still_there(context)


def _metadata(context: grpc.aio.ServicerContext, name: str) -> str | None:
    for key, value in (context.invocation_metadata() if context is not None else None) or ():
        if key == name:
            return value if isinstance(value, str) else value.decode("latin-1")
    return None


def _declared_length(context: grpc.aio.ServicerContext) -> int | None:
    """The REST request's Content-Length, forwarded by Envoy, or the size a gRPC client declared
    in `x-scenelens-upload-size`; None for chunked bodies and gRPC uploads of unknown size."""
    raw = _metadata(context, "x-scenelens-body-length")
    what = "Content-Length"
    if raw is None:
        raw, what = _metadata(context, UPLOAD_SIZE_HEADER), UPLOAD_SIZE_HEADER
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidRequest(f"{what} {raw[:40]!r} is not a number of bytes")
    return int(raw)


def _cut_short(received: int, expected: int) -> str:
    return (f"the upload ended after {received} of the {expected} bytes its Content-Length "
            f"(or {UPLOAD_SIZE_HEADER}) announced; nothing was stored")


def _page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidRequest(f"page_size must not be negative, got {requested}")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)

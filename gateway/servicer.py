"""AnalysisService: thin RPC handlers over ingest, the read models and the task application."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import grpc
from google.protobuf import empty_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.auth import current_caller
from gateway.ingest import Ingest
from gateway.pagination import PageTokens
from gateway.uploads import open_upload
from gateway.watch import TaskFeed
from gateway.webhooks import Webhooks
from relay.mapping import detection_pb, scene_options_pb
from scenelens.adapters.readmodels import ReadModels, SegmentRow, TaskRow
from scenelens.adapters.s3 import ObjectStore
from scenelens.application import TaskApplication
from scenelens.cleanup import remove_task_files
from scenelens.domain import media
from scenelens.domain.errors import InvalidRequest, SegmentNotFound, TaskNotFound
from scenelens.domain.ids import parse_uuid
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


def task_pb(row: TaskRow) -> analysis_pb2.Task:
    return analysis_pb2.Task(
        task_id=str(row.task_id), status=analysis_pb2.TaskStatus.Value(f"TASK_STATUS_{row.status}"),
        kind=KINDS[row.kind], filename=row.filename, content_type=row.content_type,
        size_bytes=row.size_bytes, created_at=_ts(row.created_at), updated_at=_ts(row.updated_at),
        segments_total=row.segments_total or 0, segments_done=row.segments_done,
        segments_failed=row.segments_failed, error=row.error,
        scene_options=scene_options_pb(row.scene_options),
    )


def segment_pb(row: SegmentRow) -> analysis_pb2.Segment:
    return analysis_pb2.Segment(
        segment_id=str(row.segment_id), task_id=str(row.task_id), index=row.idx,
        status=analysis_pb2.SegmentStatus.Value(f"SEGMENT_STATUS_{row.status}"),
        start_time_s=row.start_time_s, end_time_s=row.end_time_s, start_frame=row.start_frame,
        end_frame=row.end_frame, key_frame_time_s=row.key_frame_time_s, width=row.width,
        height=row.height, detection_count=row.detection_count or 0,
        model_name=row.model_name, model_version=row.model_version, error=row.error,
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
        webhooks: Any = None,
    ) -> None:
        self._settings = settings
        self._app = app
        self._s3 = s3
        self._read = readmodels
        self._ingest = Ingest(settings, app, s3, readmodels)
        self._pages = PageTokens(settings.page_token_secret.get_secret_value())
        self.feed = TaskFeed(app, settings.watch_poll_interval_s)
        self._webhooks = Webhooks(settings, webhooks) if webhooks is not None else None

    async def CreateAnalysis(  # noqa: N802 - gRPC method name
        self, request: analysis_pb2.CreateAnalysisRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.Task:
        options = _options(request)

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
        return await self._created(await self._ingest.accept(upload, options, current_caller()))

    async def UploadAnalysis(  # noqa: N802
        self, request_iterator: AsyncIterator[analysis_pb2.UploadAnalysisRequest],
        context: grpc.aio.ServicerContext,
    ) -> analysis_pb2.Task:
        first = await anext(aiter(request_iterator), None)
        if first is None:
            raise InvalidRequest("the upload is empty")
        options = _options(first)

        expected = _declared_length(context)

        async def body() -> AsyncIterator[bytes]:
            received = len(first.file.data)
            if first.file.data:
                yield first.file.data
            async for message in request_iterator:
                if message.file.data:
                    received += len(message.file.data)
                    yield message.file.data
            # The stream ended. Through Envoy that may be a client that went away mid-body:
            # Envoy half-closes the gRPC stream, then resets it some milliseconds later.
            if expected is not None and received != expected:
                raise InvalidRequest(_cut_short(received, expected))
            if expected is None:
                # No length to check against (gRPC, chunked REST): a cancelled call also ends its
                # request stream as if complete, and the cancellation reaches this handler a few
                # milliseconds later. Give it time to arrive before the task is recorded.
                await asyncio.sleep(END_GRACE_S)
                if context.cancelled():
                    raise asyncio.CancelledError

        upload = await open_upload(first.file.content_type, body(), first.filename,
                                   idle_timeout_s=self._settings.upload_idle_timeout_s)
        return await self._created(await self._ingest.accept(upload, options, current_caller()))

    async def _created(self, accepted: Any) -> analysis_pb2.Task:
        # Read-your-writes: answer once the projection has passed the TaskCreated event.
        await self._read.wait_for_position(
            accepted.notification_id, timeout=self._settings.read_your_writes_timeout_s
        )
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
        scope = f"{tenant_id}/{status or ''}"
        after = self._pages.task_after(scope, request.page_token)
        rows = await self._read.list_tasks(tenant_id, status=status, before=after, limit=size + 1)
        token = ""
        if len(rows) > size:
            last = rows[size - 1]
            token = self._pages.task_cursor(scope, last.created_at, last.task_id)
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
        rows = await self._read.list_segments(task.task_id, after_index=after, limit=size + 1)
        total = await self._read.count_segments(task.task_id)
        token = self._pages.segment_cursor(task_id, rows[size - 1].idx) if len(rows) > size else ""
        return analysis_pb2.ListSegmentsResponse(
            segments=[segment_pb(r) for r in rows[:size]], next_page_token=token,
            total_size=total,
        )

    async def GetSegment(  # noqa: N802
        self, request: analysis_pb2.GetSegmentRequest, context: grpc.aio.ServicerContext
    ) -> analysis_pb2.Segment:
        segment_id = parse_uuid(request.segment_id, "segment_id")  # 400 before 404
        task = await self._task(request.task_id)
        row = await self._read.get_segment(task.task_id, segment_id)
        if row is None:
            raise SegmentNotFound(f"segment {segment_id} not found in task {task.task_id}")
        pb = segment_pb(row)
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



# How long a streamed upload with no stated length waits after its last byte for the cancellation
# of an abandoned call (Envoy resets 20-40 ms after ending the stream, measured on a loaded 2-core
# machine; a direct gRPC cancel arrives through the poller thread).
END_GRACE_S = 0.15


def _metadata(context: grpc.aio.ServicerContext, name: str) -> str | None:
    for key, value in (context.invocation_metadata() if context is not None else None) or ():
        if key == name:
            return value if isinstance(value, str) else value.decode("latin-1")
    return None


def _declared_length(context: grpc.aio.ServicerContext) -> int | None:
    """The REST request's Content-Length, forwarded by Envoy; None for gRPC or chunked bodies."""
    raw = _metadata(context, "x-scenelens-body-length")
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidRequest(f"Content-Length {raw[:40]!r} is not a number of bytes")
    return int(raw)


def _cut_short(received: int, expected: int) -> str:
    return (f"the upload ended after {received} of the {expected} bytes its Content-Length "
            "announced; nothing was stored")


def _page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidRequest(f"page_size must not be negative, got {requested}")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)

"""Accepting an upload: sniff its kind, enforce caps, stream it to S3, record TaskCreated."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from gateway.auth import Caller
from gateway.uploads import Upload
from scenelens.adapters.readmodels import ReadModels
from scenelens.adapters.s3 import ObjectStore, input_key
from scenelens.application import TaskApplication
from scenelens.domain import media
from scenelens.domain.errors import (
    InvalidRequest,
    PayloadTooLarge,
    QuotaExceeded,
    TooManyRequests,
    UnsupportedMedia,
)
from scenelens.domain.models import AnalysisOptions
from scenelens.images import PROBE_BYTES, ImageTooLarge, probe_image
from scenelens.logs import bind, current
from scenelens.observability import TASKS_CREATED, UPLOAD_BYTES
from scenelens.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Accepted:
    task_id: uuid.UUID
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    notification_id: int | None


class Ingest:
    """The one path every upload takes, unary or streamed."""

    def __init__(
        self, settings: Settings, app: TaskApplication, s3: ObjectStore, readmodels: ReadModels
    ) -> None:
        self._settings = settings
        self._app = app
        self._s3 = s3
        self._read = readmodels
        self._in_flight = 0

    async def accept(self, upload: Upload, options: dict[str, Any], caller: Caller,
                     analysis: AnalysisOptions | None = None,
                     abandoned: Callable[[], Awaitable[bool]] | None = None) -> Accepted:
        """Store the upload and record the task; bounded by max_concurrent_uploads.
        `abandoned` is asked once the file is stored, before the task is recorded: a client
        that cancelled meanwhile gets no task and leaves no file."""
        if self._in_flight >= self._settings.max_concurrent_uploads:
            raise TooManyRequests(
                f"more than {self._settings.max_concurrent_uploads} uploads in flight; retry later"
            )
        self._in_flight += 1
        try:
            await self._check_quota(caller)
            return await self._accept(upload, options, caller, analysis, abandoned)
        finally:
            self._in_flight -= 1

    async def _check_quota(self, caller: Caller) -> None:
        cap = caller.tier.max_unfinished_tasks
        if await self._read.count_unfinished(caller.tenant_id) >= cap:
            raise QuotaExceeded(
                f"the {caller.tier_name} tier allows {cap} unfinished tasks at once; "
                "wait for some to finish (or delete them) and retry"
            )

    def _size_cap(self, kind: str, caller: Caller) -> tuple[int, str]:
        """The largest file this caller may upload for this kind, and what to say beyond it."""
        kind_cap = (self._settings.max_photo_bytes if kind == media.PHOTO
                    else self._settings.max_video_bytes)
        tier_cap = caller.tier.max_file_bytes
        if tier_cap < kind_cap:
            return tier_cap, (f"file larger than the {caller.tier_name} tier's limit of "
                              f"{tier_cap} bytes")
        return kind_cap, f"{kind} larger than {kind_cap} bytes"

    async def _accept(self, upload: Upload, options: dict[str, Any], caller: Caller,
                      analysis: AnalysisOptions | None,
                      abandoned: Callable[[], Awaitable[bool]] | None = None) -> Accepted:
        filename = media.check_filename(upload.filename or "upload")
        chunks = upload.chunks
        head = bytearray()
        async for chunk in chunks:
            head += chunk
            if len(head) >= media.SNIFF_BYTES:
                break
        if not head:
            raise InvalidRequest("the upload is empty")
        kind, content_type = self._judge(bytes(head), upload.content_type, filename)
        if kind == media.PHOTO:
            await self._check_photo_header(head, chunks)
        cap, too_large = self._size_cap(kind, caller)
        task_id = uuid.uuid4()
        bind(task_id=task_id)
        key = input_key(task_id, media.safe_filename(filename))

        async def capped() -> AsyncIterator[bytes]:
            size = len(head)
            if size > cap:
                raise PayloadTooLarge(too_large)
            yield bytes(head)
            async for chunk in chunks:
                size += len(chunk)
                if size > cap:
                    raise PayloadTooLarge(too_large)
                yield chunk

        stored = False
        try:
            size = await self._s3.upload_stream(key, capped(), content_type)
            stored = True
            if abandoned is not None and await abandoned():
                raise asyncio.CancelledError  # the client went away: the file goes, no task
            notification_id = await asyncio.to_thread(
                self._app.create_task,
                task_id=task_id, kind=kind, filename=filename, content_type=content_type,
                size_bytes=size, input_key=key, scene_options=options,
                tenant_id=caller.tenant_id, tier=caller.tier_name,
                request_id=current("request_id"),
                analysis_options=analysis.as_dict() if analysis is not None else {},
            )
        except BaseException:
            # A rejected or failed upload leaves nothing behind.
            if stored:
                with contextlib.suppress(Exception):
                    await asyncio.shield(self._s3.delete(key))
            raise
        UPLOAD_BYTES.labels(kind).inc(size)
        TASKS_CREATED.labels(kind, caller.tier_name).inc()
        log.info("task created", extra={"kind": kind, "size_bytes": size})
        return Accepted(task_id, kind, filename, content_type, size, notification_id)

    @staticmethod
    async def _check_photo_header(head: bytearray, chunks: AsyncIterator[bytes]) -> None:
        """Refuse a whole photo whose header does not parse, or one claiming too many pixels.

        Reads ahead to PROBE_BYTES (a JPEG's size follows its EXIF and ICC blocks). A file that
        ends within them and does not parse is no image. A longer one whose header is not in its
        first PROBE_BYTES (a camera JPEG with a large ICC profile or XMP block) is let through:
        the recognition service decodes it whole and fails the task with the reason if it
        cannot. Pixels are decoded by the recognition service only.
        """
        complete = False
        while len(head) < PROBE_BYTES:
            chunk = await anext(chunks, None)
            if chunk is None:
                complete = True
                break
            head += chunk
        try:
            info = await asyncio.to_thread(probe_image, bytes(head))
        except ImageTooLarge as e:
            raise InvalidRequest(str(e)) from None
        if info is None and complete:
            raise InvalidRequest(
                f"not a readable image: its header is broken or cut short ({len(head)} bytes)")

    @staticmethod
    def _judge(head: bytes, declared_type: str, filename: str) -> tuple[str, str]:
        """Kind and content type by content; the client's word decides only for odd videos."""
        sniffed = media.sniff(head)
        if sniffed is not None:
            return sniffed
        declared = media.declared_kind(declared_type, filename)
        if declared == media.VIDEO:
            # Containers we do not sniff may still decode; the video service has the last word.
            return media.VIDEO, declared_type.split(";")[0].strip() or "application/octet-stream"
        if declared == media.PHOTO:
            raise InvalidRequest(
                f"{filename!r} is not a decodable image ({media.PHOTO_FORMATS})"
            )
        raise UnsupportedMedia(
            f"unsupported media type: send a photo ({media.PHOTO_FORMATS}) or a video"
        )

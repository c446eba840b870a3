"""The asyncio client: `AsyncClient(target, api_key)`, the same calls as Client, awaited."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc

from scenelens.client import _common as c
from scenelens.client.errors import from_rpc_error
from scenelens.v1 import analysis_pb2, analysis_pb2_grpc

T = TypeVar("T")


class AsyncClient:
    """Upload, read, watch and delete analyses from asyncio code."""

    def __init__(self, target: str | None = None, api_key: str | None = None, *,
                 timeout_s: float = 60.0) -> None:
        self.target = target or c.default_target()
        self._metadata = c.metadata(api_key if api_key is not None else c.default_key())
        self._timeout = timeout_s
        self._channel = grpc.aio.insecure_channel(self.target, options=[
            ("grpc.max_receive_message_length", 64 * 1024 * 1024)])
        self._stub = analysis_pb2_grpc.AnalysisServiceStub(self._channel)

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _call(self, method: Callable[..., Awaitable[T]], request: Any) -> T:
        try:
            return await method(request, metadata=self._metadata, timeout=self._timeout)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    async def upload(self, source: c.Source, *, filename: str | None = None,
                     content_type: str | None = None, options: c.Options | None = None
                     ) -> analysis_pb2.Task:
        name, ctype, _ = c.describe(source, filename, content_type)

        async def messages() -> AsyncIterator[analysis_pb2.UploadAnalysisRequest]:
            yield c.first_message(name, ctype, options or c.Options())
            for block in c.read_chunks(source):
                yield c.chunk_message(block)

        try:
            task: analysis_pb2.Task = await self._stub.UploadAnalysis(
                messages(), metadata=self._metadata)
            return task
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    async def get(self, task_id: str) -> analysis_pb2.Task:
        return await self._call(self._stub.GetAnalysis,
                                analysis_pb2.GetAnalysisRequest(task_id=task_id))

    async def segments(self, task_id: str, *, page_size: int = 100
                       ) -> AsyncIterator[analysis_pb2.Segment]:
        token = ""
        while True:
            page = await self._call(self._stub.ListSegments, analysis_pb2.ListSegmentsRequest(
                task_id=task_id, page_size=page_size, page_token=token))
            for segment in page.segments:
                yield segment
            token = page.next_page_token
            if not token:
                return

    async def segment(self, task_id: str, segment_id: str) -> analysis_pb2.Segment:
        return await self._call(self._stub.GetSegment, analysis_pb2.GetSegmentRequest(
            task_id=task_id, segment_id=segment_id))

    async def delete(self, task_id: str) -> None:
        await self._call(self._stub.DeleteAnalysis,
                         analysis_pb2.DeleteAnalysisRequest(task_id=task_id))

    async def watch(self, task_id: str, *, after_position: int = 0
                    ) -> AsyncIterator[analysis_pb2.AnalysisUpdate]:
        call = self._stub.WatchAnalysis(
            analysis_pb2.WatchAnalysisRequest(task_id=task_id, after_position=after_position),
            metadata=self._metadata)
        try:
            async for update in call:
                yield update
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    async def wait(self, task_id: str) -> analysis_pb2.Task:
        """Until the task is DONE or FAILED, following its changes."""
        async for update in self.watch(task_id):
            if update.task.status in c.TERMINAL:
                return update.task
        return await self.get(task_id)

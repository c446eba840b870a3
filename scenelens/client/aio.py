"""The asyncio client: `AsyncClient(target, api_key)`, the same calls as Client, awaited."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import grpc

from scenelens.client import _common as c
from scenelens.client.errors import ScenelensError, from_rpc_error
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
                     content_type: str | None = None, options: c.Options | None = None,
                     model: str | None = None, confidence: float | None = None,
                     labels: Sequence[str] | None = None) -> analysis_pb2.Task:
        name, ctype, size = c.describe(source, filename, content_type)

        async def messages() -> AsyncIterator[analysis_pb2.UploadAnalysisRequest]:
            yield c.first_message(name, ctype, options or c.Options(), model=model,
                                  confidence=confidence, labels=labels)
            for block in c.read_chunks(source):
                yield c.chunk_message(block)

        try:
            task: analysis_pb2.Task = await self._stub.UploadAnalysis(
                messages(), metadata=c.upload_metadata(self._metadata, size))
            return task
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    async def get(self, task_id: str) -> analysis_pb2.Task:
        return await self._call(self._stub.GetAnalysis,
                                analysis_pb2.GetAnalysisRequest(task_id=task_id))

    async def segments(self, task_id: str, *, page_size: int = 100, run_id: str | None = None
                       ) -> AsyncIterator[analysis_pb2.Segment]:
        token = ""
        while True:
            page = await self._call(self._stub.ListSegments, analysis_pb2.ListSegmentsRequest(
                task_id=task_id, page_size=page_size, page_token=token, run_id=run_id or ""))
            for segment in page.segments:
                yield segment
            token = page.next_page_token
            if not token:
                return

    async def segment(self, task_id: str, segment_id: str, *, run_id: str | None = None
                      ) -> analysis_pb2.Segment:
        return await self._call(self._stub.GetSegment, analysis_pb2.GetSegmentRequest(
            task_id=task_id, segment_id=segment_id, run_id=run_id or ""))

    async def summary(self, task_id: str, *, run_id: str | None = None
                      ) -> analysis_pb2.AnalysisSummary:
        return await self._call(self._stub.GetAnalysisSummary,
                                analysis_pb2.GetAnalysisSummaryRequest(task_id=task_id,
                                                                       run_id=run_id or ""))

    async def search(self, *, label: str | None = None, min_confidence: float = 0.0,
                     page_size: int = 100) -> AsyncIterator[analysis_pb2.DetectionHit]:
        token = ""
        while True:
            page = await self._call(self._stub.SearchDetections,
                                    analysis_pb2.SearchDetectionsRequest(
                                        label=label or "", min_confidence=min_confidence,
                                        page_size=page_size, page_token=token))
            for hit in page.detections:
                yield hit
            token = page.next_page_token
            if not token:
                return

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

    async def wait(self, task_id: str, *, timeout_s: float | None = None) -> analysis_pb2.Task:
        """Until the task is DONE or FAILED, following its changes; through a server restart
        or an outage of its database or storage (UNAVAILABLE), it checks and follows again."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        position = 0
        while True:
            try:
                async for update in self.watch(task_id, after_position=position):
                    position = update.position
                    if update.task.status in c.TERMINAL:
                        return update.task
            except ScenelensError as err:
                c.wait_pause(err)  # raises unless the server was unavailable
            pause = c.WAIT_PAUSE_S
            try:
                task = await self.get(task_id)  # the stream ended early: check, then resume
                if task.status in c.TERMINAL:
                    return task
            except ScenelensError as err:  # still down, or its database or storage is
                pause = c.wait_pause(err)
            c.check_deadline(deadline, time.monotonic(), task_id, timeout_s)
            await asyncio.sleep(pause)

    async def models(self) -> list[analysis_pb2.Model]:
        return list((await self._call(self._stub.ListModels,
                                      analysis_pb2.ListModelsRequest())).models)

    async def reanalyze(self, task_id: str, *, model: str | None = None,
                        confidence: float | None = None, labels: Sequence[str] | None = None
                        ) -> analysis_pb2.Run:
        return await self._call(self._stub.ReanalyzeAnalysis,
                                c.reanalyze_request(task_id, model, confidence, labels))

    async def runs(self, task_id: str) -> list[analysis_pb2.Run]:
        return list((await self._call(self._stub.ListRuns,
                                      analysis_pb2.ListRunsRequest(task_id=task_id))).runs)

    async def wait_run(self, task_id: str, run_id: str, *, timeout_s: float | None = None,
                       interval_s: float = 0.5) -> analysis_pb2.Run:
        """Until the run is DONE or FAILED, polling the task's runs."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            run = c.find_run(await self.runs(task_id), task_id, run_id)
            if run.status in c.TERMINAL:
                return run
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} of task {task_id} did not finish in "
                                   f"{timeout_s} s")
            await asyncio.sleep(interval_s)

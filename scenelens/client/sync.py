"""The blocking client: `Client(target, api_key)` over gRPC (Envoy's port or the gateway's)."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import grpc

from scenelens.client import _common as c
from scenelens.client.errors import ScenelensError, from_rpc_error
from scenelens.v1 import analysis_pb2, analysis_pb2_grpc

T = TypeVar("T")
Progress = Callable[[int, int | None], None]


class Client:
    """Upload, read, watch and delete analyses. Errors raise ScenelensError subclasses."""

    def __init__(self, target: str | None = None, api_key: str | None = None, *,
                 timeout_s: float = 60.0) -> None:
        self.target = target or c.default_target()
        self._metadata = c.metadata(api_key if api_key is not None else c.default_key())
        self._timeout = timeout_s
        self._channel = grpc.insecure_channel(self.target, options=[
            ("grpc.max_receive_message_length", 64 * 1024 * 1024)])
        self._stub = analysis_pb2_grpc.AnalysisServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: Callable[..., T], request: Any, timeout: float | None = None) -> T:
        try:
            return method(request, metadata=self._metadata, timeout=timeout or self._timeout)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    # -- tasks ------------------------------------------------------------------------------

    def upload(self, source: c.Source, *, filename: str | None = None,
               content_type: str | None = None, options: c.Options | None = None,
               progress: Progress | None = None) -> analysis_pb2.Task:
        """Upload a path, bytes or a binary stream (streamed in 1 MiB chunks)."""
        name, ctype, size = c.describe(source, filename, content_type)

        def messages() -> Iterator[analysis_pb2.UploadAnalysisRequest]:
            yield c.first_message(name, ctype, options or c.Options())
            sent = 0
            for block in c.read_chunks(source):
                sent += len(block)
                yield c.chunk_message(block)
                if progress is not None:
                    progress(sent, size)

        try:
            return self._stub.UploadAnalysis(messages(), metadata=self._metadata)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    def get(self, task_id: str) -> analysis_pb2.Task:
        return self._call(self._stub.GetAnalysis, analysis_pb2.GetAnalysisRequest(task_id=task_id))

    def list(self, *, status: Any = None, page_size: int = 100) -> Iterator[analysis_pb2.Task]:
        """The caller's tasks, newest first, page by page."""
        token = ""
        while True:
            req = analysis_pb2.ListAnalysesRequest(page_size=page_size, page_token=token)
            if status is not None:
                req.status = c.status_name(status)  # type: ignore[assignment]
            page = self._call(self._stub.ListAnalyses, req)
            yield from page.tasks
            token = page.next_page_token
            if not token:
                return

    def segments(self, task_id: str, *, page_size: int = 100) -> Iterator[analysis_pb2.Segment]:
        token = ""
        while True:
            page = self._call(self._stub.ListSegments, analysis_pb2.ListSegmentsRequest(
                task_id=task_id, page_size=page_size, page_token=token))
            yield from page.segments
            token = page.next_page_token
            if not token:
                return

    def segment(self, task_id: str, segment_id: str) -> analysis_pb2.Segment:
        return self._call(self._stub.GetSegment, analysis_pb2.GetSegmentRequest(
            task_id=task_id, segment_id=segment_id))

    def delete(self, task_id: str) -> None:
        self._call(self._stub.DeleteAnalysis, analysis_pb2.DeleteAnalysisRequest(task_id=task_id))

    def watch(self, task_id: str, *, after_position: int = 0
              ) -> Iterator[analysis_pb2.AnalysisUpdate]:
        """Every change of the task after `after_position`, live, until it ends."""
        try:
            yield from self._stub.WatchAnalysis(
                analysis_pb2.WatchAnalysisRequest(task_id=task_id, after_position=after_position),
                metadata=self._metadata)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from None

    def wait(self, task_id: str, *, timeout_s: float | None = None) -> analysis_pb2.Task:
        """Block until the task is DONE or FAILED (following its changes, not polling)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        position = 0
        while True:
            try:
                for update in self.watch(task_id, after_position=position):
                    position = update.position
                    if update.task.status in c.TERMINAL:
                        return update.task
            except ScenelensError as err:
                if err.code != grpc.StatusCode.UNAVAILABLE:
                    raise
            task = self.get(task_id)  # the stream ended early (a restart): check, then resume
            if task.status in c.TERMINAL:
                return task
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"task {task_id} did not finish in {timeout_s} s")
            time.sleep(0.5)

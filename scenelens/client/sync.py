"""The blocking client: `Client(target, api_key)` over gRPC (Envoy's port or the gateway's)."""
from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Iterator, Sequence
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
               progress: Progress | None = None, model: str | None = None,
               confidence: float | None = None, labels: Sequence[str] | None = None
               ) -> analysis_pb2.Task:
        """Upload a path, bytes or a binary stream (streamed in 1 MiB chunks).

        `model` (see models()), `confidence` (0..1) and `labels` (the classes to keep) choose
        how the first analysis recognises; None means the server's default.
        """
        name, ctype, size = c.describe(source, filename, content_type)

        def messages() -> Iterator[analysis_pb2.UploadAnalysisRequest]:
            yield c.first_message(name, ctype, options or c.Options(), model=model,
                                  confidence=confidence, labels=labels)
            sent = 0
            for block in c.read_chunks(source):
                sent += len(block)
                yield c.chunk_message(block)
                if progress is not None:
                    progress(sent, size)

        try:
            return self._stub.UploadAnalysis(
                messages(), metadata=c.upload_metadata(self._metadata, size))
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

    def segments(self, task_id: str, *, page_size: int = 100, run_id: str | None = None
                 ) -> Iterator[analysis_pb2.Segment]:
        """A task's segments by index, in the default run or the run `run_id`."""
        token = ""
        while True:
            page = self._call(self._stub.ListSegments, analysis_pb2.ListSegmentsRequest(
                task_id=task_id, page_size=page_size, page_token=token, run_id=run_id or ""))
            yield from page.segments
            token = page.next_page_token
            if not token:
                return

    def segment(self, task_id: str, segment_id: str, *, run_id: str | None = None
                ) -> analysis_pb2.Segment:
        return self._call(self._stub.GetSegment, analysis_pb2.GetSegmentRequest(
            task_id=task_id, segment_id=segment_id, run_id=run_id or ""))

    def summary(self, task_id: str, *, run_id: str | None = None
                ) -> analysis_pb2.AnalysisSummary:
        """Per label: detections, best confidence, segments and time ranges (default run)."""
        return self._call(self._stub.GetAnalysisSummary, analysis_pb2.GetAnalysisSummaryRequest(
            task_id=task_id, run_id=run_id or ""))

    def search(self, *, label: str | None = None, min_confidence: float = 0.0,
               page_size: int = 100) -> Iterator[analysis_pb2.DetectionHit]:
        """The caller's detections across tasks (each task's default run), newest first."""
        token = ""
        while True:
            page = self._call(self._stub.SearchDetections, analysis_pb2.SearchDetectionsRequest(
                label=label or "", min_confidence=min_confidence, page_size=page_size,
                page_token=token))
            yield from page.detections
            token = page.next_page_token
            if not token:
                return

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
                c.wait_pause(err)  # raises unless the server was unavailable
            pause = c.WAIT_PAUSE_S
            try:
                task = self.get(task_id)  # the stream ended early (a restart): check, then resume
                if task.status in c.TERMINAL:
                    return task
            except ScenelensError as err:  # still down, or its database or storage is
                pause = c.wait_pause(err)
            c.check_deadline(deadline, time.monotonic(), task_id, timeout_s)
            time.sleep(pause)

    # -- models and runs --------------------------------------------------------------------

    def models(self) -> builtins.list[analysis_pb2.Model]:
        """The configured models (name, version, default confidence, labels, is_default)."""
        return list(self._call(self._stub.ListModels, analysis_pb2.ListModelsRequest()).models)

    def reanalyze(self, task_id: str, *, model: str | None = None,
                  confidence: float | None = None, labels: Sequence[str] | None = None
                  ) -> analysis_pb2.Run:
        """Recognise the task's stored key frames again, as a new run (returned queued)."""
        return self._call(self._stub.ReanalyzeAnalysis,
                          c.reanalyze_request(task_id, model, confidence, labels))

    def runs(self, task_id: str) -> builtins.list[analysis_pb2.Run]:
        """A task's runs, oldest first; the one reads show has `is_default`."""
        return list(self._call(self._stub.ListRuns,
                               analysis_pb2.ListRunsRequest(task_id=task_id)).runs)

    def wait_run(self, task_id: str, run_id: str, *, timeout_s: float | None = None,
                 interval_s: float = 0.5) -> analysis_pb2.Run:
        """Poll the task's runs until the run `run_id` is DONE or FAILED (re-analyses are not
        on the watch stream)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            run = c.find_run(self.runs(task_id), task_id, run_id)
            if run.status in c.TERMINAL:
                return run
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} of task {task_id} did not finish in "
                                   f"{timeout_s} s")
            time.sleep(interval_s)

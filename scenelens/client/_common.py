"""What the sync and asyncio clients share: settings, upload chunking, requests."""
from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import grpc
from google.api import httpbody_pb2

from scenelens.client.errors import NotFound, ScenelensError
from scenelens.v1 import analysis_pb2

CHUNK = 1024 * 1024
TERMINAL = (analysis_pb2.TASK_STATUS_DONE, analysis_pb2.TASK_STATUS_FAILED)
Source = str | os.PathLike[str] | bytes | IO[bytes]
WAIT_PAUSE_S = 0.5  # wait(): the pause before following a task again


def wait_pause(err: ScenelensError) -> float:
    """wait()'s pause after `err`: the server's Retry-After, at least WAIT_PAUSE_S, when it was
    unavailable (restarting, or its database or storage down); any other error is raised."""
    if err.code != grpc.StatusCode.UNAVAILABLE:
        raise err
    return max(WAIT_PAUSE_S, err.retry_after_s or 0.0)


def check_deadline(deadline: float | None, now: float, task_id: str,
                   timeout_s: float | None) -> None:
    if deadline is not None and now > deadline:
        raise TimeoutError(f"task {task_id} did not finish in {timeout_s} s")


@dataclass(frozen=True)
class Options:
    """Scene options of an upload (videos); None means the server's default."""

    scene_detector: str = ""
    scene_threshold: float | None = None
    min_scene_seconds: float | None = None
    max_scenes: int | None = None


def default_target() -> str:
    return os.environ.get("SCENELENS_TARGET", "localhost:8000")


def default_key() -> str | None:
    return os.environ.get("SCENELENS_API_KEY") or None


def describe(source: Source, filename: str | None, content_type: str | None
             ) -> tuple[str, str, int | None]:
    """(filename, content type, size if known) of what is uploaded."""
    if isinstance(source, bytes):
        name = filename or "upload"
        size: int | None = len(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = filename or path.name
        size = path.stat().st_size
    else:
        name = filename or Path(str(getattr(source, "name", "upload"))).name
        size = None
    ctype = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, ctype, size


def read_chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for i in range(0, len(source), CHUNK):
            yield source[i : i + CHUNK]
        return
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as f:
            while block := f.read(CHUNK):
                yield block
        return
    while block := source.read(CHUNK):
        yield block


def first_message(filename: str, content_type: str, options: Options, *,
                  model: str | None = None, confidence: float | None = None,
                  labels: Sequence[str] | None = None) -> analysis_pb2.UploadAnalysisRequest:
    msg = analysis_pb2.UploadAnalysisRequest(
        filename=filename, file=httpbody_pb2.HttpBody(content_type=content_type),
        scene_detector=options.scene_detector, model=model or "", labels=label_list(labels))
    if confidence is not None:
        msg.confidence = confidence
    if options.scene_threshold is not None:
        msg.scene_threshold = options.scene_threshold
    if options.min_scene_seconds is not None:
        msg.min_scene_seconds = options.min_scene_seconds
    if options.max_scenes is not None:
        msg.max_scenes = options.max_scenes
    return msg


def label_list(labels: Sequence[str] | None) -> list[str]:
    """The classes to keep: a list, or one name (a plain string is one label, not its letters)."""
    if labels is None:
        return []
    return [labels] if isinstance(labels, str) else list(labels)


def reanalyze_request(task_id: str, model: str | None, confidence: float | None,
                      labels: Sequence[str] | None) -> analysis_pb2.ReanalyzeAnalysisRequest:
    req = analysis_pb2.ReanalyzeAnalysisRequest(task_id=task_id, model=model or "",
                                                labels=label_list(labels))
    if confidence is not None:
        req.confidence = confidence
    return req


def find_run(runs: Iterable[analysis_pb2.Run], task_id: str, run_id: str) -> analysis_pb2.Run:
    for run in runs:
        if run.run_id == run_id:
            return run
    raise NotFound(grpc.StatusCode.NOT_FOUND, f"run {run_id} of task {task_id} not found")


def chunk_message(block: bytes) -> analysis_pb2.UploadAnalysisRequest:
    return analysis_pb2.UploadAnalysisRequest(file=httpbody_pb2.HttpBody(data=block))


def metadata(api_key: str | None) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {api_key}")] if api_key else []


def upload_metadata(base: list[tuple[str, str]], size: int | None) -> list[tuple[str, str]]:
    """The call's metadata plus the upload's size when known: the gateway then checks that every
    byte arrived and answers without waiting to see whether the call was cancelled."""
    return [*base, ("x-scenelens-upload-size", str(size))] if size is not None else base


def status_name(value: Any) -> int:
    """A TaskStatus from an enum value or a name such as 'DONE' or 'TASK_STATUS_DONE'."""
    if isinstance(value, int):
        return value
    name = str(value).upper()
    return analysis_pb2.TaskStatus.Value(name if name.startswith("TASK_STATUS_")
                                         else f"TASK_STATUS_{name}")

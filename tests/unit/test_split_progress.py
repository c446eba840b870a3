"""The video service records how far scene detection has got, and stops when the task goes."""
from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from scenelens.application import TaskApplication
from scenelens.domain.errors import TaskGone
from scenelens.settings import Settings
from tests.unit.test_splitter import TESTVIDEO
from tests.unit.test_task_domain import _video
from video_service.handlers import Deps, SplitProgress
from video_service.splitter import detect_scenes


def _setup(interval_s: float) -> tuple[TaskApplication, uuid.UUID, Deps]:
    app = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    tid = _video(app)
    app.start_processing(tid)
    deps = Deps(settings=Settings(split_progress_interval_s=interval_s), app=app,
                s3=None)  # type: ignore[arg-type]
    return app, tid, deps


def _reported(app: TaskApplication, tid: uuid.UUID) -> list[float]:
    return [float(vars(e)["fraction"]) for e in app.repository.event_store.get(tid)
            if type(e).__name__ == "SplitProgressed"]


async def test_progress_is_recorded_from_the_detection_thread_growing() -> None:
    app, tid, deps = _setup(0.0)
    reporter = SplitProgress(tid, deps, asyncio.get_running_loop())

    def detect() -> None:  # detect_scenes calls it from its own thread, every hundredth
        for i in range(1, 101):
            reporter(i / 100)
            time.sleep(0.002)

    await asyncio.to_thread(detect)
    await reporter.drain()
    reported = _reported(app, tid)
    assert len(reported) >= 5  # a report still being written makes the next ones wait
    assert reported == sorted(set(reported)) and reported[-1] <= 0.99
    assert app.repository.get(tid).split_progress == reported[-1]


async def test_progress_is_recorded_at_most_once_an_interval() -> None:
    app, tid, deps = _setup(3600.0)
    reporter = SplitProgress(tid, deps, asyncio.get_running_loop())

    def detect() -> None:
        for i in range(1, 100):
            reporter(i / 100)

    await asyncio.to_thread(detect)
    await reporter.drain()
    assert _reported(app, tid) == []


async def test_a_deleted_task_stops_the_detection() -> None:
    app, tid, deps = _setup(0.0)
    reporter = SplitProgress(tid, deps, asyncio.get_running_loop())
    calls: list[float] = []

    def progress(fraction: float) -> None:
        calls.append(fraction)
        if len(calls) == 3:
            app.delete_task(tid)
        reporter(fraction)
        time.sleep(0.05)  # the report is written meanwhile

    with pytest.raises(TaskGone):
        await asyncio.to_thread(detect_scenes, TESTVIDEO, detector="transition-fast",
                                progress=progress)
    await reporter.drain()
    assert 3 <= len(calls) <= 6  # stopped at the next report, not at the end of the video

"""A recognition command carries its run's options, so a worker starts without loading the task;
only a message that comes again reads the event store (issue 11: fewer aggregate loads)."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from recognition_service.handlers import RunOptions, _run_options
from relay.relay import Relay
from scenelens.adapters.rabbitmq import Delivery
from scenelens.application import TaskApplication
from scenelens.domain.ids import segment_id
from scenelens.domain.task import FIRST_RUN, run_id
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2
from tests.unit.test_relay import FakeTracking

OPTIONS = {"model": "strict", "confidence": 0.3, "labels": ["person", "bus"]}


class CountingApp:
    """Counts loads; delegates to a real in-memory application."""

    def __init__(self, app: TaskApplication) -> None:
        self.app = app
        self.loads = 0

    def get_live_task(self, task_id: uuid.UUID) -> Any:
        self.loads += 1
        return self.app.get_live_task(task_id)


class Deps:
    def __init__(self, app: Any) -> None:
        self.app = app


class CommandPublisher:
    def __init__(self) -> None:
        self.commands: list[commands_pb2.RecognizeFrame] = []

    async def send(self, queue: str, msg: Any, *, message_id: str, priority: int = 0,
                   **headers: Any) -> None:
        if isinstance(msg, commands_pb2.RecognizeFrame):
            self.commands.append(msg)

    async def publish_event(self, routing_key: str, msg: Any, *, message_id: str,
                            **headers: Any) -> None:
        pass


def _task(app: TaskApplication, kind: str) -> uuid.UUID:
    tid = uuid.uuid4()
    app.create_task(task_id=tid, kind=kind, filename="f", content_type="x", size_bytes=1,
                    input_key=f"input-files/{tid}/f", scene_options={}, tenant_id=uuid.uuid4(),
                    tier="pro", analysis_options=OPTIONS)
    return tid


def _relayed(app: TaskApplication, *, restart_at: int | None = None
             ) -> list[commands_pb2.RecognizeFrame]:
    publisher, tracking = CommandPublisher(), FakeTracking()
    tracking.position = restart_at
    asyncio.run(Relay(Settings(), app, tracking, publisher).step())  # type: ignore[arg-type]
    return publisher.commands


@pytest.mark.parametrize("restart", [False, True])
def test_the_relay_puts_the_run_options_on_every_recognition_command(restart: bool) -> None:
    app = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    photo, video = _task(app, "photo"), _task(app, "video")
    app.start_processing(video)
    app.record_scene(video, segment_id=str(segment_id(video, 0)), index=0, start_time_s=0,
                     end_time_s=1, start_frame=0, end_frame=30, key_frame_time_s=0.5,
                     image_key="scene-images/x", width=64, height=36)
    # restart: a relay that starts after both TaskCreated (its cache empty) loads the options.
    commands = _relayed(app, restart_at=2 if restart else None)
    scene = [c for c in commands if c.task_id == str(video)]
    assert len(scene) == 1
    if not restart:
        assert [c.task_id for c in commands if c.index == 0][0] == str(photo)
    for cmd in commands:
        assert cmd.options_included and cmd.model == "strict"
        assert cmd.confidence == pytest.approx(0.3, abs=1e-12) and cmd.HasField("confidence")
        assert list(cmd.labels) == ["person", "bus"]


def _delivery(cmd: commands_pb2.RecognizeFrame, *, attempt: int = 1,
              redelivered: bool = False) -> Delivery:
    return Delivery(body=cmd.SerializeToString(), type="scenelens.v1.RecognizeFrame",
                    message_id="m", attempt=attempt, headers={}, redelivered=redelivered)


def test_a_first_delivery_starts_without_loading_the_task_and_a_repeat_checks_it() -> None:
    app = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    tid = _task(app, "photo")
    [cmd] = _relayed(app)
    counting = CountingApp(app)
    first = str(run_id(tid, FIRST_RUN))

    def options(delivery: Delivery) -> RunOptions | None:
        return asyncio.run(_run_options(Deps(counting), delivery, cmd, tid,  # type: ignore[arg-type]
                                        first, first))

    expected = RunOptions("strict", pytest.approx(0.3), ["person", "bus"])  # type: ignore[arg-type]
    assert options(_delivery(cmd)) == expected and counting.loads == 0
    # A retry and a redelivery read the task: still pending, so the same options.
    assert options(_delivery(cmd, attempt=2)) == expected and counting.loads == 1
    assert options(_delivery(cmd, redelivered=True)) == expected and counting.loads == 2
    # Once recognised, a repeat is skipped.
    app.start_processing(tid)
    app.record_recognition(tid, segment_id=cmd.segment_id, detections=[], model_name="strict",
                           model_version="1", result_key="k", width=4, height=4)
    assert options(_delivery(cmd, redelivered=True)) is None and counting.loads == 3
    # A command from before options travelled always reads the task.
    old = commands_pb2.RecognizeFrame(task_id=cmd.task_id, segment_id=cmd.segment_id,
                                      run_id=cmd.run_id, image_key=cmd.image_key)
    assert asyncio.run(_run_options(Deps(counting), _delivery(old), old, tid,  # type: ignore[arg-type]
                                    first, first)) is None
    assert counting.loads == 4

"""The relay publishes what each stored event causes, in order, and nothing else."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

from eventsourcing.persistence import Tracking

from relay.relay import Relay
from scenelens.adapters.rabbitmq import RECOGNITION_QUEUE, VIDEO_QUEUE
from scenelens.application import TaskApplication
from scenelens.settings import Settings


class FakePublisher:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.priorities: dict[str, int] = {}  # task id -> priority of its last command
        self.events: list[str] = []

    async def send(self, queue: str, msg: Any, *, message_id: str, priority: int = 0,
                   **headers: Any) -> None:
        self.sent.append((queue, msg.DESCRIPTOR.name, message_id))
        self.priorities[msg.task_id] = priority

    async def publish_event(self, routing_key: str, msg: Any, *, message_id: str,
                            **headers: Any) -> None:
        self.events.append(routing_key)


class FakeTracking:
    def __init__(self) -> None:
        self.position: int | None = None

    def max_tracking_id(self, name: str) -> int | None:
        return self.position

    def insert_tracking(self, tracking: Tracking) -> None:
        self.position = tracking.notification_id


def test_commands_events_position_and_cleanup() -> None:
    app = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    photo, video = uuid.uuid4(), uuid.uuid4()
    for tid, kind in ((photo, "photo"), (video, "video")):
        app.create_task(task_id=tid, kind=kind, filename="f", content_type="x", size_bytes=1,
                        input_key=f"input-files/{tid}/f", scene_options={},
                        tenant_id=uuid.uuid4(), tier="pro")
    app.delete_task(video)
    publisher, tracking = FakePublisher(), FakeTracking()
    relay = Relay(Settings(), app, tracking, publisher)  # type: ignore[arg-type]

    handled = asyncio.run(relay.step())

    assert handled == 3 and tracking.position == 3
    assert [(q, name) for q, name, _ in publisher.sent] == [
        (RECOGNITION_QUEUE, "RecognizeFrame"), (VIDEO_QUEUE, "SplitVideo")]
    assert publisher.events == ["task.created", "task.created", "task.deleted"]
    # The relay only publishes TaskDeleted; removing files is the janitor's, so an S3 outage
    # can never hold the relay at a TaskDeleted (it has no S3 at all).
    # Message ids are deterministic: a republish after a crash is recognisably the same.
    again = FakePublisher()
    asyncio.run(Relay(Settings(), app, FakeTracking(), again).step())  # type: ignore[arg-type]
    assert again.sent == publisher.sent
    assert asyncio.run(relay.step()) == 0


def test_commands_carry_the_priority_of_the_task_tier() -> None:
    """Work of a higher tier is published with a higher priority, also after a relay restart."""
    app = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    settings = Settings()
    tasks = {tier: uuid.uuid4() for tier in ("free", "pro", "enterprise")}
    for tier, tid in tasks.items():
        app.create_task(task_id=tid, kind="video", filename="v", content_type="video/mp4",
                        size_bytes=1, input_key=f"input-files/{tid}/v", scene_options={},
                        tenant_id=uuid.uuid4(), tier=tier)
    publisher = FakePublisher()
    asyncio.run(Relay(settings, app, FakeTracking(), publisher).step())  # type: ignore[arg-type]
    assert publisher.priorities == {str(tid): settings.tiers[tier].priority
                                    for tier, tid in tasks.items()}
    assert len(set(publisher.priorities.values())) == 3

    # A relay that starts after TaskCreated finds the tier from the task itself.
    start = app.max_notification_id()
    for tid in tasks.values():
        app.record_scene(tid, segment_id=str(uuid.uuid4()), index=0, start_time_s=0.0,
                         end_time_s=1.0, start_frame=0, end_frame=29, key_frame_time_s=0.5,
                         image_key="k", width=8, height=8)
    restarted = FakePublisher()
    relay = Relay(settings, app, FakeTracking(), restarted)  # type: ignore[arg-type]
    relay.position = start
    asyncio.run(relay.step())
    assert [name for _, name, _ in restarted.sent] == ["RecognizeFrame"] * 3
    assert restarted.priorities == publisher.priorities


def test_every_message_names_the_task_owner_also_after_a_restart() -> None:
    """Consumers (webhooks) learn a task's tenant from the message, without loading the task."""

    class HeaderPublisher(FakePublisher):
        def __init__(self) -> None:
            super().__init__()
            self.owners: list[str] = []

        async def send(self, queue: str, msg: Any, *, message_id: str, priority: int = 0,
                       **headers: Any) -> None:
            self.owners.append(headers["tenant_id"])

        async def publish_event(self, routing_key: str, msg: Any, *, message_id: str,
                                **headers: Any) -> None:
            self.owners.append(headers["tenant_id"])

    app = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    tid, owner = uuid.uuid4(), uuid.uuid4()
    app.create_task(task_id=tid, kind="photo", filename="f", content_type="image/jpeg",
                    size_bytes=1, input_key=f"input-files/{tid}/f", scene_options={},
                    tenant_id=owner, tier="pro")
    first = HeaderPublisher()
    asyncio.run(Relay(Settings(), app, FakeTracking(), first).step())  # type: ignore[arg-type]
    assert first.owners == [str(owner)] * 2  # task.created and RecognizeFrame
    app.start_processing(tid)
    # A relay that starts after TaskCreated (its cache empty) loads the owner once.
    tracking = FakeTracking()
    tracking.position = 1
    later = HeaderPublisher()
    asyncio.run(Relay(Settings(), app, tracking, later).step())  # type: ignore[arg-type]
    assert later.owners and set(later.owners) == {str(owner)}

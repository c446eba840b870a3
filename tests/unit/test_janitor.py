"""The janitor removes a deleted task's files, and an S3 error makes its message retry."""
from __future__ import annotations

import asyncio
import inspect
import uuid

import pytest

from janitor.service import Deps, handle_deleted
from relay.relay import Relay
from scenelens.adapters.rabbitmq import Delivery
from scenelens.application import TaskApplication
from scenelens.settings import Settings
from scenelens.v1 import events_pb2


class FlakyStore:
    """delete_prefix fails `failures` times, then deletes."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.objects = {"input-files/T/a.jpg", "scene-images/T/image_1.jpg",
                        "recognition-results/T/1_result.jpg", "input-files/OTHER/b.jpg"}

    async def delete_prefix(self, prefix: str) -> int:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("S3 DeleteObjects failed")
        gone = {k for k in self.objects if k.startswith(prefix)}
        self.objects -= gone
        return len(gone)


def _delivery(task_id: uuid.UUID, attempt: int = 1) -> Delivery:
    return Delivery(body=events_pb2.TaskDeleted(task_id=str(task_id)).SerializeToString(),
                    type="scenelens.v1.TaskDeleted", message_id="e", attempt=attempt, headers={})


def test_deleted_task_files_go_and_s3_errors_retry() -> None:
    task_id = uuid.uuid4()
    store = FlakyStore(failures=2)
    store.objects = {k.replace("/T/", f"/{task_id}/") for k in store.objects}
    deps = Deps(settings=Settings(), app=TaskApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), s3=store)  # type: ignore[arg-type]
    for attempt in (1, 2):  # the broker retries the message while S3 fails
        with pytest.raises(ConnectionError):
            asyncio.run(handle_deleted(_delivery(task_id, attempt), deps=deps))
    asyncio.run(handle_deleted(_delivery(task_id, 3), deps=deps))
    assert store.objects == {"input-files/OTHER/b.jpg"}


def test_the_relay_has_no_object_store() -> None:
    """Deletion is one path (the janitor's); the relay cannot be blocked by S3."""
    assert "s3" not in inspect.signature(Relay).parameters

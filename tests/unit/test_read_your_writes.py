"""Create and delete answer once the projection has passed their own event (issue 13, finding 6)."""
from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

from google.api import httpbody_pb2
from PIL import Image

from gateway.auth import Caller, set_caller
from gateway.servicer import AnalysisServicer
from scenelens.application import TaskApplication
from scenelens.domain.tiers import DEFAULT_TIERS
from scenelens.settings import Settings
from scenelens.v1 import analysis_pb2


def tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "gray").save(out, "JPEG")
    return out.getvalue()


JPEG = tiny_jpeg()  # a real one: ingest reads the header of every photo


class FakeStore:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def upload_stream(self, key: str, chunks: AsyncIterator[bytes], content_type: str) -> int:
        self.objects[key] = b"".join([c async for c in chunks])
        return len(self.objects[key])

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    async def delete_prefix(self, prefix: str) -> int:
        gone = [k for k in self.objects if k.startswith(prefix)]
        for k in gone:
            del self.objects[k]
        return len(gone)


class FakeReads:
    """Records what the servicer waits for; has no task rows (the projection is 'behind')."""

    def __init__(self) -> None:
        self.waited: list[int | None] = []

    async def wait_for_position(self, position: int | None, *, timeout: float) -> bool:
        self.waited.append(position)
        return True

    async def get_task(self, task_id: uuid.UUID, tenant_id: uuid.UUID) -> Any:
        return None

    async def task_ended(self, task_id: uuid.UUID) -> bool:
        return False

    async def count_unfinished(self, tenant_id: uuid.UUID) -> int:
        return 0


class StayingClient:
    """The servicer context of a call whose client stays to the end."""

    def cancelled(self) -> bool:
        return False

    def invocation_metadata(self) -> tuple[()]:
        return ()

    async def send_initial_metadata(self, metadata: object) -> None:
        pass


def test_create_and_delete_wait_for_their_own_notification() -> None:
    async def go() -> None:
        app = TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        reads, store = FakeReads(), FakeStore()
        servicer = AnalysisServicer(Settings(), app, store, reads)  # type: ignore[arg-type]
        set_caller(Caller(tenant_id=uuid.uuid4(), key_id=uuid.uuid4(), tier_name="pro",
                          tier=DEFAULT_TIERS["pro"]))
        task = await servicer.CreateAnalysis(analysis_pb2.CreateAnalysisRequest(
            file=httpbody_pb2.HttpBody(content_type="image/jpeg", data=JPEG),
            filename="a.jpg"), StayingClient())  # type: ignore[arg-type]
        created_at = app.max_notification_id()
        assert reads.waited == [created_at] and created_at > 0
        assert task.status == analysis_pb2.TASK_STATUS_PENDING and task.filename == "a.jpg"

        app.start_processing(uuid.UUID(task.task_id))  # someone else writes in between
        await servicer.DeleteAnalysis(
            analysis_pb2.DeleteAnalysisRequest(task_id=task.task_id), None)  # type: ignore[arg-type]
        assert reads.waited == [created_at, app.max_notification_id()]
        assert reads.waited[1] == created_at + 2
        assert store.objects == {}

    asyncio.run(go())

"""The upload path with in-memory fakes: caps, concurrency limit, and nothing left on failure."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from gateway.auth import Caller
from gateway.ingest import Ingest
from gateway.uploads import Upload
from scenelens.application import TaskApplication
from scenelens.domain.errors import PayloadTooLarge, QuotaExceeded, TooManyRequests
from scenelens.domain.tiers import Tier
from scenelens.settings import Settings

PRO = Tier(priority=5, max_file_bytes=10**9, max_unfinished_tasks=100, rate_per_s=10, burst=10)
CALLER = Caller(tenant_id=uuid.uuid4(), key_id=uuid.uuid4(), tier_name="pro", tier=PRO)


class FakeReads:
    """The one read-model query ingest makes: the tenant's unfinished tasks."""

    def __init__(self, unfinished: int = 0) -> None:
        self.unfinished = unfinished

    async def count_unfinished(self, tenant_id: uuid.UUID) -> int:
        return self.unfinished

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100


class FakeStore:
    """Just enough of ObjectStore for ingest."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.objects: dict[str, bytes] = {}
        self.gate = gate
        self.waiting = 0  # uploads held at the gate

    async def upload_stream(self, key: str, chunks: AsyncIterator[bytes], content_type: str) -> int:
        data = b""
        async for c in chunks:
            data += c
            if self.gate is not None:
                self.waiting += 1
                await self.gate.wait()
                self.waiting -= 1
        self.objects[key] = data
        return len(data)

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)


async def _body(*parts: bytes) -> AsyncIterator[bytes]:
    for p in parts:
        yield p


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0)  # let the other tasks run


def _app() -> TaskApplication:
    return TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_accepts_a_photo_and_records_the_task() -> None:
    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(), app, store, FakeReads())  # type: ignore[arg-type]
    accepted = asyncio.run(ingest.accept(Upload(_body(JPEG), "image/jpeg", "../a b.jpg"), {}, CALLER))
    assert accepted.kind == "photo" and accepted.filename == "../a b.jpg"
    assert list(store.objects) == [f"input-files/{accepted.task_id}/a_b.jpg"]
    task = app.get_task(accepted.task_id)
    assert (task.kind, task.tenant_id, task.tier) == ("photo", str(CALLER.tenant_id), "pro")


def test_a_non_ascii_name_is_kept_and_the_key_is_safe() -> None:
    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(), app, store, FakeReads())  # type: ignore[arg-type]
    accepted = asyncio.run(ingest.accept(Upload(_body(JPEG), "image/jpeg", "Отпуск 2024.jpg"), {}, CALLER))
    assert accepted.filename == "Отпуск 2024.jpg"
    assert app.get_task(accepted.task_id).filename == "Отпуск 2024.jpg"
    assert list(store.objects) == [f"input-files/{accepted.task_id}/2024.jpg"]


def test_over_the_cap_leaves_nothing() -> None:
    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(max_photo_bytes=150), app, store, FakeReads())  # type: ignore[arg-type]
    with pytest.raises(PayloadTooLarge):
        asyncio.run(ingest.accept(Upload(_body(JPEG, b"\0" * 100), "image/jpeg", "a.jpg"), {}, CALLER))
    assert store.objects == {}
    assert app.max_notification_id() == 0


def test_too_many_uploads_at_once_is_refused() -> None:
    async def go() -> None:
        gate = asyncio.Event()
        store = FakeStore(gate)
        ingest = Ingest(Settings(max_concurrent_uploads=2), _app(), store, FakeReads())  # type: ignore[arg-type]
        first = [asyncio.create_task(ingest.accept(
            Upload(_body(JPEG), "image/jpeg", f"{i}.jpg"), {}, CALLER)) for i in range(2)]
        # Both are inside ingest, held at the store, before the third arrives.
        await asyncio.wait_for(_until(lambda: store.waiting == 2), timeout=5)
        with pytest.raises(TooManyRequests):
            await ingest.accept(Upload(_body(JPEG), "image/jpeg", "x.jpg"), {}, CALLER)
        gate.set()
        done = await asyncio.gather(*first)
        assert all(isinstance(a.task_id, uuid.UUID) for a in done)
        # Slots free up again.
        await ingest.accept(Upload(_body(JPEG), "image/jpeg", "y.jpg"), {}, CALLER)

    asyncio.run(go())


def test_the_tier_caps_size_and_unfinished_tasks() -> None:
    store, app = FakeStore(), _app()
    small = Caller(tenant_id=uuid.uuid4(), key_id=uuid.uuid4(), tier_name="free",
                   tier=PRO.model_copy(update={"max_file_bytes": 150, "max_unfinished_tasks": 3}))
    ingest = Ingest(Settings(), app, store, FakeReads(unfinished=2))  # type: ignore[arg-type]
    with pytest.raises(PayloadTooLarge, match="free tier's limit of 150 bytes"):
        asyncio.run(ingest.accept(Upload(_body(JPEG, b"\0" * 100), "image/jpeg", "a.jpg"), {},
                                  small))
    asyncio.run(ingest.accept(Upload(_body(JPEG), "image/jpeg", "b.jpg"), {}, small))
    full = Ingest(Settings(), app, store, FakeReads(unfinished=3))  # type: ignore[arg-type]
    with pytest.raises(QuotaExceeded, match="free tier allows 3 unfinished tasks"):
        asyncio.run(full.accept(Upload(_body(JPEG), "image/jpeg", "c.jpg"), {}, small))
    assert len(store.objects) == 1 and app.max_notification_id() == 1

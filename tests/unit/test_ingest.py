"""The upload path with in-memory fakes: caps, concurrency limit, and nothing left on failure."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from gateway.ingest import Ingest
from gateway.uploads import Upload
from scenelens.application import TaskApplication
from scenelens.domain.errors import PayloadTooLarge, TooManyRequests
from scenelens.settings import Settings

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 100


class FakeStore:
    """Just enough of ObjectStore for ingest."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.objects: dict[str, bytes] = {}
        self.gate = gate

    async def upload_stream(self, key: str, chunks: AsyncIterator[bytes], content_type: str) -> int:
        data = b""
        async for c in chunks:
            data += c
            if self.gate is not None:
                await self.gate.wait()
        self.objects[key] = data
        return len(data)

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)


async def _body(*parts: bytes) -> AsyncIterator[bytes]:
    for p in parts:
        yield p


def _app() -> TaskApplication:
    return TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_accepts_a_photo_and_records_the_task() -> None:
    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(), app, store)  # type: ignore[arg-type]
    accepted = asyncio.run(ingest.accept(Upload(_body(JPEG), "image/jpeg", "../a b.jpg"), {}))
    assert accepted.kind == "photo" and accepted.filename == "../a b.jpg"
    assert list(store.objects) == [f"input-files/{accepted.task_id}/a_b.jpg"]
    assert app.get_task(accepted.task_id).kind == "photo"


def test_over_the_cap_leaves_nothing() -> None:
    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(max_photo_bytes=150), app, store)  # type: ignore[arg-type]
    with pytest.raises(PayloadTooLarge):
        asyncio.run(ingest.accept(Upload(_body(JPEG, b"\0" * 100), "image/jpeg", "a.jpg"), {}))
    assert store.objects == {}
    assert app.max_notification_id() == 0


def test_too_many_uploads_at_once_is_refused() -> None:
    async def go() -> None:
        gate = asyncio.Event()
        store = FakeStore(gate)
        ingest = Ingest(Settings(max_concurrent_uploads=2), _app(), store)  # type: ignore[arg-type]
        first = [asyncio.create_task(ingest.accept(
            Upload(_body(JPEG), "image/jpeg", f"{i}.jpg"), {})) for i in range(2)]
        await asyncio.sleep(0.05)
        with pytest.raises(TooManyRequests):
            await ingest.accept(Upload(_body(JPEG), "image/jpeg", "x.jpg"), {})
        gate.set()
        done = await asyncio.gather(*first)
        assert all(isinstance(a.task_id, uuid.UUID) for a in done)
        # Slots free up again.
        await ingest.accept(Upload(_body(JPEG), "image/jpeg", "y.jpg"), {})

    asyncio.run(go())

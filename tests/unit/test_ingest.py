"""The upload path with in-memory fakes: caps, concurrency limit, and nothing left on failure."""
from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from PIL import Image

from gateway.auth import Caller
from gateway.ingest import Ingest
from gateway.uploads import Upload
from scenelens.application import TaskApplication
from scenelens.domain.errors import (
    InvalidRequest,
    PayloadTooLarge,
    QuotaExceeded,
    TooManyRequests,
)
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


def tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "gray").save(out, "JPEG")
    return out.getvalue()


JPEG = tiny_jpeg()  # a real one: ingest reads the header of every photo


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
    ingest = Ingest(Settings(max_photo_bytes=len(JPEG) + 50), app, store, FakeReads())  # type: ignore[arg-type]
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
                   tier=PRO.model_copy(update={"max_file_bytes": len(JPEG) + 50, "max_unfinished_tasks": 3}))
    ingest = Ingest(Settings(), app, store, FakeReads(unfinished=2))  # type: ignore[arg-type]
    with pytest.raises(PayloadTooLarge, match=f"free tier's limit of {len(JPEG) + 50} bytes"):
        asyncio.run(ingest.accept(Upload(_body(JPEG, b"\0" * 100), "image/jpeg", "a.jpg"), {},
                                  small))
    asyncio.run(ingest.accept(Upload(_body(JPEG), "image/jpeg", "b.jpg"), {}, small))
    full = Ingest(Settings(), app, store, FakeReads(unfinished=3))  # type: ignore[arg-type]
    with pytest.raises(QuotaExceeded, match="free tier allows 3 unfinished tasks"):
        asyncio.run(full.accept(Upload(_body(JPEG), "image/jpeg", "c.jpg"), {}, small))
    assert len(store.objects) == 1 and app.max_notification_id() == 1


def _png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR claiming this size (no pixel data: a decompression bomb's head)."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    idat = b"IDAT" + zlib.compress(b"")
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + struct.pack(">I", len(idat) - 4) + idat
            + struct.pack(">I", zlib.crc32(idat)))


@pytest.mark.parametrize(("data", "message"), [
    (JPEG[:4], "not a readable image"),                      # magic, then nothing
    (_png_header(100_000, 100_000), "pixels"),               # 10^10 pixels
])
def test_a_photo_whose_header_does_not_parse_is_refused(data: bytes, message: str) -> None:
    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(), app, store, FakeReads())  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match=message):
        asyncio.run(ingest.accept(
            Upload(_body(*(p for p in (data[:1000], data[1000:]) if p)), "image/jpeg", "a.jpg"),
            {}, CALLER))
    assert store.objects == {}
    assert app.max_notification_id() == 0


def test_a_photo_whose_header_lies_beyond_the_probe_is_let_through() -> None:
    """A camera JPEG with 320 KB of APP segments (ICC, XMP) before its frame header."""
    padding = b"".join(b"\xff\xef" + (65535).to_bytes(2, "big") + b"\0" * 65533 for _ in range(5))
    data = JPEG[:2] + padding + JPEG[2:]
    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(), app, store, FakeReads())  # type: ignore[arg-type]
    accepted = asyncio.run(ingest.accept(
        Upload(_body(data[:100_000], data[100_000:]), "image/jpeg", "camera.jpg"), {}, CALLER))
    assert list(store.objects.values()) == [data] and accepted.kind == "photo"


def test_a_client_gone_once_the_file_is_stored_gets_no_task_and_leaves_no_file() -> None:
    """A cancelled gRPC upload ends its request stream as if complete; whether the client is
    still there is asked once the file is stored, before the task is recorded."""
    async def gone() -> bool:
        return True

    async def there() -> bool:
        return False

    store, app = FakeStore(), _app()
    ingest = Ingest(Settings(), app, store, FakeReads())  # type: ignore[arg-type]
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(ingest.accept(Upload(_body(JPEG), "image/jpeg", "a.jpg"), {}, CALLER,
                                  abandoned=gone))
    assert store.objects == {}
    assert app.max_notification_id() == 0
    accepted = asyncio.run(ingest.accept(Upload(_body(JPEG), "image/jpeg", "b.jpg"), {}, CALLER,
                                         abandoned=there))
    assert list(store.objects) == [f"input-files/{accepted.task_id}/b.jpg"]

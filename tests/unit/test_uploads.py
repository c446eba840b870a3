"""Multipart bodies are decoded as a stream; the file part and its name come through intact."""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from gateway.uploads import open_upload
from scenelens.domain.errors import InvalidRequest

BOUNDARY = "----scenelensboundary"


def _multipart(data: bytes, filename: str = "bus.jpg", extra: bool = True) -> bytes:
    parts = []
    if extra:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n'.encode())
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


async def _chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for i in range(0, len(body), size):
        yield body[i : i + size]


async def _read(upload_chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([c async for c in upload_chunks])


@pytest.mark.parametrize("chunk", [1, 7, 1024, 10**7])
def test_multipart_file_part_streams_intact(chunk: int) -> None:
    data = os.urandom(50_000) + b"\r\n--" + os.urandom(100)
    body = _multipart(data)

    async def go() -> None:
        up = await open_upload(f"multipart/form-data; boundary={BOUNDARY}", _chunks(body, chunk), "")
        assert up.filename == "bus.jpg"
        assert up.content_type == "image/jpeg"
        assert await _read(up.chunks) == data

    asyncio.run(go())


def test_raw_body_passes_through() -> None:
    async def go() -> None:
        up = await open_upload("image/jpeg", _chunks(b"abc" * 10, 4), "x.jpg")
        assert (up.filename, up.content_type) == ("x.jpg", "image/jpeg")
        assert await _read(up.chunks) == b"abc" * 10

    asyncio.run(go())


@pytest.mark.parametrize("body", [
    b"not multipart at all",
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--{BOUNDARY}--\r\n'.encode(),
])
def test_multipart_without_file_part_is_invalid(body: bytes) -> None:
    async def go() -> None:
        up = await open_upload(f"multipart/form-data; boundary={BOUNDARY}", _chunks(body, 100), "")
        await _read(up.chunks)

    with pytest.raises(InvalidRequest):
        asyncio.run(go())


def test_multipart_without_boundary_is_invalid() -> None:
    with pytest.raises(InvalidRequest):
        asyncio.run(open_upload("multipart/form-data", _chunks(b"x", 1), ""))

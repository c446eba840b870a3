"""Multipart bodies are decoded as a stream; the file part and its name come through intact."""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from gateway.uploads import open_upload
from scenelens.domain.errors import InvalidRequest, UploadStalled

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


def _file_part(disposition: bytes, data: bytes) -> bytes:
    return (f"--{BOUNDARY}\r\n".encode() + b"Content-Disposition: " + disposition
            + b"\r\nContent-Type: image/jpeg\r\n\r\n" + data + f"\r\n--{BOUNDARY}--\r\n".encode())


@pytest.mark.parametrize(("disposition", "name"), [
    # raw UTF-8 in the header, as curl -F and browsers send it
    ('form-data; name="file"; filename="Отпуск на море.jpg"'.encode(), "Отпуск на море.jpg"),
    # RFC 5987 extended parameter, which wins over the plain one
    (b"form-data; name=\"file\"; filename=\"fallback.jpg\"; "
     b"filename*=UTF-8''%D0%9E%D1%82%D0%BF%D1%83%D1%81%D0%BA.jpg", "Отпуск.jpg"),
    (b"form-data; name=\"file\"; filename*=utf-8'ru'%E6%97%A5%E6%9C%AC.png", "日本.png"),
    (b"form-data; name=\"file\"; filename*=ISO-8859-1''caf%E9.jpg", "café.jpg"),
])
def test_non_ascii_multipart_names_are_kept(disposition: bytes, name: str) -> None:
    data = os.urandom(1000)

    async def go() -> None:
        up = await open_upload(f"multipart/form-data; boundary={BOUNDARY}",
                               _chunks(_file_part(disposition, data), 13), "")
        assert up.filename == name
        assert await _read(up.chunks) == data

    asyncio.run(go())


@pytest.mark.parametrize(("disposition", "message"), [
    (b'form-data; name="file"; filename="\xff\xfe.jpg"', "not valid UTF-8"),
    (b"form-data; name=\"file\"; filename*=UTF-8''%FF%FE.jpg", "not valid UTF-8"),
    (b"form-data; name=\"file\"; filename*=KOI8-R''%F0.jpg", "filename\\*"),
    # python-multipart bounds a part's headers, so a huge name is never buffered whole
    (b"form-data; name=\"file\"; filename=\"" + b"a" * 20_000 + b'.jpg"', "header size"),
], ids=["raw-not-utf8", "ext-not-utf8", "ext-charset", "huge-name"])
def test_bad_multipart_names_are_invalid(disposition: bytes, message: str) -> None:
    async def go() -> None:
        up = await open_upload(f"multipart/form-data; boundary={BOUNDARY}",
                               _chunks(_file_part(disposition, b"x"), 1000), "")
        await _read(up.chunks)

    with pytest.raises(InvalidRequest, match=message):
        asyncio.run(go())


def test_two_file_parts_are_invalid() -> None:
    one = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
    body = (one + "A\r\n" + one.replace("a.jpg", "b.jpg") + f"B\r\n--{BOUNDARY}--\r\n").encode()

    async def go() -> None:
        up = await open_upload(f"multipart/form-data; boundary={BOUNDARY}", _chunks(body, 7), "")
        await _read(up.chunks)

    with pytest.raises(InvalidRequest, match="more than one"):
        asyncio.run(go())


def test_a_stalled_body_ends_with_upload_stalled() -> None:
    async def stalls() -> AsyncIterator[bytes]:
        yield b"first"
        await asyncio.Event().wait()  # never set: the client stopped sending
        yield b"never"

    async def go() -> None:
        up = await open_upload("video/mp4", stalls(), "x.mp4", idle_timeout_s=0.2)
        await _read(up.chunks)

    with pytest.raises(UploadStalled, match="no data received for 0.2 s"):
        asyncio.run(go())

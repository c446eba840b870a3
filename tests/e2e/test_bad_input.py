"""Every malformed request gets a clear JSON error with the right code, and nothing is stored."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.support import ApiClient, Stores

UNKNOWN = "0b5a4a55-5d4c-4b8e-9a7e-3f1f3f1f3f1f"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[ApiClient], httpx.Response]
    status: int
    message: str  # a word the message must contain (case-insensitive)


def _multipart_raw(api: ApiClient, body: bytes) -> httpx.Response:
    return api.http.post("/v1/analysis", content=body,
                         headers={"Content-Type": "multipart/form-data; boundary=xyz"})


def _big_chunks(total: int) -> Iterator[bytes]:
    yield JPEG_HEAD
    sent = len(JPEG_HEAD)
    block = os.urandom(1 << 20)
    while sent < total:
        yield block
        sent += len(block)


CASES = [
    Case("text file named x.jpg", lambda a: a.upload(b"just some text\n" * 10, "x.jpg",
                                                     content_type="image/jpeg"), 400, "image"),
    Case("html named photo.jpeg raw", lambda a: a.upload(b"<html></html>", "photo.jpeg",
                                                          multipart=False), 400, "image"),
    Case("text named x.png raw", lambda a: a.upload(b"hello", "x.png", multipart=False,
                                                    content_type="image/png"), 400, "image"),
    Case("empty multipart upload", lambda a: a.upload(b"", "empty.jpg"), 400, "empty"),
    Case("empty raw upload", lambda a: a.upload(b"", "empty.jpg", multipart=False), 400, "empty"),
    Case("empty streamed upload", lambda a: a.stream_upload(iter([b""]), "e.mp4",
                                                            content_type="video/mp4"), 400, "empty"),
    Case("pdf", lambda a: a.upload(b"%PDF-1.7\n" + b"0" * 100, "doc.pdf",
                                   content_type="application/pdf"), 415, "unsupported"),
    Case("random bytes as octet-stream", lambda a: a.upload(os.urandom(4096), "data.bin"),
         415, "unsupported"),
    Case("photo over the cap, streamed", lambda a: a.stream_upload(
        _big_chunks(5 << 20), "big.jpg", content_type="image/jpeg"), 413, "larger"),
    Case("photo over the cap, multipart", lambda a: a.upload(
        b"".join(_big_chunks(5 << 20)), "big.jpg", content_type="image/jpeg"), 413, "larger"),
    Case("multipart without a file field", lambda a: _multipart_raw(
        a, b'--xyz\r\nContent-Disposition: form-data; name="other"\r\n\r\nv\r\n--xyz--\r\n'),
        400, "file"),
    Case("multipart cut short", lambda a: _multipart_raw(
        a, b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
           + JPEG_HEAD), 400, "multipart"),
    Case("control characters in filename", lambda a: a.upload(
        JPEG_HEAD, "a\u0001b.jpg", multipart=False), 400, "control"),
    Case("unknown scene detector", lambda a: a.upload(
        JPEG_HEAD, "a.jpg", scene_detector="magic"), 400, "scene_detector"),
    Case("threshold out of range", lambda a: a.upload(
        JPEG_HEAD, "a.jpg", scene_threshold="-1"), 400, "scene_threshold"),
    Case("threshold not a number", lambda a: a.upload(
        JPEG_HEAD, "a.jpg", scene_threshold="abc"), 400, ""),
    Case("max_scenes zero", lambda a: a.upload(JPEG_HEAD, "a.jpg", max_scenes="0"),
         400, "max_scenes"),
    Case("unknown query parameter", lambda a: a.upload(JPEG_HEAD, "a.jpg", colour="red"),
         400, ""),
    Case("unknown path", lambda a: a.http.get("/v1/nothing/here"), 404, ""),
    Case("unknown task", lambda a: a.task(UNKNOWN), 404, "not found"),
    Case("malformed task id", lambda a: a.task("not-a-uuid"), 400, "uuid"),
    Case("segments of unknown task", lambda a: a.segments(UNKNOWN), 404, "not found"),
    Case("negative page size", lambda a: a.segments(UNKNOWN, page_size=-1), 404, "not found"),
    Case("unknown segment of unknown task", lambda a: a.segment(UNKNOWN, UNKNOWN), 404,
         "not found"),
    Case("delete unknown task", lambda a: a.delete(UNKNOWN), 404, "not found"),
    Case("delete malformed id", lambda a: a.delete("12345"), 400, "uuid"),
    Case("path traversal in id", lambda a: a.delete("..%2F..%2Fetc"), 400, "uuid"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_request(api: ApiClient, stores: Stores, case: Case) -> None:
    before = stores.counts()
    resp = case.call(api)
    assert resp.status_code == case.status, (resp.status_code, resp.text)
    body = resp.json()
    assert isinstance(body.get("message"), str) and body["message"], body
    assert case.message.lower() in body["message"].lower(), body
    assert "Traceback" not in resp.text and "File \"" not in resp.text
    assert stores.counts() == before


def test_bad_requests_on_a_real_task(api: ApiClient, stores: Stores, bus_bytes: bytes) -> None:
    task = api.create(bus_bytes, "bus.jpg")
    tid = task["task_id"]
    cases = [
        (api.segments(tid, page_size=-1), 400, "page_size"),
        (api.segments(tid, page_token="garbage!"), 400, "page_token"),
        (api.segment(tid, str(uuid.uuid4())), 404, "not found"),
        (api.segment(tid, "nope"), 400, "uuid"),
    ]
    for resp, status, word in cases:
        assert resp.status_code == status, resp.text
        assert word in resp.json()["message"].lower()
    api.wait_terminal(tid)

"""Every malformed request gets a clear JSON error with the right code, and nothing is stored."""
from __future__ import annotations

import http.client
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import grpc
import httpx
import pytest
from google.api import httpbody_pb2

from scenelens.v1 import analysis_pb2, analysis_pb2_grpc
from tests.support import ApiClient, Stores, open_channel, wait_until
from tests.unit.test_ingest import _png_header, tiny_jpeg

UNKNOWN = "0b5a4a55-5d4c-4b8e-9a7e-3f1f3f1f3f1f"
PNG_BOMB = _png_header(100_000, 100_000)  # 10^10 pixels claimed in a few bytes
FULLWIDTH = str.maketrans("0123456789abcdef", "０１２３４５６７８９ａｂｃｄｅｆ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
JPEG_HEAD = tiny_jpeg()  # a whole (tiny) JPEG: a photo whose header parses


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[ApiClient], httpx.Response]
    status: int
    message: str  # a word the message must contain (case-insensitive)
    settle_s: float = 0  # how long nothing may appear after the answer (the gateway may lag Envoy)


def _multipart_raw(api: ApiClient, body: bytes) -> httpx.Response:
    return api.http.post("/v1/analysis", content=body,
                         headers={"Content-Type": "multipart/form-data; boundary=xyz"})


def _multipart(api: ApiClient, disposition: bytes, data: bytes = JPEG_HEAD) -> httpx.Response:
    """One file part with the Content-Disposition given as raw bytes (as curl -F sends it)."""
    return _multipart_raw(api, b"--xyz\r\nContent-Disposition: " + disposition
                          + b"\r\nContent-Type: image/jpeg\r\n\r\n" + data + b"\r\n--xyz--\r\n")


def _two_files(api: ApiClient) -> httpx.Response:
    part = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n\r\n'
    return _multipart_raw(api, part % b"a.jpg" + JPEG_HEAD + b"\r\n" + part % b"b.jpg"
                          + JPEG_HEAD + b"\r\n--xyz--\r\n")


TERMINAL = ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")


def _raw_http(api: ApiClient, request: bytes) -> httpx.Response:
    """Bytes straight onto Envoy's socket (what no well-behaved client library would send)."""
    url = urlsplit(api.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=60) as sock:
        sock.sendall(request)
        reply = http.client.HTTPResponse(sock)
        reply.begin()
        return httpx.Response(reply.status, headers=reply.getheaders(), content=reply.read())


def _head(api: ApiClient, method: str, path: str, *headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {urlsplit(api.base_url).netloc}",
             f"Authorization: Bearer {api.api_key}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _lying_chunks(api: ApiClient) -> httpx.Response:
    # The chunk header says 4 bytes; 24 follow before the next chunk header.
    body = b"4\r\n" + JPEG_HEAD[:24] + b"\r\n0\r\n\r\n"
    return _raw_http(api, _head(api, "POST", "/v1/analysis:upload?filename=a.jpg",
                                "Content-Type: image/jpeg", "Transfer-Encoding: chunked") + body)


def _stalled(api: ApiClient) -> httpx.Response:
    # Content-Length promises 1 MiB; 64 KiB arrive, then nothing: the upload idle timeout ends it.
    data = JPEG_HEAD + b"\0" * (65536 - len(JPEG_HEAD))
    head = _head(api, "POST", "/v1/analysis:upload?filename=stalled.jpg",
                 "Content-Type: image/jpeg", f"Content-Length: {1 << 20}")
    return _raw_http(api, head + data)


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
        JPEG_HEAD, "a.jpg", scene_threshold="abc"), 400, "scene_threshold"),
    Case("max_scenes zero", lambda a: a.upload(JPEG_HEAD, "a.jpg", max_scenes="0"),
         400, "max_scenes"),
    Case("unknown query parameter", lambda a: a.upload(JPEG_HEAD, "a.jpg", colour="red"),
         400, "colour"),
    Case("unknown path", lambda a: a.http.get("/v1/nothing/here"), 404, "/v1/nothing/here"),
    Case("unknown task", lambda a: a.task(UNKNOWN), 404, "not found"),
    Case("malformed task id", lambda a: a.task("not-a-uuid"), 400, "uuid"),
    Case("segments of unknown task", lambda a: a.segments(UNKNOWN), 404, "not found"),
    Case("negative page size on an unknown task", lambda a: a.segments(UNKNOWN, page_size=-1),
         400, "page_size"),
    Case("unknown segment of unknown task", lambda a: a.segment(UNKNOWN, UNKNOWN), 404,
         "not found"),
    Case("delete unknown task", lambda a: a.delete(UNKNOWN), 404, "not found"),
    Case("delete malformed id", lambda a: a.delete("12345"), 400, "uuid"),
    Case("path traversal in id", lambda a: a.delete("..%2F..%2Fetc"), 400, "uuid"),
    # Multipart bodies and file names.
    Case("two files in one multipart body", _two_files, 400, "more than one"),
    Case("1 MB filename", lambda a: _multipart(
        a, b'form-data; name="file"; filename="' + b"n" * 1_000_000 + b'.jpg"'), 400, "header"),
    Case("1 MB filename, raw upload", lambda a: _raw_http(a, _head(
        a, "POST", "/v1/analysis?filename=" + "n" * 1_000_000 + ".jpg",
        "Content-Type: image/jpeg", f"Content-Length: {len(JPEG_HEAD)}") + JPEG_HEAD),
         431, "header"),
    Case("null byte in filename", lambda a: a.upload(
        JPEG_HEAD, "a\x00.jpg", multipart=False), 400, "control"),
    Case("null byte in multipart filename", lambda a: _multipart(
        a, b'form-data; name="file"; filename="a\x00b.jpg"'), 400, "control"),
    Case("filename that is only a path", lambda a: a.upload(
        JPEG_HEAD, "photos/2024/", multipart=False), 400, "no file name"),
    Case("multipart filename that is only a path", lambda a: _multipart(
        a, b'form-data; name="file"; filename="../"'), 400, "no file name"),
    Case("filename not UTF-8", lambda a: _multipart(
        a, b'form-data; name="file"; filename="\xff\xfe.jpg"'), 400, "utf-8"),
    # Envoy passes percent-encoded bytes in a query or path value on as they are; a string
    # field that is not UTF-8 does not parse as protobuf (it was grpc's UNKNOWN: HTTP 500).
    Case("filename not UTF-8 in the query, raw upload", lambda a: _raw_http(a, _head(
        a, "POST", "/v1/analysis?filename=%FF%FE.jpg", "Content-Type: image/jpeg",
        f"Content-Length: {len(JPEG_HEAD)}") + JPEG_HEAD), 400, "utf-8"),
    Case("filename not UTF-8 in the query, streamed upload", lambda a: _raw_http(a, _head(
        a, "POST", "/v1/analysis:upload?filename=%FF.jpg", "Content-Type: image/jpeg",
        f"Content-Length: {len(JPEG_HEAD)}") + JPEG_HEAD), 400, "utf-8"),
    Case("task id not UTF-8", lambda a: _raw_http(a, _head(a, "GET", "/v1/analysis/%FF")),
         400, "utf-8"),
    Case("page token not UTF-8", lambda a: _raw_http(a, _head(
        a, "GET", "/v1/analysis?page_token=%C0%AF")), 400, "utf-8"),
    Case("search label not UTF-8", lambda a: _raw_http(a, _head(
        a, "GET", "/v1/detections?label=%FF")), 400, "utf-8"),
    Case("filename* in an unknown charset", lambda a: _multipart(
        a, b"form-data; name=\"file\"; filename*=KOI8-R''%F0.jpg"), 400, "filename*"),
    # Broken HTTP.
    Case("very long header", lambda a: a.http.get(
        "/v1/analysis", headers={"X-Padding": "p" * 200_000}), 431, "header"),
    # Envoy reads the 4 declared bytes and skips the rest: 4 bytes of JPEG are no image.
    Case("chunked body whose sizes lie", _lying_chunks, 400, "not a readable image",
         settle_s=3),
    Case("chunked body with a size that is no number", lambda a: _raw_http(a, _head(
        a, "POST", "/v1/analysis:upload?filename=a.jpg", "Content-Type: image/jpeg",
        "Transfer-Encoding: chunked") + b"zz\r\n" + JPEG_HEAD + b"\r\n0\r\n\r\n"),
         400, "bad request"),
    Case("JPEG cut to its first bytes", lambda a: a.upload(JPEG_HEAD[:6], "cut.jpg"), 400,
         "not a readable image"),
    Case("pixel bomb", lambda a: a.upload(PNG_BOMB, "bomb.png", content_type="image/png"), 400,
         "pixels"),
    Case("stalled upload", _stalled, 408, "stalled", settle_s=3),
    Case("invalid UTF-8 in JSON", lambda a: a.http.post(
        "/v1/webhooks", content=b'{"url": "https://example.com/\xff\xfe", "events": []}',
        headers={"Content-Type": "application/json"}), 400, "utf"),
    Case("JSON that is not an object", lambda a: a.http.post(
        "/v1/webhooks", content=b"[1, 2]", headers={"Content-Type": "application/json"}),
         400, "root element must be a message"),
    # Ids in other spellings of a UUID: one task has one id.
    Case("id in fullwidth digits", lambda a: a.task(UNKNOWN.translate(FULLWIDTH)), 400, "uuid"),
    Case("id in braces", lambda a: a.task("{" + UNKNOWN + "}"), 400, "uuid"),
    Case("id as urn", lambda a: a.task("urn:uuid:" + UNKNOWN), 400, "uuid"),
    Case("id without hyphens", lambda a: a.task(UNKNOWN.replace("-", "")), 400, "uuid"),
    Case("id with Arabic-Indic digits", lambda a: a.segments(
        UNKNOWN.translate(ARABIC_INDIC)), 400, "uuid"),
    Case("segment id in fullwidth digits", lambda a: a.segment(
        UNKNOWN, UNKNOWN.translate(FULLWIDTH)), 400, "uuid"),
    Case("tampered page_token on task list", lambda a: a.list(page_token="dGFzazp4"), 400,
         "page_token"),
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
    _stays(stores, before, case.settle_s)


def _stays(stores: Stores, before: dict[str, int], seconds: float) -> None:
    """Nothing is stored for `seconds` (an absence needs a window to be observed in)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert stores.counts() == before
        time.sleep(0.25)


@pytest.mark.parametrize("framing", ["Content-Length", "chunked"])
def test_a_client_that_goes_away_mid_upload_leaves_nothing(api: ApiClient, stores: Stores,
                                                           framing: str) -> None:
    """Envoy resets the gRPC stream when a REST client disconnects mid-body, and grpc.aio ends
    the request stream as if complete (the cancellation reaches the handler later)."""
    before = stores.counts()
    data = JPEG_HEAD + b"\0" * (300_000 - len(JPEG_HEAD))
    if framing == "chunked":
        header, body = "Transfer-Encoding: chunked", b"%x\r\n" % len(data) + data + b"\r\n"
    else:
        header, body = f"Content-Length: {1 << 20}", data
    url = urlsplit(api.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(_head(api, "POST", "/v1/analysis:upload?filename=gone.jpg",
                           "Content-Type: image/jpeg", header) + body)
        time.sleep(1)  # the client sends part of the body, waits, and disconnects
    _stays(stores, before, 4)


def test_bad_requests_on_a_real_task(api: ApiClient, stores: Stores, bus_bytes: bytes) -> None:
    task = api.create(bus_bytes, "bus.jpg")
    tid = task["task_id"]
    other = api.create(bus_bytes, "other.jpg")["task_id"]
    pages = [api.segments(t, page_size=1) for t in (tid, other)]
    assert all(p.status_code == 200 for p in pages)  # one segment each: no next page
    listing = api.list(page_size=1).json()
    assert listing["next_page_token"], listing  # two tasks at least: a second page exists
    token = listing["next_page_token"]
    body, _, mac = token.partition(".")
    cases = [
        (api.segments(tid, page_size=-1), 400, "page_size"),
        (api.segments(tid, page_token="garbage!"), 400, "page_token"),
        (api.list(page_token=body + "A." + mac), 400, "page_token"),  # payload edited
        (api.list(page_token=body), 400, "page_token"),  # signature removed
        (api.list(page_token=token, status="TASK_STATUS_FAILED"), 400, "page_token"),  # filter
        (api.segments(tid, page_token=token), 400, "page_token"),  # another listing's token
        (api.segment(tid, str(uuid.uuid4())), 404, "not found"),
        (api.segment(tid, "nope"), 400, "uuid"),
    ]
    for resp, status, word in cases:
        assert resp.status_code == status, resp.text
        assert word in resp.json()["message"].lower()
    # The token itself works, and the upper-case spelling of an id is the same id.
    assert api.list(page_token=token).status_code == 200
    assert api.task(tid.upper()).json()["task_id"] == tid
    for t in (tid, other):
        assert api.wait_terminal(t)["status"] == "TASK_STATUS_DONE"
    # The path names the task to re-analyse: another task_id in the JSON body is refused and
    # starts nothing (it used to win over the path); Envoy lets the same value through.
    for path_id, body_id in ((tid, other), ("not-a-uuid", tid), (str(uuid.uuid4()), tid)):
        resp = api.http.post(f"/v1/analysis/{path_id}:reanalyze", json={"task_id": body_id})
        assert resp.status_code == 400, (path_id, body_id, resp.text)
    for t in (tid, other):
        run = api.http.post(f"/v1/analysis/{t}:reanalyze", json={"confidence": 0.5})
        assert run.status_code == 200, run.text
        assert run.json()["number"] == 2, run.json()  # the refused calls started no run

    def settled(t: str) -> list[dict[str, Any]] | None:  # nothing left running afterwards
        runs = api.http.get(f"/v1/analysis/{t}/runs").json()["runs"]
        return runs if all(r["status"] in TERMINAL for r in runs) else None

    for t in (tid, other):
        assert len(wait_until(lambda t=t: settled(t), timeout=120, what="the runs")) == 2


def test_bad_requests_over_grpc(stores: Stores, tenant: Any,
                                grpc_targets: dict[str, str]) -> None:
    """The same rules over plain gRPC, through Envoy and straight to the gateway."""
    before = stores.counts()
    limit = 64 * 1024 * 1024
    for target in (grpc_targets["envoy"], grpc_targets["direct"]):
        with open_channel(target, tenant.api_key) as channel:
            stub = analysis_pb2_grpc.AnalysisServiceStub(channel)
            calls = [
                ("CreateAnalysis", analysis_pb2.CreateAnalysisRequest(
                    filename="big.jpg", file=httpbody_pb2.HttpBody(
                        content_type="image/jpeg", data=JPEG_HEAD + b"\0" * limit)),
                 grpc.StatusCode.RESOURCE_EXHAUSTED, "larger than max"),
                ("GetAnalysis", analysis_pb2.GetAnalysisRequest(
                    task_id=UNKNOWN.translate(FULLWIDTH)), grpc.StatusCode.INVALID_ARGUMENT, "uuid"),
                ("ListSegments", analysis_pb2.ListSegmentsRequest(task_id=UNKNOWN, page_size=-5),
                 grpc.StatusCode.INVALID_ARGUMENT, "page_size"),
                ("ListAnalyses", analysis_pb2.ListAnalysesRequest(page_token="x.y"),
                 grpc.StatusCode.INVALID_ARGUMENT, "page_token"),
                ("CreateAnalysis", analysis_pb2.CreateAnalysisRequest(
                    filename="a\x00.jpg", file=httpbody_pb2.HttpBody(
                        content_type="image/jpeg", data=JPEG_HEAD)),
                 grpc.StatusCode.INVALID_ARGUMENT, "control"),
            ]
            for method, request, code, word in calls:
                with pytest.raises(grpc.RpcError) as caught:
                    getattr(stub, method)(request, timeout=60)
                assert caught.value.code() == code, (target, method, caught.value)
                details = (caught.value.details() or "").lower()
                assert word in details, (target, method, caught.value)
            # A streamed upload that declares its size (as the SDK does) and sends less is
            # refused: a client that dies mid-stream looks the same.
            def stream(data: bytes) -> Iterator[analysis_pb2.UploadAnalysisRequest]:
                yield analysis_pb2.UploadAnalysisRequest(
                    filename="declared.jpg",
                    file=httpbody_pb2.HttpBody(content_type="image/jpeg", data=data))
            short = JPEG_HEAD + b"\0" * 1000
            with pytest.raises(grpc.RpcError) as caught:
                stub.UploadAnalysis(stream(short), timeout=60, metadata=[
                    ("x-scenelens-upload-size", str(len(short) + 1))])
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, target
            assert "nothing was stored" in (caught.value.details() or ""), target
    assert stores.counts() == before


def test_a_grpc_message_that_does_not_parse_is_invalid(stores: Stores, tenant: Any,
                                                       grpc_targets: dict[str, str]) -> None:
    """Bytes that are no valid request message (a string field that is not UTF-8) are an
    invalid request, not grpc's UNKNOWN, in unary and streaming calls alike."""
    before = stores.counts()
    task_id = b"\x0a\x02\xff\xfe"  # GetAnalysisRequest.task_id (1): 2 bytes, not UTF-8
    filename = b"\x12\x02\xff\xfe"  # UploadAnalysisRequest.filename (2), the same
    for target in (grpc_targets["envoy"], grpc_targets["direct"]):
        with open_channel(target, tenant.api_key) as channel:
            get = channel.unary_unary("/scenelens.v1.AnalysisService/GetAnalysis")
            upload = channel.stream_unary("/scenelens.v1.AnalysisService/UploadAnalysis")
            for call, request in ((get, task_id), (upload, iter([filename]))):
                with pytest.raises(grpc.RpcError) as caught:
                    call(request, timeout=60)
                assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, (target, caught)
                assert "utf-8" in (caught.value.details() or "").lower(), (target, caught)
    assert stores.counts() == before

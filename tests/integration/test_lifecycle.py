"""Health follows dependencies; SIGTERM drains; an abandoned upload stores nothing (issue 4)."""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.api import httpbody_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from scenelens.v1 import analysis_pb2, analysis_pb2_grpc
from tests.support import ApiClient, ApiTenant, Stores, open_channel, wait_until

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def _health(target: str) -> int:
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        return int(stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5).status)


def test_health_is_not_serving_while_s3_is_down(stack: Any, grpc_targets: dict[str, str]) -> None:
    target = grpc_targets["direct"]
    assert _health(target) == SERVING
    stack.stop("s3")
    try:
        wait_until(lambda: _health(target) == NOT_SERVING, timeout=30,
                   what="gateway health NOT_SERVING")
    finally:
        stack.start("s3")
        stack.wait_running("s3")
    wait_until(lambda: _health(target) == SERVING, timeout=60, what="gateway health SERVING")


def test_sigterm_lets_in_flight_work_finish(api: ApiClient, stores: Stores, stack: Any,
                                            bus_bytes: bytes) -> None:
    tasks = [api.create(bus_bytes, f"t{i}.jpg")["task_id"] for i in range(8)]
    wait_until(lambda: stores.sql(
        "SELECT count(*) FROM recognition_results WHERE task_id = ANY(%s::uuid[])", tasks)[0][0],
        timeout=60, interval=0.05, what="the first result")
    stack.kill("recognition_service", signal.SIGTERM)
    stack.wait_running("recognition_service")
    for tid in tasks:
        assert api.wait_terminal(tid, timeout=120)["status"] == "TASK_STATUS_DONE"
        assert stores.events(tid).count("FrameRecognized") == 1


@pytest.mark.parametrize("via", ["direct", "envoy"])
def test_abandoned_streaming_upload_stores_nothing(stores: Stores, grpc_targets: dict[str, str],
                                                   tenant: ApiTenant, via: str) -> None:
    """A gRPC client cancels mid-stream, straight to the gateway or through Envoy: grpc.aio
    ends the request stream as if complete, and the gateway must still record nothing."""
    before = stores.counts()
    sent = threading.Event()
    gave_up = threading.Event()

    def chunks() -> Iterator[analysis_pb2.UploadAnalysisRequest]:
        yield analysis_pb2.UploadAnalysisRequest(
            filename="big.mp4", file=httpbody_pb2.HttpBody(
                content_type="video/mp4", data=b"\x00\x00\x00\x18ftypisom" + b"\0" * (1 << 20)))
        for _ in range(12):  # 12 MiB: past the first S3 multipart part
            yield analysis_pb2.UploadAnalysisRequest(file=httpbody_pb2.HttpBody(data=b"\1" * (1 << 20)))
        sent.set()
        gave_up.wait(30)  # the client goes quiet, then gives up

    with open_channel(grpc_targets[via], tenant.api_key) as channel:
        stub = analysis_pb2_grpc.AnalysisServiceStub(channel)
        future = stub.UploadAnalysis.future(chunks())
        assert sent.wait(30)
        # Abandon it only once the gateway is really writing to S3 (a multipart upload is open).
        wait_until(lambda: _open_uploads(stores, "big.mp4"), timeout=30,
                   what="the gateway to open an S3 multipart upload")
        future.cancel()
        gave_up.set()
    wait_until(lambda: not _open_uploads(stores, "big.mp4"), timeout=30,
               what="the abandoned multipart upload to be aborted")
    deadline = time.monotonic() + 2  # and nothing appears meanwhile
    while time.monotonic() < deadline:
        assert stores.counts() == before
        time.sleep(0.1)


def _open_uploads(stores: Stores, suffix: str) -> list[str]:
    uploads = stores.s3.list_multipart_uploads(Bucket=stores.settings.s3_bucket)
    return [u["Key"] for u in uploads.get("Uploads", []) if u["Key"].endswith(suffix)]

"""The same service over gRPC: through Envoy on the HTTP port and directly (issue 2, acc. 2)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.api import httpbody_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from scenelens.client import Client
from scenelens.v1 import analysis_pb2, analysis_pb2_grpc
from tests.support import ApiTenant, open_channel


def _wait_done(target: str, api_key: str, task_id: str) -> analysis_pb2.Task:
    """The SDK follows the task's WatchAnalysis stream until it ends."""
    with Client(target, api_key) as sl:
        return sl.wait(task_id, timeout_s=60)


def _labels(stub: analysis_pb2_grpc.AnalysisServiceStub, task_id: str) -> list[str]:
    segs = stub.ListSegments(analysis_pb2.ListSegmentsRequest(task_id=task_id)).segments
    seg = stub.GetSegment(analysis_pb2.GetSegmentRequest(task_id=task_id,
                                                         segment_id=segs[0].segment_id))
    return [d.label for d in seg.detections if d.confidence > 0.5]


@pytest.mark.parametrize("via", ["envoy", "direct"])
def test_unary_and_streaming_upload_over_grpc(grpc_targets: dict[str, str], via: str,
                                               bus: Path, tenant: ApiTenant) -> None:
    with open_channel(grpc_targets[via], tenant.api_key) as channel:
        stub = analysis_pb2_grpc.AnalysisServiceStub(channel)
        data = bus.read_bytes()
        task = stub.CreateAnalysis(analysis_pb2.CreateAnalysisRequest(
            file=httpbody_pb2.HttpBody(content_type="image/jpeg", data=data), filename="bus.jpg"))
        done = _wait_done(grpc_targets[via], tenant.api_key, task.task_id)
        assert done.status == analysis_pb2.TASK_STATUS_DONE
        labels = _labels(stub, task.task_id)
        assert "bus" in labels and labels.count("person") >= 3

        def chunks() -> Iterator[analysis_pb2.UploadAnalysisRequest]:
            yield analysis_pb2.UploadAnalysisRequest(
                filename="bus.jpg", file=httpbody_pb2.HttpBody(content_type="image/jpeg",
                                                               data=data[:10000]))
            for i in range(10000, len(data), 50000):
                yield analysis_pb2.UploadAnalysisRequest(
                    file=httpbody_pb2.HttpBody(data=data[i : i + 50000]))

        streamed = stub.UploadAnalysis(chunks())
        assert streamed.size_bytes == len(data)
        done = _wait_done(grpc_targets[via], tenant.api_key, streamed.task_id)
        assert done.status == analysis_pb2.TASK_STATUS_DONE

        with pytest.raises(grpc.RpcError) as err:
            stub.GetAnalysis(analysis_pb2.GetAnalysisRequest(
                task_id="00000000-0000-0000-0000-000000000000"))
        assert err.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("via", ["envoy", "direct"])
def test_health_and_reflection(grpc_targets: dict[str, str], via: str) -> None:
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    with open_channel(grpc_targets[via]) as channel:  # health and reflection need no key
        health = health_pb2_grpc.HealthStub(channel)
        resp = health.Check(health_pb2.HealthCheckRequest(service="scenelens.v1.AnalysisService"))
        assert resp.status == health_pb2.HealthCheckResponse.SERVING
        refl = reflection_pb2_grpc.ServerReflectionStub(channel)
        answers = list(refl.ServerReflectionInfo(iter([
            reflection_pb2.ServerReflectionRequest(list_services="")])))
        names = {s.name for s in answers[0].list_services_response.service}
        assert "scenelens.v1.AnalysisService" in names

"""Container health checks: `grpc` asks the gateway's gRPC health service, `http URL` wants a 200."""
from __future__ import annotations

import os
import sys
import urllib.request


def grpc_serving() -> bool:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    target = f"127.0.0.1:{os.environ.get('SCENELENS_GRPC_PORT', '50051')}"
    with grpc.insecure_channel(target) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=3)
    return reply.status == health_pb2.HealthCheckResponse.SERVING


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=3) as reply:  # noqa: S310 - fixed local URLs
        return reply.status == 200


if __name__ == "__main__":
    try:
        ok = grpc_serving() if sys.argv[1] == "grpc" else http_ok(sys.argv[2])
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        print(exc, file=sys.stderr)
        ok = False
    sys.exit(0 if ok else 1)

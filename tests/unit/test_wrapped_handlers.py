"""The interceptors wrap each method's handler once and reuse it while grpc gives the same one."""
from __future__ import annotations

import grpc

from gateway.interceptors import WrappedHandlers


async def _echo(request: object, context: object) -> object:
    return request


def test_wrapped_once_per_handler() -> None:
    memo, made = WrappedHandlers(), []
    first = grpc.unary_unary_rpc_method_handler(_echo)
    other = grpc.unary_unary_rpc_method_handler(_echo)

    def wrap() -> grpc.RpcMethodHandler:
        made.append(1)
        return grpc.unary_unary_rpc_method_handler(_echo)

    a = memo.get("/scenelens.v1.AnalysisService/GetSegment", first, wrap)
    assert memo.get("/scenelens.v1.AnalysisService/GetSegment", first, wrap) is a
    assert len(made) == 1
    b = memo.get("/scenelens.v1.AnalysisService/GetSegment", other, wrap)  # a new handler
    assert b is not a and len(made) == 2
    memo.get("/scenelens.v1.AnalysisService/GetAnalysis", other, wrap)
    assert len(made) == 3

"""Wrapping every kind of RPC handler the API has, once, for the server interceptors."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from google.protobuf.message import DecodeError

# A handler that returns one response: unary-unary and stream-unary alike (the first argument is
# the request or the request iterator; the wrapper passes it on untouched).
Responder = Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]
# A handler that yields responses (unary-stream).
Streamer = Callable[[Any, grpc.aio.ServicerContext], AsyncIterator[Any]]


class Undecodable:
    """A request message that did not parse, handed to the handler in its place, so that the
    call fails as an invalid request instead of grpc's UNKNOWN (HTTP 500 through Envoy). Envoy
    passes a percent-encoded query or path value on as it is, and protobuf refuses a string
    field that is not UTF-8."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def tolerant(deserializer: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    """The request deserializer, returning Undecodable instead of raising DecodeError."""
    if deserializer is None:
        return None

    def parse(data: bytes) -> Any:
        try:
            return deserializer(data)
        except DecodeError as e:
            return Undecodable(str(e))

    return parse


def wrap_handler(
    handler: grpc.RpcMethodHandler,
    around_response: Callable[[Responder], Responder],
    around_stream: Callable[[Streamer], Streamer],
    *,
    tolerate_undecodable: bool = False,
) -> grpc.RpcMethodHandler | None:
    """The handler with its behaviour wrapped; None for a kind the API does not use (stream-stream).
    tolerate_undecodable: requests that do not parse reach the behaviour as Undecodable."""
    parse = tolerant(handler.request_deserializer) if tolerate_undecodable else (
        handler.request_deserializer)
    wire = (parse, handler.response_serializer)
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(around_response(handler.unary_unary), *wire)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(around_response(handler.stream_unary), *wire)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(around_stream(handler.unary_stream), *wire)
    return None


class WrappedHandlers:
    """Each method's wrapped handler, made once and reused: grpc asks the interceptors on every
    call, and building the wrappers anew each time is a measurable share of a read's CPU."""

    def __init__(self) -> None:
        # method -> (the handler grpc gave, its wrapped form); only registered methods get here.
        self._memo: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}

    def get(self, method: str, handler: grpc.RpcMethodHandler,
            wrap: Callable[[], grpc.RpcMethodHandler]) -> grpc.RpcMethodHandler:
        hit = self._memo.get(method)
        if hit is not None and hit[0] is handler:
            return hit[1]
        wrapped = wrap()
        self._memo[method] = (handler, wrapped)
        return wrapped

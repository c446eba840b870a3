"""The one place domain errors become gRPC status codes (and, through Envoy, HTTP codes)."""
from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from grpc.aio import ServerInterceptor

from gateway.interceptors import Responder, Streamer, Undecodable, WrappedHandlers, wrap_handler
from scenelens.adapters.outages import is_outage
from scenelens.domain import errors
from scenelens.logs import bind, current
from scenelens.observability import API_LATENCY, API_REQUESTS

log = logging.getLogger(__name__)

# gRPC code, and the HTTP status Envoy should answer with when it differs from its default map.
STATUS: list[tuple[type[Exception], grpc.StatusCode, int | None]] = [
    (errors.InvalidRequest, grpc.StatusCode.INVALID_ARGUMENT, None),
    (errors.TaskNotFound, grpc.StatusCode.NOT_FOUND, None),
    (errors.SegmentNotFound, grpc.StatusCode.NOT_FOUND, None),
    (errors.RunNotFound, grpc.StatusCode.NOT_FOUND, None),
    (errors.TaskNotReady, grpc.StatusCode.FAILED_PRECONDITION, 409),
    (errors.TaskGone, grpc.StatusCode.NOT_FOUND, None),
    (errors.PayloadTooLarge, grpc.StatusCode.RESOURCE_EXHAUSTED, 413),
    (errors.UnsupportedMedia, grpc.StatusCode.INVALID_ARGUMENT, 415),
    (errors.TooManyRequests, grpc.StatusCode.RESOURCE_EXHAUSTED, None),  # Envoy: 429
    (errors.RateLimited, grpc.StatusCode.RESOURCE_EXHAUSTED, None),  # 429 + Retry-After
    (errors.QuotaExceeded, grpc.StatusCode.RESOURCE_EXHAUSTED, None),  # 429
    (errors.Unauthenticated, grpc.StatusCode.UNAUTHENTICATED, None),  # 401
    (errors.TenantNotFound, grpc.StatusCode.NOT_FOUND, None),
    (errors.UploadStalled, grpc.StatusCode.DEADLINE_EXCEEDED, 408),
    (errors.Unavailable, grpc.StatusCode.UNAVAILABLE, None),  # 503 + Retry-After
]

HTTP_STATUS_HEADER = "x-http-status"

# A backing service down (is_outage): UNAVAILABLE, which Envoy answers 503.
UNAVAILABLE_MESSAGE = "the service's database or storage is unavailable; retry shortly"
# How soon a client may retry after a 503, in seconds (the Retry-After header).
UNAVAILABLE_RETRY_S = 5


def to_status(exc: BaseException) -> tuple[grpc.StatusCode, str, int | None]:
    for cls, code, http in STATUS:
        if isinstance(exc, cls):
            return code, str(exc), http
    if is_outage(exc):
        return grpc.StatusCode.UNAVAILABLE, UNAVAILABLE_MESSAGE, None
    return grpc.StatusCode.INTERNAL, "internal error", None


class _Call:
    """One API call: its request id (sent back as x-request-id) and its metrics."""

    def __init__(self, method: str) -> None:
        self.method = method.rsplit("/", 1)[-1]
        self.request_id = uuid.uuid4().hex[:12]
        self.code = "OK"
        self._started = time.perf_counter()
        bind(request_id=self.request_id)

    async def begin(self, context: grpc.aio.ServicerContext) -> None:
        try:
            await context.send_initial_metadata((("x-request-id", self.request_id),))
        except grpc.aio.UsageError:
            pass  # already sent, by client_still_there()
        except Exception:  # noqa: BLE001 - the client went away; nothing to tell it
            log.debug("initial metadata not sent", exc_info=True)

    def end(self) -> None:
        API_REQUESTS.labels(self.method, self.code).inc()
        API_LATENCY.labels(self.method).observe(time.perf_counter() - self._started)


async def client_still_there(context: grpc.aio.ServicerContext) -> bool:
    """Whether the caller is still there: sends the call's response headers (its x-request-id)
    now, ahead of its answer. False when the client has gone.

    An upload asks this after its last byte, before its task is recorded. grpc.aio ends a
    request stream the same way whether the client finished it or cancelled it, and tells the
    handler of the cancellation only later, through its poller thread (150 ms was once not
    enough in CI). gRPC core already knows: it fails any send on a call its client has reset.
    Errors after this are still mapped (in trailers; Envoy converts them all the same).
    """
    if context.cancelled():
        return False
    request_id = current("request_id")
    try:
        await context.send_initial_metadata((("x-request-id", request_id),) if request_id else ())
    except grpc.aio.UsageError:  # headers already sent: the flag is all there is
        return not context.cancelled()
    except grpc.aio.BaseError:  # core refused the send (or the server stopped): the call is over
        log.info("the client went away before its upload was recorded")
        return False
    return True


async def _abort(context: grpc.aio.ServicerContext, exc: BaseException, request_id: str,
                 call: _Call | None = None) -> None:
    code, message, http = to_status(exc)
    if call is not None:
        call.code = code.name
    if code == grpc.StatusCode.INTERNAL:
        log.exception("unhandled error", exc_info=exc)
        message = f"internal error (request {request_id})"
    elif code == grpc.StatusCode.UNAVAILABLE:
        log.warning("backing service unavailable: %s: %s", type(exc).__name__, exc)
        message = f"{message} (request {request_id})"
    trailers: list[tuple[str, str]] = [("x-request-id", request_id)]
    if http is not None:
        trailers.append((HTTP_STATUS_HEADER, str(http)))
    if code == grpc.StatusCode.UNAVAILABLE:
        trailers.append(("retry-after", str(UNAVAILABLE_RETRY_S)))
    if isinstance(exc, errors.RateLimited):
        trailers.append(("retry-after", str(exc.retry_after_s)))
    if isinstance(exc, errors.Unauthenticated):
        trailers.append(("www-authenticate", 'Bearer realm="scenelens"'))
    context.set_trailing_metadata(tuple(trailers))
    await context.abort(code, message)


class ErrorInterceptor(ServerInterceptor):
    """Maps DomainError subclasses to status codes; anything else is INTERNAL with no traceback.

    It also gives each call a request id and puts it into the log context.
    """

    def __init__(self) -> None:
        self._wrapped = WrappedHandlers()

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None or not handler_call_details.method.startswith("/scenelens."):
            return handler
        method = handler_call_details.method
        return self._wrapped.get(method, handler, lambda: self._wrap(method, handler))

    def _wrap(self, method: str, handler: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
        def around_response(inner: Responder) -> Responder:
            async def respond(request: Any, context: grpc.aio.ServicerContext) -> Any:
                call = _Call(method)
                try:
                    response = await inner(_readable(request), context)
                    await call.begin(context)  # success only: errors stay trailers-only
                    return response
                except grpc.aio.AbortError:
                    call.code = "ABORTED_BY_HANDLER"
                    raise
                except Exception as exc:  # noqa: BLE001 - mapped to a status here, once
                    await _abort(context, exc, call.request_id, call)
                finally:
                    call.end()

            return respond

        def around_stream(inner: Streamer) -> Streamer:
            async def stream(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
                call = _Call(method)
                begun = False
                try:
                    async for item in inner(_readable(request), context):
                        if not begun:
                            await call.begin(context)
                            begun = True
                        yield item
                except grpc.aio.AbortError:
                    call.code = "ABORTED_BY_HANDLER"
                    raise
                except Exception as exc:  # noqa: BLE001
                    await _abort(context, exc, call.request_id, call)
                finally:
                    call.end()

            return stream

        return wrap_handler(handler, around_response, around_stream,
                            tolerate_undecodable=True) or handler


def _refuse(message: Undecodable) -> errors.InvalidRequest:
    return errors.InvalidRequest(
        f"the request could not be read (is every text in it valid UTF-8?): {message.reason}")


def _readable(request: Any) -> Any:
    """The request, or the stream of requests, with a message that did not parse refused."""
    if isinstance(request, Undecodable):
        raise _refuse(request)
    if hasattr(request, "__aiter__"):  # stream-unary: each message is checked as it comes
        return _checked(request)
    return request


async def _checked(requests: AsyncIterator[Any]) -> AsyncIterator[Any]:
    async for message in requests:
        if isinstance(message, Undecodable):
            raise _refuse(message)
        yield message

"""SDK errors: every failed call raises a ScenelensError that carries its status."""
from __future__ import annotations

import grpc


class ScenelensError(Exception):
    """A call failed; `code` is the gRPC status, `message` the server's explanation."""

    def __init__(self, code: grpc.StatusCode, message: str, retry_after_s: float | None = None
                 ) -> None:
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.retry_after_s = retry_after_s


class InvalidRequest(ScenelensError):
    """The server refused the request as malformed (HTTP 400 / 413 / 415)."""


class Unauthenticated(ScenelensError):
    """No valid API key (HTTP 401)."""


class NotFound(ScenelensError):
    """No such task or segment for this tenant (HTTP 404)."""


class LimitExceeded(ScenelensError):
    """Rate, quota or size limit (HTTP 429 / 413); `retry_after_s` when the server said."""


class Unavailable(ScenelensError):
    """The server cannot be reached or is not serving (HTTP 503)."""


_BY_CODE: dict[grpc.StatusCode, type[ScenelensError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidRequest,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.RESOURCE_EXHAUSTED: LimitExceeded,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: Unavailable,
}


def from_rpc_error(err: grpc.RpcError) -> ScenelensError:
    code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
    message = (err.details() if hasattr(err, "details") else None) or str(code.name)
    retry_after = None
    trailers = err.trailing_metadata() if hasattr(err, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == "retry-after":
            retry_after = float(value)
    cls = _BY_CODE.get(code, ScenelensError)
    if code == grpc.StatusCode.UNAVAILABLE and retry_after is None:
        # Not the server's own 503 (which says when to retry): it was not reached at all.
        message = f"cannot reach the scenelens server ({message})"
    return cls(code, message, retry_after)

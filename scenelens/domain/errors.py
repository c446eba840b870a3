"""Domain errors; mapped to gRPC status codes in one place (gateway/errors.py)."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain and applications raise on purpose."""


class InvalidRequest(DomainError):
    """The request is malformed or an option is out of range."""


class TaskNotFound(DomainError):
    """No task with that id (or it was deleted)."""


class SegmentNotFound(DomainError):
    """No segment with that id in the task."""


class RunNotFound(DomainError):
    """No run with that id in the task."""


class TaskNotReady(DomainError):
    """The task cannot do that yet (e.g. re-analysis while its first analysis runs)."""


class TaskGone(DomainError):
    """The task was deleted or has already ended; late work is dropped."""


class PayloadTooLarge(DomainError):
    """The upload exceeds the size cap for its kind."""


class TooManyRequests(DomainError):
    """More uploads in flight than the gateway accepts at once; retry later."""


class UploadStalled(DomainError):
    """No bytes of the upload arrived for longer than the idle timeout."""


class UnsupportedMedia(DomainError):
    """The bytes are not a photo or video we can decode."""


class PermanentFailure(DomainError):
    """Retrying cannot help (e.g. an undecodable file); fail the work at once."""


class Unauthenticated(DomainError):
    """No valid API key: missing, malformed, unknown or revoked."""


class TenantNotFound(DomainError):
    """No tenant (or key) with that id."""


class QuotaExceeded(DomainError):
    """The tenant's tier allows no more of this right now (unfinished tasks)."""


class Unavailable(DomainError):
    """The service cannot answer right now (e.g. its read models are being rebuilt); retry."""


class RateLimited(DomainError):
    """The key sent requests faster than its tier's rate; retry after `retry_after_s`."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s

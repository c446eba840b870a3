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


class TaskGone(DomainError):
    """The task was deleted or has already ended; late work is dropped."""


class PayloadTooLarge(DomainError):
    """The upload exceeds the size cap for its kind."""


class TooManyRequests(DomainError):
    """More uploads in flight than the gateway accepts at once; retry later."""


class UnsupportedMedia(DomainError):
    """The bytes are not a photo or video we can decode."""


class PermanentFailure(DomainError):
    """Retrying cannot help (e.g. an undecodable file); fail the work at once."""

"""Deterministic ids: the same natural key always gives the same id, so handlers are idempotent."""
from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("5c3e1e9a-4f0e-4d38-9a55-1d6a8f1f7b3c")


def segment_id(task_id: uuid.UUID | str, index: int) -> uuid.UUID:
    """The id of a task's segment: uuid5 of task id and segment index."""
    return uuid.uuid5(NAMESPACE, f"{task_id}/segment/{index}")


def parse_uuid(value: str, what: str = "id") -> uuid.UUID:
    """Parse a client-supplied id, raising InvalidRequest with a clear message."""
    from scenelens.domain.errors import InvalidRequest

    try:
        return uuid.UUID(str(value).strip())
    except (ValueError, AttributeError, TypeError):
        raise InvalidRequest(f"{what} must be a UUID, got {str(value)[:80]!r}") from None

"""Deterministic ids: the same natural key always gives the same id, so handlers are idempotent."""
from __future__ import annotations

import re
import uuid

NAMESPACE = uuid.UUID("5c3e1e9a-4f0e-4d38-9a55-1d6a8f1f7b3c")


def segment_id(task_id: uuid.UUID | str, index: int) -> uuid.UUID:
    """The id of a task's segment: uuid5 of task id and segment index."""
    return uuid.uuid5(NAMESPACE, f"{task_id}/segment/{index}")


# The one accepted spelling: 8-4-4-4-12 ASCII hex digits, either case. uuid.UUID alone would also
# take braces, "urn:uuid:", no hyphens and (through int()) fullwidth or other Unicode digits, so
# one task would answer to many ids.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                   re.ASCII | re.IGNORECASE)


def parse_uuid(value: str, what: str = "id") -> uuid.UUID:
    """Parse a client-supplied id (canonical form only), raising InvalidRequest if it is not."""
    from scenelens.domain.errors import InvalidRequest

    if not isinstance(value, str) or _UUID.fullmatch(value) is None:
        raise InvalidRequest(
            f"{what} must be a UUID (8-4-4-4-12 ASCII hex digits), got {str(value)[:80]!r}"
        )
    return uuid.UUID(value)

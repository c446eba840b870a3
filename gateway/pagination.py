"""Opaque page tokens: what a page ended at, checked strictly when it comes back."""
from __future__ import annotations

import base64
import uuid
from datetime import datetime

from scenelens.domain.errors import InvalidRequest


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest("page_token is not valid") from None


def encode_task_cursor(created_at: datetime, task_id: uuid.UUID) -> str:
    return _encode(f"task:{created_at.isoformat()}|{task_id}")


def decode_task_cursor(token: str) -> tuple[datetime, uuid.UUID] | None:
    """The (created_at, task_id) a previous page of tasks ended at; None for the first page."""
    if not token:
        return None
    raw = _decode(token)
    kind, _, rest = raw.partition(":")
    at, _, tid = rest.partition("|")
    try:
        if kind != "task":
            raise ValueError(raw)
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError(raw)
        return when, uuid.UUID(tid)
    except ValueError:
        raise InvalidRequest("page_token is not valid") from None

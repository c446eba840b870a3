"""Page tokens: round trip, and every kind of tampering refused with a clear 400."""
from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest

from gateway.pagination import PageTokens
from scenelens.domain.errors import InvalidRequest

TASK = uuid.UUID("0b6f8a52-8f5c-4c52-9d0c-3a1b2c3d4e5f")
OTHER = uuid.UUID("1b6f8a52-8f5c-4c52-9d0c-3a1b2c3d4e5f")
WHEN = datetime(2026, 11, 28, 12, 30, 1, 123456, tzinfo=UTC)


def test_round_trips() -> None:
    pages = PageTokens("k")
    assert pages.segment_after(TASK, pages.segment_cursor(TASK, 41)) == 41
    assert pages.time_after("t/", pages.time_cursor("t/", WHEN, OTHER)) == (WHEN, OTHER)
    assert pages.segment_after(TASK, "") == -1
    assert pages.time_after("t/", "") is None


def _flip(token: str) -> str:
    body, _, mac = token.partition(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[-1] ^= 0x01  # idx 41 -> 40: still a valid-looking number
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=") + "." + mac


@pytest.mark.parametrize("make", [
    lambda p: _flip(p.segment_cursor(TASK, 41)),                 # payload edited
    lambda p: p.segment_cursor(OTHER, 41),                       # another task's token
    lambda p: PageTokens("other key").segment_cursor(TASK, 41),  # another gateway's key
    lambda p: p.segment_cursor(TASK, 41).partition(".")[0],      # signature cut off
    lambda p: p.time_cursor(f"segments/{TASK}", WHEN, TASK),    # a time-cursor token
    lambda p: "not a token",
    lambda p: "é" * 10,
    lambda p: "A" * 5000,
    lambda p: "aWR4OjQx",                                        # the old unsigned "idx:41"
])
def test_tampered_tokens_are_refused(make) -> None:  # type: ignore[no-untyped-def]
    pages = PageTokens("k")
    with pytest.raises(InvalidRequest, match="page_token is not valid"):
        pages.segment_after(TASK, make(pages))


def test_a_task_token_is_bound_to_its_filter() -> None:
    pages = PageTokens("k")
    token = pages.time_cursor("tasks/tenant/DONE", WHEN, TASK)
    with pytest.raises(InvalidRequest, match="page_token is not valid"):
        pages.time_after("tasks/tenant/", token)

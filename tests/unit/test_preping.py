"""The pool's checkout check: a round trip unless the connection was just used and its socket is quiet."""
from __future__ import annotations

import asyncio
import socket
from types import SimpleNamespace
from typing import Any

import pytest
from psycopg.pq import TransactionStatus

from scenelens.adapters.postgres import RECENT_S, PrePing


class FakeConn:
    """What PrePing looks at: closed, the transaction status and the socket."""

    def __init__(self) -> None:
        self.ours, self.server = socket.socketpair()
        self.closed = False
        self.info = SimpleNamespace(transaction_status=TransactionStatus.IDLE)
        self.pgconn = SimpleNamespace(socket=self.ours.fileno())

    def close(self) -> None:
        self.ours.close()
        self.server.close()


@pytest.fixture
def conn() -> Any:
    c = FakeConn()
    yield c
    c.close()


def checker(now: list[float], fail: bool = False) -> tuple[PrePing, list[Any]]:
    pinged: list[Any] = []

    async def full(c: Any) -> None:
        pinged.append(c)
        if fail:
            raise OSError("server closed the connection")

    return PrePing(clock=lambda: now[0], full=full), pinged


def test_round_trip_first_and_after_a_pause(conn: FakeConn) -> None:
    now = [100.0]
    check, pinged = checker(now)
    asyncio.run(check(conn))
    assert len(pinged) == 1  # never seen: a round trip
    now[0] += RECENT_S / 2
    asyncio.run(check(conn))
    assert len(pinged) == 1  # just used, nothing on the socket: no round trip
    now[0] += RECENT_S
    asyncio.run(check(conn))
    assert len(pinged) == 2  # idle too long: a round trip


@pytest.mark.parametrize("event", ["data", "closed by the server", "in a transaction",
                                   "closed here"])
def test_round_trip_when_anything_changed(conn: FakeConn, event: str) -> None:
    now = [100.0]
    check, pinged = checker(now)
    asyncio.run(check(conn))
    if event == "data":  # e.g. the FATAL message of a server shutting down
        conn.server.send(b"E")
    elif event == "closed by the server":
        conn.server.close()
    elif event == "in a transaction":
        conn.info.transaction_status = TransactionStatus.INTRANS
    else:
        conn.closed = True
    now[0] += 0.01
    asyncio.run(check(conn))
    assert len(pinged) == 2


def test_a_failed_check_is_not_remembered(conn: FakeConn) -> None:
    now = [100.0]
    check, pinged = checker(now, fail=True)
    with pytest.raises(OSError):
        asyncio.run(check(conn))
    now[0] += 0.01
    with pytest.raises(OSError):
        asyncio.run(check(conn))
    assert len(pinged) == 2


def test_a_failed_check_has_the_pool_check_the_rest(conn: FakeConn) -> None:
    """A dead connection means the server most likely dropped them all: the pool checks (and
    replaces) its idle connections at once; a passing check leaves the pool alone."""
    now = [100.0]
    flushed: list[int] = []

    async def on_failure() -> None:
        flushed.append(1)

    check, _ = checker(now)
    check.on_failure = on_failure
    asyncio.run(check(conn))
    assert flushed == []
    failing, _ = checker(now, fail=True)
    failing.on_failure = on_failure
    with pytest.raises(OSError):
        asyncio.run(failing(conn))
    assert flushed == [1]

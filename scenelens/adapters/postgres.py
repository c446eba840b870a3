"""The async Postgres pool every async adapter uses (read models, webhooks): one shape, one place."""
from __future__ import annotations

import select
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from psycopg import AsyncConnection, OperationalError
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from scenelens.settings import Settings

# A connection handed out less than this long ago skips the round-trip check (see PrePing).
RECENT_S = 1.0


class PrePing:
    """The pool's checkout check: a round trip (`SELECT` of nothing) before a connection is used,
    unless it was handed out less than RECENT_S ago and nothing has arrived on its socket since.

    A server that restarts or ends the session closes the socket (after a FATAL message), which
    makes it readable: that case still gets the round trip, which fails and makes the pool
    replace the connection. A busy pool hands each connection out many times a second, so
    under load the round trip (and its wait) is skipped almost always.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 full: Callable[[Any], Awaitable[None]] = AsyncConnectionPool.check_connection,
                 ) -> None:
        self._clock = clock
        self._full = full
        self._handed: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    async def __call__(self, conn: AsyncConnection[Any]) -> None:
        now = self._clock()
        last = self._handed.get(conn)
        if last is None or now - last >= RECENT_S or not _quiet(conn):
            await self._full(conn)
        self._handed[conn] = now


def _quiet(conn: AsyncConnection[Any]) -> bool:
    """Idle, and nothing (data or end of stream) waiting on the socket."""
    if conn.closed or conn.info.transaction_status != TransactionStatus.IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(conn.pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except (OSError, ValueError, OperationalError):  # no socket any more
        return False


def async_pool(settings: Settings) -> AsyncConnectionPool:
    """A closed pool (open it on start): dict rows, autocommit, connections checked on checkout."""
    return AsyncConnectionPool(
        settings.pg_conninfo, min_size=1, max_size=max(2, settings.pg_pool_size),
        open=False, kwargs={"row_factory": dict_row, "autocommit": True},
        check=PrePing(),
    )

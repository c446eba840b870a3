"""Postgres connection pools: the async pool every async adapter uses (read models, webhooks),
and the event store's (eventsourcing's own pool, through `EventStoreFactory`). One shape, one place.

Both check a connection before handing it out. When a check fails, the server has most likely
restarted, and every other idle connection in the pool is as dead: the failed check then has
the pool check all of them at once (`pool.check()`, which replaces the broken ones). Without
that, psycopg_pool tries the stale connections one by one and waits between tries with a
back-off (0, 1, 2, 4, 8 s...), so a request after a Postgres restart waited up to the pool's
30 s timeout.
"""
from __future__ import annotations

import select
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from eventsourcing.persistence import EnvType
from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment
from psycopg import AsyncConnection, Connection, OperationalError
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, ConnectionPool

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
        # Called when a check fails, to check the rest of the pool (see the module's doc).
        self.on_failure: Callable[[], Awaitable[None]] | None = None

    async def __call__(self, conn: AsyncConnection[Any]) -> None:
        now = self._clock()
        last = self._handed.get(conn)
        if last is None or now - last >= RECENT_S or not _quiet(conn):
            try:
                await self._full(conn)
            except Exception:
                if self.on_failure is not None:
                    await self.on_failure()
                raise
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


def async_pool(settings: Settings, *, wait_s: float | None = None) -> AsyncConnectionPool:
    """A closed pool (open it on start): dict rows, autocommit, connections checked on checkout;
    a failed check has the pool check all its idle connections. A request for a connection
    waits up to `wait_s` (psycopg_pool's 30 s when None), then raises PoolTimeout."""
    check = PrePing()
    pool = AsyncConnectionPool(
        settings.pg_conninfo, min_size=1, max_size=max(2, settings.pg_pool_size),
        open=False, kwargs={"row_factory": dict_row, "autocommit": True},
        check=check, timeout=30.0 if wait_s is None else wait_s,
    )
    check.on_failure = pool.check
    return pool


class CheckAllOnFailure:
    """The event store pool's checkout check: a round trip; when it fails, the pool checks (and
    replaces) all its idle connections before the error goes back to the pool."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self._pool = weakref.ref(pool)

    def __call__(self, conn: Connection[Any]) -> None:
        try:
            ConnectionPool.check_connection(conn)
        except Exception:
            pool = self._pool()
            if pool is not None:
                pool.check()
            raise


class EventStoreFactory(PostgresFactory):
    """eventsourcing's Postgres persistence, whose pool checks itself whole after a failed check
    (the module's doc). Named by `Settings.eventsourcing_env` as the persistence module."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        pool = self.datastore.pool
        if pool._check is not None:  # POSTGRES_PRE_PING on: psycopg_pool keeps the check here
            pool._check = CheckAllOnFailure(pool)

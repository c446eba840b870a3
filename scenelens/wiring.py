"""Building blocks the services' composition roots share: the event store and S3, opened."""
from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Mapping
from typing import Any

from scenelens.adapters.rabbitmq import Broker, GiveUp, Handler
from scenelens.adapters.s3 import S3Store
from scenelens.application import TaskApplication
from scenelens.settings import Settings


async def open_task_app(settings: Settings, *, wait_s: int | None = None) -> TaskApplication:
    """The event-store application (its constructor connects, so off the event loop); `wait_s`
    bounds the wait for a pooled connection (see Settings.eventsourcing_env)."""
    return await asyncio.to_thread(
        TaskApplication, settings.eventsourcing_env("Tasks", wait_s=wait_s))


async def open_s3(settings: Settings) -> S3Store:
    """S3, started, with the bucket created if missing."""
    s3 = S3Store(settings)
    await s3.start()
    await s3.ensure_bucket()
    return s3


async def consume_all(
    broker: Broker, handlers: Mapping[str, tuple[Any, Any]], deps: Any,
    *, prefetch: int | None = None,
) -> None:
    """Register each queue's handler and give-up callback, with deps bound."""
    for queue, (handler, give_up) in handlers.items():
        bound: Handler = functools.partial(handler, deps=deps)
        gave_up: GiveUp = functools.partial(give_up, deps=deps)
        await broker.consume(queue, bound, gave_up, prefetch=prefetch)


class PgPing:
    """Readiness probe: Postgres answers a query within two seconds.

    One connection is kept between probes (a new one every probe would cost Postgres a backend
    process each time) and opened again after a failure.
    """

    def __init__(self, settings: Settings) -> None:
        self._conninfo = settings.pg_conninfo
        self._conn: Any = None

    async def __call__(self) -> bool:
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(
                    self._conninfo, connect_timeout=2, autocommit=True)
            await self._conn.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable"
            conn, self._conn = self._conn, None
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close()
            return False

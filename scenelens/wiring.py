"""Building blocks the services' composition roots share: the event store and S3, opened."""
from __future__ import annotations

import asyncio
import functools
from collections.abc import Mapping
from typing import Any

from scenelens.adapters.rabbitmq import Broker, GiveUp, Handler
from scenelens.adapters.s3 import S3Store
from scenelens.application import TaskApplication
from scenelens.settings import Settings


async def open_task_app(settings: Settings) -> TaskApplication:
    """The event-store application (its constructor connects, so off the event loop)."""
    return await asyncio.to_thread(TaskApplication, settings.eventsourcing_env("Tasks"))


async def open_s3(settings: Settings) -> S3Store:
    """S3, started, with the bucket created if missing."""
    s3 = S3Store(settings)
    await s3.start()
    await s3.ensure_bucket()
    return s3


async def consume_all(
    broker: Broker, handlers: Mapping[str, tuple[Any, Any]], deps: Any
) -> None:
    """Register each queue's handler and give-up callback, with deps bound."""
    for queue, (handler, give_up) in handlers.items():
        bound: Handler = functools.partial(handler, deps=deps)
        gave_up: GiveUp = functools.partial(give_up, deps=deps)
        await broker.consume(queue, bound, gave_up)


async def pg_ping(settings: Settings) -> bool:
    """Postgres answers a query within two seconds."""
    import psycopg

    try:
        async with await psycopg.AsyncConnection.connect(settings.pg_conninfo,
                                                         connect_timeout=2) as conn:
            await conn.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False

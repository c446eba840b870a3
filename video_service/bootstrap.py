"""Composition root of the video service."""
from __future__ import annotations

import asyncio
import functools
from typing import Any

from scenelens.adapters.rabbitmq import Broker
from scenelens.adapters.s3 import S3Store
from scenelens.application import TaskApplication
from scenelens.settings import Settings
from video_service.handlers import HANDLERS, Deps


async def bootstrap(
    settings: Settings, *, app: TaskApplication | None = None, s3: Any = None
) -> Deps:
    if app is None:
        app = await asyncio.to_thread(TaskApplication, settings.eventsourcing_env("Tasks"))
    if s3 is None:
        s3 = S3Store(settings)
        await s3.start()
        await s3.ensure_bucket()
    return Deps(settings=settings, app=app, s3=s3)


async def start_consuming(broker: Broker, deps: Deps) -> None:
    for queue, (handler, give_up) in HANDLERS.items():
        await broker.consume(
            queue, functools.partial(handler, deps=deps), functools.partial(give_up, deps=deps)
        )

"""Composition root of the recognition service."""
from __future__ import annotations

import asyncio
import functools
from typing import Any

from recognition_service.detector import Detector
from recognition_service.handlers import HANDLERS, Deps
from scenelens.adapters.rabbitmq import Broker
from scenelens.adapters.s3 import S3Store
from scenelens.application import TaskApplication
from scenelens.settings import Settings


async def bootstrap(
    settings: Settings, *, app: TaskApplication | None = None, s3: Any = None,
    detector: Detector | None = None,
) -> Deps:
    if detector is None:
        # The model loads once per process, off the event loop.
        detector = await asyncio.to_thread(Detector.load, settings)
    if app is None:
        app = await asyncio.to_thread(TaskApplication, settings.eventsourcing_env("Tasks"))
    if s3 is None:
        s3 = S3Store(settings)
        await s3.start()
        await s3.ensure_bucket()
    return Deps(settings=settings, app=app, s3=s3, detector=detector)


async def start_consuming(broker: Broker, deps: Deps) -> None:
    for queue, (handler, give_up) in HANDLERS.items():
        await broker.consume(
            queue, functools.partial(handler, deps=deps), functools.partial(give_up, deps=deps)
        )

"""Composition root of the recognition service."""
from __future__ import annotations

import asyncio
from typing import Any

from recognition_service.detector import Detector
from recognition_service.handlers import HANDLERS, Deps
from scenelens.adapters.rabbitmq import Broker
from scenelens.application import TaskApplication
from scenelens.settings import Settings
from scenelens.wiring import consume_all, open_s3, open_task_app


async def bootstrap(
    settings: Settings, *, app: TaskApplication | None = None, s3: Any = None,
    detector: Detector | None = None,
) -> Deps:
    if detector is None:
        # The model loads once per process, off the event loop.
        detector = await asyncio.to_thread(Detector.load, settings)
    return Deps(settings=settings, app=app or await open_task_app(settings),
                s3=s3 or await open_s3(settings), detector=detector)


async def start_consuming(broker: Broker, deps: Deps) -> None:
    await consume_all(broker, HANDLERS, deps)

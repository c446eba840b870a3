"""Composition root of the video service."""
from __future__ import annotations

import asyncio
from typing import Any

from scenelens.adapters.rabbitmq import Broker
from scenelens.application import TaskApplication
from scenelens.settings import Settings
from scenelens.wiring import consume_all, open_s3, open_task_app
from video_service.handlers import HANDLERS, Deps
from video_service.verifier import shared_verifier


async def bootstrap(
    settings: Settings, *, app: TaskApplication | None = None, s3: Any = None
) -> Deps:
    # The transition detector's model, loaded before the first video (and a missing package is
    # an error at start, not on a user's video).
    await asyncio.to_thread(shared_verifier, int8=settings.verifier_int8)
    return Deps(settings=settings, app=app or await open_task_app(settings),
                s3=s3 or await open_s3(settings))


async def start_consuming(broker: Broker, deps: Deps) -> None:
    await consume_all(broker, HANDLERS, deps, prefetch=deps.settings.video_prefetch)

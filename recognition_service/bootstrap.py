"""Composition root of the recognition service."""
from __future__ import annotations

import asyncio
import functools
from typing import Any

from recognition_service.batcher import InferenceBatcher, batch_size
from recognition_service.detector import Detector
from recognition_service.handlers import HANDLERS, Deps
from recognition_service.models import Loader, ModelPool
from scenelens.adapters.models import load_registry
from scenelens.adapters.rabbitmq import Broker
from scenelens.application import TaskApplication
from scenelens.settings import Settings
from scenelens.wiring import consume_all, open_s3, open_task_app


def _open(settings: Settings, path: str, device: str) -> InferenceBatcher:
    detector = Detector.open(settings, path, device)
    return InferenceBatcher(detector, batch_size(settings.inference_batch, detector.device),
                            settings.inference_batch_window_ms / 1000)


async def bootstrap(
    settings: Settings, *, app: TaskApplication | None = None, s3: Any = None,
    loader: Loader | None = None,
) -> Deps:
    registry = await asyncio.to_thread(load_registry, settings)
    pool = ModelPool(registry, settings.default_model_name,
                     loader or functools.partial(_open, settings), settings.max_loaded_models)
    # The default model loads at start, off the event loop; the others on first use.
    default = await pool.get(settings.default_model_name)
    return Deps(settings=settings, app=app or await open_task_app(settings),
                s3=s3 or await open_s3(settings), models=pool,
                batch=getattr(default.detector, "max_batch", 1))


async def start_consuming(broker: Broker, deps: Deps) -> None:
    deps.publisher = broker  # results go to the recorder
    # A batch can only fill from frames the worker holds unacknowledged.
    await consume_all(broker, HANDLERS, deps, prefetch=max(deps.settings.prefetch, deps.batch))

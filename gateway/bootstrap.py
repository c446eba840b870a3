"""Composition root of the gateway: real adapters by default, fakes in tests."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from gateway.models import ModelCatalog
from scenelens.adapters.models import load_registry
from scenelens.adapters.readmodels import ReadModels
from scenelens.adapters.webhooks import WebhookStore
from scenelens.application import TaskApplication
from scenelens.settings import Settings
from scenelens.wiring import open_s3, open_task_app


@dataclass
class Deps:
    settings: Settings
    app: TaskApplication
    s3: Any
    readmodels: Any
    webhooks: Any = None
    models: ModelCatalog | None = None

    async def close(self) -> None:
        if self.webhooks is not None:
            await self.webhooks.close()
        await self.readmodels.close()
        await self.s3.close()
        await asyncio.to_thread(self.app.close)


# How long one try of an event-store call waits for a connection. eventsourcing tries a call
# that fails to connect 10 times, 0.2 s apart, so with Postgres down an upload or a DELETE gets
# its 503 after about 12 s (it took 52 s with the read models' SCENELENS_API_DB_WAIT_S of 5 s).
EVENT_STORE_WAIT_S = 1


async def bootstrap(
    settings: Settings, *, app: TaskApplication | None = None, s3: Any = None,
    readmodels: Any = None, webhooks: Any = None,
) -> Deps:
    """Connect what was not given; creates the bucket and tables on start."""
    if app is None:
        app = await open_task_app(settings, wait_s=EVENT_STORE_WAIT_S)
    if s3 is None:
        s3 = await open_s3(settings)
    if readmodels is None:
        readmodels = ReadModels(settings, wait_s=settings.api_db_wait_s)
        await readmodels.start()
    if webhooks is None:
        webhooks = WebhookStore(settings)
        await webhooks.start()
    # Class names and weight hashes are read once, at start, off the event loop.
    models = ModelCatalog(settings, await asyncio.to_thread(load_registry, settings))
    return Deps(settings=settings, app=app, s3=s3, readmodels=readmodels, webhooks=webhooks,
                models=models)

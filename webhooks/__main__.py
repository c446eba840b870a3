"""Entry point: `python -m webhooks` (consumes task events, delivers signed webhooks)."""
from __future__ import annotations

import asyncio
import functools
import logging

import httpx

from scenelens.adapters.rabbitmq import Broker, GiveUp, Handler
from scenelens.adapters.webhooks import WebhookStore
from scenelens.domain.webhooks import EVENT_TYPES
from scenelens.logs import setup_logging
from scenelens.settings import Settings
from scenelens.wiring import open_task_app
from scenelens.worker import run_worker
from webhooks.service import QUEUE, Deps, dispatch_forever, give_up, handle_event

log = logging.getLogger("webhooks")


async def bootstrap(settings: Settings) -> Deps:
    """The composition root: event store, webhook tables, an HTTP client without redirects."""
    store = WebhookStore(settings)
    await store.start()
    app = await open_task_app(settings)
    http = httpx.AsyncClient(timeout=settings.webhook_timeout_s, follow_redirects=False,
                             trust_env=False)
    return Deps(settings=settings, app=app, store=store, http=http)


async def start_consuming(broker: Broker, deps: Deps) -> None:
    await broker.declare_subscriber_queue(QUEUE, list(EVENT_TYPES.values()))
    handler: Handler = functools.partial(handle_event, deps=deps)
    gave_up: GiveUp = functools.partial(give_up, deps=deps)
    await broker.consume(QUEUE, handler, gave_up)


def main() -> None:
    settings = Settings()
    setup_logging("webhooks", settings.log_level, settings.log_json)
    asyncio.run(run_worker(settings, bootstrap, start_consuming, "webhooks",
                           background=dispatch_forever, uses_s3=False))


if __name__ == "__main__":
    main()

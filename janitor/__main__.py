"""Entry point: `python -m janitor`."""
from __future__ import annotations

import asyncio
import functools

from janitor.service import QUEUE, ROUTING_KEYS, Deps, give_up, handle_deleted, sweep_forever
from scenelens.adapters.rabbitmq import Broker
from scenelens.logs import setup_logging
from scenelens.settings import Settings
from scenelens.wiring import open_s3, open_task_app
from scenelens.worker import run_worker


async def bootstrap(settings: Settings) -> Deps:
    """The composition root: the event store and S3."""
    return Deps(settings=settings, app=await open_task_app(settings), s3=await open_s3(settings))


async def start_consuming(broker: Broker, deps: Deps) -> None:
    await broker.declare_subscriber_queue(QUEUE, ROUTING_KEYS)
    await broker.consume(QUEUE, functools.partial(handle_deleted, deps=deps),
                         functools.partial(give_up, deps=deps))


def main() -> None:
    settings = Settings()
    setup_logging("janitor", settings.log_level, settings.log_json)
    asyncio.run(run_worker(settings, bootstrap, start_consuming, "janitor",
                           background=sweep_forever))


if __name__ == "__main__":
    main()

"""Entry point: `python -m recorder` (the composition root)."""
from __future__ import annotations

import asyncio

from recorder.handlers import HANDLERS, Deps, group_commit
from scenelens.adapters.rabbitmq import Broker
from scenelens.logs import setup_logging
from scenelens.settings import Settings
from scenelens.wiring import consume_all, open_s3, open_task_app
from scenelens.worker import run_worker


async def bootstrap(settings: Settings) -> Deps:
    app = await open_task_app(settings)
    return Deps(settings=settings, app=app, s3=await open_s3(settings),
                commits=group_commit(app, settings))


async def start_consuming(broker: Broker, deps: Deps) -> None:
    await consume_all(broker, HANDLERS, deps, prefetch=deps.settings.recorder_prefetch)


def main() -> None:
    settings = Settings()
    setup_logging("recorder", settings.log_level, settings.log_json)
    asyncio.run(run_worker(settings, bootstrap, start_consuming, "recorder"))


if __name__ == "__main__":
    main()

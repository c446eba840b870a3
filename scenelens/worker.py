"""The common main loop of queue workers: bootstrap, consume, stop gracefully on SIGTERM."""
from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from scenelens.adapters.rabbitmq import Broker
from scenelens.settings import Settings

log = logging.getLogger(__name__)


async def run_worker(
    settings: Settings,
    bootstrap: Callable[[Settings], Awaitable[Any]],
    start_consuming: Callable[[Broker, Any], Awaitable[None]],
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    deps = None
    broker = Broker(settings)
    while not stop.is_set():
        try:
            if deps is None:
                deps = await bootstrap(settings)
            await broker.start()
            await start_consuming(broker, deps)
            break
        except Exception:  # noqa: BLE001 - dependencies not up yet: wait and retry
            log.exception("worker not ready; retrying in 2 s")
            await broker.close()
            broker = Broker(settings)
            try:
                await asyncio.wait_for(stop.wait(), 2.0)
            except TimeoutError:
                pass
    log.info("consuming")
    await stop.wait()
    log.info("shutting down: finishing in-flight work")
    await broker.close()
    if deps is not None:
        s3 = getattr(deps, "s3", None)
        if s3 is not None and hasattr(s3, "close"):
            await s3.close()
        app = getattr(deps, "app", None)
        if app is not None:
            app.close()

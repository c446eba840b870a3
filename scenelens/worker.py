"""The common main loop of queue workers: bootstrap, consume, stop gracefully on SIGTERM."""
from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from scenelens.adapters.rabbitmq import Broker
from scenelens.observability import Readiness, keep_ready, start_ops_server
from scenelens.settings import Settings
from scenelens.wiring import pg_ping

log = logging.getLogger(__name__)


async def run_worker(
    settings: Settings,
    bootstrap: Callable[[Settings], Awaitable[Any]],
    start_consuming: Callable[[Broker, Any], Awaitable[None]],
    service: str = "worker",
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    deps = None
    broker = Broker(settings)
    readiness = Readiness(service, "broker", "postgres", "s3", "started")
    ops = start_ops_server(settings.metrics_host, settings.metrics_port(service), readiness)
    holder: dict[str, Any] = {}

    async def s3_ok() -> bool:
        s3 = getattr(holder.get("deps"), "s3", None)
        return bool(s3 is not None and await s3.ping())

    async def broker_ok() -> bool:
        return holder.get("broker") is not None and holder["broker"].is_connected

    async def started() -> bool:  # bootstrapped: model loaded, queues consumed
        return bool(holder.get("consuming"))

    checker = asyncio.create_task(keep_ready(readiness, {
        "broker": broker_ok, "postgres": lambda: pg_ping(settings), "s3": s3_ok,
        "started": started}, stop))
    while not stop.is_set():
        try:
            if deps is None:
                deps = await bootstrap(settings)
            holder["deps"] = deps
            await broker.start()
            holder["broker"] = broker
            await start_consuming(broker, deps)
            holder["consuming"] = True
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
    await checker
    ops.shutdown()
    await broker.close()
    if deps is not None:
        s3 = getattr(deps, "s3", None)
        if s3 is not None and hasattr(s3, "close"):
            await s3.close()
        app = getattr(deps, "app", None)
        if app is not None:
            app.close()

"""The common main loop of queue consumers: bootstrap, consume, stop gracefully on SIGTERM.

Workers (recognition, video) and event subscribers (janitor, webhooks) share it; a service may
add a background loop (the janitor's sweeper, the webhook dispatcher) that runs until SIGTERM.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from scenelens.adapters.rabbitmq import Broker
from scenelens.observability import Readiness, keep_ready, start_ops_server
from scenelens.settings import Settings
from scenelens.wiring import PgPing

log = logging.getLogger(__name__)


async def run_worker(
    settings: Settings,
    bootstrap: Callable[[Settings], Awaitable[Any]],
    start_consuming: Callable[[Broker, Any], Awaitable[None]],
    service: str = "worker",
    *,
    background: Callable[[Any, asyncio.Event], Awaitable[None]] | None = None,
    uses_s3: bool = True,
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    deps = None
    broker = Broker(settings)
    checks = ("broker", "postgres", *(("s3",) if uses_s3 else ()), "started")
    readiness = Readiness(service, *checks)
    ops = start_ops_server(settings.metrics_host, settings.metrics_port(service), readiness)
    holder: dict[str, Any] = {}

    async def s3_ok() -> bool:
        s3 = getattr(holder.get("deps"), "s3", None)
        return bool(s3 is not None and await s3.ping())

    async def broker_ok() -> bool:
        return holder.get("broker") is not None and holder["broker"].is_connected

    async def started() -> bool:  # bootstrapped: model loaded, queues consumed
        return bool(holder.get("consuming"))

    probes: dict[str, Callable[[], Awaitable[bool]]] = {"broker": broker_ok, "postgres": PgPing(settings), "s3": s3_ok,
              "started": started}
    checker = asyncio.create_task(keep_ready(
        readiness, {name: probes[name] for name in checks}, stop))
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
    if background is not None and deps is not None:
        await background(deps, stop)
    await stop.wait()
    log.info("shutting down: finishing in-flight work")
    await checker
    ops.shutdown()
    await broker.close()
    if deps is not None:
        s3 = getattr(deps, "s3", None)
        if s3 is not None and hasattr(s3, "close"):
            await s3.close()
        for name in ("store", "http"):  # the webhook service's table store and HTTP client
            closing = getattr(deps, name, None)
            if closing is not None:
                await (closing.aclose() if hasattr(closing, "aclose") else closing.close())
        app = getattr(deps, "app", None)
        if app is not None:
            app.close()

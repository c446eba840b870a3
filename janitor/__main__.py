"""Entry point: `python -m janitor`."""
from __future__ import annotations

import asyncio
import functools
import logging
import signal

from janitor.service import QUEUE, ROUTING_KEYS, Deps, give_up, handle_deleted, sweep_forever
from scenelens.adapters.rabbitmq import Broker, GiveUp, Handler
from scenelens.logs import setup_logging
from scenelens.observability import Readiness, keep_ready, start_ops_server
from scenelens.settings import Settings
from scenelens.wiring import open_s3, open_task_app, pg_ping

log = logging.getLogger("janitor")


async def bootstrap(settings: Settings) -> Deps:
    """The composition root: the event store and S3."""
    return Deps(settings=settings, app=await open_task_app(settings), s3=await open_s3(settings))


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    deps: Deps | None = None
    broker = Broker(settings)
    readiness = Readiness("janitor", "broker", "postgres")
    ops = start_ops_server(settings.metrics_host, settings.metrics_port("janitor"), readiness)
    current: dict[str, Broker] = {"b": broker}

    async def broker_ok() -> bool:
        return current["b"].is_connected

    checker = asyncio.create_task(keep_ready(
        readiness, {"broker": broker_ok, "postgres": lambda: pg_ping(settings)}, stop))
    while not stop.is_set():
        try:
            if deps is None:
                deps = await bootstrap(settings)
            await broker.start()
            await broker.declare_subscriber_queue(QUEUE, ROUTING_KEYS)
            handler: Handler = functools.partial(handle_deleted, deps=deps)
            gave_up: GiveUp = functools.partial(give_up, deps=deps)
            await broker.consume(QUEUE, handler, gave_up)
            break
        except Exception:  # noqa: BLE001 - dependencies not up yet
            log.exception("janitor not ready; retrying in 2 s")
            await broker.close()
            broker = Broker(settings)
            current["b"] = broker
            try:
                await asyncio.wait_for(stop.wait(), 2.0)
            except TimeoutError:
                pass
    if deps is None:
        await checker
        ops.shutdown()
        return
    log.info("janitor running")
    await sweep_forever(deps, stop)
    await checker
    ops.shutdown()
    await broker.close()
    await deps.s3.close()  # type: ignore[attr-defined]
    deps.app.close()


def main() -> None:
    settings = Settings()
    setup_logging("janitor", settings.log_level, settings.log_json)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

"""Entry point: `python -m webhooks` (consumes task events, delivers signed webhooks)."""
from __future__ import annotations

import asyncio
import functools
import logging
import signal

import httpx

from scenelens.adapters.rabbitmq import Broker, GiveUp, Handler
from scenelens.adapters.webhooks import WebhookStore
from scenelens.domain.webhooks import EVENT_TYPES
from scenelens.logs import setup_logging
from scenelens.observability import Readiness, keep_ready, start_ops_server
from scenelens.settings import Settings
from scenelens.wiring import open_task_app, pg_ping
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


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    deps: Deps | None = None
    broker = Broker(settings)
    readiness = Readiness("webhooks", "broker", "postgres")
    ops = start_ops_server(settings.metrics_host, settings.metrics_port("webhooks"), readiness)
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
            await broker.declare_subscriber_queue(QUEUE, list(EVENT_TYPES.values()))
            handler: Handler = functools.partial(handle_event, deps=deps)
            gave_up: GiveUp = functools.partial(give_up, deps=deps)
            await broker.consume(QUEUE, handler, gave_up)
            break
        except Exception:  # noqa: BLE001 - dependencies not up yet
            log.exception("webhooks not ready; retrying in 2 s")
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
    log.info("delivering webhooks")
    await dispatch_forever(deps, stop)
    await checker
    ops.shutdown()
    await broker.close()
    await deps.http.aclose()
    await deps.store.close()
    deps.app.close()


def main() -> None:
    settings = Settings()
    setup_logging("webhooks", settings.log_level, settings.log_json)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

"""Entry point: `python -m relay`."""
from __future__ import annotations

import asyncio
import logging
import signal

import httpx

from relay.relay import Relay, make_tracking
from scenelens.adapters.eventlog import EventLogSignal, channel_of
from scenelens.adapters.rabbitmq import Broker
from scenelens.application import TaskApplication
from scenelens.logs import setup_logging
from scenelens.observability import (
    QUEUE_CONSUMERS,
    QUEUE_MESSAGES,
    Readiness,
    keep_ready,
    start_ops_server,
)
from scenelens.settings import Settings
from scenelens.wiring import PgPing

log = logging.getLogger("relay")


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    readiness = Readiness("relay", "broker", "postgres")
    ops = start_ops_server(settings.metrics_host, settings.metrics_port("relay"), readiness)
    current: dict[str, Broker] = {}

    async def broker_ok() -> bool:
        return "b" in current and current["b"].is_connected

    checker = asyncio.create_task(keep_ready(
        readiness, {"broker": broker_ok, "postgres": PgPing(settings)}, stop))
    queues = asyncio.create_task(watch_queues(settings, stop))
    while not stop.is_set():
        broker = Broker(settings)
        current["b"] = broker
        app = None
        try:
            app = await asyncio.to_thread(TaskApplication, settings.eventsourcing_env("Tasks"))
            tracking = await asyncio.to_thread(make_tracking, settings)
            await broker.start()
            news = EventLogSignal(settings.pg_conninfo, channel_of(app),
                                  poll_s=settings.relay_poll_interval_s,
                                  recheck_s=settings.event_log_recheck_s)
            news.start()
            try:
                await Relay(settings, app, tracking, broker, news).run(stop)
            finally:
                await news.close()
        except Exception:  # noqa: BLE001 - outages: log, back off, start over
            log.exception("relay failed; restarting in 2 s")
            try:
                await asyncio.wait_for(stop.wait(), 2.0)
            except TimeoutError:
                pass
        finally:
            await broker.close()
            if app is not None:
                app.close()
    await checker
    await queues
    ops.shutdown()


async def watch_queues(settings: Settings, stop: asyncio.Event) -> None:
    """Queue depth and consumers of every queue, from RabbitMQ's management API."""
    url = settings.rabbitmq_management_url.rstrip("/")
    parts = httpx.URL(url)
    auth = (parts.username, parts.password) if parts.username else None
    base = str(parts.copy_with(username=None, password=None))
    async with httpx.AsyncClient(timeout=5, auth=auth) as http:
        while not stop.is_set():
            try:
                resp = await http.get(f"{base}/api/queues")
                resp.raise_for_status()
                for q in resp.json():
                    QUEUE_MESSAGES.labels(q["name"]).set(q.get("messages", 0) or 0)
                    QUEUE_CONSUMERS.labels(q["name"]).set(q.get("consumers", 0) or 0)
            except Exception:  # noqa: BLE001 - management API down: keep the last values
                log.debug("queue stats unavailable", exc_info=True)
            try:
                await asyncio.wait_for(stop.wait(), 5.0)
            except TimeoutError:
                pass


def main() -> None:
    settings = Settings()
    setup_logging("relay", settings.log_level, settings.log_json)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

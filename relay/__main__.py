"""Entry point: `python -m relay`."""
from __future__ import annotations

import asyncio
import logging
import signal

from relay.relay import Relay, make_tracking
from scenelens.adapters.rabbitmq import Broker
from scenelens.application import TaskApplication
from scenelens.logs import setup_logging
from scenelens.settings import Settings

log = logging.getLogger("relay")


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    while not stop.is_set():
        broker = Broker(settings)
        app = None
        try:
            app = await asyncio.to_thread(TaskApplication, settings.eventsourcing_env("Tasks"))
            tracking = await asyncio.to_thread(make_tracking, settings)
            await broker.start()
            await Relay(settings, app, tracking, broker).run(stop)
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


def main() -> None:
    settings = Settings()
    setup_logging("relay", settings.log_level, settings.log_json)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

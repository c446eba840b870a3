"""Entry point: `python -m gateway`."""
from __future__ import annotations

import asyncio

import uvloop

from gateway.server import serve
from scenelens.logs import setup_logging
from scenelens.settings import Settings


def main() -> None:
    settings = Settings()
    setup_logging("gateway", settings.log_level, settings.log_json)
    if settings.gateway_event_loop == "uvloop":
        # uvloop: the event loop's own work is about a tenth of a read's CPU on asyncio's loop.
        uvloop.run(serve(settings))
    else:
        asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

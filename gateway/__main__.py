"""Entry point: `python -m gateway`."""
from __future__ import annotations

import asyncio

from gateway.server import serve
from scenelens.logs import setup_logging
from scenelens.settings import Settings


def main() -> None:
    settings = Settings()
    setup_logging("gateway", settings.log_level, settings.log_json)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

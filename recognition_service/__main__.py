"""Entry point: `python -m recognition_service`."""
from __future__ import annotations

import asyncio

from recognition_service.bootstrap import bootstrap, start_consuming
from scenelens.logs import setup_logging
from scenelens.settings import Settings
from scenelens.worker import run_worker


def main() -> None:
    settings = Settings()
    setup_logging("recognition_service", settings.log_level, settings.log_json)
    asyncio.run(run_worker(settings, bootstrap, start_consuming))


if __name__ == "__main__":
    main()

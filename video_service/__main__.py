"""Entry point: `python -m video_service`."""
from __future__ import annotations

import asyncio

from scenelens.logs import setup_logging
from scenelens.settings import Settings
from scenelens.worker import run_worker
from video_service.bootstrap import bootstrap, start_consuming


def main() -> None:
    settings = Settings()
    setup_logging("video_service", settings.log_level, settings.log_json)
    asyncio.run(run_worker(settings, bootstrap, start_consuming, "video_service"))


if __name__ == "__main__":
    main()

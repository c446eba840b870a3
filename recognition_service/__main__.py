"""Entry point: `python -m recognition_service`."""
from __future__ import annotations

import asyncio
import os

# Ultralytics must not try to pip-install or download helpers at run time, nor chatter.
for _key, _value in (("YOLO_AUTOINSTALL", "false"), ("YOLO_OFFLINE", "true"),
                     ("YOLO_VERBOSE", "false")):
    os.environ.setdefault(_key, _value)

from recognition_service.bootstrap import bootstrap, start_consuming  # noqa: E402
from scenelens.logs import setup_logging  # noqa: E402
from scenelens.settings import Settings  # noqa: E402
from scenelens.worker import run_worker  # noqa: E402


def main() -> None:
    settings = Settings()
    setup_logging("recognition_service", settings.log_level, settings.log_json)
    asyncio.run(run_worker(settings, bootstrap, start_consuming, "recognition_service"))


if __name__ == "__main__":
    main()

"""Entry point: `python -m projections` runs the projection; `... rebuild` replays from scratch."""
from __future__ import annotations

import signal
import sys
import threading

from projections.runner import ProjectionBusy, rebuild, run_forever
from scenelens.logs import setup_logging
from scenelens.settings import Settings


def main(argv: list[str]) -> int:
    settings = Settings()
    setup_logging("projections", settings.log_level, settings.log_json)
    if argv[:1] == ["rebuild"]:
        try:
            position = rebuild(settings)
        except ProjectionBusy as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"read models rebuilt up to event {position}")
        return 0
    if argv:
        print("usage: python -m projections [rebuild]", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    run_forever(settings, stop)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Entry point: `python -m projections` runs the projection; `... rebuild` replays from scratch."""
from __future__ import annotations

import signal
import sys
import threading

import psycopg

from projections.runner import ProjectionBusy, rebuild, run_forever
from scenelens.adapters.readmodels import EVENT_STORE_NAME, PROJECTION_TRACKING_TABLE
from scenelens.logs import setup_logging
from scenelens.observability import PROJECTION_LAG, Readiness, start_ops_server
from scenelens.settings import Settings


def watch(settings: Settings, readiness: Readiness, stop: threading.Event) -> None:
    """Readiness (Postgres answers) and the projection's lag behind the event store's head."""
    while not stop.is_set():
        try:
            with psycopg.connect(settings.pg_conninfo, connect_timeout=2) as conn:
                head = conn.execute("SELECT max(notification_id) FROM tasks_events").fetchone()
                done = conn.execute(
                    f"SELECT max(notification_id) FROM {PROJECTION_TRACKING_TABLE} "
                    "WHERE application_name = %s", (EVENT_STORE_NAME,)).fetchone()
            readiness.set("postgres", True)
            PROJECTION_LAG.set(max(0, ((head or [0])[0] or 0) - ((done or [0])[0] or 0)))
        except psycopg.Error:
            readiness.set("postgres", False)
        stop.wait(2.0)


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
    readiness = Readiness("projections", "postgres")
    ops = start_ops_server(settings.metrics_host, settings.metrics_port("projections"), readiness)
    threading.Thread(target=watch, args=(settings, readiness, stop), daemon=True).start()
    run_forever(settings, stop)
    ops.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

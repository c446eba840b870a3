"""Runs the read-model projection against the event store, and rebuilds it by replay."""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator

import psycopg
from eventsourcing.projection import ProjectionRunner

from projections.projection import ReadModelProjection
from projections.view import ReadModelView
from scenelens.adapters.readmodels import REBUILD_NOTICE_S
from scenelens.application import TaskApplication
from scenelens.settings import Settings

log = logging.getLogger(__name__)

# One projection writer at a time: the service holds this lock, rebuild takes it too.
ADVISORY_LOCK = 0x5CE7E1E5


class ProjectionBusy(Exception):
    """The projections service is running; stop it before a rebuild."""


@contextlib.contextmanager
def writer_lock(settings: Settings, *, wait: bool) -> Iterator[None]:
    with psycopg.connect(settings.pg_conninfo, autocommit=True) as conn:
        if wait:
            conn.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK,))
        else:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (ADVISORY_LOCK,)).fetchone()
            if not row or not row[0]:
                raise ProjectionBusy("the projections service is running; stop it first")
        yield


def make_runner(
    settings: Settings,
) -> ProjectionRunner[TaskApplication, ReadModelView]:
    return ProjectionRunner(
        application_class=TaskApplication,
        projection_class=ReadModelProjection,
        view_class=ReadModelView,
        env=settings.eventsourcing_env("readmodels"),
    )


def run_forever(settings: Settings, stop: threading.Event) -> None:
    """Project events as they are stored; reconnects after database outages."""
    while not stop.is_set():
        try:
            with writer_lock(settings, wait=True), make_runner(settings) as runner:
                log.info("projection running")
                while not stop.is_set():
                    runner.run_forever(timeout=0.5)
                    if runner.is_interrupted.is_set():
                        break
        except Exception:  # noqa: BLE001 - database outages: log and start over
            log.exception("projection stopped; restarting in 2 s")
            stop.wait(2.0)


def rebuild(settings: Settings, timeout: float = 600.0,
            notice_s: float = REBUILD_NOTICE_S) -> int:
    """Drop the read models and replay the whole event store into them; returns the position.
    Marks the rebuild `notice_s` before dropping anything, so the gateways stop answering from
    the read models first (see REBUILD_MARKER)."""
    with writer_lock(settings, wait=False):
        app = TaskApplication(env=settings.eventsourcing_env("Tasks"))
        try:
            target = app.max_notification_id()
        finally:
            app.close()
        # The gateways answer 503 from when they notice the marker until it is gone; one left
        # by a failed rebuild stays until a rebuild completes (the read models are partial).
        with make_runner(settings) as runner:
            runner.view.mark_rebuilding(True)
            time.sleep(notice_s)
            runner.view.drop_all()
        with make_runner(settings) as runner:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    runner.wait(target, timeout=5.0)
                    break
                except TimeoutError:
                    if time.monotonic() > deadline:
                        raise
            runner.view.mark_rebuilding(False)
        log.info("rebuilt read models up to notification %d", target)
        return target

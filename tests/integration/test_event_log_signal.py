"""The relay and the watch feed are woken by the event store's NOTIFY, not by their poll."""
from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from scenelens.adapters.eventlog import EventLogSignal, channel_of
from scenelens.application import TaskApplication
from tests.support import Stores


def _create(app: TaskApplication, stores: Stores, photo: bytes) -> None:
    """A real photo task (its file stored first): the pipeline finishes it like any other."""
    tid = uuid.uuid4()
    key = f"input-files/{tid}/n.jpg"
    stores.s3.put_object(Bucket=stores.settings.s3_bucket, Key=key, Body=photo,
                         ContentType="image/jpeg")
    app.create_task(task_id=tid, kind="photo", filename="n.jpg", content_type="image/jpeg",
                    size_bytes=len(photo), input_key=key, scene_options={},
                    tenant_id=uuid.uuid4(), tier="free")


def test_a_stored_event_wakes_a_listener_long_before_its_poll(stack: Any, stores: Stores,
                                                              bus_bytes: bytes) -> None:
    settings = stack.settings
    app = TaskApplication(env=settings.eventsourcing_env("Tasks"))
    try:
        channel = channel_of(app)
        assert channel == "tasks_events"

        async def scenario() -> tuple[float, float]:
            news = EventLogSignal(settings.pg_conninfo, channel, poll_s=30.0, recheck_s=30.0)
            news.start()
            try:
                for _ in range(500):
                    if news.listening:
                        break
                    await asyncio.sleep(0.01)
                assert news.listening
                await news.wait()  # the wake-up every (re)connection starts with
                # Nothing new: it waits (here until the stop event set below).
                stop = asyncio.Event()
                asyncio.get_running_loop().call_later(0.3, stop.set)
                started = time.perf_counter()
                await news.wait(stop)
                quiet = time.perf_counter() - started
                started = time.perf_counter()
                await asyncio.gather(news.wait(), asyncio.to_thread(_create, app, stores, bus_bytes))
                return time.perf_counter() - started, quiet
            finally:
                await news.close()

        woken, quiet = asyncio.run(scenario())
        assert woken < 2.0  # the poll would take 30 s
        assert 0.25 < quiet < 2.0  # no news: woken by `stop`, not at once
    finally:
        app.close()

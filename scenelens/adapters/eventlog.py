"""Wake-ups from the event store: eventsourcing sends a Postgres NOTIFY on its channel with every
insert; readers of the notification log (the relay, the watch feed) LISTEN and read at once
instead of polling. A reader still looks every `recheck_s` seconds while listening, and every
`poll_s` while it cannot listen (no Postgres store, a lost connection), so a wake-up is an
optimisation, never the only way to progress.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

RECONNECT_S = 1.0


def channel_of(app: Any) -> str | None:
    """The NOTIFY channel of an application's recorder (None for stores without one)."""
    channel = getattr(app.recorder, "channel_name", None)
    return str(channel) if channel else None


class EventLogSignal:
    """Set when the event store has news; `wait` returns at the first news or after `timeout`."""

    def __init__(self, conninfo: str | None, channel: str | None, *, poll_s: float,
                 recheck_s: float) -> None:
        self._conninfo = conninfo
        self._channel = channel
        self._poll_s = poll_s
        self._recheck_s = max(poll_s, recheck_s)
        self._news = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.listening = False

    def start(self) -> None:
        if self._conninfo and self._channel and self._task is None:
            self._task = asyncio.create_task(self._listen(self._conninfo, self._channel),
                                             name="event-log-listen")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def wait(self, stop: asyncio.Event | None = None) -> None:
        """Until news arrives (consumed), `stop` is set, or it is time to look anyway."""
        timeout = self._recheck_s if self.listening else self._poll_s
        waits = [asyncio.ensure_future(self._news.wait())]
        if stop is not None:
            waits.append(asyncio.ensure_future(stop.wait()))
        try:
            await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waits:
                w.cancel()
        self._news.clear()

    async def _listen(self, conninfo: str, channel: str) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                    await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    self.listening = True
                    self._news.set()  # anything stored while we were not listening
                    async for _ in conn.notifies():
                        self._news.set()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - an outage: readers poll meanwhile
                if self.listening:
                    log.warning("lost the event store's notifications; polling until back",
                                exc_info=True)
            self.listening = False
            await asyncio.sleep(RECONNECT_S)

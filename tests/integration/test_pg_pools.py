"""After Postgres drops every connection (a restart, a failover), the next call gets a fresh one
at once: the pools check all their idle connections after the first failed check, instead of
trying the dead ones one by one with a back-off (0, 1, 2, 4, 8 s... up to the 30 s timeout)."""
from __future__ import annotations

import asyncio
import time
from typing import Any

import psycopg

from scenelens.adapters.postgres import async_pool
from scenelens.application import TaskApplication
from scenelens.settings import Settings

# Dead connections tried one by one would wait 0 + 1 + 2 + 4 (+ 8) s: 7 s and more for 4.
PROMPT_S = 3.0


def _terminate(settings: Settings, pids: list[int]) -> None:
    """End these backends as a restarting server does (a FATAL message, then the socket closes)."""
    with psycopg.connect(settings.pg_conninfo, autocommit=True) as conn:
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)",
                               (pids,)).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"backends {pids} still there")


def _settled(pool: Any) -> None:
    """Wait until every connection the pool has or is opening is idle in it: a call made while
    the pool was still filling makes it open one more in the background, and one that came in
    while the test held the others would be handed out first, alive (a flaky run in CI)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        stats = pool.get_stats()
        if stats["pool_available"] == stats["pool_size"]:
            return
        time.sleep(0.02)
    raise AssertionError(f"the pool never settled: {pool.get_stats()}")


def test_event_store_pool_replaces_all_dead_connections_at_once(stack: Any) -> None:
    settings = stack.settings
    app = TaskApplication(env=settings.eventsourcing_env("Tasks"))
    try:
        pool = app.recorder.datastore.pool  # type: ignore[attr-defined]
        app.max_notification_id()
        pool.wait()
        _settled(pool)
        # Every connection the pool has, so that none of them is left alive.
        held = [pool.getconn() for _ in range(pool.get_stats()["pool_available"])]
        pids = [c.info.backend_pid for c in held]
        for c in held:
            pool.putconn(c)
        assert len(set(pids)) >= settings.pg_pool_size
        lost_before = pool.get_stats().get("connections_lost", 0)

        _terminate(settings, pids)
        started = time.monotonic()
        app.max_notification_id()
        took = time.monotonic() - started

        # Every dead connection was found and replaced in that one call, and it was quick.
        assert pool.get_stats().get("connections_lost", 0) - lost_before == len(pids)
        assert took < PROMPT_S, took
        with pool.connection() as conn:
            assert conn.info.backend_pid not in pids
    finally:
        app.close()


def test_read_model_pool_replaces_all_dead_connections_at_once(stack: Any) -> None:
    settings = stack.settings

    async def scenario() -> tuple[float, int, list[int], int]:
        pool = async_pool(settings)
        await pool.open(wait=True)
        try:
            held = [await pool.getconn() for _ in range(4)]  # the pool grows to 4
            pids = [c.info.backend_pid for c in held]
            for c in held:
                await pool.putconn(c)
            lost_before = pool.get_stats().get("connections_lost", 0)

            await asyncio.to_thread(_terminate, settings, pids)
            started = time.monotonic()
            async with pool.connection() as conn:
                await conn.execute("SELECT 1")
                pid = conn.info.backend_pid
            took = time.monotonic() - started
            return took, pool.get_stats().get("connections_lost", 0) - lost_before, pids, pid
        finally:
            await pool.close()

    took, lost, pids, pid = asyncio.run(scenario())
    assert lost == len(pids) == 4
    assert pid not in pids
    assert took < PROMPT_S, took

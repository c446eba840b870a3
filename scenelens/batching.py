"""Group commit: commands submitted concurrently are applied in batches, one batch per key.

The recorder uses it so that the results of one task that arrive together are appended with one
load and one save of the task, and so that no two batches of one key ever run at the same time
(one writer per task, hence no optimistic-concurrency conflicts between them).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
C = TypeVar("C")
R = TypeVar("R")

log = logging.getLogger(__name__)

# Applies one key's commands in order and returns one outcome per command: a value, or the
# exception that command raised (only that command failed). Runs in a worker thread.
ApplyBatch = Callable[[K, Sequence[C]], Sequence["R | BaseException"]]


class GroupCommit(Generic[K, C, R]):
    """Gathers commands for up to `window_s` (or until `max_items` wait) and applies them.

    Batches are applied one round at a time: what arrives while a round is being written
    waits for the next round, so a busy writer batches more. Within a round, different keys
    are applied concurrently (up to `concurrency` threads), each key once.
    """

    def __init__(self, apply: ApplyBatch[K, C, R], *, window_s: float = 0.005,
                 max_items: int = 256, concurrency: int = 4) -> None:
        self._apply = apply
        self._window_s = window_s
        self._max_items = max_items
        self._concurrency = concurrency
        self._pending: dict[K, list[tuple[C, asyncio.Future[R]]]] = {}
        self._count = 0
        self._full: asyncio.Event | None = None
        self._limit: asyncio.Semaphore | None = None
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, key: K, command: C) -> R:
        """Apply `command` with others of its key; its own outcome, or the error it raised."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.setdefault(key, []).append((command, future))
        self._count += 1
        if self._runner is None or self._runner.done():
            # Made here, in the running loop (a test may run several loops in turn).
            self._full, self._limit = asyncio.Event(), asyncio.Semaphore(self._concurrency)
            self._runner = asyncio.create_task(self._run())
        if self._count >= self._max_items:
            assert self._full is not None
            self._full.set()
        return await future

    async def _run(self) -> None:
        assert self._full is not None
        try:
            while self._pending:
                if self._count < self._max_items:
                    try:
                        await asyncio.wait_for(self._full.wait(), self._window_s)
                    except TimeoutError:
                        pass
                batch = self._take(self._max_items)
                if self._count < self._max_items:
                    self._full.clear()
                await asyncio.gather(*(self._apply_key(k, v) for k, v in batch.items()))
        except BaseException as e:
            # Never leave a caller waiting: whatever is still pending fails with the reason.
            pending, self._pending, self._count = self._pending, {}, 0
            for items in pending.values():
                for _, future in items:
                    if not future.done():
                        future.set_exception(RuntimeError(f"group commit stopped: {e!r}"))
            raise

    def _take(self, limit: int) -> dict[K, list[tuple[C, asyncio.Future[R]]]]:
        """Up to `limit` pending commands, oldest keys first, in their order within a key."""
        batch: dict[K, list[tuple[C, asyncio.Future[R]]]] = {}
        for key in list(self._pending):
            if limit <= 0:
                break
            items = self._pending[key]
            batch[key], rest = items[:limit], items[limit:]
            limit -= len(batch[key])
            self._count -= len(batch[key])
            if rest:
                self._pending[key] = rest
            else:
                del self._pending[key]
        return batch

    async def _apply_key(self, key: K, items: list[tuple[C, asyncio.Future[R]]]) -> None:
        commands = [c for c, _ in items]
        assert self._limit is not None
        async with self._limit:
            try:
                outcomes = await asyncio.to_thread(self._apply, key, commands)
                if len(outcomes) != len(items):
                    raise RuntimeError(f"{len(outcomes)} outcomes for {len(items)} commands")
            except Exception as e:  # noqa: BLE001 - the whole batch failed: each caller sees why
                for _, future in items:
                    if not future.done():
                        future.set_exception(e)
                return
        for (_, future), outcome in zip(items, outcomes, strict=True):
            if future.done():  # its caller went away (cancelled)
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

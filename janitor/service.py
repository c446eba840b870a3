"""Janitor handlers: delete a deleted task's files; sweep files that have no live task."""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scenelens.adapters.rabbitmq import Delivery
from scenelens.adapters.s3 import ObjectStore
from scenelens.application import TaskApplication
from scenelens.cleanup import remove_task_files, sweep_orphans
from scenelens.logs import log_context
from scenelens.settings import Settings
from scenelens.v1 import events_pb2

log = logging.getLogger(__name__)

QUEUE = "task_cleanup_queue"
ROUTING_KEYS = ["task.deleted"]


@dataclass
class Deps:
    settings: Settings
    app: TaskApplication
    s3: ObjectStore


async def handle_deleted(delivery: Delivery, *, deps: Deps) -> None:
    """TaskDeleted: remove the task's files. An S3 error raises, so the message is retried."""
    event = events_pb2.TaskDeleted.FromString(delivery.body)
    with log_context(task_id=event.task_id):
        await remove_task_files(deps.s3, uuid.UUID(event.task_id))


async def give_up(delivery: Delivery, reason: str, *, deps: Deps) -> None:
    """Out of retries: the event waits in the dead-letter queue; the sweeper tries again."""
    log.error("could not remove a deleted task's files: %s", reason)


async def sweep_forever(deps: Deps, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            cutoff = datetime.now(UTC) - timedelta(seconds=deps.settings.orphan_grace_s)
            await sweep_orphans(deps.s3, deps.app, cutoff)
        except Exception:  # noqa: BLE001 - S3 or Postgres down: next round
            log.warning("sweep failed", exc_info=True)
        try:
            await asyncio.wait_for(stop.wait(), deps.settings.sweep_interval_s)
        except TimeoutError:
            pass

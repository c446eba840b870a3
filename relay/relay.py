"""Publishes from the event store's notification log to RabbitMQ, then records the position.

A crash between publishing and recording republishes (at-least-once); consumers are
idempotent, so no task is stranded and nothing is duplicated.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict

from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.utils import Environment

from relay.mapping import Outgoing, outgoing
from scenelens.adapters.rabbitmq import Publisher
from scenelens.application import TaskApplication
from scenelens.domain.task import Task
from scenelens.settings import Settings

log = logging.getLogger(__name__)


def make_tracking(settings: Settings) -> PostgresTrackingRecorder:
    factory = InfrastructureFactory.construct(
        env=Environment("relay", settings.eventsourcing_env("relay"))
    )
    recorder = factory.tracking_recorder(PostgresTrackingRecorder)
    assert isinstance(recorder, PostgresTrackingRecorder)
    return recorder


class Relay:
    """Event store -> RabbitMQ, in order, from the last recorded position."""

    def __init__(
        self, settings: Settings, app: TaskApplication, tracking: PostgresTrackingRecorder,
        publisher: Publisher,
    ) -> None:
        self._settings = settings
        self._app = app
        self._tracking = tracking
        self._publisher = publisher
        self.position = 0
        # task id -> tier, for the priority of its commands (bounded; misses load the task).
        self._tiers: OrderedDict[str, str] = OrderedDict()

    async def run(self, stop: asyncio.Event) -> None:
        self.position = await asyncio.to_thread(self._tracking.max_tracking_id, self._app.name) or 0
        log.info("relay starting after notification %d", self.position)
        while not stop.is_set():
            published = await self.step()
            if not published:
                try:
                    await asyncio.wait_for(stop.wait(), self._settings.relay_poll_interval_s)
                except TimeoutError:
                    pass

    async def step(self) -> int:
        """Publish the next batch; returns how many notifications were handled."""
        notifications = await asyncio.to_thread(
            self._app.recorder.select_notifications,
            start=self.position + 1, limit=self._settings.relay_batch,
        )
        if not notifications:
            return 0
        messages: list[Outgoing] = []
        for n in notifications:
            event = self._app.mapper.to_domain_event(n)
            if isinstance(event, Task.Created):
                self._remember_tier(str(event.originator_id), event.tier)
            messages.extend(outgoing(event))
        # The relay only publishes: a deleted task's files are the janitor's (TaskDeleted).
        await asyncio.gather(*(self._publish(m) for m in messages))
        last = notifications[-1].id
        await asyncio.to_thread(self._tracking.insert_tracking, Tracking(self._app.name, last))
        self.position = last
        return len(notifications)

    def _remember_tier(self, task_id: str, tier: str) -> None:
        self._tiers[task_id] = tier
        self._tiers.move_to_end(task_id)
        while len(self._tiers) > 10_000:
            self._tiers.popitem(last=False)

    async def _priority(self, task_id: str) -> int:
        """The queue priority of a task's work: its tier's, as configured now."""
        tier = self._tiers.get(task_id)
        if tier is None:
            snapshot = await asyncio.to_thread(self._app.get_task, uuid.UUID(task_id))
            tier = snapshot.tier
            self._remember_tier(task_id, tier)
        return self._settings.tier(tier).priority

    async def _publish(self, m: Outgoing) -> None:
        if m.queue:
            await self._publisher.send(m.queue, m.msg, message_id=m.message_id, task_id=m.task_id,
                                       priority=await self._priority(m.task_id))
        else:
            await self._publisher.publish_event(
                m.routing_key, m.msg, message_id=m.message_id, task_id=m.task_id
            )

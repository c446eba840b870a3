"""Publishes from the event store's notification log to RabbitMQ, then records the position.

A crash between publishing and recording republishes (at-least-once); consumers are
idempotent, so no task is stranded and nothing is duplicated.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.utils import Environment

from relay.mapping import Outgoing, include_options, outgoing
from scenelens.adapters.eventlog import EventLogSignal
from scenelens.adapters.rabbitmq import Publisher
from scenelens.application import TaskApplication
from scenelens.domain.task import Task
from scenelens.observability import RELAY_LAG
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2

log = logging.getLogger(__name__)


def make_tracking(settings: Settings) -> PostgresTrackingRecorder:
    factory = InfrastructureFactory.construct(
        env=Environment("relay", settings.eventsourcing_env("relay"))
    )
    recorder = factory.tracking_recorder(PostgresTrackingRecorder)
    assert isinstance(recorder, PostgresTrackingRecorder)
    return recorder


@dataclass(frozen=True)
class TaskInfo:
    """What every message of a task carries: its tier's priority, its request id, its owner,
    and (for recognition commands) its first run's options."""

    tier: str
    request_id: str
    tenant_id: str
    options: dict[str, Any] = field(default_factory=dict)


class Relay:
    """Event store -> RabbitMQ, in order, from the last recorded position."""

    def __init__(
        self, settings: Settings, app: TaskApplication, tracking: PostgresTrackingRecorder,
        publisher: Publisher, news: EventLogSignal | None = None,
    ) -> None:
        self._settings = settings
        # Woken by the event store's NOTIFY; without one it polls every relay_poll_interval_s.
        self._news = news or EventLogSignal(None, None, poll_s=settings.relay_poll_interval_s,
                                            recheck_s=settings.event_log_recheck_s)
        self._app = app
        self._tracking = tracking
        self._publisher = publisher
        self.position = 0
        # task id -> what its messages carry (bounded; misses load the task).
        self._tasks: OrderedDict[str, TaskInfo] = OrderedDict()

    async def run(self, stop: asyncio.Event) -> None:
        self.position = await asyncio.to_thread(self._tracking.max_tracking_id, self._app.name) or 0
        log.info("relay starting after notification %d", self.position)
        while not stop.is_set():
            published = await self.step()
            if not published:
                RELAY_LAG.set(0)
                await self._news.wait(stop)

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
                self._remember(str(event.originator_id), TaskInfo(
                    event.tier, event.request_id, str(event.tenant_id or ""),
                    dict(event.analysis_options or {})))
            messages.extend(outgoing(event))
        # The relay only publishes: a deleted task's files are the janitor's (TaskDeleted).
        await asyncio.gather(*(self._publish(m) for m in messages))
        last = notifications[-1].id
        await asyncio.to_thread(self._tracking.insert_tracking, Tracking(self._app.name, last))
        self.position = last
        if len(notifications) >= self._settings.relay_batch:  # more waiting: how many
            head = await asyncio.to_thread(self._app.max_notification_id)
            RELAY_LAG.set(max(0, head - last))
        else:
            RELAY_LAG.set(0)
        return len(notifications)

    def _remember(self, task_id: str, info: TaskInfo) -> None:
        self._tasks[task_id] = info
        self._tasks.move_to_end(task_id)
        while len(self._tasks) > 10_000:
            self._tasks.popitem(last=False)

    async def _task(self, task_id: str) -> TaskInfo:
        known = self._tasks.get(task_id)
        if known is None:
            snapshot = await asyncio.to_thread(self._app.get_task, uuid.UUID(task_id))
            known = TaskInfo(snapshot.tier, snapshot.request_id, snapshot.tenant_id,
                             dict(snapshot.run("").options))
            self._remember(task_id, known)
        return known

    async def _publish(self, m: Outgoing) -> None:
        info = await self._task(m.task_id)
        tier, request_id = info.tier, info.request_id
        # The owner travels with every message, so consumers (webhooks) need not load the task.
        headers = {"task_id": m.task_id, "x-request-id": request_id, "tenant_id": info.tenant_id}
        msg = m.msg
        if isinstance(msg, commands_pb2.RecognizeFrame) and not msg.options_included:
            msg = include_options(msg, info.options)  # a first-run scene: the task's options
        if m.routing_key == "task.created":
            log.info("publishing a new task", extra={"task_id": m.task_id,
                                                     "request_id": request_id})
        if m.queue:
            # The tier's priority as configured now.
            await self._publisher.send(m.queue, msg, message_id=m.message_id,
                                       priority=self._settings.tier(tier).priority, **headers)
        else:
            await self._publisher.publish_event(
                m.routing_key, m.msg, message_id=m.message_id, **headers
            )

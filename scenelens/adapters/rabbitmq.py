"""RabbitMQ adapter (aio-pika): topology, confirmed publishing, consuming with retries and DLQs."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import aio_pika
import aiormq.exceptions
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from google.protobuf.message import Message

from scenelens.adapters.outages import is_outage
from scenelens.domain.errors import PermanentFailure, TaskGone
from scenelens.logs import log_context
from scenelens.observability import DEAD_LETTERS, OUTAGE_RETRIES, RETRIES
from scenelens.settings import Settings

log = logging.getLogger(__name__)

EVENTS_EXCHANGE = "scenelens.events"
DEAD_LETTER_EXCHANGE = "scenelens.dlx"
VIDEO_QUEUE = "video_processing_queue"
RECOGNITION_QUEUE = "recognition_queue"
# Recognition results on their way to the event store: one recorder appends them (see recorder/).
RESULTS_QUEUE = "recognition_results_queue"
WORK_QUEUES = (VIDEO_QUEUE, RECOGNITION_QUEUE, RESULTS_QUEUE)
ATTEMPT_HEADER = "x-attempt"
# Retries because a backing service (S3, Postgres) was down: they do not count as attempts.
OUTAGE_HEADER = "x-outage-retry"
DEAD_LETTERED_HEADER = "x-dead-lettered"  # already in the DLQ: only the give-up is left to do
CONTENT_TYPE = "application/x-protobuf"


# Message priorities 0..MAX_PRIORITY (a tier's `priority`); classic queues only on RabbitMQ 3.x.
MAX_PRIORITY = 9


def work_queue_arguments(queue: str) -> dict[str, Any]:
    args: dict[str, Any] = {
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": queue,
        "x-max-priority": MAX_PRIORITY, "x-queue-type": "classic"}
    if queue == RESULTS_QUEUE:
        # One recorder consumes at a time (others wait as hot standbys): one writer per task.
        args["x-single-active-consumer"] = True
    return args


async def migrate_queue(
    connection: Any, name: str, arguments: dict[str, Any], *, lock_wait_s: float = 120.0
) -> bool:
    """Re-create queue `name` with `arguments` if it exists with others; keep every message.

    Under a lock (an exclusive queue) so that processes starting together migrate once: the
    messages are moved to `<name>.migrating` with confirms, the old queue is deleted once
    empty, declared anew, and the messages moved back. A crash part-way leaves them in
    `<name>.migrating`, which the next start drains. Returns True if it migrated.
    """
    if await _declare_ok(connection, name, arguments) and not await _queue_exists(
        connection, migrating_queue(name)
    ):
        return False
    lock = await connection.channel()
    deadline = asyncio.get_running_loop().time() + lock_wait_s
    while True:
        try:
            await lock.declare_queue(f"{name}.migration-lock", exclusive=True, auto_delete=True)
            break
        except (aiormq.exceptions.ChannelAccessRefused,
                aiormq.exceptions.ChannelLockedResource):
            if asyncio.get_running_loop().time() > deadline:
                raise
            lock = await connection.channel()
            await asyncio.sleep(0.5)
    try:
        channel = await connection.channel(publisher_confirms=True)
        holding = await channel.declare_queue(migrating_queue(name), durable=True)
        while not await _declare_ok(connection, name, arguments):
            old = await channel.declare_queue(name, passive=True)
            moved = await _move(channel, old, migrating_queue(name))
            try:
                await channel.queue_delete(name, if_empty=True)
            except aio_pika.exceptions.ChannelPreconditionFailed:
                channel = await connection.channel(publisher_confirms=True)
            log.warning("queue %s re-created with %s (%d messages kept)", name, arguments, moved)
        moved = await _move(channel, holding, name)
        await channel.queue_delete(migrating_queue(name))
        if moved:
            log.warning("moved %d messages back into %s", moved, name)
        return True
    finally:
        await lock.close()


def migrating_queue(queue: str) -> str:
    return f"{queue}.migrating"


async def _declare_ok(connection: Any, name: str, arguments: dict[str, Any]) -> bool:
    """Declare the queue; False when it exists with other arguments (PRECONDITION_FAILED)."""
    channel = await connection.channel()
    try:
        await channel.declare_queue(name, durable=True, arguments=arguments)
    except aio_pika.exceptions.ChannelPreconditionFailed:
        return False
    await channel.close()
    return True


async def _queue_exists(connection: Any, name: str) -> bool:
    channel = await connection.channel()
    try:
        await channel.declare_queue(name, passive=True)
    except aio_pika.exceptions.ChannelNotFoundEntity:
        return False
    await channel.close()
    return True


async def _move(channel: AbstractChannel, source: AbstractQueue, target: str) -> int:
    """Move every message of `source` to queue `target`: confirmed publish, then ack."""
    moved = 0
    while True:
        message = await source.get(no_ack=False, fail=False)
        if message is None:
            return moved
        await channel.default_exchange.publish(
            aio_pika.Message(
                body=message.body, headers=dict(message.headers or {}),
                content_type=message.content_type, type=message.type,
                message_id=message.message_id, priority=message.priority,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=target, mandatory=True, timeout=30,
        )
        await message.ack()
        moved += 1


def retry_queue(queue: str) -> str:
    return f"{queue}.retry"


def dead_letter_queue(queue: str) -> str:
    return f"{queue}.dlq"


@dataclass(frozen=True)
class Delivery:
    """An incoming message as handlers see it."""

    body: bytes
    type: str
    message_id: str
    attempt: int
    headers: dict[str, Any]
    redelivered: bool = False  # the broker delivered it before (a consumer died holding it)


Handler = Callable[[Delivery], Awaitable[None]]
GiveUp = Callable[[Delivery, str], Awaitable[None]]


class Publisher(Protocol):
    """What producers need: confirmed, routed publishing of protobuf messages."""

    async def send(
        self, queue: str, msg: Message, *, message_id: str, priority: int = 0, **headers: Any
    ) -> None: ...
    async def publish_event(
        self, routing_key: str, msg: Message, *, message_id: str, **headers: Any
    ) -> None: ...


def _message(
    msg: Message, message_id: str, headers: dict[str, Any], priority: int | None = None
) -> aio_pika.Message:
    type_name = msg.DESCRIPTOR.full_name
    return aio_pika.Message(
        body=msg.SerializeToString(),
        content_type=CONTENT_TYPE,
        type=type_name,
        message_id=message_id,
        headers={"type": type_name, **headers},
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        priority=priority,
    )


class Broker:
    """One robust connection per process; declares the topology on start."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self._consume_channels: dict[int, AbstractChannel] = {}
        self._events: AbstractExchange | None = None
        self._consumers: list[tuple[AbstractQueue, str]] = []
        self._inflight: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self._settings.amqp_url, client_properties={"connection_name": "scenelens"}
        )
        self._publish_channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        await self.declare_topology(self._publish_channel)
        self._events = await self._publish_channel.get_exchange(EVENTS_EXCHANGE)

    @property
    def is_connected(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    async def declare_topology(self, channel: AbstractChannel) -> None:
        """Durable priority work queues, each with a delayed-retry queue and a dead-letter queue.

        A work queue that exists without `x-max-priority` (from before priorities) is migrated
        first by `migrate_queue`, since RabbitMQ cannot change a queue's arguments in place.
        """
        await channel.declare_exchange(EVENTS_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        dlx = await channel.declare_exchange(
            DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True
        )
        for name in WORK_QUEUES:
            await migrate_queue(self._connection, name, work_queue_arguments(name))
            await channel.declare_queue(name, durable=True, arguments=work_queue_arguments(name))
            dlq = await channel.declare_queue(dead_letter_queue(name), durable=True)
            await dlq.bind(dlx, routing_key=name)
            # Messages wait here for their per-message TTL, then dead-letter back to work.
            await channel.declare_queue(
                retry_queue(name), durable=True,
                arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": name},
            )

    async def declare_subscriber_queue(self, name: str, routing_keys: list[str]) -> None:
        """A durable queue of events from the events exchange, with its own retries and DLQ."""
        assert self._publish_channel is not None, "Broker.start() first"
        channel = self._publish_channel
        dlx = await channel.get_exchange(DEAD_LETTER_EXCHANGE)
        queue = await channel.declare_queue(name, durable=True, arguments={
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": name})
        for key in routing_keys:
            await queue.bind(EVENTS_EXCHANGE, routing_key=key)
        dlq = await channel.declare_queue(dead_letter_queue(name), durable=True)
        await dlq.bind(dlx, routing_key=name)
        await channel.declare_queue(
            retry_queue(name), durable=True,
            arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": name},
        )

    async def close(self) -> None:
        for queue, tag in self._consumers:
            try:
                await queue.cancel(tag)
            except Exception:  # noqa: BLE001 - closing anyway
                log.debug("cancel failed", exc_info=True)
        self._consumers.clear()
        if self._inflight:
            await asyncio.wait(self._inflight, timeout=30)
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    # -- publishing -------------------------------------------------------------------------

    async def send(
        self, queue: str, msg: Message, *, message_id: str, priority: int = 0, **headers: Any
    ) -> None:
        """Send a command to a work queue; raises if it is not confirmed or not routable."""
        assert self._publish_channel is not None, "Broker.start() first"
        await self._publish_channel.default_exchange.publish(
            _message(msg, message_id, {ATTEMPT_HEADER: 1, **headers}, priority),
            routing_key=queue, mandatory=True, timeout=30,
        )

    async def publish_event(
        self, routing_key: str, msg: Message, *, message_id: str, **headers: Any
    ) -> None:
        """Broadcast an event on the topic exchange for any subscriber (none is required)."""
        assert self._events is not None, "Broker.start() first"
        await self._events.publish(
            _message(msg, message_id, headers), routing_key=routing_key,
            mandatory=False, timeout=30,
        )

    # -- consuming --------------------------------------------------------------------------

    async def consume(self, queue_name: str, handler: Handler, give_up: GiveUp,
                      *, prefetch: int | None = None) -> None:
        """Consume a work queue with manual acks, delayed retries and a dead-letter queue.

        The message is acknowledged only after the handler's effect is recorded, or after
        it was moved to the retry or dead-letter queue (both published with confirms).
        `prefetch` (default: the `prefetch` setting) bounds the unacknowledged messages.
        """
        assert self._connection is not None, "Broker.start() first"
        prefetch = prefetch or self._settings.prefetch
        channel = self._consume_channels.get(prefetch)
        if channel is None:
            channel = await self._connection.channel(
                publisher_confirms=True, on_return_raises=True
            )
            await channel.set_qos(prefetch_count=prefetch)
            self._consume_channels[prefetch] = channel
        queue = await channel.get_queue(queue_name)

        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._inflight.add(task)
            try:
                request_id = str((message.headers or {}).get("x-request-id") or "")
                with log_context(request_id=request_id):
                    await self._process(channel, queue_name, message, handler, give_up)
            finally:
                if task is not None:
                    self._inflight.discard(task)

        tag = await queue.consume(on_message)
        self._consumers.append((queue, tag))

    async def _process(
        self, channel: AbstractChannel, queue_name: str, message: AbstractIncomingMessage,
        handler: Handler, give_up: GiveUp,
    ) -> None:
        """Handle one message and settle it exactly once, whatever fails on the way.

        Settled by ack once its effect, its retry or its dead letter is recorded; by nack with
        requeue when even that could not be recorded (a broker or database outage), after a
        pause, so that it comes back later instead of holding a prefetch slot forever.
        """
        headers = dict(message.headers or {})
        attempt = int(str(headers.get(ATTEMPT_HEADER, 1) or 1))
        delivery = Delivery(
            body=message.body, type=message.type or str(headers.get("type", "")),
            message_id=message.message_id or "", attempt=attempt, headers=headers,
            redelivered=bool(message.redelivered),
        )
        extra = {"queue": queue_name, "message_id": delivery.message_id}
        try:
            try:
                await handler(delivery)
            except TaskGone as e:
                log.info("dropping work for a gone task: %s", e, extra=extra)
            except PermanentFailure as e:
                await self._give_up(channel, queue_name, message, delivery, give_up, str(e))
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001 - anything else is presumed transient
                reason = f"{type(e).__name__}: {e}"[:1000]
                if is_outage(e):
                    await self._retry_outage(channel, queue_name, message, headers, reason,
                                             extra)
                elif attempt >= self._settings.max_attempts:
                    await self._give_up(
                        channel, queue_name, message, delivery, give_up,
                        f"gave up after {attempt} attempts: {reason}",
                    )
                else:
                    delay_ms = self._settings.retry_delay_ms * (2 ** (attempt - 1))
                    log.warning("attempt %d failed, retrying in %d ms: %s", attempt, delay_ms,
                                reason, extra=extra)
                    await self._retry(channel, queue_name, message,
                                      {**headers, ATTEMPT_HEADER: attempt + 1,
                                       "x-last-error": reason}, delay_ms)
        except asyncio.CancelledError:
            await asyncio.shield(self._settle(message, requeue=True))
            raise
        except Exception:  # noqa: BLE001 - the retry, dead letter or give-up could not be recorded
            log.exception("could not record the outcome; the message goes back to the queue",
                          extra=extra)
            await asyncio.sleep(self._settings.retry_delay_ms / 1000)
            await self._settle(message, requeue=True)
            return
        await self._settle(message)

    @staticmethod
    async def _settle(message: AbstractIncomingMessage, *, requeue: bool | None = None) -> None:
        """ack (requeue None) or nack; a closed channel already returned the message."""
        try:
            if requeue is None:
                await message.ack()
            else:
                await message.nack(requeue=requeue)
        except Exception:  # noqa: BLE001 - the broker redelivers unacked messages of a lost channel
            log.warning("could not settle message %s", message.message_id, exc_info=True)

    async def _retry_outage(self, channel: AbstractChannel, queue_name: str,
                            message: AbstractIncomingMessage, headers: dict[str, Any],
                            reason: str, extra: dict[str, Any]) -> None:
        """A backing service was down: not the message's fault. It waits for the service to come
        back, however long that takes, and keeps its attempts for real failures."""
        outage = int(str(headers.get(OUTAGE_HEADER, 0) or 0)) + 1
        delay_ms = min(self._settings.retry_delay_ms * (2 ** min(outage - 1, 20)),
                       self._settings.outage_retry_max_ms)
        log.warning("a backing service is unavailable; retry %d in %d ms (attempts not "
                    "counted): %s", outage, delay_ms, reason, extra=extra)
        OUTAGE_RETRIES.labels(queue_name).inc()
        await self._retry(channel, queue_name, message,
                          {**headers, OUTAGE_HEADER: outage, "x-last-error": reason}, delay_ms)

    @staticmethod
    async def _retry(channel: AbstractChannel, queue_name: str,
                     message: AbstractIncomingMessage, headers: dict[str, Any],
                     delay_ms: float) -> None:
        """Park the message in the retry queue; it returns to work after `delay_ms`."""
        RETRIES.labels(queue_name).inc()
        retry = aio_pika.Message(
            body=message.body, content_type=message.content_type, type=message.type,
            message_id=message.message_id, headers=headers, priority=message.priority,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT, expiration=delay_ms / 1000,
        )
        await channel.default_exchange.publish(
            retry, routing_key=retry_queue(queue_name), mandatory=True, timeout=30
        )

    async def _give_up(
        self, channel: AbstractChannel, queue_name: str, message: AbstractIncomingMessage,
        delivery: Delivery, give_up: GiveUp, reason: str,
    ) -> None:
        """Dead-letter first, then record the failure (a database write).

        If that write fails, the message is parked in the retry queue marked as dead-lettered,
        so the write is tried again later without a second dead-letter copy.
        """
        extra = {"queue": queue_name, "message_id": delivery.message_id}
        log.error("giving up: %s", reason, extra=extra)
        if not delivery.headers.get(DEAD_LETTERED_HEADER):
            dead = aio_pika.Message(
                body=message.body, content_type=message.content_type, type=message.type,
                message_id=message.message_id,
                headers={**delivery.headers, "x-death-reason": reason[:1000]},
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await channel.default_exchange.publish(
                dead, routing_key=dead_letter_queue(queue_name), mandatory=True, timeout=30
            )
            DEAD_LETTERS.labels(queue_name).inc()
        try:
            await give_up(delivery, reason)
        except Exception:  # noqa: BLE001 - e.g. Postgres down: record the failure later
            log.warning("recording the failure failed; trying again later", exc_info=True,
                        extra=extra)
            await self._retry(channel, queue_name, message,
                              {**delivery.headers, DEAD_LETTERED_HEADER: 1,
                               "x-last-error": reason[:1000]}, self._settings.retry_delay_ms)

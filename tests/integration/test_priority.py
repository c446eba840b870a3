"""Priority work queues on the real RabbitMQ, and migrating a queue declared without them."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aio_pika
import httpx

from scenelens.adapters.rabbitmq import (
    DEAD_LETTER_EXCHANGE,
    MAX_PRIORITY,
    WORK_QUEUES,
    migrate_queue,
    migrating_queue,
    work_queue_arguments,
)


def _queue_info(stack: Any, name: str) -> dict[str, Any]:
    port = stack.dev.rabbitmq_management_port
    resp = httpx.get(f"http://127.0.0.1:{port}/api/queues/%2F/{name}", auth=("guest", "guest"),
                     timeout=30)
    resp.raise_for_status()
    info: dict[str, Any] = resp.json()
    return info


def test_work_queues_are_priority_queues(stack: Any) -> None:
    for name in WORK_QUEUES:
        args = _queue_info(stack, name)["arguments"]
        assert args["x-max-priority"] == MAX_PRIORITY, name
        assert args["x-dead-letter-exchange"] == DEAD_LETTER_EXCHANGE


async def _migrate_and_read(url: str, name: str, sent: list[tuple[bytes, int]]) -> dict[str, Any]:
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        # The queue as it was declared before priorities existed.
        await channel.declare_queue(name, durable=True, arguments={
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": name})
        for body, priority in sent:
            await channel.default_exchange.publish(
                aio_pika.Message(body, priority=priority, message_id=body.decode(),
                                 headers={"x-attempt": 2},
                                 delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=name)
        migrated = await migrate_queue(connection, name, work_queue_arguments(name))
        again = await migrate_queue(connection, name, work_queue_arguments(name))
        channel = await connection.channel()
        queue = await channel.declare_queue(name, durable=True,
                                            arguments=work_queue_arguments(name))
        got = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            got.append((message.body, message.priority, message.message_id,
                        message.headers.get("x-attempt")))
        await queue.delete()
        return {"migrated": migrated, "again": again, "got": got}


def test_a_queue_without_priority_is_migrated_keeping_every_message(stack: Any) -> None:
    name = f"test-migrate-{uuid.uuid4().hex[:8]}"
    sent = [(f"m{i:03d}".encode(), i % 3 * 4) for i in range(60)]
    result = asyncio.run(_migrate_and_read(stack.settings.amqp_url, name, sent))
    assert result["migrated"] is True and result["again"] is False
    got = result["got"]
    assert sorted(g[0] for g in got) == sorted(b for b, _ in sent)  # nothing lost, no duplicate
    assert all(g[2] == g[0].decode() and g[3] == 2 for g in got)  # properties and headers kept
    # The new queue honours priority: higher first, FIFO within one priority.
    assert [g[1] for g in got] == sorted((p for _, p in sent), reverse=True)
    assert [g[0] for g in got if g[1] == 0] == [b for b, p in sent if p == 0]
    port = stack.dev.rabbitmq_management_port
    leftover = httpx.get(f"http://127.0.0.1:{port}/api/queues/%2F/{migrating_queue(name)}",
                         auth=("guest", "guest"), timeout=30)
    assert leftover.status_code == 404

"""Webhook deliveries: events in (idempotently queued per endpoint), signed POSTs out, retried.

The consumer only records what is due; the dispatcher sends it, each attempt bounded by a
timeout and run concurrently, so a slow or dead receiver never holds up the pipeline.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from google.protobuf.json_format import MessageToDict
from standardwebhooks import Webhook

from scenelens.adapters.rabbitmq import Delivery
from scenelens.adapters.webhooks import WebhookStore
from scenelens.application import TaskApplication
from scenelens.domain import webhooks as rules
from scenelens.domain.errors import InvalidRequest, TaskGone, TaskNotFound
from scenelens.domain.ids import NAMESPACE
from scenelens.logs import log_context
from scenelens.settings import Settings
from scenelens.v1 import events_pb2
from webhooks.targets import check_target

log = logging.getLogger(__name__)

QUEUE = "webhook_events"
EVENT_MESSAGES: dict[str, Any] = {
    "task.done": events_pb2.TaskCompleted,
    "task.failed": events_pb2.TaskFailed,
    "segment.recognized": events_pb2.FrameRecognized,
}
TYPE_BY_PROTO = {cls.DESCRIPTOR.full_name: name for name, cls in EVENT_MESSAGES.items()}


@dataclass
class Deps:
    settings: Settings
    app: TaskApplication
    store: WebhookStore
    http: httpx.AsyncClient


async def handle_event(delivery: Delivery, *, deps: Deps) -> None:
    """Queue one delivery per subscribed endpoint of the task's tenant (idempotent)."""
    event_type = TYPE_BY_PROTO.get(delivery.type)
    if event_type is None:
        return
    msg = EVENT_MESSAGES[event_type].FromString(delivery.body)
    with log_context(task_id=msg.task_id):
        # The relay names the owner in a header; events published before it did: load the task.
        owner = str(delivery.headers.get("tenant_id") or "")
        if not owner:
            try:
                owner = (await asyncio.to_thread(deps.app.get_task,
                                                 uuid.UUID(msg.task_id))).tenant_id
            except TaskNotFound:
                raise TaskGone(f"task {msg.task_id} not found") from None
        tenant_id = uuid.UUID(owner)
        endpoints = await deps.store.endpoints_for(tenant_id, event_type)
        data = MessageToDict(msg, preserving_proto_field_name=True)
        payload = {"type": event_type, "timestamp": datetime.now(UTC).isoformat(), "data": data}
        for endpoint in endpoints:
            delivery_id = "msg_" + uuid.uuid5(
                NAMESPACE, f"{delivery.message_id}/{event_type}/{endpoint['webhook_id']}").hex
            await deps.store.enqueue(delivery_id, endpoint["webhook_id"], tenant_id,
                                     event_type, payload)


async def give_up(delivery: Delivery, reason: str, *, deps: Deps) -> None:
    log.error("webhook event dropped after retries: %s", reason)


async def dispatch_forever(deps: Deps, stop: asyncio.Event) -> None:
    """Send due deliveries until stopped; each attempt runs on its own, bounded by a timeout."""
    lease = deps.settings.webhook_timeout_s + 30
    running: set[asyncio.Task[None]] = set()
    while not stop.is_set():
        try:
            due = await deps.store.claim_due(100, lease)
        except Exception:  # noqa: BLE001 - Postgres outage: try again shortly
            log.warning("cannot read due webhook deliveries", exc_info=True)
            due = []
        for row in due:
            task = asyncio.create_task(attempt(deps, row))
            running.add(task)
            task.add_done_callback(running.discard)
        if not due:
            try:
                await asyncio.wait_for(stop.wait(), deps.settings.webhook_poll_interval_s)
            except TimeoutError:
                pass
    if running:
        await asyncio.wait(running, timeout=deps.settings.webhook_timeout_s)


async def attempt(deps: Deps, row: dict[str, Any]) -> None:
    """One signed POST; records the attempt and what happens next."""
    settings = deps.settings
    if not row["enabled"]:
        await deps.store.record_attempt(row, 0, "endpoint disabled", 0, "failed", None)
        return
    body = row["payload"]
    status, error = 0, ""
    started = time.monotonic()
    try:
        await check_target(row["url"], settings.webhook_allowed)  # again: DNS may have changed
        now = datetime.now(UTC)
        signature = Webhook(row["secret"]).sign(row["delivery_id"], now, body)
        resp = await deps.http.post(row["url"], content=body.encode(), headers={
            "content-type": "application/json", "webhook-id": row["delivery_id"],
            "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature,
        })
        status = resp.status_code
    except InvalidRequest as e:
        error = str(e)
    except httpx.HTTPError as e:
        error = f"{type(e).__name__}: {e}"[:500]
    duration = int((time.monotonic() - started) * 1000)
    with log_context(webhook_id=row["webhook_id"]):
        if 200 <= status < 300:
            await deps.store.record_attempt(row, status, "", duration, "delivered", None)
            log.info("webhook delivered", extra={"delivery_id": row["delivery_id"]})
            return
        if status == 410:
            await deps.store.record_attempt(row, status, "410 Gone: endpoint disabled", duration,
                                            "failed", None)
            await deps.store.disable_endpoint(row["webhook_id"], "the receiver answered 410 Gone")
            log.warning("webhook endpoint disabled by 410")
            return
        retry_in = rules.next_delay_s(row["attempts"] + 1, settings.webhook_retry_scale)
        outcome = "pending" if retry_in is not None else "failed"
        await deps.store.record_attempt(row, status, error or f"HTTP {status}", duration,
                                        outcome, retry_in)
        log.warning("webhook attempt %d failed (%s)%s", row["attempts"] + 1,
                    error or f"HTTP {status}",
                    f"; retrying in {retry_in:.1f} s" if retry_in is not None else "; giving up")



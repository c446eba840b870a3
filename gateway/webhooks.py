"""The webhook endpoints of the API: register, list, remove, and read the delivery log."""
from __future__ import annotations

import uuid
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from scenelens.adapters.webhooks import WebhookStore
from scenelens.domain import webhooks as rules
from scenelens.domain.errors import InvalidRequest, TenantNotFound
from scenelens.domain.ids import parse_uuid
from scenelens.settings import Settings
from scenelens.v1 import analysis_pb2
from webhooks.targets import check_target

MAX_ENDPOINTS = 20  # per tenant


class WebhookNotFound(TenantNotFound):
    """No webhook endpoint with that id for this tenant."""


def _ts(value: Any) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def webhook_pb(row: dict[str, Any], *, with_secret: bool = False) -> analysis_pb2.Webhook:
    return analysis_pb2.Webhook(
        webhook_id=str(row["webhook_id"]), url=row["url"], events=list(row["events"]),
        enabled=row["enabled"], disabled_reason=row["disabled_reason"],
        secret=row["secret"] if with_secret else "", created_at=_ts(row["created_at"]))


class Webhooks:
    """Tenant-scoped webhook commands and queries over the store."""

    def __init__(self, settings: Settings, store: WebhookStore) -> None:
        self._settings = settings
        self._store = store

    async def create(self, tenant_id: uuid.UUID, url: str, events: list[str]
                     ) -> analysis_pb2.Webhook:
        wanted = rules.check_event_types(events)
        await check_target(url.strip(), self._settings.webhook_allowed)
        if len(await self._store.list_endpoints(tenant_id)) >= MAX_ENDPOINTS:
            raise InvalidRequest(f"at most {MAX_ENDPOINTS} webhook endpoints per tenant")
        row = await self._store.create_endpoint(tenant_id, url.strip(), wanted, rules.new_secret())
        return webhook_pb(row, with_secret=True)

    async def list(self, tenant_id: uuid.UUID) -> analysis_pb2.ListWebhooksResponse:
        rows = await self._store.list_endpoints(tenant_id)
        return analysis_pb2.ListWebhooksResponse(webhooks=[webhook_pb(r) for r in rows])

    async def delete(self, tenant_id: uuid.UUID, raw_id: str) -> None:
        webhook_id = parse_uuid(raw_id, "webhook_id")
        if not await self._store.delete_endpoint(tenant_id, webhook_id):
            raise WebhookNotFound(f"webhook {webhook_id} not found")

    async def deliveries(self, tenant_id: uuid.UUID, raw_id: str, page_size: int
                         ) -> analysis_pb2.ListWebhookDeliveriesResponse:
        webhook_id = parse_uuid(raw_id, "webhook_id")
        if page_size < 0:
            raise InvalidRequest("page_size must not be negative")
        if await self._store.get_endpoint(tenant_id, webhook_id) is None:
            raise WebhookNotFound(f"webhook {webhook_id} not found")
        rows = await self._store.list_deliveries(webhook_id, min(page_size or 100, 1000))
        return analysis_pb2.ListWebhookDeliveriesResponse(deliveries=[
            analysis_pb2.WebhookDelivery(
                delivery_id=d["delivery_id"], event_type=d["event_type"], status=d["status"],
                attempts=d["attempts"], created_at=_ts(d["created_at"]),
                next_attempt_at=_ts(d["next_attempt_at"]), payload=d["payload"],
                attempt_log=[analysis_pb2.WebhookAttempt(
                    attempt=a["attempt"], at=_ts(a["at"]), status_code=a["status_code"],
                    error=a["error"], duration_ms=a["duration_ms"]) for a in d["attempt_rows"]])
            for d in rows])

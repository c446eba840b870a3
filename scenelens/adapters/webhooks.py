"""Webhook endpoints, deliveries and their attempts in Postgres (created on start)."""
from __future__ import annotations

import json
import uuid
from typing import Any, cast

from scenelens.adapters.postgres import async_pool
from scenelens.settings import Settings

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS webhook_endpoints (
        webhook_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        secret text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX IF NOT EXISTS webhook_endpoints_tenant ON webhook_endpoints (tenant_id)",
    """CREATE TABLE IF NOT EXISTS webhook_deliveries (
        delivery_id text PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        event_type text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) "
    "WHERE status = 'pending'",
    "CREATE INDEX IF NOT EXISTS webhook_deliveries_hook ON webhook_deliveries "
    "(webhook_id, created_at DESC)",
    """CREATE TABLE IF NOT EXISTS webhook_attempts (
        delivery_id text NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        status_code integer NOT NULL DEFAULT 0,
        error text NOT NULL DEFAULT '',
        duration_ms integer NOT NULL DEFAULT 0,
        PRIMARY KEY (delivery_id, attempt))""",
]


class WebhookStore:
    """Async access to the webhook tables."""

    def __init__(self, settings: Settings) -> None:
        self._pool = async_pool(settings)

    async def start(self) -> None:
        await self._pool.open(wait=False)
        async with self._pool.connection() as conn:
            for statement in SCHEMA:
                await conn.execute(statement)  # type: ignore[arg-type]

    async def close(self) -> None:
        await self._pool.close()

    async def _all(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        async with self._pool.connection() as conn:
            cur = await conn.execute(sql, params)  # type: ignore[arg-type]
            if cur.description is None:
                return []
            return [cast(dict[str, Any], r) for r in await cur.fetchall()]

    # -- endpoints (the API) ------------------------------------------------------------------

    async def create_endpoint(self, tenant_id: uuid.UUID, url: str, events: list[str],
                              secret: str) -> dict[str, Any]:
        rows = await self._all(
            "INSERT INTO webhook_endpoints (webhook_id, tenant_id, url, events, secret) "
            "VALUES (%s, %s, %s, %s, %s) RETURNING *", uuid.uuid4(), tenant_id, url, events, secret)
        return rows[0]

    async def list_endpoints(self, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
        return await self._all("SELECT * FROM webhook_endpoints WHERE tenant_id = %s "
                               "ORDER BY created_at", tenant_id)

    async def get_endpoint(self, tenant_id: uuid.UUID, webhook_id: uuid.UUID
                           ) -> dict[str, Any] | None:
        rows = await self._all("SELECT * FROM webhook_endpoints WHERE tenant_id = %s AND "
                               "webhook_id = %s", tenant_id, webhook_id)
        return rows[0] if rows else None

    async def delete_endpoint(self, tenant_id: uuid.UUID, webhook_id: uuid.UUID) -> bool:
        rows = await self._all("DELETE FROM webhook_endpoints WHERE tenant_id = %s AND "
                               "webhook_id = %s RETURNING webhook_id", tenant_id, webhook_id)
        return bool(rows)

    async def list_deliveries(self, webhook_id: uuid.UUID, limit: int) -> list[dict[str, Any]]:
        deliveries = await self._all(
            "SELECT * FROM webhook_deliveries WHERE webhook_id = %s "
            "ORDER BY created_at DESC LIMIT %s", webhook_id, limit)
        ids = [d["delivery_id"] for d in deliveries]
        attempts = await self._all(
            "SELECT * FROM webhook_attempts WHERE delivery_id = ANY(%s) "
            "ORDER BY delivery_id, attempt", ids) if ids else []
        for d in deliveries:
            d["attempt_rows"] = [a for a in attempts if a["delivery_id"] == d["delivery_id"]]
        return deliveries

    # -- deliveries (the webhook service) -----------------------------------------------------

    async def endpoints_for(self, tenant_id: uuid.UUID, event_type: str) -> list[dict[str, Any]]:
        return await self._all(
            "SELECT * FROM webhook_endpoints WHERE tenant_id = %s AND enabled "
            "AND %s = ANY(events)", tenant_id, event_type)

    async def enqueue(self, delivery_id: str, webhook_id: uuid.UUID, tenant_id: uuid.UUID,
                      event_type: str, payload: dict[str, Any]) -> None:
        """Idempotent: a redelivered event makes no second delivery."""
        await self._all(
            "INSERT INTO webhook_deliveries (delivery_id, webhook_id, tenant_id, event_type, "
            "payload) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (delivery_id) DO NOTHING",
            delivery_id, webhook_id, tenant_id, event_type, json.dumps(payload))

    async def claim_due(self, limit: int, lease_s: float) -> list[dict[str, Any]]:
        """Pending deliveries that are due, leased for `lease_s` (several workers may run)."""
        return await self._all(
            "UPDATE webhook_deliveries d SET next_attempt_at = now() + %s * interval '1 second' "
            "FROM webhook_endpoints e WHERE e.webhook_id = d.webhook_id AND d.delivery_id IN ("
            "  SELECT delivery_id FROM webhook_deliveries WHERE status = 'pending' "
            "  AND next_attempt_at <= now() ORDER BY next_attempt_at "
            "  LIMIT %s FOR UPDATE SKIP LOCKED) "
            "RETURNING d.*, e.url, e.secret, e.enabled", lease_s, limit)

    async def record_attempt(self, delivery: dict[str, Any], status_code: int, error: str,
                             duration_ms: int, outcome: str, retry_in_s: float | None) -> None:
        """One attempt, and the delivery's new state: delivered, failed, or pending again."""
        attempt = delivery["attempts"] + 1
        async with self._pool.connection() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, "
                "duration_ms) VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (delivery["delivery_id"], attempt, status_code, error[:1000], duration_ms))
            await conn.execute(
                "UPDATE webhook_deliveries SET attempts = %s, status = %s, "
                "next_attempt_at = now() + %s * interval '1 second' WHERE delivery_id = %s",
                (attempt, outcome, retry_in_s or 0, delivery["delivery_id"]))

    async def disable_endpoint(self, webhook_id: uuid.UUID, reason: str) -> None:
        await self._all("UPDATE webhook_endpoints SET enabled = false, disabled_reason = %s "
                        "WHERE webhook_id = %s", reason, webhook_id)
        await self._all("UPDATE webhook_deliveries SET status = 'failed' "
                        "WHERE webhook_id = %s AND status = 'pending'", webhook_id)



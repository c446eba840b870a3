"""Read models in Postgres: their schema, and the async queries the gateway answers from."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from scenelens.adapters.postgres import async_pool
from scenelens.domain.tenant import DEFAULT_TENANT_ID
from scenelens.settings import Settings

# Tables keyed by task (a deleted task's rows go from each), and every read-model table.
TASK_TABLES = ("recognition_results", "task_segments", "tasks")
TABLES = (*TASK_TABLES, "api_keys", "tenants")
UNFINISHED = ("PENDING", "PROCESSING")
# The event store's name, and the table where the read-model projection tracks its position.
EVENT_STORE_NAME = "Tasks"
PROJECTION_TRACKING_TABLE = "readmodels_tracking"

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS tasks (
        task_id uuid PRIMARY KEY,
        status text NOT NULL,
        kind text NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        size_bytes bigint NOT NULL,
        input_key text NOT NULL,
        scene_options jsonb NOT NULL DEFAULT '{}'::jsonb,
        segments_total integer,
        segments_done integer NOT NULL DEFAULT 0,
        segments_failed integer NOT NULL DEFAULT 0,
        error text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS task_segments (
        segment_id uuid PRIMARY KEY,
        task_id uuid NOT NULL,
        idx integer NOT NULL,
        status text NOT NULL,
        start_time_s double precision NOT NULL DEFAULT 0,
        end_time_s double precision NOT NULL DEFAULT 0,
        start_frame bigint NOT NULL DEFAULT 0,
        end_frame bigint NOT NULL DEFAULT 0,
        key_frame_time_s double precision NOT NULL DEFAULT 0,
        width integer NOT NULL DEFAULT 0,
        height integer NOT NULL DEFAULT 0,
        image_key text NOT NULL DEFAULT '',
        error text NOT NULL DEFAULT '',
        updated_at timestamptz NOT NULL,
        UNIQUE (task_id, idx))""",
    """CREATE TABLE IF NOT EXISTS recognition_results (
        segment_id uuid PRIMARY KEY,
        task_id uuid NOT NULL,
        detections jsonb NOT NULL,
        detection_count integer NOT NULL,
        model_name text NOT NULL,
        model_version text NOT NULL,
        result_key text NOT NULL,
        created_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS recognition_results_task ON recognition_results (task_id)",
    # Tenants. Tasks from before tenants existed belong to the default tenant, as on replay.
    f"ALTER TABLE tasks ADD COLUMN IF NOT EXISTS tenant_id uuid NOT NULL "
    f"DEFAULT '{DEFAULT_TENANT_ID}'",
    "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS tier text NOT NULL DEFAULT ''",
    "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS request_id text NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS tasks_tenant_created ON tasks "
    "(tenant_id, created_at DESC, task_id DESC)",
    "CREATE INDEX IF NOT EXISTS tasks_tenant_status ON tasks (tenant_id, status)",
    """CREATE TABLE IF NOT EXISTS tenants (
        tenant_id uuid PRIMARY KEY,
        name text NOT NULL,
        tier text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS api_keys (
        key_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz)""",
    "CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id)",
]


@dataclass(frozen=True)
class TaskRow:
    task_id: uuid.UUID
    status: str
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    input_key: str
    scene_options: dict[str, Any]
    segments_total: int | None
    segments_done: int
    segments_failed: int
    error: str
    created_at: datetime
    updated_at: datetime
    tenant_id: uuid.UUID = DEFAULT_TENANT_ID
    tier: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class KeyRow:
    """What authenticating a key needs: its owner, the owner's tier, its hash, whether revoked."""

    key_id: uuid.UUID
    tenant_id: uuid.UUID
    tier: str
    key_hash: str
    revoked: bool


@dataclass(frozen=True)
class SegmentRow:
    segment_id: uuid.UUID
    task_id: uuid.UUID
    idx: int
    status: str
    start_time_s: float
    end_time_s: float
    start_frame: int
    end_frame: int
    key_frame_time_s: float
    width: int
    height: int
    error: str
    detection_count: int | None = None
    detections: list[dict[str, Any]] | None = None
    model_name: str = ""
    model_version: str = ""
    result_key: str = ""


_TASK_COLUMNS = ", ".join(f.name for f in dataclasses.fields(TaskRow))

_SEGMENT_COLUMNS = (
    "s.segment_id, s.task_id, s.idx, s.status, s.start_time_s, s.end_time_s, s.start_frame, "
    "s.end_frame, s.key_frame_time_s, s.width, s.height, s.error"
)


class ReadModels:
    """Async queries over tasks, task_segments and recognition_results."""

    def __init__(self, settings: Settings) -> None:
        self._pool = async_pool(settings)

    async def start(self) -> None:
        await self._pool.open(wait=False)

    async def close(self) -> None:
        await self._pool.close()

    async def ping(self) -> bool:
        try:
            async with self._pool.connection(timeout=2) as conn:
                await conn.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False

    async def get_task(self, task_id: uuid.UUID, tenant_id: uuid.UUID) -> TaskRow | None:
        """The task if it exists and belongs to the tenant (another tenant's is not found)."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {_TASK_COLUMNS} FROM tasks WHERE task_id = %s AND tenant_id = %s",
                (task_id, tenant_id),
            )
            row = await cur.fetchone()
        return TaskRow(**cast(dict[str, Any], row)) if row else None

    async def list_tasks(
        self, tenant_id: uuid.UUID, *, status: str | None,
        before: tuple[datetime, uuid.UUID] | None, limit: int,
    ) -> list[TaskRow]:
        """The tenant's tasks, newest first, after the (created_at, task_id) of a previous page."""
        where = ["tenant_id = %s"]
        params: list[Any] = [tenant_id]
        if status:
            where.append("status = %s")
            params.append(status)
        if before is not None:
            where.append("(created_at, task_id) < (%s, %s)")
            params.extend(before)
        params.append(limit)
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {_TASK_COLUMNS} FROM tasks WHERE {' AND '.join(where)} "
                "ORDER BY created_at DESC, task_id DESC LIMIT %s",
                tuple(params),
            )
            rows = await cur.fetchall()
        return [TaskRow(**cast(dict[str, Any], r)) for r in rows]

    async def count_unfinished(self, tenant_id: uuid.UUID) -> int:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT count(*) AS n FROM tasks WHERE tenant_id = %s AND status = ANY(%s)",
                (tenant_id, list(UNFINISHED)),
            )
            row = await cur.fetchone()
        return int(cast(dict[str, Any], row)["n"]) if row else 0

    async def get_key(self, prefix: str) -> KeyRow | None:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT k.key_id, k.tenant_id, t.tier, k.key_hash, "
                "k.revoked_at IS NOT NULL AS revoked "
                "FROM api_keys k JOIN tenants t USING (tenant_id) WHERE k.prefix = %s",
                (prefix,),
            )
            row = await cur.fetchone()
        return KeyRow(**cast(dict[str, Any], row)) if row else None

    async def wait_for_position(self, position: int | None, *, timeout: float) -> bool:
        """Wait until the projection has processed this notification: read-your-writes."""
        if position is None:
            return True
        deadline = asyncio.get_running_loop().time() + timeout
        delay = 0.002
        while True:
            async with self._pool.connection() as conn:
                cur = await conn.execute(
                    f"SELECT max(notification_id) AS n FROM {PROJECTION_TRACKING_TABLE} "
                    "WHERE application_name = %s",
                    (EVENT_STORE_NAME,),
                )
                row = await cur.fetchone()
            done = cast(dict[str, Any], row or {}).get("n")
            if done is not None and done >= position:
                return True
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    async def list_segments(
        self, task_id: uuid.UUID, *, after_index: int, limit: int
    ) -> list[SegmentRow]:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {_SEGMENT_COLUMNS}, r.detection_count, r.model_name, r.model_version "
                "FROM task_segments s LEFT JOIN recognition_results r USING (segment_id) "
                "WHERE s.task_id = %s AND s.idx > %s ORDER BY s.idx LIMIT %s",
                (task_id, after_index, limit),
            )
            rows = await cur.fetchall()
        return [_segment(cast(dict[str, Any], r)) for r in rows]

    async def count_segments(self, task_id: uuid.UUID) -> int:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT count(*) AS n FROM task_segments WHERE task_id = %s", (task_id,)
            )
            row = await cur.fetchone()
        return int(cast(dict[str, Any], row)["n"]) if row else 0

    async def get_segment(self, task_id: uuid.UUID, segment_id: uuid.UUID) -> SegmentRow | None:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {_SEGMENT_COLUMNS}, r.detection_count, r.detections, r.model_name, "
                "r.model_version, r.result_key "
                "FROM task_segments s LEFT JOIN recognition_results r USING (segment_id) "
                "WHERE s.task_id = %s AND s.segment_id = %s",
                (task_id, segment_id),
            )
            row = await cur.fetchone()
        return _segment(cast(dict[str, Any], row)) if row else None


def _segment(row: dict[str, Any]) -> SegmentRow:
    row = dict(row)
    for key in ("model_name", "model_version", "result_key"):
        row[key] = row.get(key) or ""
    if isinstance(row.get("detections"), str):
        row["detections"] = json.loads(row["detections"])
    return SegmentRow(**row)

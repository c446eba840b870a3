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
TASK_TABLES = ("detections", "run_results", "analysis_runs", "recognition_results",
               "task_segments", "tasks")
TABLES = (*TASK_TABLES, "api_keys", "tenants")
# Exists while `python -m projections rebuild` runs (it is made before the read models are
# dropped and removed once they are replayed): the gateways then answer 503, not from half a
# replay (keys not yet replayed would be 401, tasks 404). Gateways look every WATCH_S seconds;
# the rebuild waits REBUILD_NOTICE_S after making it before it drops anything.
REBUILD_MARKER = "readmodels_rebuilding"
WATCH_S = 2.0
REBUILD_NOTICE_S = 2 * WATCH_S + 1.0
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
    # Models and runs. Run 1 (the first analysis) lives in tasks / task_segments /
    # recognition_results as before; re-analyses (run 2 on) in analysis_runs and run_results.
    "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS analysis_options jsonb NOT NULL "
    "DEFAULT '{}'::jsonb",
    "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS runs_total integer NOT NULL DEFAULT 1",
    "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS default_run_id uuid",  # NULL: the first run
    "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS default_run_number integer NOT NULL DEFAULT 1",
    # How far a video's scene detection has gone (0..1; 1 once split).
    "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS split_progress double precision NOT NULL "
    "DEFAULT 0",
    "ALTER TABLE recognition_results ADD COLUMN IF NOT EXISTS confidence_threshold "
    "double precision",
    "ALTER TABLE recognition_results ADD COLUMN IF NOT EXISTS iou_threshold double precision",
    "ALTER TABLE recognition_results ADD COLUMN IF NOT EXISTS labels jsonb NOT NULL "
    "DEFAULT '[]'::jsonb",
    """CREATE TABLE IF NOT EXISTS analysis_runs (
        run_id uuid PRIMARY KEY,
        task_id uuid NOT NULL,
        number integer NOT NULL,
        status text NOT NULL,
        options jsonb NOT NULL,
        model_version text NOT NULL DEFAULT '',
        segments_total integer NOT NULL,
        segments_done integer NOT NULL DEFAULT 0,
        segments_failed integer NOT NULL DEFAULT 0,
        error text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (task_id, number))""",
    """CREATE TABLE IF NOT EXISTS run_results (
        run_id uuid NOT NULL,
        segment_id uuid NOT NULL,
        task_id uuid NOT NULL,
        status text NOT NULL,
        detections jsonb NOT NULL DEFAULT '[]'::jsonb,
        detection_count integer NOT NULL DEFAULT 0,
        model_name text NOT NULL DEFAULT '',
        model_version text NOT NULL DEFAULT '',
        result_key text NOT NULL DEFAULT '',
        confidence_threshold double precision,
        iou_threshold double precision,
        labels jsonb NOT NULL DEFAULT '[]'::jsonb,
        width integer NOT NULL DEFAULT 0,
        height integer NOT NULL DEFAULT 0,
        error text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        PRIMARY KEY (run_id, segment_id))""",
    "CREATE INDEX IF NOT EXISTS run_results_task ON run_results (task_id)",
    # One row per detection of every run, for summaries and search; `is_default` marks the
    # rows of each task's default run (the only ones search sees).
    """CREATE TABLE IF NOT EXISTS detections (
        detection_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        task_id uuid NOT NULL,
        run_id uuid NOT NULL,
        segment_id uuid NOT NULL,
        segment_index integer NOT NULL,
        ord integer NOT NULL,
        label text NOT NULL,
        class_id integer NOT NULL,
        confidence real NOT NULL,
        x1 real NOT NULL,
        y1 real NOT NULL,
        x2 real NOT NULL,
        y2 real NOT NULL,
        start_time_s double precision NOT NULL,
        end_time_s double precision NOT NULL,
        key_frame_time_s double precision NOT NULL,
        recognized_at timestamptz NOT NULL,
        is_default boolean NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS detections_task_run ON detections (task_id, run_id)",
    "CREATE INDEX IF NOT EXISTS detections_search ON detections "
    "(tenant_id, label, recognized_at DESC, detection_id DESC) WHERE is_default",
    "CREATE INDEX IF NOT EXISTS detections_recent ON detections "
    "(tenant_id, recognized_at DESC, detection_id DESC) WHERE is_default",
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
    analysis_options: dict[str, Any] = dataclasses.field(default_factory=dict)
    runs_total: int = 1
    default_run_id: uuid.UUID | None = None  # None: the first run
    split_progress: float = 0.0  # a video: how far scene detection has gone (1 once split)


@dataclass(frozen=True)
class RunRow:
    """A re-analysis (run 2 on); the first run is read from the task itself."""

    run_id: uuid.UUID
    task_id: uuid.UUID
    number: int
    status: str
    options: dict[str, Any]
    model_version: str
    segments_total: int
    segments_done: int
    segments_failed: int
    error: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class HitRow:
    """One detection found by a search."""

    detection_id: uuid.UUID
    task_id: uuid.UUID
    run_id: uuid.UUID
    segment_id: uuid.UUID
    segment_index: int
    filename: str
    label: str
    class_id: int
    confidence: float
    x1: float
    y1: float
    x2: float
    y2: float
    start_time_s: float
    end_time_s: float
    key_frame_time_s: float
    recognized_at: datetime


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
    confidence_threshold: float | None = None
    iou_threshold: float | None = None
    labels: list[str] | None = None


_RUN_COLUMNS = ", ".join(f.name for f in dataclasses.fields(RunRow))
_HIT_COLUMNS = ", ".join(
    "t.filename" if f.name == "filename" else f"d.{f.name}" for f in dataclasses.fields(HitRow)
)
# The result columns of a segment in the first run (r: recognition_results, s: task_segments)
# and in a re-analysis (r: run_results, where no row yet means PENDING).
_FIRST_RUN_JOIN = "LEFT JOIN recognition_results r USING (segment_id)"
_RERUN_JOIN = "LEFT JOIN run_results r ON r.segment_id = s.segment_id AND r.run_id = %s"


_TASK_COLUMNS = ", ".join(f.name for f in dataclasses.fields(TaskRow))

_SEGMENT_COLUMNS = (
    "s.segment_id, s.task_id, s.idx, s.status, s.start_time_s, s.end_time_s, s.start_frame, "
    "s.end_frame, s.key_frame_time_s, s.width, s.height, s.error"
)
_RERUN_SEGMENT_COLUMNS = (
    "s.segment_id, s.task_id, s.idx, COALESCE(r.status, 'PENDING') AS status, s.start_time_s, "
    "s.end_time_s, s.start_frame, s.end_frame, s.key_frame_time_s, s.width, s.height, "
    "COALESCE(r.error, '') AS error"
)
_RESULT_COLUMNS = "r.confidence_threshold, r.iou_threshold, r.labels"


class ReadModels:
    """Async queries over tasks, task_segments and recognition_results."""

    def __init__(self, settings: Settings, *, wait_s: float | None = None) -> None:
        self._pool = async_pool(settings, wait_s=wait_s)
        # Whether a rebuild was running at the last ping (REBUILD_MARKER).
        self.rebuilding = False

    async def start(self) -> None:
        await self._pool.open(wait=False)

    async def close(self) -> None:
        await self._pool.close()

    async def ping(self) -> bool:
        """Whether Postgres answers; also notes whether a rebuild is running (`rebuilding`)."""
        try:
            async with self._pool.connection(timeout=2) as conn:
                cur = await conn.execute("SELECT to_regclass(%s) IS NOT NULL AS marked",
                                         (REBUILD_MARKER,))
                row: Any = await cur.fetchone()
            self.rebuilding = bool(row and row["marked"])
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

    async def task_ended(self, task_id: uuid.UUID) -> bool:
        """Whether the tasks view shows the task DONE or FAILED."""
        async with self._pool.connection() as conn:
            cur = await conn.execute("SELECT status FROM tasks WHERE task_id = %s", (task_id,))
            row = await cur.fetchone()
        return row is not None and cast(dict[str, Any], row)["status"] in ("DONE", "FAILED")

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
        self, task_id: uuid.UUID, *, after_index: int, limit: int,
        rerun_id: uuid.UUID | None = None,
    ) -> list[SegmentRow]:
        """A page of segments with their results in the first run, or in a re-analysis."""
        columns, join, params = self._segment_source(rerun_id)
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {columns}, r.detection_count, r.model_name, r.model_version, "
                f"{_RESULT_COLUMNS} FROM task_segments s {join} "
                "WHERE s.task_id = %s AND s.idx > %s ORDER BY s.idx LIMIT %s",
                (*params, task_id, after_index, limit),
            )
            rows = await cur.fetchall()
        return [_segment(cast(dict[str, Any], r)) for r in rows]

    @staticmethod
    def _segment_source(rerun_id: uuid.UUID | None) -> tuple[str, str, tuple[Any, ...]]:
        if rerun_id is None:
            return _SEGMENT_COLUMNS, _FIRST_RUN_JOIN, ()
        return _RERUN_SEGMENT_COLUMNS, _RERUN_JOIN, (rerun_id,)

    async def count_segments(self, task_id: uuid.UUID) -> int:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT count(*) AS n FROM task_segments WHERE task_id = %s", (task_id,)
            )
            row = await cur.fetchone()
        return int(cast(dict[str, Any], row)["n"]) if row else 0

    async def get_segment(self, task_id: uuid.UUID, segment_id: uuid.UUID,
                          rerun_id: uuid.UUID | None = None) -> SegmentRow | None:
        columns, join, params = self._segment_source(rerun_id)
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {columns}, r.detection_count, r.detections, r.model_name, "
                f"r.model_version, r.result_key, {_RESULT_COLUMNS} "
                f"FROM task_segments s {join} "
                "WHERE s.task_id = %s AND s.segment_id = %s",
                (*params, task_id, segment_id),
            )
            row = await cur.fetchone()
        return _segment(cast(dict[str, Any], row)) if row else None

    async def get_owned_segment(
        self, task_id: uuid.UUID, tenant_id: uuid.UUID, segment_id: uuid.UUID,
    ) -> tuple[uuid.UUID | None, SegmentRow] | None:
        """The common read in one statement: a segment of the tenant's task with its first-run
        result, and the task's default run (None: the first run). None when the task is not
        the tenant's or has no such segment (the caller then finds out which, as before)."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {_SEGMENT_COLUMNS}, r.detection_count, r.detections, r.model_name, "
                f"r.model_version, r.result_key, {_RESULT_COLUMNS}, "
                "t.default_run_id AS task_default_run_id "
                "FROM task_segments s JOIN tasks t ON t.task_id = s.task_id "
                "LEFT JOIN recognition_results r ON r.segment_id = s.segment_id "
                "WHERE s.task_id = %s AND s.segment_id = %s AND t.tenant_id = %s",
                (task_id, segment_id, tenant_id),
            )
            row = await cur.fetchone()
        if not row:
            return None
        fields = dict(cast(dict[str, Any], row))
        default_run = fields.pop("task_default_run_id")
        return default_run, _segment(fields)

    # -- runs, summaries, search ------------------------------------------------------------

    async def list_runs(self, task_id: uuid.UUID) -> list[RunRow]:
        """The task's re-analyses (run 2 on), oldest first."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                f"SELECT {_RUN_COLUMNS} FROM analysis_runs WHERE task_id = %s ORDER BY number",
                (task_id,),
            )
            rows = await cur.fetchall()
        return [RunRow(**cast(dict[str, Any], r)) for r in rows]

    async def first_run_model_version(self, task_id: uuid.UUID) -> str:
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT model_version FROM recognition_results WHERE task_id = %s "
                "ORDER BY created_at LIMIT 1", (task_id,),
            )
            row = await cur.fetchone()
        return str(cast(dict[str, Any], row)["model_version"]) if row else ""

    async def run_detections(self, task_id: uuid.UUID, run_id: uuid.UUID
                             ) -> list[dict[str, Any]]:
        """(label, confidence, segment) of every detection of one run, for its summary."""
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                "SELECT label, confidence, segment_id, segment_index, start_time_s, end_time_s "
                "FROM detections WHERE task_id = %s AND run_id = %s",
                (task_id, run_id),
            )
            rows = await cur.fetchall()
        return [cast(dict[str, Any], r) for r in rows]

    async def search_detections(
        self, tenant_id: uuid.UUID, *, label: str, min_confidence: float,
        before: tuple[datetime, uuid.UUID] | None, limit: int,
    ) -> list[HitRow]:
        """The tenant's detections in each task's default run, newest first, after a cursor."""
        sql, params = search_query(tenant_id, label=label, min_confidence=min_confidence,
                                   before=before, limit=limit)
        async with self._pool.connection() as conn:
            cur = await conn.execute(sql, params)
            rows = await cur.fetchall()
        return [HitRow(**cast(dict[str, Any], r)) for r in rows]


def search_query(
    tenant_id: uuid.UUID, *, label: str, min_confidence: float,
    before: tuple[datetime, uuid.UUID] | None, limit: int,
) -> tuple[str, tuple[Any, ...]]:
    """The search statement (shared with the benchmark): served by a partial index on
    (tenant_id, [label,] recognized_at DESC, detection_id DESC) WHERE is_default."""
    where = ["d.tenant_id = %s", "d.is_default"]
    params: list[Any] = [tenant_id]
    if label:
        where.append("d.label = %s")
        params.append(label)
    if min_confidence > 0:
        where.append("d.confidence >= %s")
        params.append(min_confidence)
    if before is not None:
        where.append("(d.recognized_at, d.detection_id) < (%s, %s)")
        params.extend(before)
    params.append(limit)
    return (
        f"SELECT {_HIT_COLUMNS} FROM detections d JOIN tasks t USING (task_id) "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY d.recognized_at DESC, d.detection_id DESC LIMIT %s",
        tuple(params),
    )

def _segment(row: dict[str, Any]) -> SegmentRow:
    row = dict(row)
    for key in ("model_name", "model_version", "result_key"):
        row[key] = row.get(key) or ""
    for key in ("detections", "labels"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return SegmentRow(**row)

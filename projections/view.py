"""The materialised view: read-model tables written in the same transaction as the tracking row."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL
from psycopg.types.json import Jsonb

from scenelens.adapters.readmodels import REBUILD_MARKER, SCHEMA, TABLES, TASK_TABLES
from scenelens.domain.ids import NAMESPACE


def detection_rows_sql(
    *, run_id: str, segment_id: uuid.UUID, detections: list[dict[str, Any]], at: datetime,
    is_default: str,
) -> tuple[str, tuple[Any, ...]]:
    """One INSERT of a segment's detections into `detections`, placed by its segment's row.

    Ids are uuid5 of run, segment and rank, so a replay writes the very same rows.
    `is_default` is an SQL expression over the task row `t`."""
    ids = [uuid.uuid5(NAMESPACE, f"{run_id}/{segment_id}/{i}") for i in range(len(detections))]
    boxes = [d["box"] for d in detections]
    return (
        "INSERT INTO detections (detection_id, tenant_id, task_id, run_id, segment_id, "
        "segment_index, ord, label, class_id, confidence, x1, y1, x2, y2, start_time_s, "
        "end_time_s, key_frame_time_s, recognized_at, is_default) "
        "SELECT d.id, t.tenant_id, s.task_id, %s, s.segment_id, s.idx, d.ord - 1, d.label, "
        "d.class_id, d.confidence, d.x1, d.y1, d.x2, d.y2, s.start_time_s, s.end_time_s, "
        f"s.key_frame_time_s, %s, {is_default} "
        "FROM task_segments s JOIN tasks t USING (task_id), "
        "unnest(%s::uuid[], %s::text[], %s::int[], %s::real[], %s::real[], %s::real[], "
        "%s::real[], %s::real[]) WITH ORDINALITY "
        "AS d(id, label, class_id, confidence, x1, y1, x2, y2, ord) "
        "WHERE s.segment_id = %s ON CONFLICT (detection_id) DO NOTHING",
        (uuid.UUID(run_id), at, ids, [d["label"] for d in detections],
         [int(d["class_id"]) for d in detections], [float(d["confidence"]) for d in detections],
         [float(b[0]) for b in boxes], [float(b[1]) for b in boxes], [float(b[2]) for b in boxes],
         [float(b[3]) for b in boxes], segment_id),
    )


class ReadModelView(PostgresTrackingRecorder):
    """tasks, task_segments and recognition_results; each write also records its tracking."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(SQL(s) for s in SCHEMA)  # type: ignore[misc]

    def _write(self, tracking: Tracking, *statements: tuple[str, tuple[Any, ...]]) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for sql, params in statements:
                curs.execute(sql, params)  # type: ignore[arg-type]
            # Fails (and rolls everything back) if this event was already processed.
            self._insert_tracking(curs, tracking)

    def task_created(
        self, tracking: Tracking, *, task_id: uuid.UUID, kind: str, filename: str,
        content_type: str, size_bytes: int, input_key: str, scene_options: dict[str, Any],
        first_segment_id: str, at: datetime, tenant_id: str, tier: str, request_id: str = "",
        analysis_options: dict[str, Any] | None = None,
    ) -> None:
        statements: list[tuple[str, tuple[Any, ...]]] = [(
            "INSERT INTO tasks (task_id, status, kind, filename, content_type, size_bytes, "
            "input_key, scene_options, segments_total, created_at, updated_at, tenant_id, tier, "
            "request_id, analysis_options) "
            "VALUES (%s, 'PENDING', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (task_id) DO NOTHING",
            (task_id, kind, filename, content_type, size_bytes, input_key, Jsonb(scene_options),
             1 if kind == "photo" else None, at, at, uuid.UUID(tenant_id), tier, request_id,
             Jsonb(analysis_options or {})),
        )]
        if kind == "photo":
            statements.append((
                "INSERT INTO task_segments (segment_id, task_id, idx, status, updated_at) "
                "VALUES (%s, %s, 0, 'PENDING', %s) ON CONFLICT DO NOTHING",
                (uuid.UUID(first_segment_id), task_id, at),
            ))
        self._write(tracking, *statements)

    def set_status(self, tracking: Tracking, *, task_id: uuid.UUID, status: str,
                   error: str | None, at: datetime) -> None:
        self._write(tracking, (
            "UPDATE tasks SET status = %s, error = COALESCE(%s, error), updated_at = %s "
            "WHERE task_id = %s",
            (status, error, at, task_id),
        ))

    def scene_extracted(
        self, tracking: Tracking, *, task_id: uuid.UUID, segment_id: str, index: int,
        start_time_s: float, end_time_s: float, start_frame: int, end_frame: int,
        key_frame_time_s: float, image_key: str, width: int, height: int, at: datetime,
    ) -> None:
        self._write(
            tracking,
            ("INSERT INTO task_segments (segment_id, task_id, idx, status, start_time_s, "
             "end_time_s, start_frame, end_frame, key_frame_time_s, width, height, image_key, "
             "updated_at) VALUES (%s, %s, %s, 'PENDING', %s, %s, %s, %s, %s, %s, %s, %s, %s) "
             "ON CONFLICT DO NOTHING",
             (uuid.UUID(segment_id), task_id, index, start_time_s, end_time_s, start_frame,
              end_frame, key_frame_time_s, width, height, image_key, at)),
            ("UPDATE tasks SET status = 'PROCESSING', updated_at = %s "
             "WHERE task_id = %s AND status = 'PENDING'", (at, task_id)),
        )

    def split_progressed(self, tracking: Tracking, *, task_id: uuid.UUID, fraction: float,
                         at: datetime) -> None:
        self._write(tracking, (
            "UPDATE tasks SET split_progress = GREATEST(split_progress, %s), updated_at = %s "
            "WHERE task_id = %s", (fraction, at, task_id),
        ))

    def video_split(self, tracking: Tracking, *, task_id: uuid.UUID, segments_total: int,
                    at: datetime) -> None:
        self._write(tracking, (
            "UPDATE tasks SET segments_total = %s, split_progress = 1, updated_at = %s, "
            "status = CASE WHEN "
            "status = 'PENDING' THEN 'PROCESSING' ELSE status END WHERE task_id = %s",
            (segments_total, at, task_id),
        ))

    def frame_recognized(
        self, tracking: Tracking, *, task_id: uuid.UUID, segment_id: str,
        detections: list[dict[str, Any]], model_name: str, model_version: str,
        result_key: str, width: int, height: int, at: datetime, run_id: str = "",
        confidence: float | None = None, iou: float | None = None,
        labels: list[str] | None = None,
    ) -> None:
        sid = uuid.UUID(segment_id)
        self._write(
            tracking,
            ("INSERT INTO recognition_results (segment_id, task_id, detections, detection_count, "
             "model_name, model_version, result_key, created_at, confidence_threshold, "
             "iou_threshold, labels) "
             "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
             (sid, task_id, Jsonb(detections), len(detections), model_name, model_version,
              result_key, at, confidence, iou, Jsonb(list(labels or [])))),
            detection_rows_sql(run_id=run_id, segment_id=sid, detections=detections, at=at,
                               is_default="t.default_run_id IS NULL"),
            ("UPDATE task_segments SET status = 'DONE', width = %s, height = %s, updated_at = %s "
             "WHERE segment_id = %s", (width, height, at, sid)),
            ("UPDATE tasks SET segments_done = segments_done + 1, updated_at = %s, "
             "status = CASE WHEN status = 'PENDING' THEN 'PROCESSING' ELSE status END "
             "WHERE task_id = %s", (at, task_id)),
        )

    def run_started(self, tracking: Tracking, *, task_id: uuid.UUID, run_id: str, number: int,
                    options: dict[str, Any], segments_total: int, at: datetime) -> None:
        self._write(
            tracking,
            ("INSERT INTO analysis_runs (run_id, task_id, number, status, options, "
             "segments_total, created_at, updated_at) "
             "VALUES (%s, %s, %s, 'PENDING', %s, %s, %s, %s) ON CONFLICT DO NOTHING",
             (uuid.UUID(run_id), task_id, number, Jsonb(options), segments_total, at, at)),
            ("UPDATE tasks SET runs_total = GREATEST(runs_total, %s) WHERE task_id = %s",
             (number, task_id)),
        )

    def run_frame_recognized(
        self, tracking: Tracking, *, task_id: uuid.UUID, run_id: str, segment_id: str,
        detections: list[dict[str, Any]], model_name: str, model_version: str, result_key: str,
        width: int, height: int, confidence: float | None, iou: float | None, labels: list[str],
        at: datetime,
    ) -> None:
        sid, rid = uuid.UUID(segment_id), uuid.UUID(run_id)
        self._write(
            tracking,
            ("INSERT INTO run_results (run_id, segment_id, task_id, status, detections, "
             "detection_count, model_name, model_version, result_key, confidence_threshold, "
             "iou_threshold, labels, width, height, created_at) "
             "VALUES (%s, %s, %s, 'DONE', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
             "ON CONFLICT DO NOTHING",
             (rid, sid, task_id, Jsonb(detections), len(detections), model_name, model_version,
              result_key, confidence, iou, Jsonb(list(labels)), width, height, at)),
            detection_rows_sql(run_id=run_id, segment_id=sid, detections=detections, at=at,
                               is_default="false"),
            ("UPDATE analysis_runs SET segments_done = segments_done + 1, status = 'PROCESSING', "
             "model_version = %s, updated_at = %s WHERE run_id = %s", (model_version, at, rid)),
        )

    def run_segment_failed(self, tracking: Tracking, *, task_id: uuid.UUID, run_id: str,
                           segment_id: str, reason: str, at: datetime) -> None:
        rid = uuid.UUID(run_id)
        self._write(
            tracking,
            ("INSERT INTO run_results (run_id, segment_id, task_id, status, error, created_at) "
             "VALUES (%s, %s, %s, 'FAILED', %s, %s) ON CONFLICT DO NOTHING",
             (rid, uuid.UUID(segment_id), task_id, reason, at)),
            ("UPDATE analysis_runs SET segments_failed = segments_failed + 1, "
             "status = 'PROCESSING', updated_at = %s WHERE run_id = %s", (at, rid)),
        )

    def run_finished(self, tracking: Tracking, *, task_id: uuid.UUID, run_id: str,
                     status: str, error: str, at: datetime) -> None:
        """A re-analysis ended; a DONE one newer than the default run becomes the default."""
        rid = uuid.UUID(run_id)
        statements: list[tuple[str, tuple[Any, ...]]] = [(
            "UPDATE analysis_runs SET status = %s, error = %s, updated_at = %s WHERE run_id = %s",
            (status, error, at, rid),
        )]
        if status == "DONE":
            newer = ("(SELECT number FROM analysis_runs WHERE run_id = %s) > "
                     "(SELECT default_run_number FROM tasks WHERE task_id = %s)")
            statements += [
                (f"UPDATE detections SET is_default = (run_id = %s) WHERE task_id = %s "
                 f"AND {newer} AND (is_default OR run_id = %s)",
                 (rid, task_id, rid, task_id, rid)),
                ("UPDATE tasks SET default_run_id = r.run_id, default_run_number = r.number, "
                 "updated_at = %s FROM analysis_runs r WHERE r.run_id = %s "
                 "AND tasks.task_id = %s AND r.number > tasks.default_run_number",
                 (at, rid, task_id)),
            ]
        self._write(tracking, *statements)

    def segment_failed(self, tracking: Tracking, *, task_id: uuid.UUID, segment_id: str,
                       reason: str, at: datetime) -> None:
        sid = uuid.UUID(segment_id)
        self._write(
            tracking,
            ("UPDATE task_segments SET status = 'FAILED', error = %s, updated_at = %s "
             "WHERE segment_id = %s", (reason, at, sid)),
            ("UPDATE tasks SET segments_failed = segments_failed + 1, updated_at = %s "
             "WHERE task_id = %s", (at, task_id)),
        )

    def task_deleted(self, tracking: Tracking, *, task_id: uuid.UUID) -> None:
        self._write(tracking, *[(f"DELETE FROM {t} WHERE task_id = %s", (task_id,))
                                for t in TASK_TABLES])

    def tenant_created(self, tracking: Tracking, *, tenant_id: uuid.UUID, name: str, tier: str,
                       at: datetime) -> None:
        self._write(tracking, (
            "INSERT INTO tenants (tenant_id, name, tier, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (tenant_id) DO NOTHING",
            (tenant_id, name, tier, at, at),
        ))

    def key_issued(self, tracking: Tracking, *, tenant_id: uuid.UUID, key_id: str, prefix: str,
                   key_hash: str, at: datetime) -> None:
        self._write(tracking, (
            "INSERT INTO api_keys (key_id, tenant_id, prefix, key_hash, created_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (key_id) DO NOTHING",
            (uuid.UUID(key_id), tenant_id, prefix, key_hash, at),
        ))

    def key_revoked(self, tracking: Tracking, *, key_id: str, at: datetime) -> None:
        self._write(tracking, (
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, %s) WHERE key_id = %s",
            (at, uuid.UUID(key_id)),
        ))

    def tier_changed(self, tracking: Tracking, *, tenant_id: uuid.UUID, tier: str,
                     at: datetime) -> None:
        self._write(tracking, (
            "UPDATE tenants SET tier = %s, updated_at = %s WHERE tenant_id = %s",
            (tier, at, tenant_id),
        ))

    def task_info(self, task_id: uuid.UUID) -> tuple[str, str, datetime, str] | None:
        """(kind, tier, created_at, request_id) of a task, for the metrics and logs of its end."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT kind, tier, created_at, request_id FROM tasks "
                         "WHERE task_id = %s", (task_id,))  # type: ignore[arg-type]
            row = curs.fetchone()
        if row is None:
            return None
        values = list(row.values()) if isinstance(row, dict) else list(row)
        return values[0], values[1], values[2], values[3]

    def skip(self, tracking: Tracking) -> None:
        """Track an event that changes no read model."""
        self.insert_tracking(tracking)

    def mark_rebuilding(self, on: bool) -> None:
        """Make (or remove) the marker that has the gateways answer 503 during a rebuild."""
        with self.datastore.transaction(commit=True) as curs:
            if on:
                curs.execute(f"CREATE TABLE IF NOT EXISTS {REBUILD_MARKER} "  # type: ignore[arg-type]
                             "(started_at timestamptz NOT NULL DEFAULT now())")
            else:
                curs.execute(f"DROP TABLE IF EXISTS {REBUILD_MARKER}")  # type: ignore[arg-type]

    def drop_all(self) -> None:
        """Drop the read models and this view's position, for a rebuild by replay."""
        with self.datastore.transaction(commit=True) as curs:
            for table in TABLES:
                curs.execute(f"DROP TABLE IF EXISTS {table}")  # type: ignore[arg-type]
            curs.execute(f"DROP TABLE IF EXISTS {self.tracking_table_name}")  # type: ignore[arg-type]

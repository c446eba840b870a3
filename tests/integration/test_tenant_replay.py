"""Data from before tenants: owned by the default tenant, live and after a rebuild (issue 7)."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg

from scenelens.domain.ids import segment_id
from scenelens.domain.tenant import DEFAULT_TENANT_ID
from tests.support import ISSUED_KEYS, ApiClient, Stores, admin, rebuild_read_models


def _record_v1_photo_task(stores: Stores, data: bytes) -> str:
    """A photo task exactly as the store held it before tenants: a version-1 TaskCreated."""
    task_id = uuid.uuid4()
    key = f"input-files/{task_id}/old.jpg"
    stores.s3.put_object(Bucket=stores.settings.s3_bucket, Key=key, Body=data,
                         ContentType="image/jpeg")
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": datetime.now(UTC).isoformat()},
        "originator_topic": "scenelens.domain.task:Task", "kind": "photo",
        "filename": "old.jpg", "content_type": "image/jpeg", "size_bytes": len(data),
        "input_key": key, "scene_options": {},
        "first_segment_id": str(segment_id(task_id, 0)),
    }
    with psycopg.connect(stores.settings.pg_conninfo) as conn:
        conn.execute("LOCK TABLE tasks_events IN EXCLUSIVE MODE")
        conn.execute(
            "INSERT INTO tasks_events (originator_id, originator_version, topic, state) "
            "VALUES (%s, 1, 'scenelens.domain.task:Task.Created', %s)",
            (task_id, json.dumps(state).encode()),
        )
        conn.execute("NOTIFY tasks_events")
    return str(task_id)


def _read_models(stores: Stores, finished: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """tenants and api_keys whole, and the rows of these finished tasks."""
    return {
        "tenants": stores.sql("SELECT * FROM tenants ORDER BY tenant_id"),
        "api_keys": stores.sql("SELECT * FROM api_keys ORDER BY key_id"),
        "tasks": stores.sql("SELECT * FROM tasks WHERE task_id = ANY(%s::uuid[]) "
                            "ORDER BY task_id", finished),
    }


def test_old_tasks_belong_to_the_default_tenant_and_rebuild_reproduces_tenants(
    stack: Any, stores: Stores, base_url: str, api: ApiClient, bus_bytes: bytes
) -> None:
    old = _record_v1_photo_task(stores, bus_bytes)
    issued = json.loads(admin(stack.env, "issue-key", "default").stdout)
    ISSUED_KEYS.append(issued["api_key"])
    assert issued["tenant_id"] == str(DEFAULT_TENANT_ID)
    default = ApiClient(base_url, issued["api_key"])

    # The old task is processed like any other, and only the default tenant sees it.
    done = default.wait_terminal(old, timeout=120)
    assert done["status"] == "TASK_STATUS_DONE" and done["filename"] == "old.jpg"
    seg = default.all_segments(old)[0]
    labels = [d["label"] for d in default.segment(old, seg["segment_id"]).json()["detections"]]
    assert "bus" in labels and labels.count("person") >= 3
    assert api.task(old).status_code == 404
    assert old in {t["task_id"] for t in default.list(page_size=1000).json()["tasks"]}

    revoked = json.loads(admin(stack.env, "issue-key", "default").stdout)
    ISSUED_KEYS.append(revoked["api_key"])
    admin(stack.env, "revoke-key", revoked["key_prefix"])
    finished = [r[0] for r in stores.sql(
        "SELECT task_id::text FROM tasks WHERE status IN ('DONE', 'FAILED')")]
    assert old in finished
    before = _read_models(stores, finished)
    assert any(r[0] == DEFAULT_TENANT_ID for r in before["tenants"])
    assert len(before["api_keys"]) >= 2

    rebuild_read_models(stack)

    assert _read_models(stores, finished) == before
    owner = stores.sql("SELECT tenant_id FROM tasks WHERE task_id = %s", old)[0][0]
    assert owner == DEFAULT_TENANT_ID
    assert default.task(old).json()["status"] == "TASK_STATUS_DONE"
    assert ApiClient(base_url, revoked["api_key"]).task(old).status_code == 401

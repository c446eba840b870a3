"""While Postgres or S3 is down, the API answers 503 with Retry-After within
SCENELENS_API_DB_WAIT_S (not psycopg_pool's 30 s, not a 500), a refused upload leaves nothing
behind, and everything answers again once the server is back."""
from __future__ import annotations

import time
from typing import Any

import httpx

from tests.support import ApiClient, Stores


def _unavailable(resp: httpx.Response) -> None:
    assert resp.status_code == 503, resp.text
    assert "database or storage is unavailable" in resp.json()["message"]
    assert resp.headers["retry-after"] == "5"


def test_requests_while_postgres_is_down(api: ApiClient, stores: Stores, stack: Any,
                                         bus_bytes: bytes) -> None:
    tid = api.create(bus_bytes, "before.jpg")["task_id"]
    api.wait_terminal(tid)
    inputs = set(stores.keys("input-files/"))
    wait_s = stack.settings.api_db_wait_s
    stack.stop("postgres")
    try:
        for call in (lambda: api.task(tid), lambda: api.list(),
                     lambda: api.upload(bus_bytes, "during.jpg"), lambda: api.delete(tid)):
            started = time.monotonic()
            _unavailable(call())
            assert time.monotonic() - started < wait_s + 10
    finally:
        stack.start("postgres")
        stack.wait_running("gateway")
    # The refused upload's file was removed; the task is whole and answers again.
    assert set(stores.keys("input-files/")) == inputs
    resp = api.task(tid)
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "TASK_STATUS_DONE"


def test_an_upload_while_s3_is_down(api: ApiClient, stores: Stores, stack: Any,
                                    bus_bytes: bytes) -> None:
    tid = api.create(bus_bytes, "before.jpg")["task_id"]
    api.wait_terminal(tid)
    before = stores.sql("SELECT count(*) FROM tasks")[0][0]
    stack.stop("s3")
    try:
        _unavailable(api.upload(bus_bytes, "during.jpg"))
        resp = api.task(tid)  # reads need no S3
        assert resp.status_code == 200, resp.text
    finally:
        stack.start("s3")
        stack.wait_running("gateway")
    assert stores.sql("SELECT count(*) FROM tasks")[0][0] == before  # no task was created
    again = api.create(bus_bytes, "after.jpg")["task_id"]
    assert api.wait_terminal(again)["status"] == "TASK_STATUS_DONE"

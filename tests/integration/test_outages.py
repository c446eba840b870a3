"""While Postgres or S3 is down, the API answers 503 with Retry-After within
SCENELENS_API_DB_WAIT_S (not psycopg_pool's 30 s, not a 500), a refused upload leaves nothing
behind, and everything answers again once the server is back."""
from __future__ import annotations

import time
from typing import Any

import httpx

from tests.support import ApiClient, Stores, wait_until

TERMINAL = ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")


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


def test_work_waits_out_an_s3_outage_counting_no_attempt(
        api: ApiClient, stores: Stores, stack: Any, bus_bytes: bytes, zidane_bytes: bytes) -> None:
    """Photos waiting for recognition while S3 is down are retried as outage retries, which
    count no attempt (before, a 60 s outage failed most of them: "gave up after 5 attempts");
    all are recognised once it is back, and nothing is dead-lettered."""
    warm = api.create(bus_bytes, "warm.jpg")["task_id"]  # every worker is up and consuming
    assert api.wait_terminal(warm)["status"] == "TASK_STATUS_DONE"
    dlq_before = _dlq(stack)
    before = _outage_retries(stack)
    # The photos are recorded while the relay is stopped; their recognition commands go out
    # when it comes back, with S3 down.
    stack.stop("relay")
    try:
        tasks = [api.create(bus_bytes if i % 2 else zidane_bytes, f"o{i}.jpg")["task_id"]
                 for i in range(12)]
        stack.stop("s3")
    finally:
        stack.start("relay")
    try:
        wait_until(lambda: _outage_retries(stack) >= before + len(tasks), timeout=120,
                   what="an outage retry of every photo")
        statuses = [api.task(t).json()["status"] for t in tasks]
        assert statuses == ["TASK_STATUS_PENDING"] * len(tasks), statuses
    finally:
        stack.start("s3")
        stack.wait_running("gateway")
    for tid in tasks:
        done = api.wait_terminal(tid, timeout=180)
        assert done["status"] == "TASK_STATUS_DONE", done
        assert done["segments_failed"] == 0, done
    assert _dlq(stack) == dlq_before


def _outage_retries(stack: Any) -> float:
    """The recognition worker's scenelens_outage_retries_total, over its queues (0 until it
    answers)."""
    port = stack.settings.metrics_port("recognition_service")
    try:
        text = httpx.get(f"http://{stack.settings.metrics_host}:{port}/metrics", timeout=10).text
    except httpx.HTTPError:
        return 0.0
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("scenelens_outage_retries_total{"))


def _dlq(stack: Any) -> int:
    """Messages in the recognition dead-letter queue."""
    out = stack.rabbitmqctl("list_queues", "-q", "--no-table-headers", "name", "messages")
    return sum(int(n) for name, n in (line.split() for line in out.splitlines() if line.strip())
               if name == "recognition_queue.dlq")

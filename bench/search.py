"""Search across tasks: the detections index with 100,000 detections, query latency p50 / p99.

Creates the read-model tables in a scratch schema of the stack's Postgres (the SCENELENS_PG_*
settings; `--own-stack` starts the test profile's Postgres for the run instead), fills them with
`--detections` detections over `--tasks` tasks of `--tenants` tenants, then times the gateway's
own search statement (scenelens.adapters.readmodels.search_query), page by page. Target: p99 under
50 ms. The scratch schema is dropped at the end.

    python -m bench.search [--detections 100000] [--queries 300] [--own-stack]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from scenelens.adapters.models import coco_labels
from scenelens.adapters.readmodels import SCHEMA, search_query
from scenelens.domain.ids import NAMESPACE
from scenelens.settings import Settings

SCRATCH = "bench_search"


@contextlib.contextmanager
def postgres(own: bool) -> Iterator[Settings]:
    if not own:
        yield Settings()
        return
    from devstack import Stack

    stack = Stack(profile="test")
    with stack.exclusive():
        stack.down()
        try:
            stack.up(apps=False)
            yield stack.settings
        finally:
            stack.down()


def fill(conn: psycopg.Connection[Any], detections: int, tasks: int, tenants: int,
         seed: int = 9) -> list[uuid.UUID]:
    """Tasks spread over tenants (the first has half of them), detections spread over tasks;
    labels skewed like real footage (a third persons), confidences 0.25..1."""
    rng = random.Random(seed)
    labels = coco_labels()
    weights = [30.0 if x == "person" else 6.0 if x in ("car", "chair", "bottle") else 1.0
               for x in labels]
    tenant_ids = [uuid.uuid5(NAMESPACE, f"bench/tenant/{i}") for i in range(tenants)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    task_rows = []
    for i in range(tasks):
        owner = tenant_ids[0] if i % 2 == 0 else tenant_ids[1 + i % (tenants - 1)]
        task_rows.append((uuid.uuid5(NAMESPACE, f"bench/task/{i}"), owner,
                          start + timedelta(minutes=i)))
    with conn.cursor() as cur, cur.copy(
        "COPY tasks (task_id, tenant_id, status, kind, filename, content_type, size_bytes, "
        "input_key, created_at, updated_at) FROM STDIN"
    ) as copy:
        for tid, owner, at in task_rows:
            copy.write_row((tid, owner, "DONE", "video", f"{tid}.mp4", "video/mp4", 1, "k", at, at))
    with conn.cursor() as cur, cur.copy(
        "COPY detections (detection_id, tenant_id, task_id, run_id, segment_id, segment_index, "
        "ord, label, class_id, confidence, x1, y1, x2, y2, start_time_s, end_time_s, "
        "key_frame_time_s, recognized_at, is_default) FROM STDIN"
    ) as copy:
        for n in range(detections):
            tid, owner, at = task_rows[n % tasks]
            index, ord_ = divmod(n // tasks, 8)
            label = rng.choices(labels, weights)[0]
            x, y = rng.uniform(0, 1200), rng.uniform(0, 600)
            copy.write_row((
                uuid.uuid5(NAMESPACE, f"bench/detection/{n}"), owner, tid, tid,
                uuid.uuid5(NAMESPACE, f"{tid}/{index}"), index, ord_, label,
                labels.index(label), round(rng.uniform(0.25, 1.0), 5), x, y, x + 50, y + 80,
                index * 4.0, index * 4.0 + 4.0, index * 4.0 + 2.0,
                at + timedelta(seconds=index * 3), True,
            ))
    conn.execute("ANALYZE tasks")
    conn.execute("ANALYZE detections")
    return [t for t in {r[1] for r in task_rows}]


def timed(conn: psycopg.Connection[Any], tenant: uuid.UUID, label: str, min_conf: float,
          queries: int, page: int) -> tuple[list[float], int]:
    """Page through the tenant's results from the top, `queries` pages in all (restarting at the
    end), timing each page; returns the timings and how many rows the pages held."""
    times: list[float] = []
    rows = 0
    before = None
    for _ in range(queries):
        sql, params = search_query(tenant, label=label, min_confidence=min_conf, before=before,
                                   limit=page + 1)
        started = time.perf_counter()
        found = conn.execute(sql, params, prepare=True).fetchall()
        times.append(time.perf_counter() - started)
        rows += min(len(found), page)
        before = (found[page - 1][16], found[page - 1][0]) if len(found) > page else None
    return times, rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--detections", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=2_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--queries", type=int, default=300, help="pages timed per case")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--own-stack", action="store_true",
                        help="start the test profile's Postgres for the run")
    args = parser.parse_args()
    with postgres(args.own_stack) as settings, psycopg.connect(settings.pg_conninfo) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE")
        conn.execute(f"CREATE SCHEMA {SCRATCH}")
        conn.execute(f"SET search_path TO {SCRATCH}")
        try:
            for statement in SCHEMA:
                conn.execute(statement)  # type: ignore[arg-type]
            started = time.perf_counter()
            tenants = fill(conn, args.detections, args.tasks, args.tenants)
            conn.commit()
            big = uuid.uuid5(NAMESPACE, "bench/tenant/0")
            assert big in tenants
            count = conn.execute("SELECT count(*) FROM detections WHERE tenant_id = %s",
                                 (big,)).fetchone()
            print(f"{args.detections} detections over {args.tasks} tasks of {args.tenants} "
                  f"tenants in {time.perf_counter() - started:.1f} s; the searched tenant holds "
                  f"{count[0] if count else 0}")
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores; Postgres "
                  f"{conn.info.server_version}; page size {args.page_size}, "
                  f"{args.queries} pages per case (client-side time, prepared statements)")
            cases = [("label=person&min_confidence=0.6", "person", 0.6),
                     ("label=person", "person", 0.0),
                     ("label=person&min_confidence=0.95", "person", 0.95),
                     ("label=car&min_confidence=0.6", "car", 0.6),
                     ("label=giraffe (rare)", "giraffe", 0.0),
                     ("no label, min_confidence=0.6", "", 0.6)]
            every: list[float] = []
            print(f"{'query':<36} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'rows':>8}")
            for name, label, conf in cases:
                timed(conn, big, label, conf, 20, args.page_size)  # warm the cache
                times, rows = timed(conn, big, label, conf, args.queries, args.page_size)
                every += times
                print(f"{name:<36} {pct(times, .5):8.2f} {pct(times, .99):8.2f} "
                      f"{max(times) * 1000:8.2f} {rows:8d}")
            p99 = pct(every, .99)
            print(f"{'all cases':<36} {pct(every, .5):8.2f} {p99:8.2f} "
                  f"{max(every) * 1000:8.2f}   target p99 < 50 ms: "
                  f"{'met' if p99 < 50 else 'NOT met'}")
            plan = conn.execute("EXPLAIN " + search_query(
                big, label="person", min_confidence=0.6, before=None, limit=101)[0],
                search_query(big, label="person", min_confidence=0.6, before=None,
                             limit=101)[1]).fetchall()
            print("plan: " + " / ".join(r[0].strip() for r in plan[:4]))
        finally:
            conn.rollback()
            conn.execute(f"DROP SCHEMA IF EXISTS {SCRATCH} CASCADE")
            conn.commit()


if __name__ == "__main__":
    main()

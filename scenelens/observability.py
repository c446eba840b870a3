"""Metrics, liveness and readiness of every service: one small HTTP server per process.

`/metrics` (Prometheus text), `/healthz` (the process answers) and `/readyz` (its dependencies
answer; 503 with a JSON body naming what is down). Metric names follow Prometheus conventions:
a `scenelens_` prefix, base units, `_total` for counters, `_seconds` for durations.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
TASK_BUCKETS = (0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

# -- the API (gateway) ---------------------------------------------------------------------------
API_REQUESTS = Counter("scenelens_api_requests_total", "API calls by method and status code",
                       ["method", "code"])
API_LATENCY = Histogram("scenelens_api_request_duration_seconds", "API call latency",
                        ["method"], buckets=LATENCY_BUCKETS)
UPLOAD_BYTES = Counter("scenelens_upload_bytes_total", "Bytes of accepted uploads", ["kind"])
TASKS_CREATED = Counter("scenelens_tasks_created_total", "Tasks created", ["kind", "tier"])
# -- tasks (projections: once per event) -----------------------------------------------------------
TASKS_FINISHED = Counter("scenelens_tasks_finished_total", "Tasks that ended",
                         ["kind", "status", "tier"])
TASK_DURATION = Histogram("scenelens_task_duration_seconds", "Upload to DONE or FAILED",
                          ["kind"], buckets=TASK_BUCKETS)
SEGMENTS = Counter("scenelens_segments_total", "Segments settled", ["outcome"])
PROJECTION_LAG = Gauge("scenelens_projection_lag_events",
                       "Events stored but not yet projected into the read models")
# -- workers ---------------------------------------------------------------------------------------
INFERENCE = Histogram("scenelens_inference_seconds", "Model time per call (a frame or a batch)",
                      buckets=LATENCY_BUCKETS)
INFERENCE_BATCH = Histogram("scenelens_inference_batch_frames", "Frames per model call",
                            buckets=(1, 2, 4, 8, 16, 32, 64))
SCENE_DETECTION_FPS = Histogram("scenelens_scene_detection_frames_per_second",
                                "Decode + scene detection speed per video",
                                buckets=(10, 25, 50, 100, 200, 400, 800, 1600, 3200))
RETRIES = Counter("scenelens_retries_total", "Messages parked for a retry", ["queue"])
OUTAGE_RETRIES = Counter("scenelens_outage_retries_total",
                         "Retries because S3 or Postgres was down (counting no attempt)", ["queue"])
DEAD_LETTERS = Counter("scenelens_dead_letters_total", "Messages dead-lettered", ["queue"])
# -- infrastructure ---------------------------------------------------------------------------------
S3_LATENCY = Histogram("scenelens_s3_request_duration_seconds", "S3 calls", ["operation"],
                       buckets=LATENCY_BUCKETS)
S3_ERRORS = Counter("scenelens_s3_errors_total", "S3 calls that failed", ["operation"])
EVENT_APPENDS = Counter("scenelens_event_store_appends_total", "Aggregates saved to the store")
EVENT_CONFLICTS = Counter("scenelens_event_store_conflicts_total",
                          "Optimistic-concurrency conflicts (reloaded and retried)")
RELAY_LAG = Gauge("scenelens_relay_lag_events", "Events stored but not yet published")
QUEUE_MESSAGES = Gauge("scenelens_queue_messages", "Messages in a RabbitMQ queue", ["queue"])
QUEUE_CONSUMERS = Gauge("scenelens_queue_consumers", "Consumers of a RabbitMQ queue", ["queue"])
READY = Gauge("scenelens_ready", "1 when the service's dependencies answer", ["service"])


class Readiness:
    """What a service depends on and whether each answers now (set by the service)."""

    def __init__(self, service: str, *checks: str) -> None:
        self.service = service
        self._state = {name: False for name in checks}
        self._lock = threading.Lock()

    def set(self, check: str, ok: bool) -> None:
        with self._lock:
            self._state[check] = ok
            READY.labels(self.service).set(1 if all(self._state.values()) else 0)

    def snapshot(self) -> tuple[bool, dict[str, bool]]:
        with self._lock:
            state = dict(self._state)
        return all(state.values()), state


def start_ops_server(host: str, port: int, readiness: Readiness) -> ThreadingHTTPServer:
    """Serve /metrics, /healthz and /readyz in a daemon thread (any event loop or none)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/metrics":
                self._send(200, generate_latest(), CONTENT_TYPE_LATEST)
            elif self.path == "/healthz":
                self._send(200, b'{"status": "alive"}\n', "application/json")
            elif self.path == "/readyz":
                ok, state = readiness.snapshot()
                body = json.dumps({"service": readiness.service, "ready": ok,
                                   "checks": state}).encode() + b"\n"
                self._send(200 if ok else 503, body, "application/json")
            else:
                self._send(404, b'{"error": "not found"}\n', "application/json")

        def _send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="ops-http", daemon=True).start()
    log.info("metrics on http://%s:%d/metrics", host, server.server_address[1])
    return server


def timed_s3(operation: str) -> Callable[[Any], Any]:
    """Decorate an async S3 method: latency histogram and error counter."""
    import functools
    import time

    def wrap(fn: Any) -> Any:
        @functools.wraps(fn)
        async def inner(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            except Exception:
                S3_ERRORS.labels(operation).inc()
                raise
            finally:
                S3_LATENCY.labels(operation).observe(time.perf_counter() - started)
        return inner
    return wrap


async def keep_ready(readiness: Readiness, checks: dict[str, Callable[[], Any]],
                     stop: Any, interval_s: float = 2.0) -> None:
    """Run the async checks every interval until `stop` (an asyncio.Event) is set."""
    import asyncio

    while not stop.is_set():
        for name, check in checks.items():
            try:
                ok = bool(await asyncio.wait_for(check(), timeout=5))
            except Exception:  # noqa: BLE001 - any failure means not ready
                ok = False
            readiness.set(name, ok)
        try:
            await asyncio.wait_for(stop.wait(), interval_s)
        except TimeoutError:
            pass

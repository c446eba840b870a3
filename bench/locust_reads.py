"""Locust users for bench/reads.py: GET one segment and GET one task, over REST or plain gRPC.

Run by bench/reads.py as a subprocess (`python -m locust -f bench/locust_reads.py ...`), never
imported by it: Locust monkeypatches the process with gevent. The plan (API keys, tasks and
segments, mix, pace) comes as a JSON file named by READS_PLAN.
"""
from __future__ import annotations

import json
import os
import pathlib
import random
import time
from collections.abc import Callable
from typing import Any

from locust import User, constant, task
from locust.contrib.fasthttp import FastHttpUser

PLAN: dict[str, Any] = json.loads(pathlib.Path(os.environ["READS_PLAN"]).read_text())
SEGMENT = "GET /v1/analysis/{task}/segments/{segment}"
TASK = "GET /v1/analysis/{task}"


def jittered_throughput(rate: float) -> Callable[[User], float]:
    """Like Locust's constant_throughput (one task every 1/rate s, its run time included), but
    each period drawn from 0.5..1.5 times that. With fixed periods, users woken in the same
    turn of gevent's loop keep waking together, and the load arrives in growing bursts (at
    190 GET/s from 50 users: p50 25 ms against 3 ms with jitter, the gateway itself under 5 ms
    in both)."""
    def wait(user: User) -> float:
        now = time.perf_counter()
        started = getattr(user, "_pace_next", None)
        ran = now - started if started is not None else 0.0
        delay = max(0.0, random.uniform(0.5, 1.5) / rate - ran)
        user._pace_next = now + delay  # type: ignore[attr-defined]
        return delay

    return wait


# Each user runs about this many requests a second (the offered rate is users x this); 0 is a
# closed loop: the next request as soon as the last one answered.
PACE = jittered_throughput(PLAN["rate_per_user"]) if PLAN["rate_per_user"] > 0 else constant(0)

if PLAN["via"] == "direct":
    import grpc.experimental.gevent as grpc_gevent

    grpc_gevent.init_gevent()  # before any channel exists

    import grpc

    from scenelens.v1 import analysis_pb2, analysis_pb2_grpc


def _pick() -> tuple[str, str]:
    task_id, segment_id = random.choice(PLAN["targets"])
    return task_id, segment_id


class RestReader(FastHttpUser):
    """Through Envoy: the REST paths clients use, with a bearer key."""

    wait_time = PACE

    def on_start(self) -> None:
        self._headers = {"Authorization": f"Bearer {random.choice(PLAN['keys'])}"}

    @task(PLAN["segment_weight"])
    def get_segment(self) -> None:
        task_id, segment_id = _pick()
        self.client.get(f"/v1/analysis/{task_id}/segments/{segment_id}", headers=self._headers,
                        name=SEGMENT)

    @task(PLAN["task_weight"])
    def get_task(self) -> None:
        task_id, _ = _pick()
        self.client.get(f"/v1/analysis/{task_id}", headers=self._headers, name=TASK)


class GrpcReader(User):
    """Straight to the gateway's gRPC port: the same two reads without Envoy."""

    wait_time = PACE

    def on_start(self) -> None:
        self._channel = grpc.insecure_channel(PLAN["grpc_target"])
        self._stub = analysis_pb2_grpc.AnalysisServiceStub(self._channel)
        self._metadata = (("authorization", f"Bearer {random.choice(PLAN['keys'])}"),)

    def on_stop(self) -> None:
        self._channel.close()

    def _call(self, name: str, method: Any, request: Any) -> None:
        started = time.perf_counter()
        length, error = 0, None
        try:
            length = method(request, metadata=self._metadata, timeout=30).ByteSize()
        except grpc.RpcError as exc:
            error = exc
        self.environment.events.request.fire(
            request_type="grpc", name=name, response_time=(time.perf_counter() - started) * 1000,
            response_length=length, exception=error, context={},
        )

    @task(PLAN["segment_weight"])
    def get_segment(self) -> None:
        task_id, segment_id = _pick()
        self._call(SEGMENT, self._stub.GetSegment,
                   analysis_pb2.GetSegmentRequest(task_id=task_id, segment_id=segment_id))

    @task(PLAN["task_weight"])
    def get_task(self) -> None:
        task_id, _ = _pick()
        self._call(TASK, self._stub.GetAnalysis, analysis_pb2.GetAnalysisRequest(task_id=task_id))

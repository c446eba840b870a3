"""Operating scenelens: metrics that move, readiness that follows Postgres, correlated logs."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.support import ApiClient, Stores, wait_until


def _metrics(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(url, timeout=10).text
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):  # raises on a malformed exposition
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def _value(metrics: dict[Any, float], name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in metrics.items()
               if n == name and all((k, val) in ls for k, val in labels.items()))


def _idle(stores: Stores) -> bool:
    return stores.sql("SELECT count(*) FROM tasks WHERE status IN ('PENDING', 'PROCESSING')"
                      )[0][0] == 0


def test_counters_move_by_the_right_amounts(stack: Any, api: ApiClient, stores: Stores,
                                            bus_bytes: bytes, sample_video: Path) -> None:
    urls = stack.metrics_urls()
    assert set(urls) >= {"gateway", "relay", "projections", "recorder", "recognition_service",
                         "video_service"}
    wait_until(lambda: _idle(stores), timeout=120, what="no task in flight")
    before = {name: _metrics(url) for name, url in urls.items()}

    photo = api.create(bus_bytes, "metrics.jpg")["task_id"]
    video = api.create(sample_video.read_bytes(), "metrics.mp4")["task_id"]
    assert api.wait_terminal(photo)["status"] == "TASK_STATUS_DONE"
    done = api.wait_terminal(video, timeout=180)
    assert done["status"] == "TASK_STATUS_DONE"
    segments = 1 + done["segments_total"]

    def projected() -> dict[Any, float] | None:
        now = _metrics(urls["projections"])
        moved = (_value(now, "scenelens_tasks_finished_total", status="DONE")
                 - _value(before["projections"], "scenelens_tasks_finished_total",
                          status="DONE"))
        return now if moved >= 2 else None

    proj = wait_until(projected, timeout=30, what="the projections to count both tasks")
    old = before["projections"]
    for kind in ("photo", "video"):
        assert _value(proj, "scenelens_tasks_finished_total", kind=kind, status="DONE") - _value(
            old, "scenelens_tasks_finished_total", kind=kind, status="DONE") == 1
        assert _value(proj, "scenelens_task_duration_seconds_count", kind=kind) - _value(
            old, "scenelens_task_duration_seconds_count", kind=kind) == 1
    assert _value(proj, "scenelens_segments_total", outcome="recognized") - _value(
        old, "scenelens_segments_total", outcome="recognized") == segments

    after = {name: _metrics(url) for name, url in urls.items()}
    gw, gw0 = after["gateway"], before["gateway"]
    assert _value(gw, "scenelens_api_requests_total", method="CreateAnalysis", code="OK") - \
        _value(gw0, "scenelens_api_requests_total", method="CreateAnalysis", code="OK") == 2
    assert _value(gw, "scenelens_upload_bytes_total", kind="photo") - _value(
        gw0, "scenelens_upload_bytes_total", kind="photo") == len(bus_bytes)
    reco, reco0 = after["recognition_service"], before["recognition_service"]
    # Every segment went through the model once; micro-batching (on in the test stack) may
    # have put several in one call.
    assert _value(reco, "scenelens_inference_batch_frames_sum") - _value(
        reco0, "scenelens_inference_batch_frames_sum") == segments
    calls = _value(reco, "scenelens_inference_seconds_count") - _value(
        reco0, "scenelens_inference_seconds_count")
    assert calls == _value(reco, "scenelens_inference_batch_frames_count") - _value(
        reco0, "scenelens_inference_batch_frames_count")
    assert 1 <= calls <= segments
    vid, vid0 = after["video_service"], before["video_service"]
    assert _value(vid, "scenelens_scene_detection_frames_per_second_count") - _value(
        vid0, "scenelens_scene_detection_frames_per_second_count") == 1
    assert _value(vid, "scenelens_s3_request_duration_seconds_count",
                  operation="download_file") > _value(
        vid0, "scenelens_s3_request_duration_seconds_count", operation="download_file")
    # The relay reports the queues it sees through RabbitMQ's management API.
    relay = wait_until(lambda: (m := _metrics(urls["relay"])) and _value(
        m, "scenelens_queue_consumers", queue="recognition_queue") >= 1 and m,
        timeout=30, what="queue stats")
    assert _value(relay, "scenelens_queue_consumers", queue="video_processing_queue") >= 1
    for name, url in urls.items():
        assert httpx.get(url.replace("/metrics", "/healthz"), timeout=10).status_code == 200
        ready = httpx.get(url.replace("/metrics", "/readyz"), timeout=10)
        assert ready.status_code == 200 and ready.json()["ready"] is True, (name, ready.text)


def test_a_worker_is_not_ready_while_postgres_is_down(stack: Any) -> None:
    url = stack.metrics_urls()["video_service"].replace("/metrics", "/readyz")

    def state() -> dict[str, Any]:
        resp = httpx.get(url, timeout=10)
        body: dict[str, Any] = resp.json()
        body["status"] = resp.status_code
        return body

    assert state()["ready"] is True
    stack.stop("postgres")
    try:
        down = wait_until(lambda: (s := state())["status"] == 503 and s, timeout=30,
                          what="/readyz to report Postgres down")
        assert down["checks"]["postgres"] is False and down["ready"] is False
    finally:
        stack.start("postgres")
    up = wait_until(lambda: (s := state())["status"] == 200 and s, timeout=60,
                    what="/readyz to recover")
    assert up["checks"] == {"broker": True, "postgres": True, "s3": True, "started": True}


def test_one_request_id_in_every_services_logs(stack: Any, api: ApiClient,
                                               sample_video: Path) -> None:
    resp = api.upload(sample_video.read_bytes(), "traced.mp4")
    assert resp.status_code == 200
    request_id = resp.headers["x-request-id"]
    assert len(request_id) == 12
    api.wait_terminal(resp.json()["task_id"], timeout=180)
    logs = stack.run_dir / "logs"

    def services_with_id() -> set[str]:
        found = set()
        for program in ("gateway", "relay", "video_service", "recognition_service",
                        "projections"):
            for line in (logs / f"{program}.log").read_text(errors="replace").splitlines():
                if request_id in line:
                    record = json.loads(line)
                    assert record["request_id"] == request_id
                    found.add(program)
                    break
        return found

    wait_until(lambda: len(services_with_id()) == 5, timeout=30,
               what="the request id in all five services' logs")
    # An error reply carries it too.
    missing = api.task("0b5a4a55-5d4c-4b8e-9a7e-3f1f3f1f3f1f")
    assert missing.status_code == 404 and len(missing.headers["x-request-id"]) == 12

"""Models, re-analysis by replay, summaries and search, over REST through Envoy (issue 9)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import grpc
import pytest

from devstack.profiles import STRICT_CONFIDENCE, STRICT_MODEL
from scenelens.v1 import analysis_pb2 as pb
from scenelens.v1 import analysis_pb2_grpc
from tests.support import ApiClient, Stores, open_channel, rebuild_read_models, wait_until

TERMINAL = ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")


def _run_done(api: ApiClient, task_id: str, run_id: str, timeout: float = 120) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        runs = api.http.get(f"/v1/analysis/{task_id}/runs").json()["runs"]
        run = next(r for r in runs if r["run_id"] == run_id)
        return run if run["status"] in TERMINAL else None

    return wait_until(check, timeout=timeout, what=f"run {run_id} to finish")


def _segments(api: ApiClient, task_id: str, run_id: str = "") -> list[dict[str, Any]]:
    """Every segment with its detections, in one run (default: the default run)."""
    params = {"run_id": run_id} if run_id else {}
    listed = api.segments(task_id, page_size=1000, **params).json()["segments"]
    out = []
    for s in listed:
        resp = api.http.get(f"/v1/analysis/{task_id}/segments/{s['segment_id']}", params=params)
        assert resp.status_code == 200, resp.text
        seg = resp.json()
        seg["result_image_url"] = seg.get("result_image_url", "").split("?")[0]
        out.append(seg)
    return out


def _reanalyze(api: ApiClient, task_id: str, **body: Any) -> Any:
    return api.http.post(f"/v1/analysis/{task_id}:reanalyze", json=body)


@pytest.fixture(scope="module")
def two_runs(api: ApiClient, sample_video: Path) -> dict[str, Any]:
    """A video analysed with the default model, then re-analysed with the strict one."""
    task = api.create(sample_video.read_bytes(), sample_video.name)
    assert task["analysis_options"] == {"model": "yolov8n_int8_openvino_model",
                                        "confidence": 0.25, "labels": []}
    done = api.wait_terminal(task["task_id"])
    assert done["status"] == "TASK_STATUS_DONE" and done["segments_total"] >= 3, done
    tid = task["task_id"]
    first = _segments(api, tid)
    assert first and all(s["run_id"] == done["default_run_id"] for s in first)
    resp = _reanalyze(api, tid, model=STRICT_MODEL, labels=["person", "bus"])
    assert resp.status_code == 200, resp.text
    run = resp.json()
    assert (run["number"], run["options"]) == (2, {"model": STRICT_MODEL,
                                                    "confidence": STRICT_CONFIDENCE,
                                                    "labels": ["person", "bus"]})
    assert run["status"] in ("TASK_STATUS_PENDING", "TASK_STATUS_PROCESSING") and not run["is_default"]
    finished = _run_done(api, tid, run["run_id"])
    assert finished["status"] == "TASK_STATUS_DONE", finished
    return {"task_id": tid, "first_run": done["default_run_id"], "second_run": run["run_id"],
            "first_segments": first}


def test_models_are_listed_with_versions_and_labels(api: ApiClient) -> None:
    body = api.http.get("/v1/models").json()
    assert body["default_model"] == "yolov8n_int8_openvino_model"
    models = {m["name"]: m for m in body["models"]}
    assert set(models) == {"yolov8n_int8_openvino_model", STRICT_MODEL}
    default, strict = models["yolov8n_int8_openvino_model"], models[STRICT_MODEL]
    assert default["is_default"] and not strict["is_default"]
    assert (default["default_confidence"], strict["default_confidence"]) == (0.25, 0.6)
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{12}", default["version"]), default["version"]
    assert strict["version"] == default["version"]  # the same weights
    assert len(default["labels"]) == 80 and default["labels"][:3] == ["person", "bicycle", "car"]


def test_reanalysis_keeps_the_first_run_and_shows_the_second(
        api: ApiClient, stores: Stores, two_runs: dict[str, Any]) -> None:
    tid, first_id, second_id = (two_runs["task_id"], two_runs["first_run"],
                                two_runs["second_run"])
    # The first run, read by its id, is exactly what it was before the re-analysis.
    assert _segments(api, tid, first_id) == two_runs["first_segments"]
    # The default view is now the second run.
    task = api.task(tid).json()
    assert (task["default_run_id"], task["runs_total"]) == (second_id, 2)
    assert task["status"] == "TASK_STATUS_DONE"
    second = _segments(api, tid)
    assert second == _segments(api, tid, second_id)
    total = len(two_runs["first_segments"])
    assert [s["index"] for s in second] == list(range(total))
    runs = api.http.get(f"/v1/analysis/{tid}/runs").json()
    assert runs["default_run_id"] == second_id
    assert [(r["number"], r["is_default"], r["status"]) for r in runs["runs"]] == [
        (1, False, "TASK_STATUS_DONE"), (2, True, "TASK_STATUS_DONE")]
    assert runs["runs"][1]["segments_done"] == total
    assert runs["runs"][1]["model_version"] == runs["runs"][0]["model_version"] != ""
    # Same weights and images: the strict run finds exactly the first run's persons and buses
    # at or above 0.6 (far enough from the threshold not to depend on rounding).
    for old, new in zip(two_runs["first_segments"], second, strict=True):
        assert new["run_id"] == second_id and new["status"] == "SEGMENT_STATUS_DONE"
        assert (new["model_name"], new["confidence_threshold"], new["labels"]) == (
            STRICT_MODEL, 0.6, ["person", "bus"])
        assert new["iou_threshold"] == 0.7
        assert old["confidence_threshold"] == 0.25 and old["labels"] == []
        want = sorted((d["label"], round(d["confidence"], 2)) for d in old["detections"]
                      if d["label"] in ("person", "bus") and d["confidence"] >= 0.605)
        got = sorted((d["label"], round(d["confidence"], 2)) for d in new["detections"]
                     if d["confidence"] >= 0.605)
        assert got == want, (old["index"], old["detections"], new["detections"])
        assert all(d["confidence"] >= 0.6 and d["label"] in ("person", "bus")
                   for d in new["detections"])
        assert new["detection_count"] == len(new["detections"])
        # The first run keeps today's key; a re-analysis's images live beside it, per run.
        assert old["result_image_url"].endswith(f"recognition-results/{tid}/"
                                                f"{old['segment_id']}_result.jpg")
        assert new["result_image_url"].endswith(
            f"recognition-results/{tid}/runs/{second_id}/{new['segment_id']}_result.jpg")
    assert len(stores.keys(f"recognition-results/{tid}/runs/{second_id}/")) == total
    assert stores.events(tid, "RunStarted") == ["RunStarted"]
    assert stores.events(tid, "RunCompleted") == ["RunCompleted"]


def test_summary_agrees_with_the_segments(api: ApiClient, two_runs: dict[str, Any]) -> None:
    tid = two_runs["task_id"]
    for run_id, segments in ((two_runs["first_run"], two_runs["first_segments"]),
                             ("", _segments(api, tid))):
        params = {"run_id": run_id} if run_id else {}
        summary = api.http.get(f"/v1/analysis/{tid}/summary", params=params).json()
        assert summary["run_id"] == (run_id or two_runs["second_run"])
        want: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"count": 0, "max": 0.0, "segments": []})
        for s in segments:
            for d in s["detections"]:
                w = want[d["label"]]
                w["count"] += 1
                w["max"] = max(w["max"], d["confidence"])
                if s["index"] not in w["segments"]:
                    w["segments"].append(s["index"])
        assert {x["label"] for x in summary["labels"]} == set(want) and want
        counts = [x["detection_count"] for x in summary["labels"]]
        assert counts == sorted(counts, reverse=True)
        by_index = {s["index"]: s for s in segments}
        for label in summary["labels"]:
            w = want[label["label"]]
            assert label["detection_count"] == w["count"], label
            assert abs(label["max_confidence"] - w["max"]) < 1e-4
            assert [a["index"] for a in label["segments"]] == sorted(w["segments"])
            for a in label["segments"]:
                seg = by_index[a["index"]]
                assert (a["segment_id"], a["start_time_s"], a["end_time_s"]) == (
                    seg["segment_id"], seg["start_time_s"], seg["end_time_s"])
            # Time ranges: the label's scenes, consecutive ones merged into one span.
            ranges: list[list[float]] = []
            for i in sorted(w["segments"]):
                seg = by_index[i]
                if ranges and by_index.get(i - 1) and (i - 1) in w["segments"]:
                    ranges[-1][1] = seg["end_time_s"]
                else:
                    ranges.append([seg["start_time_s"], seg["end_time_s"]])
            got = [[r["start_time_s"], r["end_time_s"]] for r in label["time_ranges"]]
            assert got == ranges, (label["label"], got, ranges)
    # Persons are in every shot of the sample (zidane and bus): one range over the whole video.
    person = next(x for x in summary["labels"] if x["label"] == "person")
    assert len(person["time_ranges"]) == 1
    assert person["time_ranges"][0]["start_time_s"] == 0
    assert abs(person["time_ranges"][0]["end_time_s"] - 6.72) < 0.05


def test_search_finds_exactly_the_matching_detections(
        base_url: str, make_tenant: Any, bus_bytes: bytes, zidane_bytes: bytes) -> None:
    me = ApiClient(base_url, make_tenant("searcher").api_key)
    other = ApiClient(base_url, make_tenant("other-searcher").api_key)
    tasks = [me.create(data, name)["task_id"] for data, name in
             ((bus_bytes, "bus.jpg"), (zidane_bytes, "zidane.jpg"), (bus_bytes, "bus2.jpg"))]
    other_task = other.create(zidane_bytes, "theirs.jpg")["task_id"]
    for tid in tasks:
        assert me.wait_terminal(tid)["status"] == "TASK_STATUS_DONE"
    other.wait_terminal(other_task)

    def expected(min_conf: float, label: str = "person") -> set[tuple[str, str, float]]:
        out = set()
        for tid in tasks:
            for s in _segments(me, tid):
                for d in s["detections"]:
                    if d["label"] == label and d["confidence"] >= min_conf:
                        out.add((tid, s["segment_id"], round(d["confidence"], 4)))
        return out

    def search(client: ApiClient, **params: Any) -> list[dict[str, Any]]:
        hits: list[dict[str, Any]] = []
        token = ""
        while True:
            resp = client.http.get("/v1/detections", params={**params, "page_token": token})
            assert resp.status_code == 200, resp.text
            body = resp.json()
            assert len(body["detections"]) <= params.get("page_size", 100)
            hits.extend(body["detections"])
            token = body["next_page_token"]
            if not token:
                return hits

    for min_conf in (0.0, 0.6, 0.85):
        want = expected(min_conf)
        hits = search(me, label="person", min_confidence=min_conf, page_size=2)
        got = [(h["task_id"], h["segment_id"], round(h["detection"]["confidence"], 4))
               for h in hits]
        assert len(got) == len(set(got)) and set(got) == want, (min_conf, got, want)
        assert all(h["detection"]["label"] == "person" for h in hits)
    assert 0 < len(expected(0.85)) < len(expected(0.6)) < len(expected(0.0))
    # Newest first, and stable: paging in twos gives what one big page gives.
    hits = search(me, label="person", min_confidence=0.6, page_size=2)
    assert hits == search(me, label="person", min_confidence=0.6, page_size=1000)
    times = [h["recognized_at"] for h in hits]
    assert times == sorted(times, reverse=True)
    hit = hits[0]
    assert hit["filename"] in ("bus.jpg", "zidane.jpg", "bus2.jpg") and hit["segment_index"] == 0
    box = hit["detection"]["box"]
    assert 0 <= box["x1"] < box["x2"] and 0 <= box["y1"] < box["y2"]
    # All labels when none is given; scoped to the tenant.
    every = search(me, page_size=500)
    assert {h["detection"]["label"] for h in every} >= {"person", "bus"}
    assert {h["task_id"] for h in every} == set(tasks)
    theirs = search(other, label="person")
    assert {h["task_id"] for h in theirs} == {other_task}
    # A re-analysis that keeps only buses replaces the task's persons in search once it is done.
    run = _reanalyze(me, tasks[0], labels=["bus"]).json()
    _run_done(me, tasks[0], run["run_id"])
    after = search(me, label="person", page_size=500)
    assert tasks[0] not in {h["task_id"] for h in after}
    buses = [h for h in search(me, label="bus", page_size=500) if h["task_id"] == tasks[0]]
    assert buses and all(h["run_id"] == run["run_id"] for h in buses)
    bad = me.http.get("/v1/detections", params={"min_confidence": 1.5})
    assert bad.status_code == 400 and "min_confidence" in bad.json()["message"]
    bad = me.http.get("/v1/detections", params={"label": "unicorn"})
    assert bad.status_code == 400 and "unknown label" in bad.json()["message"]
    assert me.http.get("/v1/detections", params={"page_token": "nope!"}).status_code == 400


def test_reanalysis_waits_for_the_first_analysis(api: ApiClient, stores: Stores,
                                                 shared_videos: Path) -> None:
    tid = api.create((shared_videos / "testvideo.mp4").read_bytes(), "testvideo.mp4")["task_id"]
    resp = _reanalyze(api, tid)
    assert resp.status_code == 409, resp.text
    assert "still being analysed" in resp.json()["message"]
    assert api.wait_terminal(tid)["status"] == "TASK_STATUS_DONE"
    assert stores.events(tid, "RunStarted") == []


def test_bad_requests_are_refused_and_record_nothing(
        api: ApiClient, stores: Stores, bus_bytes: bytes) -> None:
    before = stores.counts()
    cases = [
        ({"model": "yolo-huge"}, "unknown model 'yolo-huge'"),
        ({"confidence": 1.5}, "confidence must be between 0 and 1"),
        ({"confidence": -0.1}, "confidence must be between 0 and 1"),
        ({"labels": "person,unicorn"}, "unknown label 'unicorn'"),
    ]
    for params, message in cases:
        resp = api.upload(bus_bytes, "bus.jpg", **params)
        assert resp.status_code == 400, (params, resp.text)
        assert message in resp.json()["message"], resp.text
        resp = api.upload(bus_bytes, "bus.jpg", multipart=False, **params)
        assert resp.status_code == 400 and message in resp.json()["message"]
    assert stores.counts() == before  # nothing stored, nothing recorded

    task = api.create(bus_bytes, "bus.jpg")
    tid = task["task_id"]
    api.wait_terminal(tid)
    for body, message in [({"model": "yolo-huge"}, "unknown model"),
                          ({"confidence": 2}, "confidence must be between 0 and 1"),
                          ({"labels": ["unicorn"]}, "unknown label 'unicorn'")]:
        resp = _reanalyze(api, tid, **body)
        assert resp.status_code == 400 and message in resp.json()["message"], resp.text
    unknown = "00000000-0000-4000-8000-000000000000"
    resp = _reanalyze(api, unknown)
    assert resp.status_code == 404 and "not found" in resp.json()["message"]
    assert _reanalyze(api, "not-a-uuid").status_code == 400
    assert api.delete(tid).status_code == 200
    resp = _reanalyze(api, tid)
    assert resp.status_code == 404 and "not found" in resp.json()["message"], resp.text
    assert stores.events(tid, "RunStarted") == []
    assert stores.task_keys(tid) == []
    resp = api.http.get(f"/v1/analysis/{unknown}/summary")
    assert resp.status_code == 404
    # Reads of an unknown run of a live task are 404 too.
    live = api.create(bus_bytes, "bus.jpg")["task_id"]
    api.wait_terminal(live)
    resp = api.segments(live, run_id=unknown)
    assert resp.status_code == 404 and "run" in resp.json()["message"]


def test_reanalysis_over_grpc_and_deletion_removes_every_run(
        api: ApiClient, stores: Stores, grpc_targets: dict[str, str], tenant: Any,
        bus_bytes: bytes) -> None:
    tid = api.create(bus_bytes, "bus.jpg", model=STRICT_MODEL, confidence=0.5,
                     labels="bus")["task_id"]
    assert api.wait_terminal(tid)["status"] == "TASK_STATUS_DONE"
    seg = _segments(api, tid)[0]
    assert [d["label"] for d in seg["detections"]] == ["bus"]
    assert (seg["model_name"], seg["confidence_threshold"]) == (STRICT_MODEL, 0.5)
    channel = open_channel(grpc_targets["envoy"], tenant.api_key)
    stub = analysis_pb2_grpc.AnalysisServiceStub(channel)
    run = stub.ReanalyzeAnalysis(pb.ReanalyzeAnalysisRequest(task_id=tid, confidence=0.2))
    assert run.number == 2 and run.options.model == "yolov8n_int8_openvino_model"
    _run_done(api, tid, run.run_id)
    runs = stub.ListRuns(pb.ListRunsRequest(task_id=tid))
    assert [r.number for r in runs.runs] == [1, 2] and runs.default_run_id == run.run_id
    summary = stub.GetAnalysisSummary(pb.GetAnalysisSummaryRequest(task_id=tid))
    labels = {x.label: x.detection_count for x in summary.labels}
    assert labels["bus"] == 1 and labels["person"] >= 3  # all labels again, lower threshold
    with pytest.raises(grpc.RpcError) as err:
        stub.ReanalyzeAnalysis(pb.ReanalyzeAnalysisRequest(task_id=tid, model="nope"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    models = stub.ListModels(pb.ListModelsRequest())
    assert models.default_model == "yolov8n_int8_openvino_model"
    channel.close()
    assert stores.keys(f"recognition-results/{tid}/runs/{run.run_id}/")
    assert api.delete(tid).status_code == 200
    assert stores.task_keys(tid) == []
    assert stores.sql("SELECT count(*) FROM detections WHERE task_id = %s", tid)[0][0] == 0
    assert stores.sql("SELECT count(*) FROM analysis_runs WHERE task_id = %s", tid)[0][0] == 0


def _answers(api: ApiClient, tid: str) -> list[Any]:
    runs = api.http.get(f"/v1/analysis/{tid}/runs").json()
    out: list[Any] = [api.task(tid).json(), runs]
    for run in runs["runs"]:
        out.append(_segments(api, tid, run["run_id"]))
        out.append(api.http.get(f"/v1/analysis/{tid}/summary",
                                params={"run_id": run["run_id"]}).json())
    out.append(api.http.get("/v1/detections", params={"page_size": 1000}).json())
    out.append(api.http.get("/v1/detections", params={"label": "person", "page_size": 3}).json())
    return out


def test_rebuild_reproduces_every_run(api: ApiClient, stack: Any,
                                      two_runs: dict[str, Any]) -> None:
    tid = two_runs["task_id"]
    before = _answers(api, tid)
    rebuild_read_models(stack)
    assert _answers(api, tid) == before

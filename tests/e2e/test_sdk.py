"""The Python SDK's models, runs, summary and search calls, sync and asyncio, against the stack."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devstack.profiles import STRICT_CONFIDENCE, STRICT_MODEL
from scenelens.client import AsyncClient, Client, InvalidRequest, NotFound
from scenelens.v1 import analysis_pb2 as pb

DEFAULT_MODEL = "yolov8n_int8_openvino_model"


def _totals(segments: list[pb.Segment]) -> dict[str, tuple[int, list[int]]]:
    """Per label: how many detections, and in which segments (by index)."""
    out: dict[str, tuple[int, list[int]]] = {}
    for s in segments:
        for d in s.detections:
            count, where = out.get(d.label, (0, []))
            out[d.label] = (count + 1, where if s.index in where else [*where, s.index])
    return out


def _best(segments: list[pb.Segment]) -> dict[str, float]:
    best: dict[str, float] = {}
    for s in segments:
        for d in s.detections:
            best[d.label] = max(best.get(d.label, 0.0), d.confidence)
    return best


def _without_links(segments: list[pb.Segment]) -> list[pb.Segment]:
    """The segments without their presigned image links (signed anew on each read)."""
    out = []
    for s in segments:
        copy = pb.Segment()
        copy.CopyFrom(s)
        copy.result_image_url = copy.result_image_url.split("?")[0]
        out.append(copy)
    return out


def _check_summary(summary: pb.AnalysisSummary, segments: list[pb.Segment]) -> None:
    assert {x.label: (x.detection_count, [a.index for a in x.segments])
            for x in summary.labels} == _totals(segments)
    best = _best(segments)
    assert all(abs(x.max_confidence - best[x.label]) < 1e-6 for x in summary.labels)


def test_sync_client_models_runs_summary_and_search(grpc_targets: dict[str, str],
                                                    make_tenant: Any, bus: Path) -> None:
    with Client(grpc_targets["envoy"], make_tenant("sdk-sync").api_key) as sl:
        models = {m.name: m for m in sl.models()}
        assert set(models) == {DEFAULT_MODEL, STRICT_MODEL}
        assert models[DEFAULT_MODEL].is_default and not models[STRICT_MODEL].is_default
        assert models[STRICT_MODEL].default_confidence == STRICT_CONFIDENCE
        assert len(models[DEFAULT_MODEL].labels) == 80

        task = sl.upload(bus, model=STRICT_MODEL, confidence=0.5, labels=["bus"])
        assert (task.analysis_options.model, task.analysis_options.confidence,
                list(task.analysis_options.labels)) == (STRICT_MODEL, 0.5, ["bus"])
        assert sl.wait(task.task_id, timeout_s=120).status == pb.TASK_STATUS_DONE
        done = sl.get(task.task_id)
        assert (done.default_run_id, done.runs_total) == (task.default_run_id, 1)
        first = [sl.segment(task.task_id, s.segment_id) for s in sl.segments(task.task_id)]
        assert [[d.label for d in s.detections] for s in first] == [["bus"]]
        assert first[0].model_name == STRICT_MODEL and first[0].confidence_threshold == 0.5

        # One label given as a plain string is that label, not its letters.
        run = sl.reanalyze(task.task_id, confidence=0.3, labels="person")
        assert run.number == 2 and run.status in (pb.TASK_STATUS_PENDING,
                                                  pb.TASK_STATUS_PROCESSING)
        assert (run.options.model, run.options.confidence, list(run.options.labels)) == (
            DEFAULT_MODEL, 0.3, ["person"])
        finished = sl.wait_run(task.task_id, run.run_id, timeout_s=120)
        assert finished.status == pb.TASK_STATUS_DONE and finished.is_default
        runs = sl.runs(task.task_id)
        assert [(r.number, r.is_default) for r in runs] == [(1, False), (2, True)]
        assert runs[0].run_id == done.default_run_id

        second = [sl.segment(task.task_id, s.segment_id) for s in sl.segments(task.task_id)]
        assert all(s.run_id == run.run_id for s in second)
        persons = list(second[0].detections)
        assert len(persons) >= 3 and {d.label for d in persons} == {"person"}
        again = [sl.segment(task.task_id, s.segment_id, run_id=runs[0].run_id)
                 for s in sl.segments(task.task_id, run_id=runs[0].run_id)]
        assert _without_links(again) == _without_links(first)
        _check_summary(sl.summary(task.task_id), second)
        old = sl.summary(task.task_id, run_id=runs[0].run_id)
        assert old.run_id == runs[0].run_id
        _check_summary(old, first)

        # Search pages through everything (pages of one) and filters.
        hits = list(sl.search(label="person", min_confidence=0.5, page_size=1))
        want = sorted(round(d.confidence, 5) for d in persons if d.confidence >= 0.5)
        assert want and sorted(round(h.detection.confidence, 5) for h in hits) == want
        assert all((h.task_id, h.run_id, h.filename, h.detection.label) ==
                   (task.task_id, run.run_id, "bus.jpg", "person") for h in hits)
        assert list(sl.search(label="bus")) == []  # the default run kept persons only
        assert len(list(sl.search(page_size=2))) == len(persons)

        with pytest.raises(InvalidRequest, match="unknown model 'nope'"):
            sl.reanalyze(task.task_id, model="nope")
        with pytest.raises(InvalidRequest, match="unknown label 'unicorn'"):
            sl.upload(bus, labels=["unicorn"])
        with pytest.raises(NotFound):
            sl.wait_run(task.task_id, "00000000-0000-4000-8000-000000000000")
        assert [t.task_id for t in sl.list()] == [task.task_id]


async def test_async_client_models_runs_summary_and_search(grpc_targets: dict[str, str],
                                                           make_tenant: Any,
                                                           bus_bytes: bytes) -> None:
    async with AsyncClient(grpc_targets["direct"], make_tenant("sdk-async").api_key) as sl:
        assert {m.name for m in await sl.models()} == {DEFAULT_MODEL, STRICT_MODEL}
        task = await sl.upload(bus_bytes, filename="bus.jpg", model=STRICT_MODEL,
                               labels=["bus", "person"])
        assert (task.analysis_options.model, task.analysis_options.confidence) == (
            STRICT_MODEL, STRICT_CONFIDENCE)
        assert (await sl.wait(task.task_id)).status == pb.TASK_STATUS_DONE
        run = await sl.reanalyze(task.task_id, model=STRICT_MODEL, confidence=0.4,
                                 labels=["bus"])
        finished = await sl.wait_run(task.task_id, run.run_id, timeout_s=120)
        assert finished.status == pb.TASK_STATUS_DONE and finished.number == 2
        assert [r.is_default for r in await sl.runs(task.task_id)] == [False, True]
        segments = [await sl.segment(task.task_id, s.segment_id)
                    async for s in sl.segments(task.task_id)]
        assert all(s.run_id == run.run_id for s in segments)
        assert {d.label for s in segments for d in s.detections} == {"bus"}
        _check_summary(await sl.summary(task.task_id), segments)
        first = [await sl.segment(task.task_id, s.segment_id, run_id=task.default_run_id)
                 async for s in sl.segments(task.task_id, run_id=task.default_run_id)]
        _check_summary(await sl.summary(task.task_id, run_id=task.default_run_id), first)
        assert {d.label for s in first for d in s.detections} == {"bus", "person"}
        hits = [h async for h in sl.search(label="bus", page_size=1)]
        assert [(h.task_id, h.run_id) for h in hits] == [(task.task_id, run.run_id)]
        assert [h async for h in sl.search(label="person", min_confidence=0.1)] == []
        with pytest.raises(InvalidRequest, match="confidence must be between 0 and 1"):
            await sl.reanalyze(task.task_id, confidence=1.5)

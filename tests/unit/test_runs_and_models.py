"""Models, runs and summaries: the pure rules, the model pool, the run rules of the Task aggregate."""
from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from recognition_service.handlers import class_ids
from recognition_service.models import ModelPool
from relay.mapping import outgoing
from scenelens.adapters.models import model_labels, model_version, weights_hash
from scenelens.application import TaskApplication
from scenelens.domain.errors import (
    InvalidRequest,
    PermanentFailure,
    RunNotFound,
    TaskGone,
    TaskNotFound,
    TaskNotReady,
)
from scenelens.domain.ids import segment_id
from scenelens.domain.models import ModelConfig, ModelInfo, parse_labels, resolve_options
from scenelens.domain.summary import summarize
from scenelens.domain.task import FIRST_RUN, run_id
from scenelens.settings import Settings
from scenelens.v1 import commands_pb2

TENANT = uuid.uuid4()
COCO = ("person", "bicycle", "car", "dog")
MODELS = {
    "small": ModelInfo("small", "/m/small", "", "8.4.0+aaaa", 0.25, COCO, True),
    "strict": ModelInfo("strict", "/m/small", "", "8.4.0+aaaa", 0.6, COCO),
}


# -- options ------------------------------------------------------------------------------------

def test_options_default_to_the_default_model_and_its_threshold() -> None:
    opts = resolve_options(MODELS, "small")
    assert (opts.model, opts.confidence, opts.labels) == ("small", 0.25, ())
    strict = resolve_options(MODELS, "small", model="strict", labels=["dog,person", "dog"])
    assert (strict.confidence, strict.labels) == (0.6, ("dog", "person"))
    assert resolve_options(MODELS, "small", confidence=0.0).confidence == 0.0
    assert resolve_options(MODELS, "small", confidence=1).confidence == 1.0


@pytest.mark.parametrize("kwargs, message", [
    ({"model": "huge"}, "unknown model 'huge'; configured models: small, strict"),
    ({"confidence": 1.5}, "confidence must be between 0 and 1, got 1.5"),
    ({"confidence": -0.01}, "confidence must be between 0 and 1"),
    ({"confidence": float("nan")}, "confidence must be between 0 and 1"),
    ({"labels": ["person", "unicorn"]}, "unknown label 'unicorn' for model 'small'"),
])
def test_bad_options_are_invalid_requests(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_options(MODELS, "small", **kwargs)  # type: ignore[arg-type]


def test_parse_labels() -> None:
    assert parse_labels(["a, b", "", " c ", "a"]) == ["a", "b", "c"]


# -- settings and the registry ----------------------------------------------------------------

def test_settings_models_and_the_single_model_fallback() -> None:
    single = Settings(model="/x/yolov8s.pt")
    assert list(single.model_configs) == ["yolov8s"] and single.default_model_name == "yolov8s"
    many = Settings(models='{"a": {"path": "a.pt"}, "b": {"path": "b", "confidence": 0.5}}')
    assert many.default_model_name == "a"
    assert Settings(models='{"a": {"path": "a.pt"}}', default_model="a").default_model_name == "a"
    with pytest.raises(ValueError, match="default_model"):
        Settings(models='{"a": {"path": "a.pt"}}', default_model="b")
    with pytest.raises(ValueError):
        Settings(models='{"a": {"path": "a.pt", "confidence": 2}}')


def test_weights_hash_is_deterministic_and_sees_every_file(tmp_path: Path) -> None:
    export = tmp_path / "m_openvino_model"
    export.mkdir()
    (export / "m.xml").write_text("graph")
    (export / "m.bin").write_bytes(b"\1\2\3")
    first = weights_hash(export)
    assert len(first) == 12 and weights_hash(export) == first
    (export / "m.bin").write_bytes(b"\1\2\4")
    assert weights_hash(export) != first
    assert weights_hash(tmp_path / "absent.pt") == ""
    assert model_version(export).endswith("+" + weights_hash(export))


def test_labels_from_settings_metadata_or_coco(tmp_path: Path) -> None:
    export = tmp_path / "custom_openvino_model"
    export.mkdir()
    (export / "metadata.yaml").write_text("names:\n  0: cat\n  1: hat\n")
    assert model_labels(ModelConfig(path=str(export))) == ["cat", "hat"]
    assert model_labels(ModelConfig(path="x.pt", labels=["a"])) == ["a"]
    coco = model_labels(ModelConfig(path=str(tmp_path / "yolo11n.pt")))
    assert len(coco) == 80 and coco[0] == "person"


def test_class_ids() -> None:
    names = {0: "person", 1: "bicycle", 2: "car"}
    assert class_ids(names, []) is None
    assert class_ids(names, ["car", "person"]) == [0, 2]
    with pytest.raises(PermanentFailure):
        class_ids(names, ["dog"])


def test_model_pool_shares_weights_and_keeps_at_most_n_loaded() -> None:
    loads: list[tuple[str, str]] = []

    def loader(path: str, device: str) -> object:
        loads.append((path, device))
        return object()

    models = {
        **MODELS,
        "b": ModelInfo("b", "/m/b", "", "v", 0.25, COCO),
        "c": ModelInfo("c", "/m/c", "cpu", "v", 0.25, COCO),
    }
    pool = ModelPool(models, "small", loader, max_loaded=2)

    async def run() -> None:
        a = await pool.get("")
        assert a.info.name == "small"
        assert (await pool.get("strict")).detector is a.detector  # same weights: one load
        await asyncio.gather(pool.get("b"), pool.get("b"))  # concurrent: one load
        await pool.get("c")
        assert pool.loaded == [("/m/b", ""), ("/m/c", "cpu")]
        await pool.get("small")  # evicted before: loads again
        with pytest.raises(PermanentFailure, match="not configured"):
            await pool.get("nope")

    asyncio.run(run())
    assert loads == [("/m/small", ""), ("/m/b", ""), ("/m/c", "cpu"), ("/m/small", "")]


# -- summaries ----------------------------------------------------------------------------------

def test_summary_counts_best_confidence_segments_and_merged_ranges() -> None:
    def row(label: str, conf: float, i: int) -> dict[str, object]:
        return {"label": label, "confidence": conf, "segment_id": f"s{i}", "segment_index": i,
                "start_time_s": i * 2.0, "end_time_s": i * 2.0 + 2.0}

    rows = [row("person", 0.9, 0), row("person", 0.5, 0), row("person", 0.7, 1),
            row("person", 0.8, 3), row("dog", 0.95, 2)]
    person, dog = summarize(rows)
    assert (person.label, person.detection_count, person.max_confidence) == ("person", 4, 0.9)
    assert [(a.index, a.detection_count, a.max_confidence) for a in person.segments] == [
        (0, 2, 0.9), (1, 1, 0.7), (3, 1, 0.8)]
    assert person.time_ranges == [(0.0, 4.0), (6.0, 8.0)]
    assert (dog.detection_count, dog.time_ranges) == (1, [(4.0, 6.0)])
    photo = summarize([{"label": "bus", "confidence": 0.8, "segment_id": "p",
                        "segment_index": 0, "start_time_s": 0.0, "end_time_s": 0.0}])
    assert photo[0].time_ranges == [] and len(photo[0].segments) == 1


# -- runs in the Task aggregate ---------------------------------------------------------------

def _app() -> TaskApplication:
    return TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def _result(sid: str, **extra: object) -> dict[str, object]:
    return dict(segment_id=sid, detections=[], model_name="m", model_version="1",
                result_key="r", width=64, height=48, **extra)


def _done_video(app: TaskApplication, scenes: int = 2) -> uuid.UUID:
    tid = uuid.uuid4()
    app.create_task(task_id=tid, kind="video", filename="v.mp4", content_type="video/mp4",
                    size_bytes=10, input_key="in", scene_options={}, tenant_id=TENANT,
                    tier="pro", analysis_options={"model": "small", "confidence": 0.25,
                                                  "labels": []})
    for i in range(scenes):
        app.record_scene(tid, segment_id=str(segment_id(tid, i)), index=i, start_time_s=i,
                         end_time_s=i + 1.0, start_frame=i, end_frame=i, key_frame_time_s=i,
                         image_key=f"scene-{i}", width=64, height=48)
    app.finish_split(tid, scenes)
    for i in range(scenes):
        app.record_recognition(tid, **_result(str(segment_id(tid, i))))
    assert app.get_task(tid).status == "DONE"
    return tid


def test_reanalysis_is_a_new_run_with_the_same_done_rule() -> None:
    app = _app()
    tid = _done_video(app)
    s0, s1 = str(segment_id(tid, 0)), str(segment_id(tid, 1))
    started = app.reanalyze(tid, TENANT, {"model": "strict", "confidence": 0.6, "labels": []})
    assert (started.run_id, started.number) == (str(run_id(tid, 2)), 2)
    snap = app.get_task(tid)
    assert snap.default_run_id == str(run_id(tid, FIRST_RUN))  # until run 2 finishes
    assert snap.run(started.run_id).segments == {s0: "PENDING", s1: "PENDING"}
    assert snap.run("").number == 1 and snap.run("").options["model"] == "small"
    rid = started.run_id
    assert app.record_run_recognition(tid, run_id=rid, confidence=0.6, iou=0.7, labels=[],
                                      **_result(s0))
    assert not app.record_run_recognition(tid, run_id=rid, confidence=0.6, iou=0.7, labels=[],
                                          **_result(s0))  # a redelivery changes nothing
    assert app.get_task(tid).run(rid).status == "PROCESSING"
    assert app.fail_run_segment(tid, rid, s1, "boom")
    snap = app.get_task(tid)
    assert snap.run(rid).status == "DONE" and snap.default_run_id == rid
    assert snap.status == "DONE" and snap.segments[s0] == (0, "DONE")  # run 1 untouched
    # A run whose every segment fails is FAILED and never becomes the default.
    third = app.reanalyze(tid, TENANT, {"model": "small", "confidence": 0.1, "labels": []})
    for sid in (s0, s1):
        app.fail_run_segment(tid, third.run_id, sid, "boom")
    snap = app.get_task(tid)
    assert snap.run(third.run_id).status == "FAILED" and snap.default_run_id == rid
    with pytest.raises(RunNotFound):
        snap.run(str(uuid.uuid4()))
    topics = [e.topic.rsplit(".", 1)[-1] for e in app.recorder.select_events(tid)]
    assert topics.count("Completed") == 1  # a re-run never completes the task again


def test_reanalysis_rules() -> None:
    app = _app()
    tid = uuid.uuid4()
    app.create_task(task_id=tid, kind="photo", filename="a.jpg", content_type="image/jpeg",
                    size_bytes=1, input_key="in/a.jpg", scene_options={}, tenant_id=TENANT,
                    tier="pro")
    with pytest.raises(TaskNotReady, match="still being analysed"):
        app.reanalyze(tid, TENANT, {})
    app.record_recognition(tid, **_result(str(segment_id(tid, 0))))
    with pytest.raises(TaskNotFound):
        app.reanalyze(tid, uuid.uuid4(), {})  # another tenant's
    with pytest.raises(TaskNotFound):
        app.reanalyze(uuid.uuid4(), TENANT, {})
    started = app.reanalyze(tid, TENANT, {"model": "small"})
    app.delete_task(tid, TENANT)
    with pytest.raises(TaskNotFound):
        app.reanalyze(tid, TENANT, {})  # deleted
    with pytest.raises(TaskGone):
        app.record_run_recognition(tid, run_id=started.run_id, confidence=None, iou=None,
                                   labels=[], **_result(str(segment_id(tid, 0))))
    failed = uuid.uuid4()
    app.create_task(task_id=failed, kind="video", filename="v.mp4", content_type="video/mp4",
                    size_bytes=1, input_key="in", scene_options={}, tenant_id=TENANT, tier="pro")
    app.fail_task(failed, "undecodable")
    with pytest.raises(InvalidRequest, match="no key frames"):
        app.reanalyze(failed, TENANT, {})


def test_relay_sends_one_recognition_per_segment_of_a_run() -> None:
    app = _app()
    tid = _done_video(app, scenes=3)
    started = app.reanalyze(tid, TENANT, {"model": "strict", "confidence": 0.6,
                                          "labels": ["person"]})
    stored = app.recorder.select_events(tid)
    run_started = app.mapper.to_domain_event(stored[-1])
    out = outgoing(run_started)
    commands = [o for o in out if o.queue]
    assert [o.routing_key for o in out if not o.queue] == ["task.run_started"]
    assert len(commands) == 3 and len({o.message_id for o in commands}) == 3
    cmd = commands[1].msg
    assert isinstance(cmd, commands_pb2.RecognizeFrame)
    assert (cmd.run_id, cmd.model, cmd.index, cmd.image_key, cmd.width) == (
        started.run_id, "strict", 1, "scene-1", 64)
    # Event ids are deterministic: the same event maps to the same message ids again.
    assert [o.message_id for o in outgoing(run_started)] == [o.message_id for o in out]
    first = outgoing(app.mapper.to_domain_event(stored[1]))  # SceneExtracted
    assert first[1].msg.run_id == str(run_id(tid, FIRST_RUN))  # type: ignore[attr-defined]


def test_events_from_before_runs_are_upcast() -> None:
    """TaskCreated v3 (no analysis options) and FrameRecognized v1 (no thresholds) still load."""
    import json
    from dataclasses import replace

    app = _app()
    tid = _done_video(app, scenes=1)
    stored = app.recorder.select_events(tid)
    old = []
    for s in stored:
        state = json.loads(s.state)
        if s.topic.endswith("Task.Created"):
            state.pop("analysis_options")
            state["class_version"] = 3
        if s.topic.endswith("Task.FrameRecognized"):
            for key in ("confidence", "iou", "labels"):
                state.pop(key)
            state.pop("class_version", None)
        old.append(app.mapper.to_domain_event(replace(s, state=json.dumps(state).encode())))
    created, recognized = old[0], old[-2]
    assert created.analysis_options == {}
    assert (recognized.confidence, recognized.iou, recognized.labels) == (None, None, [])
    task = None
    for e in old:
        task = e.mutate(task)
    assert task is not None and task.status == "DONE" and task.runs == {}

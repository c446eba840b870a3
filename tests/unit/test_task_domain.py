"""The Task aggregate's rules: idempotent commands and the done rule, in memory."""
from __future__ import annotations

import uuid

import pytest

from scenelens.application import TaskApplication
from scenelens.domain.errors import TaskGone, TaskNotFound
from scenelens.domain.ids import segment_id

TENANT = uuid.uuid4()


def _app() -> TaskApplication:
    return TaskApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def _scene(tid: uuid.UUID, i: int) -> dict[str, object]:
    return dict(segment_id=str(segment_id(tid, i)), index=i, start_time_s=float(i),
                end_time_s=i + 1.0, start_frame=i * 30, end_frame=i * 30 + 29,
                key_frame_time_s=i + 0.5, image_key=f"k{i}", width=64, height=48)


def _result(sid: str) -> dict[str, object]:
    return dict(segment_id=sid, detections=[], model_name="m", model_version="1",
                result_key="r", width=64, height=48)


def _video(app: TaskApplication) -> uuid.UUID:
    tid = uuid.uuid4()
    app.create_task(task_id=tid, kind="video", filename="v.mp4", content_type="video/mp4",
                    size_bytes=10, input_key="in", scene_options={},
                    tenant_id=TENANT, tier="pro")
    return tid


def test_photo_is_done_after_its_one_frame_and_duplicates_change_nothing() -> None:
    app = _app()
    tid = uuid.uuid4()
    app.create_task(task_id=tid, kind="photo", filename="a.jpg", content_type="image/jpeg",
                    size_bytes=3, input_key="k", scene_options={},
                    tenant_id=TENANT, tier="pro")
    sid = str(segment_id(tid, 0))
    assert app.get_task(tid).status == "PENDING"
    assert app.record_recognition(tid, **_result(sid)) is True
    assert app.record_recognition(tid, **_result(sid)) is False
    task = app.get_task(tid)
    assert task.status == "DONE"
    assert task.segments == {sid: (0, "DONE")}


def test_video_completes_only_when_split_and_every_segment_settled_in_any_order() -> None:
    app = _app()
    tid = _video(app)
    for i in range(3):
        assert app.record_scene(tid, **_scene(tid, i))
    assert not app.record_scene(tid, **_scene(tid, 1))  # redelivered scene
    # Recognition of two scenes arrives before splitting is known to be over.
    app.record_recognition(tid, **_result(str(segment_id(tid, 2))))
    app.fail_segment(tid, str(segment_id(tid, 0)), "boom")
    assert app.get_task(tid).status == "PROCESSING"
    assert app.finish_split(tid, 3)
    assert not app.finish_split(tid, 3)
    assert app.get_task(tid).status == "PROCESSING"
    app.record_recognition(tid, **_result(str(segment_id(tid, 1))))
    task = app.get_task(tid)
    assert task.status == "DONE"
    assert sorted(s for _, s in task.segments.values()) == ["DONE", "DONE", "FAILED"]


def test_all_segments_failed_fails_the_task() -> None:
    app = _app()
    tid = _video(app)
    app.record_scene(tid, **_scene(tid, 0))
    app.finish_split(tid, 1)
    app.fail_segment(tid, str(segment_id(tid, 0)), "bad")
    task = app.get_task(tid)
    assert task.status == "FAILED"
    assert task.error == "bad"  # one segment: its own reason


def test_every_segment_failed_gives_the_count_and_the_first_reason() -> None:
    app = _app()
    tid = _video(app)
    for i in range(3):
        app.record_scene(tid, **_scene(tid, i))
    app.finish_split(tid, 3)
    app.fail_segment(tid, str(segment_id(tid, 2)), "late one")
    app.fail_segment(tid, str(segment_id(tid, 0)), "cannot decode image: truncated")
    app.fail_segment(tid, str(segment_id(tid, 1)), "other")
    task = app.get_task(tid)
    assert task.status == "FAILED"
    assert task.error == "all 3 segments failed; the first: cannot decode image: truncated"


def test_deleted_task_rejects_late_work_and_second_delete() -> None:
    app = _app()
    tid = _video(app)
    app.delete_task(tid)
    with pytest.raises(TaskGone):
        app.record_scene(tid, **_scene(tid, 0))
    with pytest.raises(TaskNotFound):
        app.delete_task(tid)
    with pytest.raises(TaskNotFound):
        app.get_task(uuid.uuid4())


def test_failed_task_ignores_later_results() -> None:
    app = _app()
    tid = _video(app)
    assert app.fail_task(tid, "undecodable video: junk")
    assert not app.fail_task(tid, "again")
    assert not app.finish_split(tid, 2)
    assert app.get_task(tid).status == "FAILED"


def test_split_progress_only_grows_in_hundredths_and_ends_at_one() -> None:
    app = _app()
    tid = _video(app)

    def progress() -> float:
        return float(app.repository.get(tid).split_progress)

    assert progress() == 0.0
    assert app.report_split_progress(tid, 0.257) is True
    assert progress() == 0.25  # hundredths, rounded down
    assert app.report_split_progress(tid, 0.259) is False  # the same hundredth
    assert app.report_split_progress(tid, 0.1) is False  # a redelivered split starting over
    assert app.report_split_progress(tid, 1.0) is True
    assert progress() == 0.99  # 1 is the split itself
    with pytest.raises(ValueError):
        app.report_split_progress(tid, float("nan"))
    app.record_scene(tid, **_scene(tid, 0))
    assert app.finish_split(tid, 1)
    assert progress() == 1.0
    assert app.report_split_progress(tid, 0.995) is False  # a late report after the split
    names = [type(e).__name__ for e in app.repository.event_store.get(tid)]
    assert names.count("SplitProgressed") == 2


def test_split_progress_is_for_live_videos_only() -> None:
    app = _app()
    photo = uuid.uuid4()
    app.create_task(task_id=photo, kind="photo", filename="a.jpg", content_type="image/jpeg",
                    size_bytes=3, input_key="k", scene_options={}, tenant_id=TENANT, tier="pro")
    assert app.report_split_progress(photo, 0.5) is False
    tid = _video(app)
    app.delete_task(tid)
    with pytest.raises(TaskGone):
        app.report_split_progress(tid, 0.5)

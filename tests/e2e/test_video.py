"""Videos end to end: scenes, key frames, recognition per scene, done-ness (issue 3)."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from bench.synth import make_oriented
from tests.support import ApiClient, Stores

TOLERANCE = 2  # frames


def test_testvideo_gives_five_scenes_at_known_cuts(api: ApiClient, stores: Stores,
                                                    shared_videos: Path) -> None:
    task = api.create((shared_videos / "testvideo.mp4").read_bytes(), "testvideo.mp4",
                      content_type="video/mp4")
    assert task["kind"] == "MEDIA_KIND_VIDEO"
    done = api.wait_terminal(task["task_id"], timeout=120)
    assert done["status"] == "TASK_STATUS_DONE", done
    # The default "transition" detector: hard cuts at 30 and 180, the fade-out/black/fade-in
    # 330-425 cut at its middle (377), the dissolve 528-558 at its middle (543).
    assert (done["segments_total"], done["segments_done"]) == (5, 5)
    segments = api.all_segments(task["task_id"])
    assert [s["index"] for s in segments] == [0, 1, 2, 3, 4]
    cuts = [int(s["start_frame"]) for s in segments[1:]]
    for got, want in zip(cuts, [30, 180, 377, 543], strict=True):
        assert abs(got - want) <= TOLERANCE, cuts
    fps = 30000 / 1001
    # Key frames: the middle of each picture's still hold, never inside a fade.
    stills = [(0, 30), (30, 180), (240, 330), (425, 528), (558, 664)]
    for s, (first, last) in zip(segments, stills, strict=True):
        assert s["status"] == "SEGMENT_STATUS_DONE"
        assert s["start_time_s"] < s["key_frame_time_s"] < s["end_time_s"]
        assert abs(s["key_frame_time_s"] * fps - (first + last) / 2) <= 2
        assert (s["width"], s["height"]) == (1280, 720)
    assert abs(segments[-1]["end_time_s"] - 24.0) < 0.1
    keys = stores.keys(f"scene-images/{task['task_id']}/")
    assert sorted(keys) == sorted(
        f"scene-images/{task['task_id']}/image_{s['segment_id']}.jpg" for s in segments)
    # What each still shows, as the COCO model sees it: black (nothing), a bird, a giraffe, a
    # bird, and a last picture of nothing it knows well. Each scene's own key frame was
    # recognised: its most confident detection is that scene's subject.
    expected = [None, "bird", "giraffe", "bird"]
    for s in segments:
        seg = api.segment(task["task_id"], s["segment_id"]).json()
        assert seg["result_image_url"].startswith("http"), seg
        assert int(seg["detection_count"]) == len(seg["detections"])
        if s["index"] < len(expected):
            best = max(seg["detections"], key=lambda d: d["confidence"], default=None)
            assert (best and best["label"]) == expected[s["index"]], (s["index"], seg)
        for d in seg["detections"]:
            assert 0 <= d["box"]["x1"] < d["box"]["x2"] <= 1280
            assert 0 <= d["box"]["y1"] < d["box"]["y2"] <= 720


def test_video_without_cuts_is_one_segment(api: ApiClient, shared_videos: Path) -> None:
    task = api.create((shared_videos / "counter.mp4").read_bytes(), "counter.mp4")
    done = api.wait_terminal(task["task_id"], timeout=60)
    assert done["status"] == "TASK_STATUS_DONE", done
    segments = api.all_segments(task["task_id"])
    assert len(segments) == 1
    assert abs(segments[0]["end_time_s"] - 3.0) < 0.15
    assert (segments[0]["width"], segments[0]["height"]) == (1920, 1080)


def test_rotated_video_gives_upright_key_frames(api: ApiClient, stores: Stores,
                                                tmp_path: Path) -> None:
    # Top half white, bottom half black, stored 320x240 with a 90-degree rotation tag.
    src = make_oriented(tmp_path / "rotated.mp4", 90)
    task = api.create(src.read_bytes(), "rotated.mp4")
    done = api.wait_terminal(task["task_id"], timeout=60)
    assert done["status"] == "TASK_STATUS_DONE", done
    seg = api.all_segments(task["task_id"])[0]
    assert (seg["width"], seg["height"]) == (240, 320)  # portrait once rotated
    frame = np.asarray(Image.open(io.BytesIO(stores.get(
        f"scene-images/{task['task_id']}/image_{seg['segment_id']}.jpg"))).convert("L"))
    h, w = frame.shape
    assert h > w
    left, right = frame[:, : w // 2].mean(), frame[:, w // 2 :].mean()
    # Rotating 90 degrees counter-clockwise puts the white top on the left.
    assert left - right > 100


def test_bad_videos_fail_with_reason_and_leave_no_orphans(api: ApiClient, stores: Stores,
                                                          shared_videos: Path,
                                                          tmp_path: Path) -> None:
    good = (shared_videos / "testvideo.mp4").read_bytes()
    empty = tmp_path / "noframes.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc", "-t", "1",
                    "-c:a", "aac", "-y", str(empty)], check=True)
    cases = {
        # testvideo.mp4 keeps its index (moov) at the end: cut short, nothing can be decoded.
        "truncated.mp4": good[: len(good) // 3],
        "random.mp4": np.random.default_rng(7).bytes(200_000),
        "noframes.mp4": empty.read_bytes(),
    }
    for name, data in cases.items():
        task = api.create(data, name, content_type="video/mp4")
        done = api.wait_terminal(task["task_id"], timeout=120)
        assert done["status"] == "TASK_STATUS_FAILED", (name, done)
        assert done["error"], (name, done)
        assert stores.keys(f"scene-images/{task['task_id']}/") == []
        assert stores.keys(f"recognition-results/{task['task_id']}/") == []


def test_scene_options_are_validated_and_applied(api: ApiClient, shared_videos: Path) -> None:
    data = (shared_videos / "testvideo.mp4").read_bytes()
    task = api.create(data, "testvideo.mp4", max_scenes=2, scene_detector="content")
    assert task["scene_options"]["max_scenes"] == 2
    done = api.wait_terminal(task["task_id"], timeout=120)
    assert done["status"] == "TASK_STATUS_DONE"
    assert done["segments_total"] == 2
    page = api.segments(task["task_id"], page_size=1).json()
    assert len(page["segments"]) == 1 and page["next_page_token"] and page["total_size"] == 2
    rest = api.segments(task["task_id"], page_size=1, page_token=page["next_page_token"]).json()
    assert [s["index"] for s in rest["segments"]] == [1] and not rest.get("next_page_token")


def test_fast_transition_detector_is_an_option(api: ApiClient, shared_videos: Path) -> None:
    # "transition-fast" is the default detector without TransNetV2's check of the gradual
    # transitions it finds: on testvideo.mp4, whose transitions are all real, the same cuts.
    data = (shared_videos / "testvideo.mp4").read_bytes()
    task = api.create(data, "testvideo.mp4", scene_detector="transition-fast")
    assert task["scene_options"]["detector"] == "transition-fast"
    done = api.wait_terminal(task["task_id"], timeout=120)
    assert done["status"] == "TASK_STATUS_DONE", done
    cuts = [int(s["start_frame"]) for s in api.all_segments(task["task_id"])[1:]]
    assert len(cuts) == 4, cuts
    for got, want in zip(cuts, [30, 180, 377, 543], strict=True):
        assert abs(got - want) <= TOLERANCE, cuts

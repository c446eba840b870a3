"""Is a gradual change a blend of two pictures, one picture moving, or one picture relit
(ninth round)?

At the detector's 32x18 thumbnails a whip pan or a fast zoom looks like a dissolve: a blurred
picture sliding by is close to a mix of where it starts and where it ends. At 96x54 it is not:
a dissolve's middle frames show both pictures at once (ghosted edges), a pan's and a zoom's show
one picture, shifted or scaled. warp_over_blend() compares how well each explains the middle
frames of a candidate transition. relit() tells a shot whose light goes down or up (the same
picture, darker or brighter) from a new shot.
"""

from __future__ import annotations

import cv2
import numpy as np

DETAIL_SIZE = (96, 54)  # (w, h) of the luma frames compared here
# The frames' borders are left out: a shifted or scaled picture has no content there.
_BORDER = (8, 12)  # rows, columns
# Zooms tried, about the centre; each scale's shift is found by phase correlation.
_SCALES = (0.8, 0.9, 1.0, 1.11, 1.25)
_FRACTIONS = (0.25, 0.5, 0.75)  # the middle frames looked at, as parts of the transition
_FLOOR = 1e-4  # of full scale: a blend residual this small counts as this much
# relit(): the pictures either side correlate at least this (at two distances from the
# change) and one is at most this much as bright as the other.
_RELIT_CORRELATION = 0.55
_RELIT_BRIGHTNESS = 0.65


def detail_frame(frame: np.ndarray) -> np.ndarray:
    """A BGR (or grey) frame as compared here: its luma at DETAIL_SIZE, uint8."""
    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return cv2.resize(grey, DETAIL_SIZE, interpolation=cv2.INTER_AREA)


def middle_frames(first: int, last: int) -> list[int]:
    """The frames of a transition that warp_over_blend() looks at."""
    return [int(round(first + f * (last - first))) for f in _FRACTIONS]


def warp_over_blend(start: np.ndarray, middles: list[np.ndarray], end: np.ndarray) -> float:
    """Median over the middle frames of (how far the frame is from the nearest shifted and
    scaled copy of start or end) / (how far it is from the nearest blend of start and end);
    detail frames (DETAIL_SIZE luma, uint8). Well under 1: the picture moved (a pan, a zoom).
    Well over 1: two pictures were mixed (a dissolve). About 1: neither explains it better."""
    a, b = _float(start), _float(end)
    ratios = []
    for m in map(_float, middles):
        warp = min(_warp_residual(m, a), _warp_residual(m, b))
        ratios.append(warp / (_blend_residual(m, a, b) + _FLOOR))
    return float(np.median(ratios))


def relit(
    before: list[np.ndarray],
    after: list[np.ndarray],
    *,
    correlation: float = _RELIT_CORRELATION,
    brightness: float = _RELIT_BRIGHTNESS,
) -> bool:
    """Is the picture after a change the picture before it, brighter or darker: the light
    changed, the shot did not? before and after: detail frames at matching distances before
    and after the change (the nearest first). Every pair must correlate (pixel by pixel), and
    the nearest pair differ in brightness by a good factor (a dissolve between two framings of
    one picture correlates too, but keeps its brightness). correlation and brightness: the
    bars, for a change other than a gradual transition's."""
    for a, b in zip(before, after, strict=True):
        x, y = _core(_float(a)).ravel(), _core(_float(b)).ravel()
        if x.std() < 1e-3 or y.std() < 1e-3 or np.corrcoef(x, y)[0, 1] < correlation:
            return False
    near_a, near_b = _core(_float(before[0])).mean(), _core(_float(after[0])).mean()
    ratio = (near_b + 1e-3) / (near_a + 1e-3)
    return bool(ratio <= brightness or ratio >= 1 / brightness)


def _float(frame: np.ndarray) -> np.ndarray:
    return frame.astype(np.float32) / 255.0


def _core(frame: np.ndarray) -> np.ndarray:
    rows, cols = _BORDER
    return frame[rows:-rows, cols:-cols]


def _blend_residual(m: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference between m and the best mix (1 - x) a + x b, x in [0, 1]."""
    d = _core(b - a).ravel()
    v = _core(m - a).ravel()
    x = float(np.clip(d @ v / (d @ d + 1e-9), 0.0, 1.0))
    return float(np.abs(v - x * d).mean())


def _warp_residual(m: np.ndarray, x: np.ndarray) -> float:
    """Mean absolute difference between m and x scaled (by each of _SCALES, about the centre)
    and shifted (by phase correlation, or not at all), the best of them."""
    h, w = x.shape
    target = _core(m)
    best = float("inf")
    for s in _SCALES:
        zoom = np.array([[s, 0, (1 - s) * w / 2], [0, s, (1 - s) * h / 2]], np.float32)
        scaled = cv2.warpAffine(
            x, zoom, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
        )
        (dx, dy), _ = cv2.phaseCorrelate(scaled, m)
        for shift in ((dx, dy), (0.0, 0.0)):
            move = np.array([[1, 0, shift[0]], [0, 1, shift[1]]], np.float32)
            moved = cv2.warpAffine(
                scaled, move, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
            )
            best = min(best, float(np.abs(target - _core(moved)).mean()))
    return best

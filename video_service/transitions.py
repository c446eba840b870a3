"""A shot-transition detector for hard cuts, fades (to and from black or white) and dissolves.

Works on 32x18 thumbnails of the frames PySceneDetect hands it (docs/scene-detection.md,
"Transition detector"). Streaming: it keeps a window of recent thumbnails and one byte per frame.
"""

from __future__ import annotations

import itertools
from array import array
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np
from scenedetect import FrameTimecode, SceneDetector

from video_service.motion import (
    DETAIL_SIZE,
    detail_frame,
    middle_frames,
    relit,
    warp_over_blend,
)

# Tuned on the development part of bench/scenes.py (never on its held-out part).
THUMB_SIZE = (32, 18)  # thumbnail (w, h): fine enough for cuts between crops of one picture
_HALF_WIDTHS = (2, 3, 5, 8, 12, 17, 20, 25)  # half-lengths of the gradual windows tried, frames
_OUTSIDE_CAP = 12  # frames looked at on either side of a window to judge it stable
_NEIGHBOURS = 3  # a hard cut must stand out against the changes this many frames around it
_HARD_CONTRAST = 2.5  # ... by this factor
# ... or, a cut into or out of fast motion, by _STEADY_SIDE on its steady side and by
# _MOVING_SIDE on the other (a fast shot changes every frame, though less than a cut does).
_STEADY_SIDE, _MOVING_SIDE = 4.0, 1.6
_FLASH_RATIO = 0.5  # the old picture must not come back within a few frames (a flash)
_SOFT_FACTOR = 0.8  # a gradual change needs threshold * this between its ends
_BLEND_RESIDUAL = 0.35  # inside a dissolve a frame is a blend of the ends (global residual)
_PIXEL_RESIDUAL = 0.25  # ... or each pixel lies between its two ends (wipes)
_STABLE_CONTRAST = 2.0  # the change across the window vs. the change just outside it
_RATE_CONTRAST = 1.5  # ... and per frame
_COARSE_CONTRAST = 3.0  # the same on 8x6 block means, which also steady a moving camera
_MONOTONE = 0.1  # the blend coefficient across a window may fall back by this much in all
_MONOTONE_POINTS = 8  # ... looked at in this many steps
_VAR_CORRELATION = 0.4  # variance path: the ends are little correlated
_VAR_RESIDUAL = 0.05  # ... the variance follows the dissolve's parabola
_VAR_DIP = 0.7  # ... and dips in the middle (to 0.5 + correlation / 2 of its ends)
_VAR_STABLE = 0.15  # ... and is steady outside the window
_VAR_MIN_HALF = 5  # ... over at least 11 frames (fewer fit any wobble of a moving shot)
_BLANK_STD = 0.03  # a frame this uniform (std of 0..1 values) and this dark or bright is
_DARK, _BRIGHT = 0.12, 0.88  # black or white: what a fade goes through (a flat colour is a shot)
# A dark (or bright) frame as uniform as blank is still a picture while it moves (a flight through
# a starfield, a night scene): over the last _MOVING_PAIRS frame changes, thumbnails change by at
# least _MOVING_DARK a frame on average (halved per frame at 50-60 fps), and at most
# _MOVING_LEVEL of that change is the whole frame brightening or darkening, which is what a fade
# through black or white does. Black with grain or a still caption changes less than 0.0003.
_MOVING_PAIRS = 4
_MOVING_DARK = 0.0005
_MOVING_LEVEL = 0.5
_FADE_MAX = 60  # frames a fade through blank may take on either side of the blank frames
_FADE_STEP = 0.002  # contrast must keep rising by this much per frame away from the blank
_HARD_LAG = _NEIGHBOURS + 2
# The lengths above are frames at 24-30 fps; at 50 or 60 fps they are doubled (TransitionDetector's
# stride), so that a window spans the same time.
_NOMINAL_FPS = 25.0
# Gradual transitions found by blending (not the fades through black or white) are checked by
# a shot-boundary model when one is given (Verifier): kept when it scores at least this on some
# frame of the transition, give or take _VERIFY_MARGIN of its frames. On the development videos
# TransNetV2 gave the false ones at most 0.007 (one at a flash, 0.31) and the true ones at least
# 0.156 (dissolves between framings of one picture); 0.03 is the middle of that gap on a log
# scale.
_VERIFY_MIN = 0.03
_VERIFY_MARGIN = 2
# Tenth round: a transition is first shown to the model on a _WEAK_FRAMES window; under
# _FIRST_LOW it is dropped, at _FIRST_HIGH or more kept (as far as the model goes), and only in
# between shown again on the full window, whose score decides. On the development videos the
# short window scored every transition the full one kept at 0.0136 or more and every one the
# full window scored under _WARP_SCORE at 0.41 at most: the same cuts; 234 of 371 strong
# candidates were settled by the short window, and the model saw 10 % fewer frames in all.
_FIRST_LOW = 0.003
_FIRST_HIGH = 0.7
# With a verifier, a window that passes the blend and one-way tests but whose shots do not
# hold still just outside it (a dissolve between two moving shots, a fade into a fast zoom) is a
# weak candidate (sixth round): kept only when the model scores it at least _RESCUE_MIN, on a
# shorter window (_WEAK_FRAMES, half the cost), leaving out the frames within _RESCUE_AWAY of a
# hard cut (the model marks those too). On the development videos the rescued ones scored
# 0.9-0.97 and every bar from 0.8 to 0.9 kept the same ones and no false one.
_RESCUE_MIN = 0.9
_RESCUE_AWAY = 8
_WEAK_FRAMES = 48
# The motion test (ninth round; motion.warp_over_blend() on 96x54 luma): a transition found
# by blending whose middle frames are a shifted or scaled copy of one end rather than a mix of
# both (below _WARP_RATIO) is a pan or a zoom unless the model is fairly sure (_WARP_SCORE);
# a weak candidate that is a clear mix of both (at least _MIX_RATIO) needs only _MIX_SCORE.
# On the development videos: the eight false gradual cuts at whip pans, fast zooms and a
# shake that passed the model's bar had ratios 0.12-0.32 and scores 0.04-0.33, the true ones with a
# ratio under 0.5 scored 0.43 and more; the true weak candidates the model scored 0.55-0.88
# (under _RESCUE_MIN) had ratios 1.2-18, the false weak ones with a ratio over 1.1 scored at
# most 0.28. The bars sit between.
_WARP_RATIO = 0.4
_WARP_SCORE = 0.38
_MIX_RATIO = 1.1
_MIX_SCORE = 0.4
# ... and one whose picture after is the picture before, darker or brighter (motion.relit(),
# at _VERIFY_MARGIN and _RELIT_FAR frames out), is the light changing, whatever the model says:
# three false gradual cuts on the development videos (a shot dimming to half, one brightening
# to twice), no true one.
_RELIT_FAR = 12
# Eleventh round: a hard cut is the light switched off or on, not a new shot, when the frames
# _HARD_RELIT strides either side of it correlate at least _HARD_RELIT_CORRELATION and the
# nearer pair differ in brightness by a factor of 1 / _HARD_RELIT_BRIGHTNESS or more (with the
# motion test's detail frames, so `transition` only). On the 92 development videos the four
# false hard cuts of that kind (held-out v12's lights switched off and on) correlated at
# 0.63-0.95 with a factor of 2.8; the true cuts whose pictures correlate 0.6 or more differ in
# brightness by a factor of 1.4 at most, and those a factor of 1.5 or more apart correlate at
# 0.53 at most. Nearer than a gradual transition's ends: a moving shot decorrelates in a second.
_HARD_RELIT = (1, 4)
_HARD_RELIT_CORRELATION = 0.6
_HARD_RELIT_BRIGHTNESS = 0.5
SMALL_SIZE = (48, 27)  # (w, h) of the frames a Verifier looks at (TransNetV2's input)


class Verifier(Protocol):
    """A shot-boundary model: per frame of a window of `frames` consecutive frames (RGB uint8,
    SMALL_SIZE), the probability that the frame belongs to a transition."""

    frames: int

    def __call__(self, window: np.ndarray) -> np.ndarray: ...


def stride_for(fps: float | None) -> int:
    """Frames per nominal frame: 1 up to about 37 fps, 2 at 50 or 60 fps."""
    return max(1, round((fps or _NOMINAL_FPS) / _NOMINAL_FPS))


@dataclass(frozen=True)
class Transition:
    """A change of shot: frames first..last are inside it (a hard cut has first == last == cut).

    cut is the first frame of the new shot: a hard cut's frame, a gradual transition's middle.
    """

    first: int
    last: int
    cut: int
    strength: float
    gradual: bool

    def overlaps(self, other: Transition) -> bool:
        return self.first <= other.last and other.first <= self.last

    def merged(self, other: Transition) -> Transition:
        first, last = min(self.first, other.first), max(self.last, other.last)
        return Transition(
            first, last, (first + last + 1) // 2, max(self.strength, other.strength), True
        )


class TransitionDetector(SceneDetector):  # type: ignore[misc]
    """Finds hard cuts and gradual transitions; call transitions() after post_process.

    threshold: the mean absolute change (0..255 per channel) a hard cut needs between two
    frames; a gradual transition needs 0.8 times it between its ends.
    """

    def __init__(
        self,
        threshold: float = 13.0,
        min_scene_frames: int = 15,
        *,
        stride: int = 1,
        verifier: Verifier | None = None,
    ) -> None:
        super().__init__()
        self._hard_min = threshold / 255.0
        self._soft_min = self._hard_min * _SOFT_FACTOR
        self._min_len = max(int(min_scene_frames), 1)
        # Window lengths in frames, scaled to the frame rate (stride_for()).
        self._stride = s = max(1, int(stride))
        self._ks = tuple(k * s for k in _HALF_WIDTHS)
        self._outside_cap = _OUTSIDE_CAP * s
        self._fade_max = _FADE_MAX * s
        self._lookahead = max(self._ks) + self._outside_cap
        self._keep = 4 * self._lookahead + 2 * self._fade_max + 16
        # Ring buffers of the last _keep thumbnails and their 8x6 block means (frame i at i % _keep).
        self._ring = np.zeros((self._keep, THUMB_SIZE[1], THUMB_SIZE[0], 3), np.float32)
        self._coarse = np.zeros((self._keep, 6, 8, 3), np.float32)
        self._variance: deque[float] = deque(maxlen=self._keep)
        self._change: deque[float] = deque(maxlen=self._keep)
        # The verifier's frames: a window of verifier.frames frames, every stride-th, centred
        # on a transition's cut, which is decided at most _lookahead frames after the cut.
        self._verifier = verifier
        half = (verifier.frames // 2 if verifier else 0) * s
        self._small_keep = 2 * half + 3 * self._lookahead + 2
        self._small = np.zeros(
            (self._small_keep if verifier else 1, SMALL_SIZE[1], SMALL_SIZE[0], 3), np.uint8
        )
        # The same frames at DETAIL_SIZE for the motion test (when push() is given them).
        self._detail = np.zeros(
            (self._small_keep if verifier else 1, DETAIL_SIZE[1], DETAIL_SIZE[0]), np.uint8
        )
        self._detail_since: int | None = None  # the first frame pushed with its detail
        # (found, weak, spares): spares are a weak run's other windows, tried in turn when
        # the one found overlaps a transition found otherwise.
        self._unverified: deque[tuple[Transition, bool, tuple[Transition, ...]]] = deque()
        self._rescued: list[Transition] = []  # weak candidates the verifier kept
        self.checks: list[tuple[Transition, float]] = []  # what the verifier said of each
        self._base = 0  # the oldest frame still in the ring
        self.count = 0
        self.blank = bytearray()  # per frame: 1 if uniform
        self._contrast = array("f")  # per frame: std of the thumbnail, for fades through blank
        # The last few frames' (change, change of mean level), to tell a moving dark shot from
        # black.
        self._recent: deque[tuple[float, float]] = deque(maxlen=_MOVING_PAIRS)
        self._level = 0.0
        self._hard: list[tuple[int, float]] = []
        self._hard_unlit: deque[int] = deque()  # hard cuts waiting for the lighting test
        self.relit_cuts: list[int] = []  # hard cuts it found to be the light changing
        self._hard_next = 1
        self._soft_next = 0
        self._group: list[tuple[int, float, int]] = []  # (t, D, k) of consecutive candidates
        self._weak_group: list[tuple[int, float, int]] = []  # the same, weak ones (verifier)
        self._soft: list[Transition] = []
        self._fades: list[Transition] = []
        self._run_start: int | None = None
        self._run_left = 0
        self._run_left_thumb: np.ndarray | None = None
        # Blank runs that ended, waiting for the fade out of them to finish: (start, end, the
        # frame where the fade into the run began, that frame's thumbnail). A second run can
        # start (and end) before the first is closed.
        self._pending_runs: deque[tuple[int, int, int, np.ndarray]] = deque()
        self._done = False

    # SceneDetector interface: cuts are not reported as they come; see transitions().
    def process_frame(self, timecode: FrameTimecode, frame_img: np.ndarray) -> list[FrameTimecode]:
        if self.wants_small:
            self.push(thumbnail(frame_img), small_frame(frame_img), detail_frame(frame_img))
        else:
            self.push(thumbnail(frame_img))
        return []

    @property
    def wants_small(self) -> bool:
        """Does push() need the frame at SMALL_SIZE too (for the verifier)?"""
        return self._verifier is not None

    def push(
        self, thumb: np.ndarray, small: np.ndarray | None = None, detail: np.ndarray | None = None
    ) -> None:
        """Take the next frame as a thumbnail (thumbnail()): 18x32x3 float32 in 0..1, and, when
        wants_small, as 27x48x3 RGB uint8 (small_frame()) and, for the motion test, as 54x96
        luma uint8 (motion.detail_frame(); without it the test is not made)."""
        if self.count - self._base == self._keep:
            self._base += 1
        if self._verifier is not None:
            if small is None:
                raise ValueError("this detector verifies transitions: push() needs small")
            self._small[self.count % self._small_keep] = small
            if detail is None:
                self._detail_since = None
            else:
                self._detail[self.count % self._small_keep] = detail
                if self._detail_since is None:
                    self._detail_since = self.count
        prev = self._ring[(self.count - 1) % self._keep] if self.count else None
        slot = self.count % self._keep
        self._ring[slot] = thumb
        self._coarse[slot] = thumb.reshape(6, 3, 8, 4, 3).mean(axis=(1, 3))
        self._variance.append(float(thumb.mean(axis=2).var()))
        change = 0.0 if prev is None else _dist(prev, thumb)
        self._change.append(change)
        contrast = float(thumb.reshape(-1, 3).std(axis=0).mean())
        level = float(thumb.mean())
        if prev is not None:
            self._recent.append((change, abs(level - self._level)))
        self._level = level
        self.blank.append(
            contrast < _BLANK_STD and not _DARK < level < _BRIGHT and not self._moving()
        )
        self._contrast.append(contrast)
        self.count += 1
        self._advance(final=False)

    def _moving(self) -> bool:
        """Do the last frames move, rather than stand still or fade as a whole?"""
        if len(self._recent) < _MOVING_PAIRS:
            return False
        change = sum(c for c, _ in self._recent)
        level = sum(d for _, d in self._recent)
        return (
            change >= _MOVING_PAIRS * _MOVING_DARK / self._stride
            and level <= _MOVING_LEVEL * change
        )

    def post_process(self, timecode: FrameTimecode) -> list[FrameTimecode]:
        self.finish()
        return []

    def finish(self) -> None:
        """No more frames: decide on the last ones."""
        self._advance(final=True)
        self._done = True

    @property
    def event_buffer_length(self) -> int:
        return 0

    def transitions(self) -> list[Transition]:
        """Every transition kept, in order; gradual ones through a blank frame merged."""
        if not self._done:
            raise RuntimeError("transitions() before post_process")
        hard = [Transition(t, t, t, d, False) for t, d in self._hard]
        fades = [f for f in self._fades if not any(f.first < h.cut <= f.last for h in hard)]
        soft = [s for s in self._soft if not any(s.overlaps(f) for f in fades)]
        soft += [  # a weak candidate the verifier kept, where nothing else was found
            r
            for r in self._rescued
            if not any(r.overlaps(x) for x in soft + fades)
            and not any(r.first - 2 <= h.cut <= r.last + 2 for h in hard)
        ]
        found = sorted(hard + soft + fades, key=lambda x: (x.first, x.last))
        found = self._enforce_min_length(self._merge_blank_scenes(found))
        # A light switched off or on is no cut; it still held the other rules' places as one
        # (no gradual window spans it, and one too close to it gave way to it).
        relit = set(self.relit_cuts)
        return [x for x in found if x.gradual or x.cut not in relit]

    def gradual_spans(self) -> list[tuple[int, int]]:
        """(first, last) of every gradual transition seen, kept or not: key frames avoid them."""
        return [(s.first, s.last) for s in self._soft + self._rescued + self._fades]

    # Internals. Frame indices are absolute; _f() maps them into the window.
    def _f(self, i: int) -> np.ndarray:
        return self._ring[i % self._keep]

    def _c(self, i: int) -> np.ndarray:
        return self._coarse[i % self._keep]

    def _has(self, i: int) -> bool:
        return self._base <= i < self.count

    def _advance(self, *, final: bool) -> None:
        newest = self.count - 1
        hard_until = self.count - 1 if final else newest - _HARD_LAG
        while self._hard_next <= hard_until:
            self._test_hard(self._hard_next)
            self._hard_next += 1
        self._check_hard_light(final=final)
        soft_until = self.count - 1 if final else newest - self._lookahead
        while self._soft_next <= soft_until:
            self._test_soft(self._soft_next)
            self._soft_next += 1
        if final and self._group:
            self._close_group()
        if final and self._weak_group:
            self._close_group(weak=True)
        self._track_blank_runs(final=final)
        self._verify(final=final)

    def _verify(self, *, final: bool) -> None:
        """Ask the verifier about each gradual transition found by blending (and each weak
        candidate), once the frames after its cut are in; keep it when the model sees a
        transition there."""
        verifier, queue = self._verifier, self._unverified
        if verifier is None:
            return
        s, half = self._stride, verifier.frames // 2
        reach = max(self._ks) + 3  # a weak candidate waits for the windows that overlap it
        while queue and (
            final
            or (
                self.count - 1 >= queue[0][0].cut + half * s
                and (not queue[0][1] or self._soft_next > queue[0][0].last + reach)
            )
        ):
            tr, weak, spares = queue.popleft()
            if weak and self._explained(tr):
                # dropped anyway: no need to ask; the run's next window, if any, is asked
                if spares:
                    queue.appendleft((spares[0], True, spares[1:]))
                continue
            if weak:
                score = self._score(tr, _WEAK_FRAMES, weak=True)
            else:
                # A first look on a shorter window (less than half the cost) settles most: the
                # full window only where it is unsure.
                score = self._score(tr, _WEAK_FRAMES, weak=False)
                if _FIRST_LOW <= score < _FIRST_HIGH:
                    score = self._score(tr, verifier.frames, weak=False)
            self.checks.append((tr, score))
            if weak:
                keep = score >= _RESCUE_MIN or (
                    score >= _MIX_SCORE and self._warp_over_blend(tr, final=final) >= _MIX_RATIO
                )
            else:
                keep = score >= _VERIFY_MIN and not (
                    score < _WARP_SCORE and self._warp_over_blend(tr, final=final) < _WARP_RATIO
                )
            if keep and not self._relit(tr, final=final):
                (self._rescued if weak else self._soft).append(tr)

    def _score(self, tr: Transition, n: int, *, weak: bool) -> float:
        """The verifier's highest score on the frames of a transition (give or take
        _VERIFY_MARGIN), from a window of n frames, every stride-th, centred on its cut; for a
        weak candidate leaving out the frames near a hard cut."""
        assert self._verifier is not None
        s = self._stride
        frames = tr.cut + s * (np.arange(n) - n // 2)  # every stride-th frame around the cut
        picks = np.clip(frames, max(0, self.count - self._small_keep), self.count - 1)
        scores = np.asarray(self._verifier(self._small[picks % self._small_keep]), np.float32)
        inside = (frames >= tr.first - _VERIFY_MARGIN * s) & (
            frames <= tr.last + _VERIFY_MARGIN * s
        )
        if weak:  # TransNetV2 also marks the frames next to a hard cut
            away = _RESCUE_AWAY * s
            for h in self._hard_since(int(frames[0]) - away):
                inside &= np.abs(frames - h) > away
        return float(scores[inside].max()) if inside.any() else 0.0

    def _warp_over_blend(self, tr: Transition, *, final: bool) -> float:
        """motion.warp_over_blend() of a transition, from the frame _VERIFY_MARGIN strides
        before it to the one as far after it; 1.0 (no opinion) without its detail frames."""
        ends = self._detail_ends(tr, _VERIFY_MARGIN, final=final)
        if ends is None:
            return 1.0
        keep = self._small_keep
        middles = [self._detail[i % keep] for i in middle_frames(tr.first, tr.last)]
        return warp_over_blend(ends[0], middles, ends[1])

    def _relit(
        self,
        tr: Transition,
        *,
        final: bool,
        strides: tuple[int, int] = (_VERIFY_MARGIN, _RELIT_FAR),
        **bars: float,
    ) -> bool:
        """motion.relit() of a transition, on the detail frames that many strides either side
        of it (False without them); bars: relit()'s, when not a gradual transition's."""
        near = self._detail_ends(tr, strides[0], final=final)
        far = self._detail_ends(tr, strides[1], final=final)
        if near is None or far is None:
            return False
        return relit([near[0], far[0]], [near[1], far[1]], **bars)

    def _check_hard_light(self, *, final: bool) -> None:
        """Mark the hard cuts whose picture after is the picture before, darker or brighter
        (the light switched off or on), once the frames after them are in."""
        far = _HARD_RELIT[1] * self._stride
        while self._hard_unlit and (final or self.count - 1 >= self._hard_unlit[0] + far):
            t = self._hard_unlit.popleft()
            edge = Transition(t - 1, t, t, 0.0, False)  # the last old frame and the first new one
            if self._relit(
                edge,
                final=final,
                strides=_HARD_RELIT,
                correlation=_HARD_RELIT_CORRELATION,
                brightness=_HARD_RELIT_BRIGHTNESS,
            ):
                self.relit_cuts.append(t)

    def _detail_ends(
        self, tr: Transition, strides: int, *, final: bool
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The detail frames that many strides before and after a transition (the video's
        first or last frame where it has none that far), or None if they are not (yet, or any
        more) in the ring."""
        s, newest = self._stride, self.count - 1
        before, after = tr.first - strides * s, tr.last + strides * s
        start, end = max(before, 0), min(after, newest)
        oldest = max(self.count - self._small_keep, self._detail_since or 0)
        if self._detail_since is None or start < oldest or (after > newest and not final):
            return None
        keep = self._small_keep
        return self._detail[start % keep], self._detail[end % keep]

    def _explained(self, tr: Transition) -> bool:
        """Does a weak candidate overlap a transition found otherwise (kept or waiting for the
        verifier), a fade through black or white, or a hard cut?"""
        others = [*self._soft, *self._fades, *(x for x, w, _ in self._unverified if not w)]
        return any(tr.overlaps(x) for x in others) or any(
            h <= tr.last + 2 for h in self._hard_since(tr.first - 2)
        )

    def _hard_since(self, first: int) -> list[int]:
        """The hard cuts at or after frame first (a few recent ones: the list is in order)."""
        return [h for h, _ in itertools.takewhile(lambda x: x[0] >= first, reversed(self._hard))]

    def _track_blank_runs(self, *, final: bool) -> None:
        """A fade through black or white: a run of blank frames, widened on both sides while the
        contrast keeps falling towards it. Kept when the pictures on either side differ."""
        i = self.count - 1
        if i < 0:
            return
        if self.blank[i] and (i == 0 or not self.blank[i - 1]):
            self._run_start = i
            self._run_left = self._widen(i, -1)
            self._run_left_thumb = self._f(self._run_left).copy()  # the ring moves on
        ended = (not self.blank[i] and i > 0 and self.blank[i - 1]) or (final and self.blank[i])
        start, left_thumb = self._run_start, self._run_left_thumb
        if ended and start is not None and left_thumb is not None:
            end = i - 1 if not self.blank[i] else i
            self._pending_runs.append((start, end, self._run_left, left_thumb))
            self._run_start = self._run_left_thumb = None
        runs = self._pending_runs
        while runs and (final or self.count - 1 - runs[0][1] >= self._fade_max + 1):
            self._close_run(*runs.popleft())

    def _widen(self, edge: int, step: int) -> int:
        """The last frame before the fade from edge, walking by step while contrast rises."""
        j = edge
        while (
            0 <= j + step < self.count
            and abs(j + step - edge) <= self._fade_max
            and self._contrast[j + step] > self._contrast[j] + _FADE_STEP / self._stride
        ):
            j += step
        return j + step if 0 <= j + step < self.count else j

    def _close_run(self, start: int, end: int, first: int, first_thumb: np.ndarray) -> None:
        if start == 0 or end >= self.count - 1:
            return  # a fade-in at the start or a fade-out at the end: no other picture
        last = self._widen(end, 1)
        if not self._has(last):
            return
        if _dist(first_thumb, self._f(last)) < self._soft_min:
            return  # the same picture on both sides (a fade out and back in, a flash of black)
        strength = max(1.0 - self._contrast[start], 0.0)
        self._fades.append(Transition(first, last, (first + last + 1) // 2, strength, True))

    def _test_hard(self, t: int) -> None:
        change = self._change[t - self._base]
        if change < self._hard_min or not self._has(t - 1):
            return
        before = [
            self._change[j - self._base] for j in range(max(self._base + 1, t - _NEIGHBOURS), t)
        ]
        after = [
            self._change[j - self._base] for j in range(t + 1, min(self.count, t + _NEIGHBOURS + 1))
        ]
        if not _stands_out(change, before, after):
            return
        old = self._f(t - 1)
        later = [_dist(old, self._f(j)) for j in range(t + 2, min(self.count, t + 5))]
        if later and min(later) < _FLASH_RATIO * change:
            return  # the picture comes back: a flash, not a cut
        self._hard.append((t, change))
        if self._verifier is not None and self._detail_since is not None:
            self._hard_unlit.append(t)

    def _test_soft(self, t: int) -> None:
        reach = max(self._ks)
        hard = [h for h, _ in itertools.takewhile(lambda x: x[0] > t - reach, reversed(self._hard))]
        ks = []
        for k in self._ks:
            if not (self._has(t - k) and self._has(t + k)):
                break
            if any(t - k < h <= t + k for h in hard):
                break  # a hard cut inside: that is the transition
            ks.append(k)
        best: tuple[float, int] | None = None
        weak: tuple[float, int] | None = None
        if ks:
            strong, weaker = self._gradual(t, ks)
            for k, strength, maybe in zip(ks, strong, weaker, strict=True):
                if strength is not None and (best is None or strength > best[0] * 1.02):
                    best = (strength, k)
                if maybe is not None and (weak is None or maybe > weak[0] * 1.02):
                    weak = (maybe, k)
        if self._group and t - self._group[-1][0] > 2:
            self._close_group()
        if self._weak_group and t - self._weak_group[-1][0] > 2:
            self._close_group(weak=True)
        if best is not None:
            self._group.append((t, best[0], best[1]))
        elif weak is not None:
            self._weak_group.append((t, weak[0], weak[1]))

    def _gradual(self, t: int, ks: list[int]) -> tuple[list[float | None], list[float | None]]:
        """For each k, the change across frames t-k..t+k if it looks like one gradual
        transition. The tests run on all k at once (numpy), the rarer ones k by k."""
        k_arr = np.array(ks)
        keep = self._keep
        ends = np.stack([(t - k_arr) % keep, (t + k_arr) % keep])
        fine = self._ring.reshape(keep, -1)
        change = np.abs(fine[ends[1]] - fine[ends[0]]).sum(axis=1) / fine.shape[1]
        out: list[float | None] = [None] * len(ks)
        weak: list[float | None] = [None] * len(ks)
        todo = [
            i
            for i, k in enumerate(ks)
            if change[i] >= self._soft_min
            # one flat colour turning into another is brightness, not a new shot
            and max(self._contrast[t - k], self._contrast[t + k]) >= _BLANK_STD
        ]
        if not todo:
            return out, weak
        sel = np.array(todo)
        inner = np.stack([t - k_arr[sel] // 2, np.full(len(sel), t), t + k_arr[sel] // 2], 1)
        blend = _blends(self._ring, ends[:, sel], inner % keep, change[sel])
        coarse_blend = _blends(self._coarse, ends[:, sel], inner % keep, None)
        for n, i in enumerate(todo):
            k = ks[i]
            a, b = self._f(t - k), self._f(t + k)
            if blend[n] and self._stable_outside(self._ring, t, k, a, b, float(change[i])):
                accepted = True
            else:
                # The same on 8x6 block means, where fast texture and a shaking camera average out.
                ca, cb = self._c(t - k), self._c(t + k)
                coarse = _dist(ca, cb)
                accepted = (
                    coarse >= self._soft_min
                    and bool(coarse_blend[n])
                    and self._stable_outside(self._coarse, t, k, ca, cb, coarse, _COARSE_CONTRAST)
                ) or self._variance_dips(t, k)
            if accepted and self._monotonic(t, k, a, b):
                out[i] = float(change[i])
            elif (
                not accepted
                and self._verifier is not None
                and (blend[n] or coarse_blend[n])
                and self._monotonic(t, k, a, b)
            ):
                weak[i] = float(change[i])
        return out, weak

    def _monotonic(self, t: int, k: int, a: np.ndarray, b: np.ndarray) -> bool:
        """Does the picture go from one end to the other without turning back? The blend
        coefficient between the ends, at nine frames across the window, may fall back by at
        most _MONOTONE in all: a shaking camera passes the three-frame blend test by chance,
        not this. A window through a black or white frame is left to the fade rules."""
        if any(self.blank[t - k : t + k + 1]):
            return True
        points = sorted(
            {t - k + round(2 * k * i / _MONOTONE_POINTS) for i in range(_MONOTONE_POINTS + 1)}
        )
        ba = (b - a).ravel()
        frames = self._ring[np.array(points) % self._keep].reshape(len(points), -1)
        alpha = (frames - a.ravel()) @ ba / (float(ba @ ba) + 1e-9)
        return float(np.clip(alpha[:-1] - alpha[1:], 0.0, None).sum()) <= _MONOTONE

    def _stable_outside(
        self,
        ring: np.ndarray,
        t: int,
        k: int,
        a: np.ndarray,
        b: np.ndarray,
        change: float,
        contrast: float = _STABLE_CONTRAST,
    ) -> bool:
        """Do both shots hold still just outside the window t-k..t+k? Every frame up to m
        beyond each end stays much closer to that end than the ends are to each other (a
        jittering camera or a flickering texture brings some frame back by chance, not all),
        and the picture changes much faster per frame across the window than from each end to
        the farthest of those frames (a steady zoom or pan passes the first test)."""
        m = min(2 * k, self._outside_cap)
        if not (self._has(t - k - m // 2) and self._has(t + k + m // 2)):
            # Too close to an end of the video to see either shot hold still: a shaking or
            # flashing last second must not pass for a transition.
            return False
        lo, hi = max(t - k - m, self._base), min(t + k + m, self.count - 1)
        size = a.size
        # The farthest frames first, alone: most windows inside a moving shot fail here.
        keep = self._keep
        far = max(_dist(ring[lo % keep], a), _dist(b, ring[hi % keep]))
        if change < contrast * far:
            return False
        before = np.abs(ring[np.arange(lo, t - k) % keep] - a).reshape(t - k - lo, -1)
        after = np.abs(ring[np.arange(t + k + 1, hi + 1) % keep] - b).reshape(hi - t - k, -1)
        far_before, far_after = before.sum(axis=1) / size, after.sum(axis=1) / size
        if change < contrast * max(float(far_before.max()), float(far_after.max())):
            return False
        rate = max(float(far_before[0]) / (t - k - lo), float(far_after[-1]) / (hi - t - k))
        return change / (2 * k) >= _RATE_CONTRAST * rate

    def _variance_dips(self, t: int, k: int) -> bool:
        """A dissolve's pixel variance is a parabola in time with a dip in the middle, whatever
        the camera does; checked where the blend test fails because both shots move."""
        if k < _VAR_MIN_HALF * self._stride:
            return False
        var, base0 = self._variance, self._base
        va, vb = var[t - k - base0], var[t + k - base0]
        if var[t - base0] > _VAR_DIP * (va + vb) / 2:
            return False  # the cheapest test first
        v = np.array([var[j - base0] for j in range(t - k, t + k + 1)])
        alpha = np.arange(2 * k + 1) / (2 * k)
        base = (1 - alpha) ** 2 * va + alpha**2 * vb
        w = 2 * alpha * (1 - alpha)
        cov = float(((v - base) * w).sum() / (w * w).sum())
        if cov > _VAR_CORRELATION * np.sqrt(va * vb):
            return False
        scale = max(va, vb) + 1e-9
        if np.sqrt(((v - base - w * cov) ** 2).sum() / v.size) > _VAR_RESIDUAL * scale:
            return False
        m = min(2 * k, self._outside_cap)
        for j, end in ((t - k - m, va), (t + k + m, vb)):
            if self._has(j) and abs(self._variance[j - self._base] - end) > _VAR_STABLE * scale:
                return False
        return True

    def _close_group(self, *, weak: bool = False) -> None:
        if weak:
            group, self._weak_group = self._weak_group, []
        else:
            group, self._group = self._group, []
        found = self._candidate(group)
        if weak:  # weak candidates are only made with a verifier
            if found is not None and self._near_blank(found):
                return  # the fade rules judge the run (and save the model's time)
            picks = [] if found is None else [found]
            for x in (self._candidate(part) for part in _split_weak(group)):
                if x is not None and not any(x.overlaps(y) for y in picks):
                    picks.append(x)
            ask = [x for x in picks if not self._near_blank(x)]
            if ask:
                self._unverified.append((ask[0], True, tuple(ask[1:])))
        elif found is None:
            return
        elif self._near_blank(found) or self._verifier is None:
            self._soft.append(found)
        else:
            self._unverified.append((found, False, ()))

    def _near_blank(self, tr: Transition) -> bool:
        """Is a transition into, out of or through a black or white frame?"""
        near = 4 * self._stride
        return any(self.blank[max(tr.first - near, 0) : tr.last + near + 1])

    def _candidate(self, group: list[tuple[int, float, int]]) -> Transition | None:
        """One transition from a run of consecutive candidate windows (t, D, k): the widest
        of the strongest, nearest the run's middle, cut where the picture is half-way."""
        top = max(d for _, d, _ in group)
        middle = group[len(group) // 2][0]
        t, k = max(
            ((t, k) for t, d, k in group if d >= 0.9 * top),
            key=lambda x: (x[1], -abs(x[0] - middle)),
        )
        if not (self._has(t - k) and self._has(t + k)):
            return None
        a, b = self._f(t - k), self._f(t + k)
        ba = (b - a).ravel()
        norm = float(ba @ ba) + 1e-9
        alpha = [float((self._f(j) - a).ravel() @ ba) / norm for j in range(t - k, t + k + 1)]
        start = next((i for i, x in enumerate(alpha) if x > 0.1), k)
        end = max((i for i, x in enumerate(alpha) if x < 0.9), default=k)
        half = next((i for i, x in enumerate(alpha) if x >= 0.5), k)
        first, last = t - k + start - 1, t - k + end + 1
        cut = min(max(t - k + half, first + 1), max(last, first + 1))
        if not k // 4 <= half <= 2 * k - k // 4:
            return None  # the picture turns at an end of the window, not inside it: no blend
        return Transition(first, last, cut, top, True)

    def _blank_between(self, first: int, last: int) -> bool:
        """Is the scene between frames first and last blank: its middle frame, and at least
        half of its frames? (A one-frame flash in the middle of a bright shot is no blank
        scene: held-out v11 lost two fades to that.)"""
        mid = (first + last) // 2
        if not (0 <= mid < len(self.blank) and self.blank[mid]):
            return False
        inner = self.blank[max(first + 1, 0) : max(last, first + 2)]
        return 2 * sum(inner) >= len(inner)

    def _merge_blank_scenes(self, found: list[Transition]) -> list[Transition]:
        """A scene made of a blank frame (the black between a fade-out and a fade-in) is not a
        scene: a gradual transition next to it is dropped, or both are merged into one. A
        blank scene between two hard cuts (or a hard cut and an end) stays, as before."""
        edge_start = Transition(-1, -1, -1, 0.0, False)
        edge_end = Transition(self.count, self.count, self.count, 0.0, False)
        changed = True
        while changed:
            changed = False
            bounds = [edge_start, *found, edge_end]
            for x, y in zip(bounds, bounds[1:], strict=False):
                if not self._blank_between(x.last, y.first):
                    continue
                if not x.gradual and not y.gradual:
                    continue
                if y.first <= x.last + 1 and not (x.gradual and y.gradual):
                    continue  # touching: only a fade-out and a fade-in through one blank frame
                if x.gradual and y.gradual:
                    found = sorted(
                        [s for s in found if s not in (x, y)] + [x.merged(y)],
                        key=lambda s: (s.first, s.last),
                    )
                else:
                    found = [s for s in found if s != (x if x.gradual else y)]
                changed = True
                break
        return found

    def _enforce_min_length(self, found: list[Transition]) -> list[Transition]:
        kept: list[Transition] = []
        for tr in found:
            if tr.cut < self._min_len or self.count - tr.cut < self._min_len:
                continue
            if kept and tr.cut - kept[-1].cut < self._min_len:
                if tr.strength > kept[-1].strength:
                    kept[-1] = tr
                continue
            kept.append(tr)
        return kept


def _split_weak(group: list[tuple[int, float, int]]) -> list[list[tuple[int, float, int]]]:
    """A long run of weak candidate windows, split into runs that do not overlap, strongest
    first. Along two moving shots the blend tests pass on a stretch of a hundred frames and
    more; one pick for all of it lands at the strongest end, often on a transition already
    found, and a dissolve in its middle was lost (twelfth round)."""
    parts: list[list[tuple[int, float, int]]] = []
    spans: list[tuple[int, int]] = []
    taken: set[int] = set()
    for t, _, k in sorted(group, key=lambda x: -x[1]):
        if any(t - k <= hi and lo <= t + k for lo, hi in spans):
            continue
        spans.append((t - k, t + k))
        parts.append([x for x in group if t - k <= x[0] <= t + k and x[0] not in taken])
        taken.update(x[0] for x in parts[-1])
    return parts


def _stands_out(change: float, before: list[float], after: list[float]) -> bool:
    """Is a change much bigger than the changes on either side of it (a hard cut)?"""
    near_before, near_after = max(before, default=0.0), max(after, default=0.0)
    if change >= _HARD_CONTRAST * max(near_before, near_after):
        return True
    steady, moving = sorted((near_before, near_after))
    return change >= _STEADY_SIDE * steady and change >= _MOVING_SIDE * moving


def thumbnail(frame: np.ndarray) -> np.ndarray:
    """What the detector looks at: the frame shrunk to 32x18, float32 in 0..1."""
    thumb = cv2.resize(frame, THUMB_SIZE, interpolation=cv2.INTER_AREA).astype(np.float32)
    thumb /= 255.0
    return thumb


def small_frame(frame: np.ndarray) -> np.ndarray:
    """What a verifier looks at: a BGR frame shrunk to 48x27, RGB uint8."""
    small = cv2.resize(frame, SMALL_SIZE, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(small[..., ::-1])


def _blends(
    ring: np.ndarray, ends: np.ndarray, inner: np.ndarray, change: np.ndarray | None
) -> np.ndarray:
    """Per window: are the frames at inner (n x 3 ring slots) blends of the window's ends
    (2 x n slots)? One coefficient for the whole frame with a small residual (dissolves,
    fades), or, when change is given, each pixel between its two ends (wipes)."""
    flat = ring.reshape(ring.shape[0], -1)
    a, b = flat[ends[0]], flat[ends[1]]
    ba = (b - a)[:, None, :]  # n x 1 x D
    ma = flat[inner] - a[:, None, :]  # n x 3 x D
    norm = (ba * ba).sum(axis=2) + 1e-9  # n x 1
    alpha = (ma * ba).sum(axis=2) / norm  # n x 3
    in_range = ((alpha >= -0.1) & (alpha <= 1.1)).all(axis=1)
    residual = np.sqrt(((ma - alpha[..., None] * ba) ** 2).sum(axis=2) / norm).max(axis=1)
    ok = in_range & (residual <= _BLEND_RESIDUAL)
    rest = np.flatnonzero(in_range & ~ok)
    if change is None or not len(rest):
        return ok
    ba_px = ba[rest].reshape(len(rest), 1, -1, 3)
    ma_px = ma[rest].reshape(len(rest), 3, -1, 3)
    norm_px = (ba_px * ba_px).sum(axis=3) + 1e-6
    alpha_px = np.clip((ma_px * ba_px).sum(axis=3) / norm_px, 0.0, 1.0)[..., None]
    size = ma_px.shape[2] * 3
    pixel = np.abs(ma_px - alpha_px * ba_px).sum(axis=(2, 3)).max(axis=1) / size / change[rest]
    ok[rest] = pixel < _PIXEL_RESIDUAL
    return ok


def _dist(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).sum()) / a.size  # sum: ndarray.mean costs more than the maths

"""Split a video into scenes (PySceneDetect on PyAV) and extract each scene's key frame."""

from __future__ import annotations

import bisect
import contextlib
import itertools
import logging
import math
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

import av
import cv2
import numpy as np
from scenedetect import (
    AdaptiveDetector,
    ContentDetector,
    FrameTimecode,
    HashDetector,
    HistogramDetector,
    SceneDetector,
    SceneManager,
)
from scenedetect.backends.pyav import VideoStreamAv
from scenedetect.video_stream import (
    FrameRateUnavailable,
    VideoOpenFailure,
)

from video_service.probe import (
    MAX_CONSECUTIVE_ERRORS,
    UndecodableVideo,
    VideoInfo,
    display_size,
    inspect_container,
    is_video,
    open_container,
    probe_video,
    timeline_origin,
    video_stream,
)
from video_service.thumbnails import thumbnails
from video_service.transitions import TransitionDetector, stride_for
from video_service.verifier import shared_verifier

if TYPE_CHECKING:
    from av.container import InputContainer
    from av.packet import Packet
    from av.video.frame import VideoFrame
    from av.video.stream import VideoStream

__all__ = [
    "DEFAULT_THRESHOLDS",
    "DETECTORS",
    "KeyFrame",
    "Scene",
    "UndecodableVideo",
    "VideoInfo",
    "detect_scenes",
    "extract_key_frames",
    "is_video",
    "key_frame_time",
    "probe_video",
    "resized_size",
]

log = logging.getLogger(__name__)

# Thresholds used when none is given: content's and transition's from bench/scenes.py
# (docs/scene-detection.md), the others PySceneDetect's own. Histogram and hash: higher is less
# sensitive. Only "transition" finds fades and dissolves.
DEFAULT_THRESHOLDS = {
    "transition": 13.0,
    "transition-fast": 13.0,
    "content": 32.0,
    "adaptive": 3.0,
    "histogram": 0.2,
    "hash": 0.35,
}
DETECTORS = tuple(DEFAULT_THRESHOLDS)
# Continue decoding instead of seeking when the next target is this close and the file has no
# keyframe index to tell whether a seek would land past the current position.
_CONTINUE_WITHOUT_INDEX_S = 2.0


@dataclass(frozen=True)
class Scene:
    """A shot: frames [start_frame, end_frame) shown from start_time_s until end_time_s.

    Times are seconds on the player's clock (0 = the file's first timestamp); end values are
    exclusive and equal the next scene's start. Frame numbers count decoded frames from 0.
    """

    index: int
    start_time_s: float
    end_time_s: float
    start_frame: int
    end_frame: int
    key_frame_time_s: float  # middle of the scene's stable part; the frame sent to recognition
    gradual: bool = False  # starts at the middle of a fade or dissolve rather than at a hard cut


@dataclass(frozen=True)
class KeyFrame:
    """A scene's key frame, upright and at its displayed aspect ratio."""

    index: int  # the Scene's index
    image: np.ndarray  # RGB uint8, H x W x 3, longer side <= max_side
    width: int  # frame as displayed (rotation and SAR applied), before resizing
    height: int
    time_s: float  # presentation time of the decoded frame, on the Scene's clock


def detect_scenes(
    path: str | os.PathLike[str],
    *,
    detector: str = "transition",
    threshold: float | None = None,
    min_scene_seconds: float = 0.5,
    min_scene_frames: int = 15,
    max_scenes: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> list[Scene]:
    """Detect shots; a video without cuts is one scene covering all of it.

    threshold None (or <= 0) uses DEFAULT_THRESHOLDS[detector]. max_scenes keeps the first
    max_scenes - 1 scenes and merges the rest into the last kept one, so scenes still cover the
    whole video. The shortest scene is the longer of min_scene_seconds and min_scene_frames
    (PySceneDetect's own default is 15 frames: 0.5 s at 30 fps, 1.5 s at 10 fps).
    progress gets the fraction done (0..1); an exception raised from it aborts.
    "transition" also cuts at fades and dissolves (at their middle); every detector's key frame
    is the middle of the longest stretch of the scene outside any gradual transition.
    Raises UndecodableVideo for files that are not videos or have no decodable frame.
    """
    if max_scenes is not None and max_scenes < 1:
        raise ValueError("max_scenes must be at least 1")
    path = os.fspath(path)
    info, offset = _probe_for_detection(path)
    if info.fps and min_scene_frames > 0:
        min_scene_seconds = max(min_scene_seconds, min_scene_frames / info.fps)
    inner = _make_detector(detector, threshold, min_scene_seconds, info.fps)
    tracker = _Tracker(inner, info.duration_s, progress)
    if isinstance(inner, TransitionDetector):
        # Our own decoding loop: threaded decoding, thumbnails shrunk from the YUV planes.
        frames = thumbnails(path, small=inner.wants_small)
        with contextlib.closing(frames):  # stops its thread on errors too
            for seconds, thumb, small, detail in frames:
                tracker.count(seconds)
                inner.push(thumb, small, detail)
        tracker.finish()
    else:
        manager = SceneManager()
        manager.add_detector(tracker)
        manager.detect_scenes(_open_stream(path, info))
    if tracker.frames == 0:
        raise UndecodableVideo("no video frame could be decoded")
    scenes = _limit(_scenes(tracker, offset, info.fps), max_scenes, _spans(tracker, offset))
    if progress is not None:
        progress(1.0)
    return scenes


def extract_key_frames(
    path: str | os.PathLike[str], scenes: Iterable[Scene], *, max_side: int = 640
) -> Iterator[KeyFrame]:
    """Yield each scene's key frame, in key-frame time order, from one pass over the file.

    Seeks to the keyframe before each target and decodes forward to the first frame whose
    presentation time is >= the target; keeps decoding instead when that is cheaper.
    """
    if max_side < 1:
        raise ValueError("max_side must be positive")
    with open_container(path) as container:
        info, stream = _require_video(container, threads=True)
        reader = _FrameReader(container, stream)
        for scene in sorted(scenes, key=lambda s: s.key_frame_time_s):
            frame = reader.frame_at(scene.key_frame_time_s)
            yield _key_frame(scene.index, frame, reader, info, max_side)


def resized_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(w, h) scaled so the longer side is <= max_side, never up; rounded like Ultralytics."""
    r = min(max_side / height, max_side / width, 1.0)
    return max(1, round(width * r)), max(1, round(height * r))


def _make_detector(
    name: str, threshold: float | None, min_scene_s: float, fps: float | None
) -> SceneDetector:
    if name not in DEFAULT_THRESHOLDS:
        raise ValueError(f"unknown scene detector {name!r}; expected one of {', '.join(DETECTORS)}")
    value = threshold if threshold is not None and threshold > 0 else DEFAULT_THRESHOLDS[name]
    min_len = float(max(min_scene_s, 0.0))  # a float is seconds to PySceneDetect, an int frames
    if name in ("transition", "transition-fast"):
        return TransitionDetector(
            value,
            min_scene_frames=math.ceil(min_len * (fps or 25.0)),
            stride=stride_for(fps),
            verifier=shared_verifier() if name == "transition" else None,
        )
    if name == "content":
        return ContentDetector(threshold=value, min_scene_len=min_len)
    if name == "adaptive":
        return AdaptiveDetector(adaptive_threshold=value, min_scene_len=min_len)
    if name == "histogram":
        return HistogramDetector(threshold=value, min_scene_len=min_len)
    return HashDetector(threshold=value, min_scene_len=min_len)


def _probe_for_detection(path: str) -> tuple[VideoInfo, float]:
    """The file's VideoInfo, and what to add to PySceneDetect's times to get ours.

    PySceneDetect's PyAV backend (0.7) already subtracts the video stream's start time; a
    player's clock starts at the container's start time, earlier when audio starts first.
    """
    with open_container(path) as container:
        info, stream = _require_video(container)
        offset = _stream_start(stream) - timeline_origin(container, stream)
    return info, float(offset)


def _require_video(
    container: InputContainer, *, threads: bool = False
) -> tuple[VideoInfo, VideoStream]:
    stream = video_stream(container)
    if threads and stream is not None:
        stream.thread_type = "AUTO"  # only settable before the codec opens for the first frame
    info = inspect_container(container)
    if info is None or stream is None:
        raise UndecodableVideo("not a video (a still image or audio only)")
    return info, stream


def _open_stream(path: str, info: VideoInfo) -> VideoStreamAv:
    # The backend class directly: scenedetect.open_video would silently fall back to OpenCV,
    # whose timestamps ignore edit lists and start offsets. suppress_output keeps ffmpeg's log
    # callback as PyAV set it instead of rewiring it process-wide.
    try:
        video = VideoStreamAv(path, suppress_output=True)
    except FrameRateUnavailable:
        video = VideoStreamAv(path, frame_rate=info.fps or 25.0, suppress_output=True)
    except VideoOpenFailure as e:
        raise UndecodableVideo(f"cannot open video ({e})") from None
    # Threaded decoding, set on the stream before the first frame decodes. Not through the
    # backend's threading_mode, which re-opens the file and seeks when it ends with fewer
    # frames than the container claimed (VFR, truncated files); PyAV flushes the decoder's
    # threads at the end of the file, so no frame is lost.
    video._container.streams.video[0].thread_type = "AUTO"
    return video


class _Tracker(SceneDetector):  # type: ignore[misc]
    """Runs the real detector and counts frames, so cuts get exact frame numbers even for VFR.

    Only a short window of recent frames is kept (cuts are reported at most the detector's
    event buffer behind the current frame), so memory does not grow with video length.
    """

    def __init__(
        self,
        inner: SceneDetector,
        duration_s: float | None,
        progress: Callable[[float], None] | None,
    ) -> None:
        super().__init__()
        self._inner = inner
        self._recent: deque[tuple[tuple[int, Fraction], int]] = deque(
            maxlen=inner.event_buffer_length + 64
        )
        self._duration = duration_s or 0.0
        self._progress = progress
        self._reported = 0.0
        self.frames = 0
        self.first_s = 0.0
        self.last_s = 0.0
        self.last_step_s = 0.0
        self.cuts: list[tuple[int, float]] = []  # (frame number, seconds) of each new shot
        self.gradual: set[int] = set()  # frame numbers of cuts in the middle of a transition
        # Seconds of every frame (8 bytes each) when the inner detector reports frame numbers.
        self.times = array("d")
        self._own_numbers = isinstance(inner, TransitionDetector)

    def process_frame(self, timecode: FrameTimecode, frame_img: np.ndarray) -> list[FrameTimecode]:
        self._recent.append((_key(timecode), self.frames))
        self.count(timecode.seconds)
        self._record(self._inner.process_frame(timecode, frame_img))
        return []

    def count(self, seconds: float) -> None:
        """One more frame, shown at seconds (on the stream's clock)."""
        if self.frames == 0:
            self.first_s = seconds
        elif seconds > self.last_s:
            self.last_step_s = seconds - self.last_s
        self.last_s = seconds
        if self._own_numbers:
            self.times.append(seconds)
        self.frames += 1
        if self._progress is not None and self._duration > 0:
            done = min(seconds / self._duration, 1.0)
            if done - self._reported >= 0.01:
                self._reported = done
                self._progress(done)

    def post_process(self, timecode: FrameTimecode) -> list[FrameTimecode]:
        self._record(self._inner.post_process(timecode))
        self._collect()
        return []

    def finish(self) -> None:
        """The end of a video fed through count() and the transition detector's push()."""
        if isinstance(self._inner, TransitionDetector):
            self._inner.finish()
        self._collect()

    def _collect(self) -> None:
        if isinstance(self._inner, TransitionDetector):
            for tr in self._inner.transitions():
                self.cuts.append((tr.cut, self.times[tr.cut]))
                if tr.gradual:
                    self.gradual.add(tr.cut)

    def gradual_spans(self) -> list[tuple[float, float]]:
        """Seconds [from, to) of the frames inside each gradual transition."""
        if not isinstance(self._inner, TransitionDetector):
            return []
        last = len(self.times) - 1
        return [
            (self.times[min(first + 1, last)], self.times[min(end, last)])
            for first, end in self._inner.gradual_spans()
            if end - first > 1
        ]

    def _record(self, cuts: list[FrameTimecode]) -> None:
        for cut in cuts:
            key = _key(cut)
            index = next((i for k, i in reversed(self._recent) if k == key), None)
            if index is None:  # older than the window; estimate from the nominal rate
                rate = cut.frame_rate or 25
                index = round((cut.seconds - self.first_s) * float(rate))
                log.warning("cut at %.3fs is outside the tracked window", cut.seconds)
            self.cuts.append((index, cut.seconds))


def _key(timecode: FrameTimecode) -> tuple[int, Fraction]:
    return timecode.pts, Fraction(timecode.time_base)


def _scenes(tracker: _Tracker, offset: float, fps: float | None) -> list[Scene]:
    # The last frame lasts as long as the one before it (or a nominal frame, if it is alone).
    step = tracker.last_step_s or 1 / (fps or 25.0)
    end = (tracker.frames, tracker.last_s + step)
    bounds = [(0, tracker.first_s)]
    for index, seconds in sorted(set(tracker.cuts)):
        if bounds[-1][0] < index < tracker.frames:
            bounds.append((index, seconds))
    bounds.append(end)
    spans = _spans(tracker, offset)
    scenes = [
        _scene(i, start, stop, offset, spans, start[0] in tracker.gradual)
        for i, (start, stop) in enumerate(itertools.pairwise(bounds))
    ]
    if len(tracker.times) == tracker.frames:  # every frame's time is known
        scenes = [_decoded_key(s, tracker.times, offset) for s in scenes]
    return scenes


def _decoded_key(scene: Scene, times: array[float], offset: float) -> Scene:
    """The scene with its key frame on a frame that decodes inside it. Extraction takes the
    first frame at or after the key frame time; when none of the scene's frames is there (the
    rest of the scene did not decode: a damaged stretch up to the next scene), that would be
    the next scene's first frame, so the key frame becomes the scene's last frame that decodes.
    """
    own = times[scene.start_frame : scene.end_frame]
    if not own or bisect.bisect_left(own, scene.key_frame_time_s - offset - 1e-9) < len(own):
        return scene
    return replace(scene, key_frame_time_s=max(own[-1] + offset, scene.start_time_s))


def _spans(tracker: _Tracker, offset: float) -> list[tuple[float, float]]:
    return [(a + offset, b + offset) for a, b in tracker.gradual_spans()]


def _scene(
    index: int,
    start: tuple[int, float],
    stop: tuple[int, float],
    offset: float,
    spans: list[tuple[float, float]],
    gradual: bool,
) -> Scene:
    start_s = max(start[1] + offset, 0.0)
    end_s = max(stop[1] + offset, start_s)
    return Scene(
        index=index,
        start_time_s=start_s,
        end_time_s=end_s,
        start_frame=start[0],
        end_frame=stop[0],
        key_frame_time_s=key_frame_time(start_s, end_s, spans),
        gradual=gradual,
    )


def key_frame_time(start_s: float, end_s: float, spans: Iterable[tuple[float, float]]) -> float:
    """The middle of the longest stretch of [start_s, end_s) outside every span [a, b) (the
    frames inside gradual transitions); the middle of the scene when nothing is left."""
    stretches = [(start_s, end_s)]
    for a, b in sorted(spans):
        if b <= start_s or a >= end_s:
            continue
        stretches = [
            piece
            for lo, hi in stretches
            for piece in ((lo, min(hi, a)), (max(lo, b), hi))
            if piece[1] > piece[0]
        ]
    if not stretches:
        return (start_s + end_s) / 2
    lo, hi = max(stretches, key=lambda s: s[1] - s[0])
    return (lo + hi) / 2


def _limit(
    scenes: list[Scene], max_scenes: int | None, spans: list[tuple[float, float]]
) -> list[Scene]:
    if max_scenes is None or len(scenes) <= max_scenes:
        return scenes
    first, last = scenes[max_scenes - 1], scenes[-1]
    merged = Scene(
        index=first.index,
        start_time_s=first.start_time_s,
        end_time_s=last.end_time_s,
        start_frame=first.start_frame,
        end_frame=last.end_frame,
        key_frame_time_s=key_frame_time(first.start_time_s, last.end_time_s, spans),
        gradual=first.gradual,
    )
    return [*scenes[: max_scenes - 1], merged]


def _stream_start(stream: VideoStream) -> Fraction:
    if stream.start_time is None or not stream.time_base:
        return Fraction(0)
    return stream.start_time * Fraction(stream.time_base.numerator, stream.time_base.denominator)


class _FrameReader:
    """Finds the first frame at or after a time, seeking only when it beats decoding on.

    Packets shown before the target are decoded with skip_frame NONREF: the decoder drops the
    frames no other frame refers to (most B-frames), which are never returned; every frame at
    or after the target decodes as it would without skipping. Whether to skip is decided per
    packet from its presentation time, since decoding order differs from presentation order;
    frame threads take the setting with each packet they are handed.
    """

    def __init__(self, container: InputContainer, stream: VideoStream) -> None:
        self._container = container
        self._stream = stream
        self._codec = stream.codec_context
        assert stream.time_base is not None
        self._tb = Fraction(stream.time_base.numerator, stream.time_base.denominator)
        self._origin = timeline_origin(container, stream)
        # Index timestamps are decode times, close enough to decide between seeking and decoding.
        self._keyframes = sorted(e.timestamp for e in stream.index_entries if e.is_keyframe)
        self._packets: Iterator[Packet] | None = None
        self._pending: deque[VideoFrame] = deque()  # decoded from the last packet, not yet read
        self._last: VideoFrame | None = None
        self._prev_pts: int | None = None
        # The target _last was decoded for. Every skipped frame is shown before it, so _last is
        # the first frame at or after any target from max(_prev_pts + 1, this) to _last.pts.
        self._in_hand_from: int | None = None
        self._may_skip = False  # only once the first frame after a seek is out
        self._skip = False  # the codec's current skip_frame is NONREF
        self._skipped_to: int | None = None  # the latest pts handed to the decoder to skip
        self._skipping = True  # until a decoding error
        self._run_start: int | None = None  # the seek the decoding in progress started from
        self._seekable = True
        self._seek(None)  # inspect_container left the demuxer past the first frame

    def seconds(self, frame: VideoFrame) -> float:
        assert frame.pts is not None
        return float(frame.pts * self._tb - self._origin)

    def frame_at(self, seconds: float) -> VideoFrame:
        target = round((Fraction(seconds) + self._origin) / self._tb)
        last, prev, known = self._last, self._prev_pts, self._in_hand_from
        if (
            last is not None
            and last.pts is not None
            and prev is not None
            and known is not None
            and max(prev + 1, known) <= target <= last.pts
        ):
            return last  # the frame already in hand
        if self._can_continue(target):
            frame, _ = self._decode_to(target, after_seek=False)
        elif self._seekable:
            self._seek(target)
            frame, overshot = self._decode_to(target, after_seek=True)
            if frame is None or overshot:
                # The demuxer landed past the target or at the end (no or coarse index, e.g.
                # MPEG-TS): stop seeking in this file and decode it in one pass from the start.
                log.info("seeking is unreliable in this file; decoding sequentially")
                self._seekable = False
                self._seek(None)
                frame, _ = self._decode_to(target, after_seek=True)
        else:
            self._seek(None)
            frame, _ = self._decode_to(target, after_seek=True)
        if frame is None:
            raise UndecodableVideo(f"no frame decodes near {seconds:.3f}s")
        return frame

    def _can_continue(self, target: int) -> bool:
        last = self._last
        if self._packets is None or last is None or last.pts is None or last.pts >= target:
            return False
        if not self._seekable:
            return True
        if len(self._keyframes) >= 2:
            i = bisect.bisect_right(self._keyframes, target) - 1
            return i < 0 or self._keyframes[i] <= last.pts
        return (target - last.pts) * self._tb <= _CONTINUE_WITHOUT_INDEX_S

    def _seek(self, target: int | None) -> None:
        if target is None:
            self._container.seek(0, backward=True)  # the file's beginning, in av.time_base
        else:
            self._container.seek(max(target, 0), stream=self._stream, backward=True)
        self._run_start = target
        self._packets = None
        self._pending.clear()
        self._last = None
        self._prev_pts = None
        self._in_hand_from = None
        self._may_skip = False
        self._skipped_to = None

    def _decode_to(self, target: int, *, after_seek: bool) -> tuple[VideoFrame | None, bool]:
        """The first frame with pts >= target (else the last one), and whether it was the
        first frame decoded after a seek and already past the target."""
        frame, overshot, failed = self._decode(target, after_seek=after_seek, skip=self._skipping)
        if self._skipped_to is None:
            return frame, overshot
        if failed:
            # Skipped packets would have counted towards the error limit, and concealing
            # damage can draw on any earlier frame: no more skipping in this file.
            log.info("decoding error; no longer skipping frames in this file")
            self._skipping = False
        elif frame is None or frame.pts is None or frame.pts >= target:
            return frame, overshot
        elif self._skipped_to <= frame.pts:
            return frame, overshot  # the end, and nothing after its last frame was skipped
        # The answer may be a frame that was skipped, or depend on one: decode again from
        # where this stretch of decoding started, without skipping.
        self._seek(self._run_start)
        frame, overshot, _ = self._decode(target, after_seek=after_seek, skip=False)
        return frame, overshot

    def _decode(
        self, target: int, *, after_seek: bool, skip: bool
    ) -> tuple[VideoFrame | None, bool, bool]:
        """_decode_to's answer, and whether a decoding error occurred."""
        errors = 0
        failed = False
        first = after_seek
        while True:
            try:
                frame = self._next_frame(target if skip else None)
            except av.FFmpegError:
                failed = True
                errors += 1
                if errors > MAX_CONSECUTIVE_ERRORS:
                    return self._last, False, failed
                continue
            if frame is None:
                self._packets = None
                return self._last, False, failed
            errors = 0
            if frame.pts is None:
                continue
            self._may_skip = True
            self._prev_pts = self._last.pts if self._last is not None else None
            self._last = frame
            self._in_hand_from = target
            if frame.pts >= target:
                return frame, first and frame.pts > target, failed
            first = False

    def _next_frame(self, target: int | None) -> VideoFrame | None:
        """The next decoded frame, None at the end. Packets shown before target (when not
        None) are decoded skipping non-reference frames."""
        while not self._pending:
            if self._packets is None:
                self._packets = self._container.demux(self._stream)
            try:
                packet = next(self._packets)
            except StopIteration:
                return None
            except av.FFmpegError:
                self._packets = None  # the generator is closed; a new one resumes demuxing
                raise
            pts = packet.pts
            skip = target is not None and self._may_skip and pts is not None and pts < target
            if skip != self._skip:
                self._codec.skip_frame = "NONREF" if skip else "DEFAULT"
                self._skip = skip
            if skip:
                assert pts is not None
                self._skipped_to = pts if self._skipped_to is None else max(self._skipped_to, pts)
            self._pending.extend(packet.decode())
        return self._pending.popleft()


def _key_frame(
    index: int, frame: VideoFrame, reader: _FrameReader, info: VideoInfo, max_side: int
) -> KeyFrame:
    rgb: np.ndarray = frame.to_ndarray(format="rgb24")
    coded_h, coded_w = rgb.shape[:2]
    width, height = display_size(coded_w, coded_h, info.sample_aspect_ratio, info.rotation)
    out_w, out_h = resized_size(width, height, max_side)
    # Resize before rotating (one resample for SAR and size); swap axes for quarter turns.
    pre_w, pre_h = (out_h, out_w) if info.rotation in (90, 270) else (out_w, out_h)
    if (pre_w, pre_h) != (coded_w, coded_h):
        rgb = cv2.resize(rgb, (pre_w, pre_h), interpolation=cv2.INTER_LINEAR)
    if info.mirrored:
        rgb = np.fliplr(rgb)
    if info.rotation:
        rgb = np.rot90(rgb, k=info.rotation // 90)
    rgb = np.ascontiguousarray(rgb)
    return KeyFrame(
        index=index, image=rgb, width=width, height=height, time_s=reader.seconds(frame)
    )

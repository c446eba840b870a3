"""Decode a video straight to the transition detector's thumbnails, with threaded decoding."""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Generator, Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, cast

import av
import cv2
import numpy as np

from video_service.motion import DETAIL_SIZE, detail_frame
from video_service.probe import MAX_CONSECUTIVE_ERRORS, open_container, video_stream
from video_service.transitions import SMALL_SIZE, THUMB_SIZE, small_frame, thumbnail

if TYPE_CHECKING:
    from av.video.frame import VideoFrame

log = logging.getLogger(__name__)

_QUEUE = 64  # thumbnails decoded ahead (about 7 KB each)
# Planar 8-bit YUV layouts whose planes are shrunk as they are; "j" ones are full range.
_PLANAR_YUV = frozenset({"yuv420p", "yuv422p", "yuv444p", "yuvj420p", "yuvj422p", "yuvj444p"})


# (seconds, thumbnail, small, detail); small and detail only when asked for.
Item = tuple[float, np.ndarray, np.ndarray | None, np.ndarray | None]


def thumbnails(
    path: str | os.PathLike[str], *, threads: bool = True, small: bool = False
) -> Generator[Item, None, None]:
    """(seconds, thumbnail, small, detail) for every frame that decodes, in presentation order.

    Seconds count from the video stream's start time, as PySceneDetect's PyAV backend counts
    them. Thumbnails are what transitions.thumbnail() makes of a BGR frame (32x18 BGR float32
    in 0..1), here shrunk from the decoded YUV planes: no full-size RGB conversion. A packet
    that fails to decode is skipped; decoding stops after several in a row. threads: FFmpeg's
    frame and slice threads, and decoding in a thread of its own while the caller works on
    the thumbnails it already has (FFmpeg and OpenCV release the GIL). small: also the frame
    at SMALL_SIZE, RGB uint8, for a transition verifier, and its luma at DETAIL_SIZE, uint8
    (motion.detail_frame()), for the detector's motion test (else both None).
    """
    if not threads:
        yield from _decode(path, threads=False, small=small)
        return
    items: queue.Queue[Item | BaseException | None] = queue.Queue(_QUEUE)
    stop = threading.Event()

    def put(item: Item | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        frames = _decode(path, threads=True, small=small)
        try:
            for item in frames:
                if not put(item):
                    return
            put(None)
        except BaseException as e:  # handed to the caller's thread, raised there
            put(e)
        finally:
            frames.close()

    worker = threading.Thread(target=work, name="thumbnails", daemon=True)
    worker.start()
    try:
        while (item := items.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()  # the caller stopped early (or failed): the worker ends at its next frame
        worker.join()


def _decode(
    path: str | os.PathLike[str], *, threads: bool, small: bool
) -> Generator[Item, None, None]:
    with open_container(path) as container:
        stream = video_stream(container)
        if stream is None:
            return
        if threads:
            stream.thread_type = "AUTO"  # before the codec opens; frame and slice threads
        base = Fraction(stream.time_base or Fraction(1, 90000))
        start = Fraction(stream.start_time or 0) * base
        last = 0.0
        step = 1 / float(stream.guessed_rate or stream.average_rate or 25)
        errors = 0
        decoder: Iterator[VideoFrame] | None = None
        while True:
            if decoder is None:
                decoder = container.decode(stream)
            try:
                frame = next(decoder)
            except (StopIteration, av.EOFError):
                return
            except av.FFmpegError as e:
                # The generator is closed once an error passes through it; a new one resumes
                # demuxing after the bad packet.
                decoder = None
                errors += 1
                if errors >= MAX_CONSECUTIVE_ERRORS:
                    log.warning("stopped after %d decoding errors in a row: %s", errors, e)
                    return
                continue
            errors = 0
            if frame.pts is not None and frame.time_base:
                tb = Fraction(frame.time_base.numerator, frame.time_base.denominator)
                seconds = float(frame.pts * tb - start)
            else:
                seconds = last + step  # no timestamp: one nominal frame after the last
            last = seconds
            if small:
                yield seconds, frame_thumbnail(frame), *frame_small(frame)
            else:
                yield seconds, frame_thumbnail(frame), None, None


def frame_thumbnail(frame: VideoFrame) -> np.ndarray:
    """The detector's thumbnail of a decoded frame (see thumbnails())."""
    if frame.format.name not in _PLANAR_YUV:
        return thumbnail(frame.to_ndarray(format="bgr24"))
    out = _shrunk_bgr(frame, THUMB_SIZE)
    out /= 255.0
    return out


def frame_small(frame: VideoFrame) -> tuple[np.ndarray, np.ndarray]:
    """A verifier's frame (SMALL_SIZE, RGB uint8) and the motion test's (DETAIL_SIZE luma,
    uint8) of a decoded frame, the same way: for planar YUV the luma plane is shrunk once by a
    whole factor (to at least twice SMALL_SIZE, which DETAIL_SIZE is) and both come from that."""
    if frame.format.name not in _PLANAR_YUV:
        bgr = frame.to_ndarray(format="bgr24")
        return small_frame(bgr), detail_frame(bgr)
    y_part = _block_mean(_plane(frame.planes[0]), SMALL_SIZE)
    detail = cv2.resize(y_part, DETAIL_SIZE, interpolation=cv2.INTER_AREA)
    out = _shrunk_bgr(frame, SMALL_SIZE, y_part=y_part)
    return np.ascontiguousarray(np.rint(out[..., ::-1]).astype(np.uint8)), detail


def _shrunk_bgr(
    frame: VideoFrame, size: tuple[int, int], y_part: np.ndarray | None = None
) -> np.ndarray:
    """The frame shrunk to size (w, h) from its YUV planes, BGR float32 in 0..255 (y_part:
    its Y plane already shrunk part of the way)."""
    name = frame.format.name
    planes = frame.planes[:3]
    y = _shrink(planes[0], size) if y_part is None else _resized(y_part, size)
    u, v = (_shrink(plane, size) for plane in planes[1:])
    full = name.startswith("yuvj") or frame.color_range == 2  # 2: AVCOL_RANGE_JPEG
    if full:
        luma, cb, cr = y, u - 128.0, v - 128.0
    else:
        luma, cb, cr = (
            (y - 16.0) * (255 / 219),
            (u - 128.0) * (255 / 224),
            (v - 128.0) * (255 / 224),
        )
    # BT.601, as swscale converts a frame that does not name its colour space.
    out = np.empty((size[1], size[0], 3), np.float32)
    out[..., 0] = luma + 1.772 * cb
    out[..., 1] = luma - 0.344136 * cb - 0.714136 * cr
    out[..., 2] = luma + 1.402 * cr
    np.clip(out, 0.0, 255.0, out=out)
    return out


def _plane(plane: av.video.plane.VideoPlane) -> np.ndarray:
    # The plane is a buffer: viewed in place, rows padded to line_size.
    rows = np.frombuffer(cast("bytes", plane), np.uint8).reshape(-1, plane.line_size)
    return rows[: plane.height, : plane.width]


def _shrink(plane: av.video.plane.VideoPlane, size: tuple[int, int]) -> np.ndarray:
    pixels = _plane(plane)
    if size != THUMB_SIZE:
        pixels = _block_mean(pixels, size)
    return _resized(pixels, size)


def _resized(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA).astype(np.float32)


def _block_mean(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Shrink by the largest whole factor that divides both sides and leaves at least twice
    size: OpenCV's area resize is about five times faster for a whole factor (0.2 against
    0.9 ms for 1280x720 to 48x27), and the result differs only by rounding. Not used for the
    detector's own thumbnails, whose thresholds were measured on the one-step resize."""
    h, w = pixels.shape[:2]
    f = min(w // (2 * size[0]), h // (2 * size[1]))
    while f > 1 and (w % f or h % f):
        f -= 1
    if f <= 1:
        return pixels
    return cv2.resize(pixels, (w // f, h // f), interpolation=cv2.INTER_AREA)

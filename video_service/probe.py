"""Video probing: what a file holds (container, codec, timing, display size) and a cheap sniff."""

from __future__ import annotations

import math
import os
import struct
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import av

from scenelens.domain import media

if TYPE_CHECKING:
    from av.container import InputContainer
    from av.video.frame import VideoFrame
    from av.video.stream import VideoStream

# Demuxers that read still images; ffmpeg opens them as one-frame "videos".
_IMAGE_FORMATS = frozenset({"image2", "gif", "apng", "webp", "ico", "tiff", "bmp", "jpegxl"})
# ISO-BMFF major brands of still images (HEIF/AVIF: the gateway's own list) and of audio-only
# files (m4a...).
_NON_VIDEO_BRANDS = frozenset(
    {*media.IMAGE_BRANDS, b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B ", b"crx "}
)
_BMFF_BOXES = frozenset({b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot"})
_SNIFF_BYTES = 64 * 1024
# How much of a file probe_video may demux looking for its first decodable frame.
_MAX_PROBE_PACKETS = 2000
# Decoding errors in a row before a video is taken as broken from there on. A damaged stretch
# fails every packet up to the next keyframe, which can be seconds away (250 frames is x264's
# default keyframe interval), and frames decode again after it; each failed packet costs
# little, and the demuxer moves on with each one.
MAX_CONSECUTIVE_ERRORS = 1000


class UndecodableVideo(ValueError):
    """The file cannot be read as a video; the message says why."""


@dataclass(frozen=True)
class VideoInfo:
    """What probe_video learned about a video file."""

    format: str  # demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
    codec: str  # e.g. "h264", "hevc", "vp9"
    duration_s: float | None  # as a player shows it; None when the container does not say
    fps: float | None  # average frame rate
    frame_count: int  # from the container, else duration * fps; an estimate either way
    width: int  # as displayed: SAR applied, then rotation
    height: int
    rotation: int  # counter-clockwise degrees to turn decoded frames upright: 0, 90, 180, 270
    start_time_s: float  # the file's first timestamp; scene times are relative to it
    coded_width: int  # as decoded
    coded_height: int
    sample_aspect_ratio: Fraction  # pixel width / pixel height; 1 for square pixels
    mirrored: bool = False  # flip left-right before rotating (a display matrix that mirrors)


def is_video(path: str | os.PathLike[str]) -> bool:
    """True if the file starts like a video container; works on the first bytes of an upload.

    Known signatures decide without decoding (a prefix of an mp4 whose index sits at the end
    cannot be demuxed); anything else is handed to ffmpeg, and still images (which ffmpeg opens
    as one-frame videos) and audio-only files are rejected.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError:
        return False
    verdict = _sniff(head)
    if verdict is not None:
        return verdict
    try:
        with av.open(os.fspath(path), metadata_errors="ignore") as container:
            return (
                not _is_image_format(container.format.name) and video_stream(container) is not None
            )
    except (av.FFmpegError, OSError, ValueError):
        return False


def probe_video(path: str | os.PathLike[str]) -> VideoInfo | None:
    """Describe a video file; None if it is media but not a video (a still image, audio only).

    Raises UndecodableVideo when the file is empty, is not media at all, or no video frame
    decodes (e.g. truncated before its first frame or its index). A truncated file whose first
    frames decode is accepted: scene detection then covers the part that decodes. A missing
    file raises FileNotFoundError.
    """
    with open_container(path) as container:
        return inspect_container(container)


def open_container(path: str | os.PathLike[str]) -> InputContainer:
    """av.open, raising UndecodableVideo for empty and non-media files."""
    path = os.fspath(path)
    if os.path.getsize(path) == 0:
        raise UndecodableVideo("empty file (0 bytes)")
    try:
        return av.open(path, metadata_errors="ignore")
    except av.FFmpegError as e:
        raise UndecodableVideo(f"not a readable media file ({_reason(e)})") from None


def inspect_container(container: InputContainer) -> VideoInfo | None:
    """probe_video on an open container; decodes the first frame and leaves the demuxer there."""
    if _is_image_format(container.format.name):
        return None
    stream = video_stream(container)
    if stream is None:
        return None
    first = _first_frame(container, stream)
    if first is None:
        raise UndecodableVideo("no video frame could be decoded (corrupt or truncated file)")
    rotation, mirrored = frame_orientation(first, stream)
    sar = sample_aspect_ratio(stream)
    width, height = display_size(first.width, first.height, sar, rotation)
    fps = _fps(stream)
    duration = _duration_s(container, stream)
    frame_count = stream.frames or (round(duration * fps) if duration and fps else 0)
    return VideoInfo(
        format=container.format.name,
        codec=stream.codec_context.name,
        duration_s=duration,
        fps=fps,
        frame_count=frame_count,
        width=width,
        height=height,
        rotation=rotation,
        mirrored=mirrored,
        start_time_s=float(timeline_origin(container, stream)),
        coded_width=first.width,
        coded_height=first.height,
        sample_aspect_ratio=sar,
    )


def timeline_origin(container: InputContainer, stream: VideoStream) -> Fraction:
    """Seconds of the file's first timestamp: a player's 0:00 (container start, else stream's)."""
    if container.start_time is not None:
        return Fraction(container.start_time, av.time_base)
    if stream.start_time is not None and stream.time_base:
        return stream.start_time * _fraction(stream.time_base)
    return Fraction(0)


def frame_orientation(frame: VideoFrame, stream: VideoStream) -> tuple[int, bool]:
    """(rotation, mirrored): mirror the decoded frame left-right first if `mirrored`, then turn
    it `rotation` degrees counter-clockwise, and it is as the display matrix shows it."""
    matrix = display_matrix(frame)
    if matrix is not None:
        a, b, c, d = matrix[0], matrix[1], matrix[3], matrix[4]
        if a * d - b * c < 0:
            # A mirror: M = R . H with H the left-right flip; R's angle as FFmpeg measures it.
            ccw = -math.degrees(math.atan2(-b, -a))
            return (round(ccw / 90) * 90) % 360, True
    return frame_rotation(frame, stream), False


def display_matrix(frame: VideoFrame) -> tuple[int, ...] | None:
    """The frame's display matrix (9 int32, 16.16 fixed point), when the file has one."""
    side_data: Any = frame.side_data  # PyAV's stubs type iteration as str keys
    for side in side_data:
        if side.type.name == "DISPLAYMATRIX":
            raw = bytes(side)
            if len(raw) >= 36:
                return struct.unpack("=9i", raw[:36])
    return None


def frame_rotation(frame: VideoFrame, stream: VideoStream) -> int:
    """Counter-clockwise degrees (0/90/180/270) to turn a decoded frame upright."""
    # FFmpeg >= 7 exports the display matrix as frame side data (PyAV: frame.rotation, CCW);
    # older muxers' "rotate" tag is clockwise.
    ccw = float(frame.rotation or 0)
    if not ccw:
        tag = stream.metadata.get("rotate")
        try:
            ccw = -float(tag) if tag else 0.0
        except ValueError:
            ccw = 0.0
    return (round(ccw / 90) * 90) % 360


def sample_aspect_ratio(stream: VideoStream) -> Fraction:
    """Pixel aspect ratio, preferring the container's over the codec's as ffmpeg does."""
    for sar in (stream.sample_aspect_ratio, stream.codec_context.sample_aspect_ratio):
        if sar and sar.numerator > 0 and sar.denominator > 0:
            return _fraction(sar)
    return Fraction(1)


def display_size(width: int, height: int, sar: Fraction, rotation: int) -> tuple[int, int]:
    """Size of a coded width x height frame on screen: SAR stretches the width, then rotation."""
    shown_w = max(1, round(width * sar))
    return (height, shown_w) if rotation in (90, 270) else (shown_w, height)


def video_stream(container: InputContainer) -> VideoStream | None:
    """The first video stream that is not cover art."""
    for stream in container.streams.video:
        # Cover art in audio files is a one-picture "video" stream.
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def _first_frame(container: InputContainer, stream: VideoStream) -> VideoFrame | None:
    errors = 0
    packets = 0
    try:
        for packet in container.demux(stream):
            packets += 1
            if packets > _MAX_PROBE_PACKETS or errors > MAX_CONSECUTIVE_ERRORS:
                return None
            try:
                frames = stream.decode(packet)  # the flush packet at EOF drains the decoder
            except av.FFmpegError:
                errors += 1
                continue
            errors = 0
            if frames:
                return frames[0]
    except av.FFmpegError:
        return None
    return None


def _fps(stream: VideoStream) -> float | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate and rate > 0:
            return float(rate)
    return None


def _duration_s(container: InputContainer, stream: VideoStream) -> float | None:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * _fraction(stream.time_base))
    return None


def _is_image_format(name: str) -> bool:
    return any(n in _IMAGE_FORMATS or n.endswith("_pipe") for n in name.split(","))


def _sniff(head: bytes) -> bool | None:
    """True/False for known video/non-video signatures, None when unknown."""
    if len(head) >= 12 and head[4:8] in _BMFF_BOXES:
        return not (head[4:8] == b"ftyp" and head[8:12] in _NON_VIDEO_BRANDS)
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: Matroska, WebM
        return True
    if head.startswith(b"RIFF") and len(head) >= 12:
        return head[8:12] in (b"AVI ", b"AVIX", b"AMV ")  # not WAVE, WEBP
    if head.startswith(b"OggS"):
        return b"\x80theora" in head
    if _is_mpegts(head, 188, 0) or _is_mpegts(head, 192, 4):
        return True
    video_magics = (
        b"FLV",
        b"\x00\x00\x01\xba",  # MPEG program stream
        b"\x00\x00\x01\xb3",  # MPEG-1/2 video
        b"\x30\x26\xb2\x75\x8e\x66\xcf\x11",  # ASF/WMV
        b"YUV4MPEG2",
        b"DKIF",  # IVF (VP8/VP9/AV1)
        b".RMF",
        b"\x06\x0e\x2b\x34\x02\x05\x01\x01",  # MXF
    )
    if head.startswith(video_magics):
        return True
    image_magics = (
        b"\xff\xd8\xff",  # JPEG
        b"\x89PNG\r\n\x1a\n",
        b"GIF87a",
        b"GIF89a",
        b"BM",
        b"II*\x00",
        b"MM\x00*",
        b"\xff\x0a",  # JPEG XL codestream
        b"\x00\x00\x00\x0cJXL ",
        b"%PDF",
    )
    if head.startswith(image_magics):
        return False
    return None


def _is_mpegts(head: bytes, packet: int, offset: int) -> bool:
    sync = [offset + i * packet for i in range(3)]
    return len(head) > sync[-1] and all(head[i] == 0x47 for i in sync)


def _fraction(value: object) -> Fraction:
    # PyAV returns Fraction today and av.AVRational from 19 on; both have these fields.
    return Fraction(value.numerator, value.denominator)  # type: ignore[attr-defined]


def _reason(error: av.FFmpegError) -> str:
    return error.strerror or type(error).__name__

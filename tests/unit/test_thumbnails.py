"""The transition detector's own decoding: thumbnails straight from the YUV planes."""

from __future__ import annotations

import pathlib
import subprocess
import threading
from fractions import Fraction

import av
import numpy as np
import pytest

from bench.synth import make_offset
from video_service.motion import detail_frame
from video_service.probe import UndecodableVideo
from video_service.thumbnails import thumbnails
from video_service.transitions import small_frame, thumbnail


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True, timeout=120
    )


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("thumbs")


def reference(path: pathlib.Path) -> list[tuple[float, np.ndarray, np.ndarray, np.ndarray]]:
    """(seconds from the stream's start, thumbnail, verifier frame and detail frame of the
    full-size BGR frame) per frame."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        start = Fraction(stream.start_time or 0) * Fraction(stream.time_base)
        return [
            (
                float(Fraction(f.pts) * Fraction(stream.time_base) - start),
                thumbnail(f.to_ndarray(format="bgr24")),
                small_frame(f.to_ndarray(format="bgr24")),
                detail_frame(f.to_ndarray(format="bgr24")),
            )
            for f in container.decode(stream)
        ]


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("limited.mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p"]),
        ("full.avi", ["-c:v", "mjpeg", "-pix_fmt", "yuvj420p"]),  # full range
        ("yuv444.mp4", ["-c:v", "libx264", "-pix_fmt", "yuv444p"]),
        ("rgb.mkv", ["-c:v", "png", "-pix_fmt", "rgb24"]),  # not planar YUV: converted first
    ],
)
def test_thumbnails_match_the_bgr_frames(media: pathlib.Path, name: str, codec: list[str]) -> None:
    path = media / name
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=1", *codec, str(path))
    expected = reference(path)
    for threads in (True, False):
        got = list(thumbnails(path, threads=threads))
        assert [s for s, *_ in got] == pytest.approx([s for s, *_ in expected])
        assert all(small is None and detail is None for *_, small, detail in got)  # when asked
        for (_, a, *_), (_, b, *_) in zip(got, expected, strict=True):
            assert a.shape == b.shape == (18, 32, 3) and a.dtype == np.float32
            # Shrinking before converting to BGR differs from the other order only by rounding
            # and where colours clip: a few levels out of 255, far below a cut's change.
            assert float(np.abs(a - b).mean()) < 4 / 255
    got = list(thumbnails(path, small=True))
    for (_, _, small, c), (_, _, want, d) in zip(got, expected, strict=True):
        # The verifier's 48x27 RGB frames, the same way (in two steps where a whole factor fits).
        assert small is not None and small.shape == want.shape == (27, 48, 3)
        assert small.dtype == np.uint8
        assert float(np.abs(small.astype(np.float32) - want).mean()) < 4
        # The motion test's 96x54 luma: the Y plane shrunk (limited range where the frame is),
        # against the grey of the BGR frame: the same picture up to range and rounding.
        assert c is not None and c.shape == d.shape == (54, 96) and c.dtype == np.uint8
        assert float(np.corrcoef(c.ravel(), d.ravel())[0, 1]) > 0.98


def test_times_count_from_the_stream_start(media: pathlib.Path) -> None:
    path = make_offset(media / "offset.mp4", offset_s=10.0)  # 2 s at 25 fps, pts from 10 s
    times = [s for s, *_ in thumbnails(path)]
    assert len(times) == 50
    assert times == pytest.approx([i / 25 for i in range(50)])


def test_stopping_early_ends_the_decoding_thread(media: pathlib.Path) -> None:
    path = media / "long.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=20", "-c:v", "libx264", str(path))
    before = threading.active_count()
    frames = thumbnails(path)
    next(frames)
    frames.close()
    assert threading.active_count() == before
    assert not any(t.name == "thumbnails" for t in threading.enumerate())


def test_errors_in_the_decoding_thread_reach_the_caller(media: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(thumbnails(media / "missing.mp4"))
    junk = media / "junk.mp4"
    junk.write_bytes(np.random.default_rng(2).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    with pytest.raises(UndecodableVideo):
        list(thumbnails(junk))

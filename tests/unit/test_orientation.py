"""Display matrices that mirror as well as rotate give the picture a player shows (issue 13, 7)."""
from __future__ import annotations

import pathlib
import struct
import subprocess

import av
import numpy as np
import pytest

from video_service.probe import probe_video
from video_service.splitter import detect_scenes, extract_key_frames

F = 1 << 16
# (a, b, c, d) of the display matrix: x' = a*x + c*y, y' = b*x + d*y (16.16 fixed point)
MATRICES = {
    "identity": (F, 0, 0, F), "hflip": (-F, 0, 0, F), "vflip": (F, 0, 0, -F),
    "rot180": (-F, 0, 0, -F), "rot90": (0, F, -F, 0), "rot270": (0, -F, F, 0),
    "transpose": (0, F, F, 0), "antitranspose": (0, -F, -F, 0),
}


def _asymmetric_video(path: pathlib.Path) -> None:
    """64x48, two seconds: a bright block in the top-left corner, a grey bar at the right."""
    image = np.full((48, 64, 3), 20, np.uint8)
    image[:12, :16] = 250
    image[:, 56:] = 128
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for _ in range(20):
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _with_matrix(src: bytes, matrix: tuple[int, int, int, int]) -> bytes:
    """The same MP4 with the track header's display matrix replaced."""
    data = bytearray(src)
    at = data.find(b"tkhd")
    version = data[at + 4]
    offset = at + 8 + (32 if version == 1 else 20) + 16  # times, ids, layer/volume/reserved
    a, b, c, d = matrix
    data[offset : offset + 36] = struct.pack(">9i", a, b, 0, c, d, 0, 0, 0, 1 << 30)
    return bytes(data)


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_key_frame_matches_what_ffmpeg_shows(tmp_path: pathlib.Path, name: str) -> None:
    plain = tmp_path / "plain.mp4"
    _asymmetric_video(plain)
    path = tmp_path / f"{name}.mp4"
    path.write_bytes(_with_matrix(plain.read_bytes(), MATRICES[name]))
    info = probe_video(path)
    assert info is not None
    assert info.mirrored == (name in ("hflip", "vflip", "transpose", "antitranspose"))
    (key,) = extract_key_frames(path, detect_scenes(path))
    ours = key.image.mean(axis=2)
    # ffmpeg's autorotate (what a player shows), as grey pixels.
    h, w = ours.shape
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-frames:v", "1",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True,
                         check=True).stdout
    assert len(raw) == w * h, "our frame has another shape than ffmpeg's"
    shown = np.frombuffer(raw, np.uint8).reshape(h, w).astype(float)
    assert (key.width, key.height) == (w, h)
    assert np.abs(ours - shown).mean() < 12, name

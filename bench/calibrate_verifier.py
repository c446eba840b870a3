"""Measure the input range of each of TransNetV2's convolutions, for its int8 compilation.

    python -m bench.calibrate_verifier      # --videos 40 --seed 0 --percentile 99.9

Writes video_service/transnetv2_int8.json, which video_service.verifier.quantize() reads: for
each convolution of the converted model, [low, high] of its input. The windows are 100
consecutive frames at 48x27, one at a random place in each of --videos development videos of
bench.scenes (never the held-out set), drawn with --seed. For each window the bench takes the
(100 - p)th and pth percentile of every convolution's input (p = --percentile), and the range
is the lowest and the highest of those over all windows: outliers of a single frame are left to
saturate, which keeps the steps of the other values fine.

Check a new file with `python -m bench.scenes --quick` (the cuts should stay those of the
float model; the int8 scores differ from bf16's by a few hundredths).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from bench.scenes import development_cases
from video_service.thumbnails import thumbnails
from video_service.verifier import INT8_RANGES, TransNetVerifier

WINDOW = 100
# Which convolutions run in int8: the spatial (1x3x3) halves of the second dilated block of each
# of the three stages. They are the heaviest (about half of the model's time here), and their
# inputs are never negative. With every convolution in int8 the model ran 1.6 times as fast,
# but its scores moved by up to 0.15 (0.05 at the 95th percentile) and two transitions the
# detector had kept by 0.02-0.04 were lost with one of two calibrations; with these twelve,
# 0.03 at most (measured on 367 windows around the development videos' transitions).
SELECT = r"DDCNN\.1\.Conv3D_\d+\.layers\.0/"


def windows(count: int, seed: int) -> list[np.ndarray]:
    """One WINDOW-frame stretch of 48x27 frames from each of `count` development videos."""
    rng = np.random.default_rng(seed)
    cases = [c for c in development_cases() if c.frames >= WINDOW]
    picked = rng.choice(len(cases), size=min(count, len(cases)), replace=False)
    out = []
    for i in sorted(picked):
        small = [s for _, _, s, _ in thumbnails(cases[i].path, small=True) if s is not None]
        if len(small) < WINDOW:
            continue
        start = int(rng.integers(0, len(small) - WINDOW + 1))
        out.append(np.stack(small[start : start + WINDOW]))
    return out


def conv_ranges(
    verifier: TransNetVerifier, frames: list[np.ndarray], percentile: float, select: str = ""
) -> dict[str, list[float]]:
    """The name of each convolution matching `select` (a regular expression; "" for all) ->
    [low, high] of its input over the windows (float32 model)."""
    import openvino as ov

    model = verifier.convert()
    convs = [
        n
        for n in model.get_ordered_ops()
        if n.get_type_name() == "Convolution" and re.search(select, n.get_friendly_name())
    ]
    sources: list[Any] = []
    index: dict[tuple[str, int], int] = {}
    which: list[int] = []
    for conv in convs:  # the four branches of a block read the same input: one output each
        source = conv.input(0).get_source_output()
        key = (source.get_node().get_friendly_name(), source.get_index())
        if key not in index:
            index[key] = len(sources)
            sources.append(source)
        which.append(index[key])
    model.add_outputs(sources)
    compiled = ov.Core().compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    lows = np.full(len(sources), np.inf)
    highs = np.full(len(sources), -np.inf)
    for window in frames:
        out = request.infer([window[None]])
        for k in range(len(sources)):
            values = out[1 + k]
            lows[k] = min(lows[k], float(np.percentile(values, 100 - percentile)))
            highs[k] = max(highs[k], float(np.percentile(values, percentile)))
    return {
        conv.get_friendly_name(): [round(float(lows[k]), 6), round(float(highs[k]), 6)]
        for conv, k in zip(convs, which, strict=True)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--percentile", type=float, default=99.9)
    parser.add_argument("--select", default=SELECT, help="which convolutions (a regex)")
    parser.add_argument("--out", type=Path, default=INT8_RANGES)
    args = parser.parse_args()
    frames = windows(args.videos, args.seed)
    verifier = TransNetVerifier(runtime="torch")  # the model only; convert() is OpenVINO's
    ranges = conv_ranges(verifier, frames, args.percentile, args.select)
    args.out.write_text(json.dumps(ranges, indent=1) + "\n")
    print(f"{len(ranges)} convolutions, {len(frames)} windows of {WINDOW} frames -> {args.out}")


if __name__ == "__main__":
    main()

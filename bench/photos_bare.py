"""Baseline for bench/photos.py: plain Ultralytics predictions on image files, one after another.

Run from the repository root: `python -m bench.photos_bare [-n 50] [--model PATH]`.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import time
from collections.abc import Sequence
from typing import Any

import ultralytics
from ultralytics import YOLO

from recognition_service.detector import Detection

ASSETS = pathlib.Path(ultralytics.__file__).parent / "assets"
REPO = pathlib.Path(__file__).resolve().parents[1]


def default_model() -> str:
    """SCENELENS_MODEL, else the test model beside the repository."""
    return os.environ.get("SCENELENS_MODEL") or str(
        REPO.parent / "shared/models/yolov8n_int8_openvino_model"
    )


def bare_loop(
    model_path: str, image_paths: Sequence[str | os.PathLike[str]], **predict_args: Any
) -> tuple[float, list[list[Detection]]]:
    """Seconds spent in `YOLO(model).predict(path)` over the paths, and what each call found.

    Loading and one warm-up prediction happen before the clock starts; results are converted to
    Detection values (in each file's pixels, most confident first) after it stops.
    """
    if not image_paths:
        return 0.0, []
    args = {"verbose": False, **predict_args}
    model = YOLO(model_path, task="detect")
    model.predict(str(image_paths[0]), **args)
    results: list[Any] = []
    start = time.perf_counter()
    for path in image_paths:
        results.extend(model.predict(str(path), **args))
    seconds = time.perf_counter() - start
    return seconds, [_detections(r) for r in results]


def _detections(result: Any) -> list[Detection]:
    boxes = result.boxes.cpu().numpy()
    found = [
        Detection(result.names[int(c)], int(c), float(p), *(float(v) for v in b))
        for c, p, b in zip(boxes.cls, boxes.conf, boxes.xyxy, strict=True)
    ]
    return sorted(found, key=lambda d: d.confidence, reverse=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=default_model(), help="model path (SCENELENS_MODEL)")
    parser.add_argument("-n", type=int, default=20, help="copies of each image")
    parser.add_argument("--device", default=None, help="Ultralytics device, e.g. cpu or cuda:0")
    opts = parser.parse_args(argv)
    extra = {"device": opts.device} if opts.device else {}
    for name in ("bus.jpg", "zidane.jpg"):
        paths = [ASSETS / name] * opts.n
        seconds, found = bare_loop(opts.model, paths, **extra)
        labels = ", ".join(f"{d.label} {d.confidence:.2f}" for d in found[0])
        print(
            f"{name}: {opts.n} images in {seconds:.2f} s = {opts.n / seconds:.1f} img/s "
            f"({seconds / opts.n * 1000:.1f} ms/img); found {labels}"
        )


if __name__ == "__main__":
    main()

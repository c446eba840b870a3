"""Batched inference on a GPU: the recognition worker's path in one process, beside a bare loop.

    python -m bench.gpu [-n 256] [--device cuda:0] [--model PATH] [--batches 1,8,16]

For each batch size, `-n` photos (bus.jpg and zidane.jpg) go through what a recognition worker
does with a frame: decode, detect through `InferenceBatcher` (frames held at once: the batch
size times two, as the worker's prefetch would), draw and encode the annotated JPEG. Printed:
photos/s, the share of the wall time the model is busy (the rest, the model waits on the
plumbing: decoding, drawing, encoding, the event loop), this process's CPU ms per photo, and
the ratio to a bare loop of `YOLO(model).predict(path)` on the same device. S3, RabbitMQ and
the event store are not in this figure (bench/plumbing.py measures those on a running stack).

Without `--model` a YOLOv8n is built from its yaml (untrained: no download, same speed as the
trained one). With no CUDA device it runs on the CPU, where batching gains little.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import time
from pathlib import Path

from bench.photos_bare import ASSETS, bare_loop


def build_model(folder: Path) -> str:
    from ultralytics import YOLO

    path = folder / "yolov8n_untrained.pt"
    YOLO("yolov8n.yaml", task="detect").save(str(path))
    return str(path)


async def run_worker(model: str, device: str, batch: int, n: int
                     ) -> tuple[float, float, float]:
    """(photos/s, share of the wall time in model calls, CPU ms per photo) for one batch size."""
    from recognition_service.batcher import InferenceBatcher
    from recognition_service.detector import Detector
    from recognition_service.handlers import annotate, decode
    from scenelens.observability import INFERENCE
    from scenelens.settings import Settings

    settings = Settings(device=device)
    detector = await asyncio.to_thread(Detector.open, settings, model, device)
    batcher = InferenceBatcher(detector, batch, 0.005)
    data = [(ASSETS / name).read_bytes() for name in ("bus.jpg", "zidane.jpg")]
    held = asyncio.Semaphore(max(2, 2 * batch))

    async def one(i: int) -> None:
        async with held:
            image = await asyncio.to_thread(decode, data[i % 2])
            found = await batcher.detect(image)
            await asyncio.to_thread(annotate, image, found, 0, 0, settings.jpeg_quality)

    await asyncio.gather(*(one(i) for i in range(min(n, 2 * batch))))  # warm-up
    model_s = _sum(INFERENCE)
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i) for i in range(n)))
    wall = time.perf_counter() - started
    cpu_ms = (time.process_time() - cpu) * 1000 / n
    return n / wall, (_sum(INFERENCE) - model_s) / wall, cpu_ms


def _sum(histogram: object) -> float:
    for metric in histogram.collect():  # type: ignore[attr-defined]
        for sample in metric.samples:
            if sample.name.endswith("_sum"):
                return float(sample.value)
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=256)
    parser.add_argument("--device", default="")
    parser.add_argument("--model", default="")
    parser.add_argument("--batches", default="1,8,16")
    args = parser.parse_args()
    import torch

    device = args.device or ("cuda:0" if torch.cuda.is_available() else "cpu")
    gpu = torch.cuda.get_device_name(0) if device.startswith("cuda") else "none"
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or build_model(Path(tmp))
        print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, GPU {gpu}; device {device}; "
              f"model {os.path.basename(model)}; {args.n} photos")
        paths = [ASSETS / ("bus.jpg" if i % 2 == 0 else "zidane.jpg") for i in range(args.n)]
        bare_s, _ = bare_loop(model, paths, device=device)
        bare = args.n / bare_s
        print(f"bare Ultralytics loop           : {bare:8.1f} photos/s")
        for batch in (int(b) for b in args.batches.split(",")):
            rate, busy, cpu_ms = asyncio.run(run_worker(model, device, batch, args.n))
            print(f"worker path, batch {batch:>3}         : {rate:8.1f} photos/s, "
                  f"model busy {busy:5.1%} of the time (waiting on plumbing {1 - busy:5.1%}), "
                  f"CPU {cpu_ms:5.1f} ms/photo; ratio to bare {rate / bare:5.2f}")


if __name__ == "__main__":
    main()

"""Micro-batching: frames that arrive together reach the model in one call, each frame gets its
own detections back, and a frame that fails fails alone."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from recognition_service.batcher import InferenceBatcher, batch_size
from recognition_service.detector import Detection


def _frame(n: int) -> np.ndarray:
    return np.full((4, 4, 3), n, np.uint8)


class FakeDetector:
    """Finds one object per frame, labelled with the frame's fill value; frame 13 is broken."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[int], float | None, list[int] | None]] = []
        self._lock = threading.Lock()

    def detect_batch(self, imgs: Sequence[np.ndarray], *, conf: float | None = None,
                     classes: Sequence[int] | None = None) -> list[list[Detection]]:
        values = [int(img[0, 0, 0]) for img in imgs]
        with self._lock:
            self.calls.append((values, conf, list(classes) if classes else None))
        if 13 in values:
            raise ValueError("broken frame")
        return [[Detection(f"v{v}", v, 0.5, 0, 0, 1, 1)] for v in values]

    def detect(self, img: np.ndarray, *, conf: float | None = None,
               classes: Sequence[int] | None = None) -> list[Detection]:
        return self.detect_batch([img], conf=conf, classes=classes)[0]


async def _detect_all(batcher: InferenceBatcher, frames: list[tuple[int, float | None]]
                      ) -> list[Any]:
    return await asyncio.gather(
        *(batcher.detect(_frame(n), conf=conf) for n, conf in frames), return_exceptions=True)


def test_frames_that_arrive_together_share_one_call() -> None:
    fake = FakeDetector()
    batcher = InferenceBatcher(fake, max_batch=4, window_s=0.05)  # type: ignore[arg-type]
    results = asyncio.run(_detect_all(batcher, [(n, None) for n in range(1, 7)]))
    assert [r[0].label for r in results] == [f"v{n}" for n in range(1, 7)]
    # Four fill a batch at once; the other two go together when the window closes.
    assert [c[0] for c in fake.calls] == [[1, 2, 3, 4], [5, 6]]


def test_different_thresholds_are_different_calls() -> None:
    fake = FakeDetector()
    batcher = InferenceBatcher(fake, max_batch=8, window_s=0.02)  # type: ignore[arg-type]
    results = asyncio.run(_detect_all(batcher, [(1, 0.5), (2, None), (3, 0.5)]))
    assert [r[0].label for r in results] == ["v1", "v2", "v3"]
    assert sorted((c[0], c[1]) for c in fake.calls) == [([1, 3], 0.5), ([2], None)]


def test_a_broken_frame_fails_alone() -> None:
    fake = FakeDetector()
    batcher = InferenceBatcher(fake, max_batch=3, window_s=0.05)  # type: ignore[arg-type]
    results = asyncio.run(_detect_all(batcher, [(1, None), (13, None), (3, None)]))
    assert results[0][0].label == "v1" and results[2][0].label == "v3"
    assert isinstance(results[1], ValueError)
    assert fake.calls[0][0] == [1, 13, 3]  # the batch, then each frame alone
    assert sorted(c[0][0] for c in fake.calls[1:]) == [1, 3, 13]


def test_batch_of_one_calls_the_model_per_frame() -> None:
    fake = FakeDetector()
    batcher = InferenceBatcher(fake, max_batch=1, window_s=1.0)  # type: ignore[arg-type]
    results = asyncio.run(_detect_all(batcher, [(n, None) for n in range(1, 4)]))
    assert [r[0].label for r in results] == ["v1", "v2", "v3"]
    assert sorted(c[0] for c in fake.calls) == [[1], [2], [3]]


@pytest.mark.parametrize(("setting", "device", "expected"), [
    (0, "cuda:0", 8), (0, "cpu", 1), (3, "cpu", 3), (2, "cuda:0", 2)])
def test_batch_size(setting: int, device: str, expected: int) -> None:
    assert batch_size(setting, device) == expected


@pytest.mark.parametrize("max_batch", [1, 3])
def test_recognize_alone_and_batched_give_the_same_result(max_batch: int) -> None:
    """A whole frame through recognize(): one thread hop unbatched, three batched; same answer."""
    import io

    from PIL import Image

    from recognition_service.handlers import recognize

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (7, 7, 7)).save(out, "JPEG", quality=100)
    fake = FakeDetector()
    batcher = InferenceBatcher(fake, max_batch=max_batch, window_s=0.01)  # type: ignore[arg-type]
    result = asyncio.run(recognize(batcher, out.getvalue(), 16, 12, 90))
    [found] = result.detections
    assert found["label"].startswith("v") and found["box"] == [0.0, 0.0, 2.0, 2.0]
    assert (result.width, result.height) == (16, 12) and result.jpeg[:2] == b"\xff\xd8"
    assert len(fake.calls) == 1

"""Micro-batching: frames that arrive together go to the model in one call.

A GPU runs a batch of frames in about the time of one, so a worker gathers the frames its
prefetch holds for up to `window_s` (or until `max_batch` are waiting) and detects them with one
`Detector.detect_batch`. Frames are grouped by what changes the model call (confidence threshold
and classes). With `max_batch` 1 (the default on a CPU, where a batch of a static export runs in
turn anyway) every frame is its own call, as before.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from recognition_service.detector import Detection, Detector
from scenelens.observability import INFERENCE_BATCH

log = logging.getLogger(__name__)

Key = tuple[float | None, tuple[int, ...]]


@dataclass
class _Pending:
    images: list[np.ndarray] = field(default_factory=list)
    futures: list[asyncio.Future[list[Detection]]] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None


class InferenceBatcher:
    """Batches detect() calls for one detector (one per loaded model)."""

    def __init__(self, detector: Detector, max_batch: int, window_s: float) -> None:
        self.detector = detector
        self._max = max(1, max_batch)
        self._window = window_s
        self._pending: dict[Key, _Pending] = {}
        self._flushes: set[asyncio.Task[None]] = set()

    @property
    def max_batch(self) -> int:
        return self._max

    async def detect(self, image: np.ndarray, *, conf: float | None = None,
                     classes: Sequence[int] | None = None) -> list[Detection]:
        """The objects in one image, detected alone or in a batch with others."""
        if self._max == 1:
            return await asyncio.to_thread(self.detect_alone, image, conf=conf, classes=classes)
        key: Key = (conf, tuple(classes or ()))
        loop = asyncio.get_running_loop()
        pending = self._pending.setdefault(key, _Pending())
        future: asyncio.Future[list[Detection]] = loop.create_future()
        pending.images.append(image)
        pending.futures.append(future)
        if len(pending.images) >= self._max:
            self._flush(key)
        elif pending.timer is None:
            pending.timer = loop.call_later(self._window, self._flush, key)
        return await future

    def detect_alone(self, image: np.ndarray, *, conf: float | None = None,
                     classes: Sequence[int] | None = None) -> list[Detection]:
        """One frame in its own model call, in the calling (worker) thread."""
        INFERENCE_BATCH.observe(1)
        return self.detector.detect(image, conf=conf, classes=classes)

    def _flush(self, key: Key) -> None:
        pending = self._pending.pop(key, None)
        if pending is None:
            return
        if pending.timer is not None:
            pending.timer.cancel()
        task = asyncio.create_task(self._run(key, pending))
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _run(self, key: Key, pending: _Pending) -> None:
        conf, classes = key
        INFERENCE_BATCH.observe(len(pending.images))
        try:
            results = await asyncio.to_thread(self.detector.detect_batch, pending.images,
                                              conf=conf, classes=list(classes) or None)
        except Exception:  # noqa: BLE001 - find the frame that fails; the others still count
            log.warning("a batch of %d frames failed; detecting them one by one",
                        len(pending.images), exc_info=True)
            for image, future in zip(pending.images, pending.futures, strict=True):
                await self._one(image, future, conf, list(classes) or None)
            return
        for future, found in zip(pending.futures, results, strict=True):
            if not future.done():
                future.set_result(found)

    async def _one(self, image: np.ndarray, future: asyncio.Future[list[Detection]],
                   conf: float | None, classes: list[int] | None) -> None:
        try:
            found = await asyncio.to_thread(self.detector.detect, image, conf=conf,
                                            classes=classes)
        except Exception as e:  # noqa: BLE001 - this frame's own failure, for its message
            if not future.done():
                future.set_exception(e)
            return
        if not future.done():
            future.set_result(found)


def batch_size(setting: int, device: str) -> int:
    """SCENELENS_INFERENCE_BATCH: 0 picks 8 on a CUDA device and 1 elsewhere."""
    if setting > 0:
        return setting
    return 8 if device.startswith("cuda") else 1

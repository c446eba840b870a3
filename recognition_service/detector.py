"""The object detector: one Ultralytics YOLO model per process, BGR arrays in, plain Detection values out."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from recognition_service.imaging import resize_for_model
from scenelens.observability import INFERENCE

if TYPE_CHECKING:
    from ultralytics import YOLO
    from ultralytics.engine.results import Results

    from scenelens.settings import Settings

# Formats whose runtime takes a torch device ("cuda:0"); the others (OpenVINO, NCNN, ...) run on the host through
# their own runtime, and Ultralytics picks their accelerator from "intel:gpu"-style device strings instead.
_TORCH_DEVICE_FORMATS = {"pt", "torchscript", "onnx", "engine"}
_HALF_FORMATS = {"pt", "torchscript"}  # the others carry their precision in the exported file


class ModelUnavailable(RuntimeError):
    """The configured model cannot be found or loaded."""


@dataclass(frozen=True, slots=True)
class Detection:
    """One object found in an image; corners in pixels of the image given to detect()."""

    label: str
    class_id: int
    confidence: float
    x1: float
    y1: float
    x2: float
    y2: float


def model_format(model: str) -> str:
    """Ultralytics' format name by suffix (pt, torchscript, onnx, engine); "host" for folders and the rest."""
    suffix = Path(model).suffix.lower()
    return {".pt": "pt", ".torchscript": "torchscript", ".onnx": "onnx", ".engine": "engine"}.get(
        suffix, "host"
    )


def pick_device(settings_device: str, fmt: str) -> str:
    """settings.device when set; else cuda:0 for formats that run on torch devices and a GPU is there; else cpu."""
    if settings_device:
        return settings_device
    if fmt in _TORCH_DEVICE_FORMATS:
        import torch

        if torch.cuda.is_available():
            return "cuda:0"
    return "cpu"


class Detector:
    """A loaded YOLO model; detect() may be called from several threads, one prediction runs at a time."""

    def __init__(
        self, yolo: YOLO, *, name: str, device: str, half: bool, imgsz: int, conf: float, iou: float
    ) -> None:
        self._yolo = yolo
        self._name = name
        self._lock = threading.Lock()
        self._predict_args: dict[str, Any] = {
            "device": device,
            "quantize": 16 if half else None,  # Ultralytics 8.4's replacement for half=True
            "imgsz": imgsz,
            "conf": conf,
            "iou": iou,
            "verbose": False,
        }
        # The predictor is built by the first predict; this warms it up and tells the input size it really uses
        # (a static export keeps the size it was exported at, whatever imgsz says).
        self._predict([np.zeros((imgsz, imgsz, 3), np.uint8)])
        predictor = yolo.predictor
        assert predictor is not None
        self._target: tuple[int, int] = (int(predictor.imgsz[0]), int(predictor.imgsz[1]))
        self._device: str = str(predictor.device)
        self._version: str = _writer_version(yolo)

    @classmethod
    def load(cls, settings: Settings) -> Detector:
        """Load settings.model (.pt, OpenVINO folder, ONNX, ...) on the device the settings ask for, and warm it up."""
        return cls.open(settings, settings.model, settings.device)

    @classmethod
    def open(cls, settings: Settings, model: str, device: str = "", name: str = "") -> Detector:
        """Load one model file or export folder on a device ("" picks one), and warm it up."""
        _no_openvino_telemetry()
        from ultralytics import YOLO

        fmt = model_format(model)
        device = pick_device(device or settings.device, fmt)
        half = fmt in _HALF_FORMATS and device.startswith("cuda")
        try:
            yolo = YOLO(model, task="detect")
            return cls(
                yolo,
                name=name or Path(model).stem,
                device=device,
                half=half,
                imgsz=settings.imgsz,
                conf=settings.conf,
                iou=settings.iou,
            )
        except (FileNotFoundError, ConnectionError) as e:
            raise ModelUnavailable(
                f"cannot load model {model!r} (SCENELENS_MODEL / SCENELENS_MODELS): {e}"
            ) from None

    @property
    def model_name(self) -> str:
        return self._name

    @property
    def model_version(self) -> str:
        """The Ultralytics version that wrote the model, else the one running it."""
        return self._version

    @property
    def device(self) -> str:
        """The torch device predictions run on ("cpu" for OpenVINO and other host runtimes)."""
        return self._device

    @property
    def input_size(self) -> tuple[int, int]:
        """(height, width) the model sees; detect() resizes images to fit it."""
        return self._target

    @property
    def class_names(self) -> dict[int, str]:
        return dict(self._yolo.names)

    @property
    def iou(self) -> float:
        return float(self._predict_args["iou"])

    def detect(
        self, img: np.ndarray, *, conf: float | None = None, classes: Sequence[int] | None = None
    ) -> list[Detection]:
        """Objects in one HxWx3 uint8 BGR image, most confident first, in that image's pixels.

        `conf` overrides the confidence threshold; `classes` keeps only those class ids."""
        return self.detect_batch([img], conf=conf, classes=classes)[0]

    def detect_batch(
        self, imgs: Sequence[np.ndarray], *, conf: float | None = None,
        classes: Sequence[int] | None = None,
    ) -> list[list[Detection]]:
        """detect() for several images in one model call (worth it on a GPU; a static export runs them in turn)."""
        if not imgs:
            return []
        for img in imgs:
            _check_image(img)
        # Resized here, not inside the model call; Ultralytics' letterbox then only pads (small images aside,
        # which it enlarges to the input size just as a direct predict does).
        resized = [resize_for_model(img, self._target)[0] for img in imgs]
        overrides: dict[str, Any] = {}
        if conf is not None:
            overrides["conf"] = conf
        if classes:
            overrides["classes"] = list(classes)
        results = self._predict(resized, observe=True, **overrides)
        return [
            _detections(r, img.shape, small.shape)
            for r, img, small in zip(results, imgs, resized, strict=True)
        ]

    def _predict(self, imgs: list[np.ndarray], observe: bool = False, **overrides: Any) -> list[Results]:
        # YOLO.predict rewrites the shared predictor's arguments before Ultralytics' own lock is taken.
        with self._lock:
            started = time.perf_counter()
            results = self._yolo.predict(imgs, **{**self._predict_args, "classes": None, **overrides})
            if observe:  # one model call, not the time waiting for the model (nor the warm-up)
                INFERENCE.observe(time.perf_counter() - started)
        return cast("list[Results]", results)  # stream=False: a list of Results


def _writer_version(yolo: YOLO) -> str:
    """The Ultralytics version in an export's metadata or a checkpoint, else the running one."""
    import ultralytics

    backend = yolo.predictor.model if yolo.predictor is not None else None
    metadata: dict[str, Any] = getattr(backend, "metadata", None) or {}
    ckpt: dict[str, Any] = getattr(yolo, "ckpt", None) or {}
    return str(metadata.get("version") or ckpt.get("version") or ultralytics.__version__)


def _check_image(img: np.ndarray) -> None:
    if (
        not isinstance(img, np.ndarray)
        or img.dtype != np.uint8
        or img.ndim != 3
        or img.shape[2] != 3
    ):
        got = (
            f"{img.dtype} array of shape {img.shape}"
            if isinstance(img, np.ndarray)
            else type(img).__name__
        )
        raise ValueError(f"expected an HxWx3 uint8 BGR image, got {got}")
    if not img.shape[0] or not img.shape[1]:
        raise ValueError(f"image has no pixels: shape {img.shape}")


def _detections(
    result: Results, shape: tuple[int, ...], resized_shape: tuple[int, ...]
) -> list[Detection]:
    """Boxes from the resized image back to the original's pixels, clipped to it, most confident first."""
    if result.boxes is None or len(result.boxes) == 0:
        return []
    boxes = result.boxes.cpu().numpy()
    height, width = shape[:2]
    # Per-axis gains, as Ultralytics' scale_boxes uses: each side was rounded to whole pixels on its own.
    gain = np.array(
        [
            width / resized_shape[1],
            height / resized_shape[0],
            width / resized_shape[1],
            height / resized_shape[0],
        ]
    )
    xyxy = np.asarray(boxes.xyxy, dtype=np.float64) * gain
    xyxy[:, [0, 2]] = xyxy[:, [0, 2]].clip(0, width)
    xyxy[:, [1, 3]] = xyxy[:, [1, 3]].clip(0, height)
    classes = np.asarray(boxes.cls).astype(int).tolist()
    confidences = np.asarray(boxes.conf, dtype=np.float64).tolist()
    names = result.names
    found = [
        Detection(
            label=names[c],
            class_id=c,
            confidence=p,
            x1=float(b[0]),
            y1=float(b[1]),
            x2=float(b[2]),
            y2=float(b[3]),
        )
        for c, p, b in zip(classes, confidences, xyxy, strict=True)
    ]
    found.sort(key=lambda d: d.confidence, reverse=True)
    return found


def _no_openvino_telemetry() -> None:
    """No usage telemetry from a self-hosted service.

    OpenVINO's converter (which Ultralytics' OpenVINO backend imports) sends events to Google
    Analytics whenever `openvino_telemetry` imports, from a forked process that it SIGTERMs on
    timeout; that child inherits asyncio's signal wake-up fd, so where DNS is slow the kill
    stopped the recognition worker. With the import failing, the converter uses its own no-op
    stub (its documented fallback). Must run before OpenVINO is first imported.
    """
    sys.modules.setdefault("openvino_telemetry", None)  # type: ignore[arg-type]

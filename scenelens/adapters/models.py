"""The model registry from settings: class names and versions read from the weights' files.

Nothing here imports torch or Ultralytics, so the gateway can list models and check labels
without loading any: class names come from the model's `labels` setting, else an export's
`metadata.yaml`, else Ultralytics' COCO names (those of every pretrained detection checkpoint).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import logging
from pathlib import Path
from typing import Any

import yaml

from scenelens.domain.models import ModelConfig, ModelInfo
from scenelens.settings import Settings

log = logging.getLogger(__name__)

HASH_CHARS = 12
_CHUNK = 1 << 20


def ultralytics_version() -> str:
    try:
        return importlib.metadata.version("ultralytics")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def weights_hash(path: str | Path) -> str:
    """A short SHA-256 of a weights file, or of an export folder's files (names and bytes, sorted);
    "" when the weights are not on this machine (e.g. a checkpoint Ultralytics downloads)."""
    root = Path(path)
    digest = hashlib.sha256()
    if root.is_file():
        files = [(root.name, root)]
    elif root.is_dir():
        files = sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file())
    else:
        return ""
    for name, file in files:
        if root.is_dir():
            digest.update(name.encode() + b"\0")
        with file.open("rb") as f:
            while block := f.read(_CHUNK):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:HASH_CHARS]


def model_version(path: str | Path) -> str:
    """The version a recognition records: the Ultralytics version and the weights' short hash."""
    short = weights_hash(path)
    return f"{ultralytics_version()}+{short}" if short else ultralytics_version()


def coco_labels() -> list[str]:
    spec = importlib.util.find_spec("ultralytics")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError("ultralytics is not installed; give the model's labels in settings")
    data = yaml.safe_load((Path(spec.origin).parent / "cfg" / "datasets" / "coco.yaml").read_text())
    return _names(data["names"])


def _names(names: Any) -> list[str]:
    if isinstance(names, dict):
        return [str(names[k]) for k in sorted(names, key=int)]
    return [str(n) for n in names]


def model_labels(config: ModelConfig) -> list[str]:
    """The class names of a model, without loading it."""
    if config.labels:
        return list(config.labels)
    metadata = Path(config.path) / "metadata.yaml"
    if metadata.is_file():
        data = yaml.safe_load(metadata.read_text()) or {}
        if data.get("names"):
            return _names(data["names"])
    return coco_labels()


def load_registry(settings: Settings) -> dict[str, ModelInfo]:
    """Every configured model by name (hashes the weights: call it off the event loop, once)."""
    default = settings.default_model_name
    out: dict[str, ModelInfo] = {}
    for name, config in settings.model_configs.items():
        out[name] = ModelInfo(
            name=name, path=config.path, device=config.device,
            version=model_version(config.path),
            confidence=config.confidence if config.confidence is not None else settings.conf,
            labels=tuple(model_labels(config)), is_default=name == default,
        )
    return out

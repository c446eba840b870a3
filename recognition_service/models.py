"""The models a recognition worker serves: loaded on first use, at most N kept (least recently used go)."""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scenelens.adapters.models import model_version
from scenelens.domain.errors import PermanentFailure
from scenelens.domain.models import ModelInfo

log = logging.getLogger(__name__)

# (path, device) -> a loaded detector; blocking, called in a worker thread.
Loader = Callable[[str, str], Any]


@dataclass(frozen=True)
class Loaded:
    """A loaded model and what a recognition records about it."""

    detector: Any
    info: ModelInfo
    version: str  # Ultralytics version + short hash of the weights as loaded


class ModelPool:
    """Configured models by name; the same weights on the same device are loaded once, shared by
    every name that points at them, and only `max_loaded` of them stay in memory."""

    def __init__(self, models: dict[str, ModelInfo], default: str, loader: Loader,
                 max_loaded: int) -> None:
        self.models = models
        self.default = default
        self._loader = loader
        self._max = max(1, max_loaded)
        self._loaded: OrderedDict[tuple[str, str], tuple[Any, str]] = OrderedDict()
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    @property
    def loaded(self) -> list[tuple[str, str]]:
        """(path, device) of the models in memory, least recently used first."""
        return list(self._loaded)

    def info(self, name: str) -> ModelInfo:
        info = self.models.get(name or self.default)
        if info is None:
            raise PermanentFailure(f"model {name!r} is not configured on this worker")
        return info

    async def get(self, name: str) -> Loaded:
        """The model by name ("" is the default), loading it off the event loop if needed."""
        info = self.info(name)
        key = (info.path, info.device)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            entry = self._loaded.get(key)
            if entry is None:
                detector = await asyncio.to_thread(self._loader, info.path, info.device)
                # Hashed after loading: a checkpoint Ultralytics downloads exists only now.
                version = await asyncio.to_thread(model_version, info.path)
                entry = (detector, version)
                self._loaded[key] = entry
                log.info("model loaded", extra={"model": info.name, "path": info.path,
                                                "version": version})
                while len(self._loaded) > self._max:
                    (path, device), _ = self._loaded.popitem(last=False)
                    log.info("model unloaded", extra={"path": path, "device": device})
            self._loaded.move_to_end(key)
        return Loaded(detector=entry[0], info=info, version=entry[1])

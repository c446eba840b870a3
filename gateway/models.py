"""The gateway's view of the configured models: listed, and used to check requests' options."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence

from scenelens.adapters.models import load_registry
from scenelens.domain.models import AnalysisOptions, ModelInfo, resolve_options
from scenelens.settings import Settings


class ModelCatalog:
    """Reads the models' class names and versions once (off the event loop), then answers."""

    def __init__(self, settings: Settings, models: dict[str, ModelInfo] | None = None) -> None:
        self._settings = settings
        self._models = models
        self._labels: frozenset[str] | None = None
        self._lock = asyncio.Lock()

    async def all(self) -> dict[str, ModelInfo]:
        if self._models is None:
            async with self._lock:
                if self._models is None:
                    self._models = await asyncio.to_thread(load_registry, self._settings)
        return self._models

    async def labels(self) -> frozenset[str]:
        """Every label some configured model knows."""
        if self._labels is None:
            self._labels = frozenset(x for m in (await self.all()).values() for x in m.labels)
        return self._labels

    async def resolve(self, *, model: str, confidence: float | None,
                      labels: Sequence[str]) -> AnalysisOptions:
        return resolve_options(await self.all(), self._settings.default_model_name,
                               model=model, confidence=confidence, labels=labels)

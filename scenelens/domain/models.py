"""Models and analysis options: which model, confidence threshold and labels a run uses (pure)."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from scenelens.domain.errors import InvalidRequest

MAX_LABELS = 100


class ModelConfig(BaseModel):
    """One configured model (SCENELENS_MODELS): where its weights are and how to run it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(min_length=1)  # .pt / .onnx file, or an export folder (OpenVINO, ...)
    device: str = ""  # "" picks cuda:0 for torch formats when there is a GPU, else cpu
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)  # default threshold
    labels: list[str] | None = None  # class names, when the weights do not carry them


@dataclass(frozen=True)
class ModelInfo:
    """A model as the API shows it: name, version, default threshold and class names."""

    name: str
    path: str
    device: str
    version: str
    confidence: float
    labels: tuple[str, ...]
    is_default: bool = False


@dataclass(frozen=True)
class AnalysisOptions:
    """What one run uses: a configured model, its confidence threshold, the labels to keep."""

    model: str
    confidence: float
    labels: tuple[str, ...] = ()  # empty: every class the model knows

    def as_dict(self) -> dict[str, object]:
        return {"model": self.model, "confidence": self.confidence, "labels": list(self.labels)}


def parse_labels(values: Sequence[str]) -> list[str]:
    """Labels from repeated and/or comma-separated values, trimmed, first occurrence kept."""
    out: list[str] = []
    for value in values:
        for part in str(value).split(","):
            label = part.strip()
            if label and label not in out:
                out.append(label)
    return out


def resolve_options(
    models: Mapping[str, ModelInfo], default_model: str, *, model: str = "",
    confidence: float | None = None, labels: Sequence[str] = (),
) -> AnalysisOptions:
    """Check a request's model, threshold and labels; fill in the defaults. InvalidRequest else."""
    name = (model or "").strip() or default_model
    info = models.get(name)
    if info is None:
        known = ", ".join(sorted(models)) or "none"
        raise InvalidRequest(f"unknown model {name[:80]!r}; configured models: {known}")
    if confidence is None:
        confidence = info.confidence
    if not isinstance(confidence, (int, float)) or math.isnan(confidence) or not (
        0.0 <= confidence <= 1.0
    ):
        raise InvalidRequest(f"confidence must be between 0 and 1, got {confidence!r}")
    wanted = parse_labels(labels)
    if len(wanted) > MAX_LABELS:
        raise InvalidRequest(f"at most {MAX_LABELS} labels, got {len(wanted)}")
    unknown = [label for label in wanted if label not in info.labels]
    if unknown:
        shown = ", ".join(repr(u[:40]) for u in unknown[:5])
        raise InvalidRequest(
            f"unknown label{'s' if len(unknown) > 1 else ''} {shown} for model {name!r} "
            "(GET /v1/models lists its labels)"
        )
    return AnalysisOptions(model=name, confidence=round(float(confidence), 6), labels=tuple(wanted))

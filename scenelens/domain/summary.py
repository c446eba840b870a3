"""A run's summary, label by label: how many detections, the best confidence, where (pure)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Appearance:
    """A label in one segment."""

    segment_id: str
    index: int
    start_time_s: float
    end_time_s: float
    detection_count: int = 0
    max_confidence: float = 0.0


@dataclass
class LabelSummary:
    label: str
    detection_count: int = 0
    max_confidence: float = 0.0
    segments: list[Appearance] = field(default_factory=list)
    time_ranges: list[tuple[float, float]] = field(default_factory=list)


def time_ranges(segments: Iterable[Appearance]) -> list[tuple[float, float]]:
    """The segments' spans in time order, adjacent or overlapping ones merged; segments
    without a span (a photo) have none."""
    spans = sorted((s.start_time_s, s.end_time_s) for s in segments
                   if s.end_time_s > s.start_time_s)
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        # Scenes of a video tile its timeline: one ends where the next starts.
        if merged and start <= merged[-1][1] + 1e-6:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def summarize(rows: Iterable[Mapping[str, Any]]) -> list[LabelSummary]:
    """Rows of (label, confidence, segment_id, segment_index, start_time_s, end_time_s), one per
    detection, into one summary per label: most detections first, then by name."""
    labels: dict[str, LabelSummary] = {}
    places: dict[tuple[str, str], Appearance] = {}
    for row in rows:
        label, confidence = str(row["label"]), float(row["confidence"])
        summary = labels.setdefault(label, LabelSummary(label))
        summary.detection_count += 1
        summary.max_confidence = max(summary.max_confidence, confidence)
        key = (label, str(row["segment_id"]))
        place = places.get(key)
        if place is None:
            place = places[key] = Appearance(
                segment_id=str(row["segment_id"]), index=int(row["segment_index"]),
                start_time_s=float(row["start_time_s"]), end_time_s=float(row["end_time_s"]),
            )
            summary.segments.append(place)
        place.detection_count += 1
        place.max_confidence = max(place.max_confidence, confidence)
    out = sorted(labels.values(), key=lambda s: (-s.detection_count, s.label))
    for summary in out:
        summary.segments.sort(key=lambda a: a.index)
        summary.time_ranges = time_ranges(summary.segments)
    return out

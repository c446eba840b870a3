"""Subscription tiers: queue priority and the limits each tier's tenants get (pure data)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Tier(BaseModel):
    """One tier's limits; configured in settings (SCENELENS_TIERS), never hard-coded elsewhere."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    priority: int = Field(ge=0, le=9)  # RabbitMQ message priority (0..9)
    max_file_bytes: int = Field(gt=0)  # largest upload
    max_unfinished_tasks: int = Field(gt=0)  # PENDING + PROCESSING tasks at once
    rate_per_s: float = Field(gt=0)  # sustained requests per second per key
    burst: int = Field(gt=0)  # requests allowed at once before the rate applies


MiB = 1024 * 1024

DEFAULT_TIERS: dict[str, Tier] = {
    "free": Tier(priority=1, max_file_bytes=100 * MiB, max_unfinished_tasks=20,
                 rate_per_s=5, burst=20),
    "pro": Tier(priority=5, max_file_bytes=2048 * MiB, max_unfinished_tasks=200,
                rate_per_s=50, burst=100),
    "enterprise": Tier(priority=9, max_file_bytes=2048 * MiB, max_unfinished_tasks=2000,
                       rate_per_s=500, burst=1000),
}

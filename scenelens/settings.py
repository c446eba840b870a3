"""One frozen settings object per process, read from SCENELENS_* environment variables."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from scenelens.domain.media import SCENE_DETECTORS
from scenelens.domain.models import ModelConfig
from scenelens.domain.tiers import DEFAULT_TIERS, Tier


class Settings(BaseSettings):
    """Every knob of scenelens; see README "Settings" for the meaning of each."""

    # An empty variable means "the default" (docker compose passes unset ones as empty).
    model_config = SettingsConfigDict(
        env_prefix="SCENELENS_", frozen=True, extra="ignore", env_ignore_empty=True
    )

    # Postgres (event store and read models)
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_db: str = "scenelens"
    pg_user: str = "scenelens"
    pg_password: str = "scenelens"
    pg_pool_size: int = 5
    # How long an API request waits for a Postgres connection (the gateway's pools) before it
    # is answered 503 UNAVAILABLE; the workers wait psycopg_pool's 30 s and retry.
    api_db_wait_s: Annotated[int, Field(ge=1, le=300)] = 5

    # RabbitMQ
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    prefetch: int = 4  # recognition: unacknowledged frames per worker (small, so priority works)
    video_prefetch: int = 1  # video: one video at a time per worker, so priority works
    # Recorder (recognition results into the event store, in batches): unacknowledged results,
    # how long a batch waits for more, and the most in one batch.
    recorder_prefetch: int = 512
    recorder_batch_window_ms: Annotated[float, Field(ge=0, le=1000)] = 5.0
    recorder_batch_max: Annotated[int, Field(ge=1)] = 256
    # The video splitter saves the scenes extracted within this window together.
    scene_batch_window_ms: Annotated[float, Field(ge=0, le=5000)] = 200.0
    # While it detects scenes, the video service records how far it has got at most this often
    # (0: at every hundredth of the video).
    split_progress_interval_s: Annotated[float, Field(ge=0, le=3600)] = 2.0
    max_attempts: int = 5
    retry_delay_ms: int = 1000
    # A message that failed because S3 or Postgres was down is retried without counting an
    # attempt, its delay doubling from retry_delay_ms up to this.
    outage_retry_max_ms: Annotated[int, Field(ge=1)] = 30_000

    # S3
    s3_endpoint: str = "http://127.0.0.1:8333"
    s3_public_endpoint: str = ""  # endpoint put into presigned links; defaults to s3_endpoint
    s3_access_key: str = "scenelens"
    s3_secret_key: str = "scenelens-secret"
    s3_region: str = "us-east-1"
    s3_bucket: str = "scenelens"
    result_url_ttl_s: int = 3600

    # gRPC gateway
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50051
    grpc_max_message_bytes: int = 64 * 1024 * 1024
    max_photo_bytes: int = 50 * 1024 * 1024
    max_video_bytes: int = 2 * 1024 * 1024 * 1024
    read_your_writes_timeout_s: float = 5.0
    max_concurrent_uploads: int = 64  # more at once get 429 (RESOURCE_EXHAUSTED)
    # How often WatchAnalysis's feed reads the event log when it cannot LISTEN for news.
    watch_poll_interval_s: float = 0.05
    # An upload with no bytes arriving for this long ends with 408 (DEADLINE_EXCEEDED) and stores
    # nothing; enforced by Envoy (the upload routes' idle_timeout) and by the gateway (direct gRPC).
    upload_idle_timeout_s: Annotated[float, Field(gt=0, le=86400)] = 60.0
    # Key that signs page tokens; empty: a random key per gateway process (set it when several
    # gateways serve one API, or tokens break across a restart).
    page_token_secret: SecretStr = SecretStr("")

    # Envoy (REST and gRPC front door)
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    envoy_admin_port: int = 9901
    # Swagger UI and openapi.json, served by the gateway process, routed by Envoy at /docs/
    docs_host: str = "127.0.0.1"
    docs_port: int = 8081
    descriptor: str = ""  # descriptor set for Envoy and the docs; "" means build/scenelens.pb
    max_unary_upload_bytes: int = 64 * 1024 * 1024  # Envoy buffers unary uploads up to this

    # Recognition
    model: str = "yolo11n.pt"  # the one model when `models` is empty (named by its file stem)
    device: str = ""  # "" picks cuda:0 when torch sees a GPU, else cpu
    # JSON: name -> {"path": ..., "device": ..., "confidence": ..., "labels": [...]}
    models: dict[str, ModelConfig] = {}
    default_model: str = ""  # "" means the first of `models` (or `model`'s)
    max_loaded_models: int = 2  # models a recognition worker keeps in memory at once
    imgsz: int = 640
    conf: float = 0.25
    iou: float = 0.7
    jpeg_quality: int = 90
    # Micro-batching: frames per model call (0: 8 on a CUDA device, else 1) and how long the
    # first frame of a batch waits for more.
    inference_batch: Annotated[int, Field(ge=0, le=256)] = 0
    inference_batch_window_ms: Annotated[float, Field(ge=0, le=1000)] = 5.0

    # Video
    scene_detector: str = "transition"
    scene_threshold: float = 0.0  # 0: our measured default for the detector (transition: 13)
    # TransNetV2 on the CPU with its heaviest convolutions in int8 (false: all in bf16/float32)
    verifier_int8: bool = True
    min_scene_seconds: float = 0.5
    min_scene_frames: int = 15  # the shortest scene is the longer of the two
    max_scenes: int = 500
    work_dir: str = ""  # temporary files; "" means the system temp dir

    # Relay (event store -> RabbitMQ)
    relay_poll_interval_s: float = 0.05  # how often the log is read when it cannot LISTEN
    relay_batch: int = 200
    # Readers of the event log (relay, watch feed) are woken by the store's NOTIFY; they also
    # look this often without one (a safety net).
    event_log_recheck_s: float = 1.0

    # Tenants and tiers
    tiers: dict[str, Tier] = dict(DEFAULT_TIERS)  # JSON: {"free": {"priority": 1, ...}, ...}
    default_tenant_tier: str = "pro"  # the tier of the default tenant (tasks from before tenants)
    auth_cache_ttl_s: float = 0.5  # how long a gateway trusts a key lookup (revocation delay)

    # Janitor: files of deleted tasks, and files that never got a task
    sweep_interval_s: float = 3600.0  # how often the sweeper looks for orphaned files
    orphan_grace_s: float = 3600.0  # files younger than this are never swept
    # Webhooks
    webhook_timeout_s: float = 10.0  # one delivery attempt
    webhook_retry_scale: float = 1.0  # multiplies the Standard Webhooks retry schedule (tests)
    webhook_allow_networks: str = ""  # CIDRs, comma-separated, exempt from the SSRF refusal
    webhook_poll_interval_s: float = 0.2  # how often due deliveries are looked for

    # Metrics, /healthz and /readyz: one port per service
    metrics_host: str = "127.0.0.1"
    gateway_metrics_port: int = 9101
    relay_metrics_port: int = 9102
    projections_metrics_port: int = 9103
    recognition_metrics_port: int = 9104
    video_metrics_port: int = 9105
    janitor_metrics_port: int = 9106
    webhooks_metrics_port: int = 9107
    recorder_metrics_port: int = 9108
    # RabbitMQ's management API, for queue depth and consumers (the relay reads it)
    rabbitmq_management_url: str = "http://guest:guest@127.0.0.1:15672"

    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("tiers", mode="before")
    @classmethod
    def _tiers_from_json(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else dict(DEFAULT_TIERS)
        return value

    @field_validator("models", mode="before")
    @classmethod
    def _models_from_json(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else {}
        return value

    @model_validator(mode="after")
    def _default_model_known(self) -> Settings:
        if self.default_model and self.default_model not in self.model_configs:
            raise ValueError(f"default_model {self.default_model!r} is not one of the models")
        if self.max_loaded_models < 1:
            raise ValueError("max_loaded_models must be at least 1")
        return self

    @property
    def model_configs(self) -> dict[str, ModelConfig]:
        """The configured models by name; without SCENELENS_MODELS, `model` named by its stem."""
        if self.models:
            return dict(self.models)
        return {Path(self.model).stem: ModelConfig(path=self.model, device=self.device)}

    @property
    def default_model_name(self) -> str:
        return self.default_model or next(iter(self.model_configs))

    @field_validator("scene_detector")
    @classmethod
    def _known_detector(cls, value: str) -> str:
        if value not in SCENE_DETECTORS:
            raise ValueError(f"scene_detector must be one of {', '.join(SCENE_DETECTORS)}")
        return value

    @field_validator("tiers")
    @classmethod
    def _tiers_not_empty(cls, value: dict[str, Tier]) -> dict[str, Tier]:
        if not value:
            raise ValueError("at least one tier is needed")
        return value

    def tier(self, name: str) -> Tier:
        """A tier's limits; an unknown name (a tier removed from settings) gets the lowest."""
        if name in self.tiers:
            return self.tiers[name]
        return min(self.tiers.values(), key=lambda t: t.priority)

    def metrics_port(self, service: str) -> int:
        port: int = getattr(self, f"{service.removesuffix('_service')}_metrics_port")
        return port

    @property
    def webhook_allowed(self) -> list[str]:
        return [n.strip() for n in self.webhook_allow_networks.split(",") if n.strip()]

    @property
    def s3_link_endpoint(self) -> str:
        return self.s3_public_endpoint or self.s3_endpoint

    def eventsourcing_env(self, name: str, *, wait_s: int | None = None) -> dict[str, str]:
        """The env= mapping for an eventsourcing application on our Postgres; `wait_s` bounds
        the wait for a pooled connection (eventsourcing's default is 30 s)."""
        env = {
            # eventsourcing.postgres, its pool checking itself whole after a failed check.
            "PERSISTENCE_MODULE": "scenelens.adapters.postgres:EventStoreFactory",
            "POSTGRES_DBNAME": self.pg_db,
            "POSTGRES_HOST": self.pg_host,
            "POSTGRES_PORT": str(self.pg_port),
            "POSTGRES_USER": self.pg_user,
            "POSTGRES_PASSWORD": self.pg_password,
            "POSTGRES_POOL_SIZE": str(self.pg_pool_size),
            "CREATE_TABLE": "y",
            # Test pooled connections before use, so a Postgres restart costs no request.
            "POSTGRES_PRE_PING": "y",
        }
        if wait_s is not None:
            env["POSTGRES_CONNECT_TIMEOUT"] = str(wait_s)
        return env

    @property
    def pg_conninfo(self) -> str:
        return (
            f"host={self.pg_host} port={self.pg_port} dbname={self.pg_db} "
            f"user={self.pg_user} password={self.pg_password}"
        )

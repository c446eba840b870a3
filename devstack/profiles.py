"""The two stack profiles (`up`, `test`): their ports and the SCENELENS_* environment they imply."""
from __future__ import annotations

import dataclasses
import json
import pathlib
from collections.abc import Mapping

from pydantic_settings import BaseSettings, SettingsConfigDict

from scenelens.domain.tiers import DEFAULT_TIERS

# Set by the caller, never passed on to the services.
CONTROL_VARS = frozenset({"SCENELENS_TEST_KEEP_STACK"})
# The test profile takes these from the caller's environment; it keeps the rest of its own values.
TEST_INHERITS = frozenset({"SCENELENS_MODEL", "SCENELENS_DEVICE", "SCENELENS_LOG_LEVEL"})


# Services with a metrics port, in port order from Ports.metrics.
METRICS_SERVICES = ("gateway", "relay", "projections", "recognition", "video", "janitor",
                    "webhooks", "recorder")


@dataclasses.dataclass(frozen=True)
class Ports:
    """Every TCP port a profile binds on 127.0.0.1."""

    pg: int
    amqp: int
    rabbitmq_management: int
    rabbitmq_dist: int
    s3: int
    weed_master: int
    weed_master_grpc: int
    weed_volume: int
    weed_volume_grpc: int
    weed_filer: int
    weed_filer_grpc: int
    weed_s3_grpc: int
    grpc: int
    http: int
    envoy_admin: int
    docs: int
    metrics: int  # the first of the services' metrics ports (one each, in METRICS_SERVICES order)


@dataclasses.dataclass(frozen=True)
class Profile:
    """A named set of ports plus how the profile treats its run directory and environment."""

    name: str
    ports: Ports
    fresh: bool  # wipe the run dir at start and ignore the caller's port settings
    fast_pg: bool  # fsync off: data may be lost on a crash, fine for tests


PROFILES: dict[str, Profile] = {
    "up": Profile(
        name="up",
        ports=Ports(
            pg=5432, amqp=5672, rabbitmq_management=15672, rabbitmq_dist=25672, s3=8333,
            weed_master=9333, weed_master_grpc=19333, weed_volume=8380, weed_volume_grpc=18380,
            weed_filer=8888, weed_filer_grpc=18888, weed_s3_grpc=18333,
            grpc=50051, http=8000, envoy_admin=9901, docs=8081, metrics=9101,
        ),
        fresh=False,
        fast_pg=False,
    ),
    "test": Profile(
        name="test",
        ports=Ports(
            pg=25432, amqp=26672, rabbitmq_management=26673, rabbitmq_dist=26674, s3=28333,
            weed_master=28334, weed_master_grpc=28335, weed_volume=28336, weed_volume_grpc=28337,
            weed_filer=28338, weed_filer_grpc=28339, weed_s3_grpc=28340,
            grpc=25051, http=28000, envoy_admin=29901, docs=28081, metrics=29101,
        ),
        fresh=True,
        fast_pg=True,
    ),
}


class DevSettings(BaseSettings):
    """Knobs only the stack runner reads (the services never see a use for them)."""

    model_config = SettingsConfigDict(env_prefix="SCENELENS_", frozen=True, extra="ignore")

    rabbitmq_management_port: int = 15672
    rabbitmq_dist_port: int = 25672
    rabbitmq_nodename: str = "scenelens@localhost"
    weed_master_port: int = 9333
    weed_master_grpc_port: int = 19333
    weed_volume_port: int = 8380
    weed_volume_grpc_port: int = 18380
    weed_filer_port: int = 8888
    weed_filer_grpc_port: int = 18888
    weed_s3_grpc_port: int = 18333
    # Worker hosts (devstack/hosts.py): the bridge's subnet, "" for the profile's own, "off"
    # for none. Made only when devstack runs as root.
    hosts_network: str = ""


def shared_model(repo: pathlib.Path) -> pathlib.Path | None:
    """The OpenVINO model kept beside the checkout (../shared/models), when it is there."""
    path = (repo.parent / "shared" / "models" / "yolov8n_int8_openvino_model").resolve()
    return path if path.is_dir() else None


def profile_env(profile: Profile, repo: pathlib.Path, run_dir: pathlib.Path) -> dict[str, str]:
    """The SCENELENS_* values a profile sets itself."""
    p = profile.ports
    env = {
        "SCENELENS_PG_HOST": "127.0.0.1",
        "SCENELENS_PG_PORT": str(p.pg),
        "SCENELENS_PG_DB": "scenelens",
        "SCENELENS_PG_USER": "scenelens",
        "SCENELENS_PG_PASSWORD": "scenelens",
        "SCENELENS_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{p.amqp}/",
        "SCENELENS_S3_ENDPOINT": f"http://127.0.0.1:{p.s3}",
        "SCENELENS_S3_ACCESS_KEY": "scenelens",
        "SCENELENS_S3_SECRET_KEY": "scenelens-secret",
        "SCENELENS_GRPC_HOST": "127.0.0.1",
        "SCENELENS_GRPC_PORT": str(p.grpc),
        "SCENELENS_GRPC_UPSTREAM_HOST": "127.0.0.1",
        "SCENELENS_HTTP_HOST": "127.0.0.1",
        "SCENELENS_HTTP_PORT": str(p.http),
        "SCENELENS_ENVOY_ADMIN_PORT": str(p.envoy_admin),
        "SCENELENS_DOCS_HOST": "127.0.0.1",
        "SCENELENS_DOCS_PORT": str(p.docs),
        "SCENELENS_DESCRIPTOR": str(repo / "build" / "scenelens.pb"),
        "SCENELENS_WORK_DIR": str(run_dir / "work"),
        "SCENELENS_RABBITMQ_MANAGEMENT_PORT": str(p.rabbitmq_management),
        "SCENELENS_RABBITMQ_MANAGEMENT_URL": f"http://guest:guest@127.0.0.1:{p.rabbitmq_management}",
        **{f"SCENELENS_{name.upper()}_METRICS_PORT": str(p.metrics + i)
           for i, name in enumerate(METRICS_SERVICES)},
        "SCENELENS_RABBITMQ_DIST_PORT": str(p.rabbitmq_dist),
        "SCENELENS_RABBITMQ_NODENAME": f"scenelens-{profile.name}@localhost",
        "SCENELENS_WEED_MASTER_PORT": str(p.weed_master),
        "SCENELENS_WEED_MASTER_GRPC_PORT": str(p.weed_master_grpc),
        "SCENELENS_WEED_VOLUME_PORT": str(p.weed_volume),
        "SCENELENS_WEED_VOLUME_GRPC_PORT": str(p.weed_volume_grpc),
        "SCENELENS_WEED_FILER_PORT": str(p.weed_filer),
        "SCENELENS_WEED_FILER_GRPC_PORT": str(p.weed_filer_grpc),
        "SCENELENS_WEED_S3_GRPC_PORT": str(p.weed_s3_grpc),
    }
    if profile.name == "test":
        # Small caps so the size limits can be tested; quick retries so fault tests settle fast.
        env["SCENELENS_MAX_PHOTO_BYTES"] = str(4 * 1024 * 1024)
        env["SCENELENS_MAX_VIDEO_BYTES"] = str(64 * 1024 * 1024)
        env["SCENELENS_RETRY_DELAY_MS"] = "500"
        env["SCENELENS_MAX_ATTEMPTS"] = "7"
        # Micro-batching (by default only on a GPU) runs in every test here, on the CPU.
        env["SCENELENS_INFERENCE_BATCH"] = "4"
        # Webhook receivers in the tests listen on loopback; retries 200x faster than the spec.
        env["SCENELENS_WEBHOOK_ALLOW_NETWORKS"] = "127.0.0.1/32"
        env["SCENELENS_WEBHOOK_RETRY_SCALE"] = "0.005"
        # A free tier small enough to test its limits; pro and enterprise as shipped.
        env["SCENELENS_TIERS"] = json.dumps({
            "free": {"priority": 1, "max_file_bytes": 1024 * 1024, "max_unfinished_tasks": 2,
                     "rate_per_s": 2, "burst": 6},
            **{name: tier.model_dump() for name, tier in DEFAULT_TIERS.items() if name != "free"},
        })
        # Scene detection reports its progress often enough for the test videos to show some.
        env["SCENELENS_SPLIT_PROGRESS_INTERVAL_S"] = "0.2"
        # Short enough to test (Envoy's upload routes get twice this).
        env["SCENELENS_UPLOAD_IDLE_TIMEOUT_S"] = "20"
    model = shared_model(repo)
    if model is not None:
        env["SCENELENS_MODEL"] = str(model)
        if profile.name == "test":
            env["SCENELENS_MODELS"] = test_models(str(model))
            env["SCENELENS_DEFAULT_MODEL"] = model.stem
    return env


# The test profile's second model: the same weights under another name and a stricter default
# threshold, so that re-analysis with "another model" is testable offline.
STRICT_MODEL = "yolov8n-strict"
STRICT_CONFIDENCE = 0.6


def test_models(path: str) -> str:
    """SCENELENS_MODELS for the test profile: the shared model twice, under two names."""
    return json.dumps({
        pathlib.Path(path).stem: {"path": path},
        STRICT_MODEL: {"path": path, "confidence": STRICT_CONFIDENCE},
    })


def stack_env(
    profile: Profile, repo: pathlib.Path, run_dir: pathlib.Path, environ: Mapping[str, str]
) -> dict[str, str]:
    """The profile's values overlaid with the caller's SCENELENS_* variables.

    `up` lets the caller override anything. `test` keeps its own ports and credentials, so a shell
    that exported the `up` stack's variables cannot point the test stack at the dev stack.
    """
    own = profile_env(profile, repo, run_dir)
    caller = {
        k: v for k, v in environ.items() if k.startswith("SCENELENS_") and k not in CONTROL_VARS
    }
    if profile.fresh:
        caller = {k: v for k, v in caller.items() if k not in own or k in TEST_INHERITS}
        if "SCENELENS_MODEL" in caller and "SCENELENS_MODELS" in own:
            # The caller's own model: the two test names point at it instead.
            own["SCENELENS_MODELS"] = test_models(caller["SCENELENS_MODEL"])
            own["SCENELENS_DEFAULT_MODEL"] = pathlib.Path(caller["SCENELENS_MODEL"]).stem
    return own | caller


def fields_from_env(env: Mapping[str, str], fields: set[str]) -> dict[str, str]:
    """Constructor arguments for a SCENELENS_-prefixed settings class, taken from `env` only."""
    out = {}
    for key, value in env.items():
        name = key.removeprefix("SCENELENS_").lower()
        if key.startswith("SCENELENS_") and name in fields:
            out[name] = value
    return out

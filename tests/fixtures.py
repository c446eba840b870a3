"""Fixtures for the integration and e2e tiers: clients, stores, sample media."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import ultralytics

from tests.support import ApiClient, ApiTenant, Stores, create_tenant

REPO = Path(__file__).resolve().parent.parent
ASSETS = Path(ultralytics.__file__).parent / "assets"


@pytest.fixture(scope="session")
def tenant(stack: Any) -> ApiTenant:
    """The tenant most tests act as (enterprise: limits that tests do not reach)."""
    return create_tenant(stack.env, "tests", "enterprise")


@pytest.fixture(scope="session")
def make_tenant(stack: Any) -> Any:
    """Create more tenants: make_tenant(name, tier) -> ApiTenant."""
    return lambda name, tier="enterprise": create_tenant(stack.env, name, tier)


@pytest.fixture(scope="session")
def base_url(stack: Any) -> str:
    return f"http://127.0.0.1:{stack.settings.http_port}"


@pytest.fixture(scope="session")
def api(base_url: str, tenant: ApiTenant) -> ApiClient:
    return ApiClient(base_url, tenant.api_key)


@pytest.fixture(scope="session")
def stores(stack: Any) -> Stores:
    return Stores(stack.settings)


@pytest.fixture(scope="session")
def grpc_targets(stack: Any) -> dict[str, str]:
    return {"envoy": f"127.0.0.1:{stack.settings.http_port}",
            "direct": f"127.0.0.1:{stack.settings.grpc_port}"}


@pytest.fixture(scope="session")
def model_path(stack: Any) -> str:
    return str(stack.settings.model)


@pytest.fixture(scope="session")
def bus() -> Path:
    return ASSETS / "bus.jpg"


@pytest.fixture(scope="session")
def zidane() -> Path:
    return ASSETS / "zidane.jpg"


@pytest.fixture(scope="session")
def bus_bytes(bus: Path) -> bytes:
    return bus.read_bytes()


@pytest.fixture(scope="session")
def zidane_bytes(zidane: Path) -> bytes:
    return zidane.read_bytes()


@pytest.fixture(scope="session")
def shared_videos() -> Path:
    """Real clips with known cuts, kept beside the project (never committed)."""
    path = REPO.parent / "shared" / "samples" / "videos"
    assert (path / "testvideo.mp4").exists(), f"test clips missing at {path}"
    return path


@pytest.fixture(scope="session")
def sample_video() -> Path:
    """The project's own short sample video (several scenes)."""
    videos = sorted((REPO / "_samples").glob("*.mp4"))
    assert videos, "no sample video in _samples/ (python _samples/make_samples.py)"
    return videos[0]


@pytest.fixture(scope="session")
def long_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-minute 360p video of a dozen shots: long enough to interrupt mid-way."""
    from bench.synth import render_long

    truth = render_long(minutes=1.0, size=(640, 360), fps=25,
                        out_dir=tmp_path_factory.mktemp("videos"))
    return Path(truth.path)

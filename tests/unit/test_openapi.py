"""The OpenAPI document generated from the descriptor set, and the docs server that serves it."""
from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import textwrap
from typing import Any

import grpc_tools
import pytest
from aiohttp.test_utils import TestClient, TestServer
from google.api import annotations_pb2
from grpc_tools import protoc

from gateway.docs import create_docs_app
from scenelens.openapi import build_openapi, load_descriptor_set, openapi_json
from scenelens.settings import Settings

ROOT = pathlib.Path(__file__).resolve().parents[2]
UPLOAD_PARAMS = ["filename", "scene_detector", "scene_threshold", "min_scene_seconds", "max_scenes",
                 "model", "confidence", "labels"]
# Every binding of every AnalysisService RPC: (operationId, HTTP method, path).
BINDINGS = [
    ("CreateAnalysis", "post", "/v1/analysis"),
    ("CreateAnalysis2", "post", "/analysis"),
    ("UploadAnalysis", "post", "/v1/analysis:upload"),
    ("UploadAnalysis2", "post", "/analysis:upload"),
    ("ListAnalyses", "get", "/v1/analysis"),
    ("ListAnalyses2", "get", "/analysis"),
    ("GetAnalysis", "get", "/v1/analysis/{task_id}"),
    ("GetAnalysis2", "get", "/analysis/{task_id}"),
    ("ListSegments", "get", "/v1/analysis/{task_id}/segments"),
    ("ListSegments2", "get", "/analysis/{task_id}/segments"),
    ("GetSegment", "get", "/v1/analysis/{task_id}/segments/{segment_id}"),
    ("GetSegment2", "get", "/analysis/{task_id}/segments/{segment_id}"),
    ("WatchAnalysis", "get", "/v1/analysis/{task_id}:watch"),
    ("WatchAnalysis2", "get", "/analysis/{task_id}:watch"),
    ("CreateWebhook", "post", "/v1/webhooks"),
    ("CreateWebhook2", "post", "/webhooks"),
    ("ListWebhooks", "get", "/v1/webhooks"),
    ("ListWebhooks2", "get", "/webhooks"),
    ("DeleteWebhook", "delete", "/v1/webhooks/{webhook_id}"),
    ("DeleteWebhook2", "delete", "/webhooks/{webhook_id}"),
    ("ListWebhookDeliveries", "get", "/v1/webhooks/{webhook_id}/deliveries"),
    ("ListWebhookDeliveries2", "get", "/webhooks/{webhook_id}/deliveries"),
    ("ListModels", "get", "/v1/models"),
    ("ListModels2", "get", "/models"),
    ("ReanalyzeAnalysis", "post", "/v1/analysis/{task_id}:reanalyze"),
    ("ReanalyzeAnalysis2", "post", "/analysis/{task_id}:reanalyze"),
    ("ListRuns", "get", "/v1/analysis/{task_id}/runs"),
    ("ListRuns2", "get", "/analysis/{task_id}/runs"),
    ("GetAnalysisSummary", "get", "/v1/analysis/{task_id}/summary"),
    ("GetAnalysisSummary2", "get", "/analysis/{task_id}/summary"),
    ("SearchDetections", "get", "/v1/detections"),
    ("SearchDetections2", "get", "/detections"),
    ("DeleteAnalysis", "delete", "/v1/analysis/{task_id}"),
    ("DeleteAnalysis2", "delete", "/analysis/{task_id}"),
]


def compile_descriptor(out: pathlib.Path, proto_root: pathlib.Path, sources: list[str]) -> pathlib.Path:
    """A descriptor set with imports and comments, as scripts/build_protos.py builds it."""
    googleapis = pathlib.Path(annotations_pb2.__file__).resolve().parents[2]
    rc = protoc.main(["protoc", f"-I{proto_root}", f"-I{googleapis}",
                      f"-I{pathlib.Path(grpc_tools.__file__).parent / '_proto'}",
                      "--include_imports", "--include_source_info",
                      f"--descriptor_set_out={out}", *sources])
    assert rc == 0
    return out


@pytest.fixture(scope="module")
def descriptor(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    protos = ROOT / "protos"
    sources = sorted(str(p.relative_to(protos)) for p in protos.rglob("*.proto"))
    return compile_descriptor(tmp_path_factory.mktemp("pb") / "scenelens.pb", protos, sources)


@pytest.fixture(scope="module")
def doc(descriptor: pathlib.Path) -> dict[str, Any]:
    return build_openapi(load_descriptor_set(descriptor))


def params(op: dict[str, Any], where: str) -> list[str]:
    return [p["name"] for p in op["parameters"] if p["in"] == where]


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema or "allOf" in schema:
        if "allOf" in schema:
            schema = schema["allOf"][0]
        else:
            schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_binding_is_a_path_with_its_method(doc: dict[str, Any]) -> None:
    found = [(op["operationId"], verb, path)
             for path, ops in doc["paths"].items() for verb, op in ops.items()]
    assert sorted(found) == sorted(BINDINGS)
    assert doc["openapi"].startswith("3.")
    assert doc["security"] == [{"apiKey": []}]
    assert doc["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_bindings_match_the_annotations(doc: dict[str, Any], descriptor: pathlib.Path) -> None:
    fds = load_descriptor_set(descriptor)
    svc = next(s for f in fds.file if f.package == "scenelens.v1" for s in f.service
               if s.name == "AnalysisService")
    for method in svc.method:
        rule = method.options.Extensions[annotations_pb2.http]
        for r in [rule, *rule.additional_bindings]:
            verb = r.WhichOneof("pattern")
            assert verb in doc["paths"][getattr(r, verb)], (method.name, verb)


def test_path_and_query_parameters(doc: dict[str, Any]) -> None:
    for op_id, verb, path in BINDINGS:
        op = doc["paths"][path][verb]
        assert params(op, "path") == re.findall(r"\{(\w+)\}", path)
        assert all(p["required"] for p in op["parameters"] if p["in"] == "path")
        query = params(op, "query")
        if op_id.startswith(("CreateAnalysis", "UploadAnalysis")):
            assert query == UPLOAD_PARAMS  # everything but the body field `file`
        elif op_id.startswith("ListSegments"):
            assert query == ["page_size", "page_token", "run_id"]
        elif op_id.startswith(("GetSegment", "GetAnalysisSummary")):
            assert query == ["run_id"]
        elif op_id.startswith("SearchDetections"):
            assert query == ["label", "min_confidence", "page_size", "page_token"]
        elif op_id.startswith("ListAnalyses"):
            assert query == ["page_size", "page_token", "status"]
        elif op_id.startswith("WatchAnalysis"):
            assert query == ["after_position"]
        elif op_id.startswith("ListWebhookDeliveries"):
            assert query == ["page_size"]
        else:
            assert query == []
    create = {p["name"]: p for p in doc["paths"]["/v1/analysis"]["post"]["parameters"]}
    assert create["max_scenes"]["schema"] == {"type": "integer", "format": "int32"}
    assert create["scene_threshold"]["schema"]["type"] == "number"
    assert "multipart" in create["filename"]["description"]


def test_uploads_take_raw_and_multipart_bodies(doc: dict[str, Any]) -> None:
    for path in ("/v1/analysis", "/analysis", "/v1/analysis:upload", "/analysis:upload"):
        body = doc["paths"][path]["post"]["requestBody"]
        assert body["required"] is True
        content = body["content"]
        for media in ("application/octet-stream", "image/*", "video/*"):
            assert content[media]["schema"] == {"type": "string", "format": "binary"}
        form = content["multipart/form-data"]["schema"]
        assert form["properties"]["file"] == {"type": "string", "format": "binary"}
        assert form["required"] == ["file"]
    for _, verb, path in BINDINGS:
        if verb != "post":
            assert "requestBody" not in doc["paths"][path][verb]
    upload = doc["paths"]["/v1/analysis:upload"]["post"]
    assert upload["x-grpc-client-streaming"] is True
    assert "Streamed" in upload["description"]
    assert "x-grpc-client-streaming" not in doc["paths"]["/v1/analysis"]["post"]


def test_response_schemas_follow_the_json_mapping(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    ok = doc["paths"]["/v1/analysis/{task_id}"]["get"]["responses"]["200"]
    task = resolve(doc, ok["content"]["application/json"]["schema"])
    assert task is schemas["scenelens.v1.Task"]
    props = task["properties"]
    assert props["size_bytes"] == {"type": "string", "format": "int64"}
    assert props["created_at"] == {"type": "string", "format": "date-time"}
    assert resolve(doc, props["status"])["enum"][:2] == ["TASK_STATUS_UNSPECIFIED",
                                                         "TASK_STATUS_PENDING"]
    assert resolve(doc, props["scene_options"]) is schemas["scenelens.v1.SceneOptions"]
    assert task["description"] == "An uploaded file and the state of its analysis."
    assert props["segments_total"]["description"].startswith("Known once the video is split")
    segment = schemas["scenelens.v1.Segment"]["properties"]
    assert segment["detections"]["type"] == "array"
    assert resolve(doc, segment["detections"]["items"]) is schemas["scenelens.v1.Detection"]
    assert segment["start_frame"]["type"] == "string"
    assert segment["key_frame_time_s"]["type"] == "number"
    deleted = doc["paths"]["/v1/analysis/{task_id}"]["delete"]["responses"]["200"]
    assert deleted["content"]["application/json"]["schema"] == {"type": "object", "properties": {}}
    listed = doc["paths"]["/v1/analysis/{task_id}/segments"]["get"]["responses"]["200"]
    page = resolve(doc, listed["content"]["application/json"]["schema"])
    assert set(page["properties"]) == {"segments", "next_page_token", "total_size"}


def test_errors_and_descriptions(doc: dict[str, Any]) -> None:
    error = doc["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message", "details"}
    for _, verb, path in BINDINGS:
        op = doc["paths"][path][verb]
        assert op["responses"]["default"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}
        assert op["summary"] and op["tags"] == ["AnalysisService"]
    assert doc["paths"]["/v1/analysis/{task_id}"]["get"]["summary"] == "Read a task and its progress."
    assert doc["info"]["description"].startswith("Upload photos and videos")


def test_every_reference_resolves(doc: dict[str, Any]) -> None:
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            refs.extend([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    assert refs
    for ref in refs:
        assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"], ref
    json.dumps(doc)


def test_nested_fields_body_star_and_repeated_params(tmp_path: pathlib.Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "demo.proto").write_text(textwrap.dedent("""\
        syntax = "proto3";
        package demo;
        import "google/api/annotations.proto";
        import "google/protobuf/timestamp.proto";
        service Demo {
          rpc Search(SearchRequest) returns (stream Item) {
            option (google.api.http) = {get: "/v1/{task_id}/items"};
          }
          rpc Put(Item) returns (Item) {
            option (google.api.http) = {patch: "/v1/items/{name=items/*}" body: "*"};
          }
        }
        message Filter { string label = 1; int64 min_count = 2; Filter inner = 3; }
        message SearchRequest {
          string task_id = 1;
          Filter filter = 2;
          repeated string tags = 3;
          google.protobuf.Timestamp since = 4;
          map<string, string> extra = 5;
        }
        message Item { string name = 1; uint64 count = 2; }
        """))
    pb = compile_descriptor(tmp_path / "demo.pb", tmp_path, ["demo/demo.proto"])
    doc = build_openapi(load_descriptor_set(pb), services=("demo.Demo",))
    search = doc["paths"]["/v1/{task_id}/items"]["get"]
    query = {p["name"]: p["schema"] for p in search["parameters"] if p["in"] == "query"}
    assert list(query)[:4] == ["filter.label", "filter.min_count", "filter.inner.label",
                               "filter.inner.min_count"]
    assert query["tags"] == {"type": "array", "items": {"type": "string"}}
    assert query["since"] == {"type": "string", "format": "date-time"}
    assert "extra" not in query
    assert search["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    put = doc["paths"]["/v1/items/{name}"]["patch"]
    assert params(put, "path") == ["name"] and params(put, "query") == []
    body = put["requestBody"]["content"]["application/json"]["schema"]
    assert list(body["properties"]) == ["count"]  # the path field is not in the body


def test_gen_openapi_script_writes_the_document(descriptor: pathlib.Path,
                                                tmp_path: pathlib.Path) -> None:
    out = tmp_path / "openapi.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_openapi.py"),
                    "--descriptor", str(descriptor), "--out", str(out)], check=True)
    assert json.loads(out.read_bytes()) == json.loads(openapi_json(descriptor))


@pytest.mark.asyncio
async def test_docs_app_serves_swagger_ui_and_the_document(descriptor: pathlib.Path) -> None:
    app = create_docs_app(Settings(), openapi_json=openapi_json(descriptor))
    async with TestClient(TestServer(app)) as client:
        redirect = await client.get("/docs", allow_redirects=False)
        assert redirect.status == 301 and redirect.headers["Location"] == "/docs/"
        index = await client.get("/docs/")
        assert index.status == 200 and index.content_type == "text/html"
        page = await index.text()
        assert "/docs/openapi.json" in page and "swagger-ui-bundle.js" in page
        spec = await client.get("/docs/openapi.json")
        assert spec.content_type == "application/json"
        assert "/v1/analysis" in (await spec.json())["paths"]
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
            assert (await client.get(f"/docs/{asset}")).status == 200
        for missing in ("/docs/index.j2", "/docs/swagger-initializer.js", "/docs/a/b"):
            assert (await client.get(missing)).status == 404

"""OpenAPI 3 document built from the descriptor set's google.api.http annotations and comments."""
from __future__ import annotations

import json
import pathlib
import re
from typing import Any

from google.api import (  # registers the (google.api.http) extension
    annotations_pb2,
    http_pb2,
)
from google.protobuf import descriptor_pb2

FDP = descriptor_pb2.FieldDescriptorProto
Schema = dict[str, Any]

DEFAULT_SERVICES = ("scenelens.v1.AnalysisService",)
HTTP_BODY = "google.api.HttpBody"
_METHODS = ("get", "put", "post", "delete", "patch")
_TEMPLATE_VAR = re.compile(r"\{([^}=]+)(=[^}]*)?\}")
_SCALARS: dict[int, Schema] = {
    FDP.TYPE_DOUBLE: {"type": "number", "format": "double"},
    FDP.TYPE_FLOAT: {"type": "number", "format": "float"},
    FDP.TYPE_INT32: {"type": "integer", "format": "int32"},
    FDP.TYPE_SINT32: {"type": "integer", "format": "int32"},
    FDP.TYPE_SFIXED32: {"type": "integer", "format": "int32"},
    FDP.TYPE_UINT32: {"type": "integer", "format": "int64", "minimum": 0},
    FDP.TYPE_FIXED32: {"type": "integer", "format": "int64", "minimum": 0},
    # The proto3 JSON mapping prints 64-bit integers as strings.
    FDP.TYPE_INT64: {"type": "string", "format": "int64"},
    FDP.TYPE_SINT64: {"type": "string", "format": "int64"},
    FDP.TYPE_SFIXED64: {"type": "string", "format": "int64"},
    FDP.TYPE_UINT64: {"type": "string", "format": "uint64"},
    FDP.TYPE_FIXED64: {"type": "string", "format": "uint64"},
    FDP.TYPE_BOOL: {"type": "boolean"},
    FDP.TYPE_STRING: {"type": "string"},
    FDP.TYPE_BYTES: {"type": "string", "format": "byte"},
}
# Well-known types have their own JSON forms; they are inlined, not referenced.
_WELL_KNOWN: dict[str, Schema] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "example": "1.5s"},
    "google.protobuf.Empty": {"type": "object", "properties": {}},
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    "google.protobuf.Value": {},
    "google.protobuf.FieldMask": {"type": "string"},
    "google.protobuf.Any": {"type": "object", "properties": {"@type": {"type": "string"}},
                            "additionalProperties": True},
    HTTP_BODY: {"type": "string", "format": "binary"},
    **{f"google.protobuf.{n}Value": _SCALARS[getattr(FDP, f"TYPE_{n.upper()}")] for n in (
        "Double", "Float", "Int32", "UInt32", "Int64", "UInt64", "Bool", "String", "Bytes")},
}
_ERROR: Schema = {
    "type": "object",
    "description": "An error. From the service: a google.rpc.Code in `code`. From the proxy "
                   "(unknown route, body too large, service down): the HTTP status in `code`.",
    "properties": {
        "code": {"type": "integer", "format": "int32"},
        "message": {"type": "string"},
        "details": {"type": "array", "items": _WELL_KNOWN["google.protobuf.Any"]},
    },
}
_UPLOAD_TYPES = ("application/octet-stream", "image/*", "video/*")


def load_descriptor_set(path: str | pathlib.Path) -> descriptor_pb2.FileDescriptorSet:
    """Read a FileDescriptorSet written by protoc --descriptor_set_out."""
    return descriptor_pb2.FileDescriptorSet.FromString(pathlib.Path(path).read_bytes())


class _Index:
    """Messages, enums and comments of a descriptor set, by full name."""

    def __init__(self, fds: descriptor_pb2.FileDescriptorSet) -> None:
        self.messages: dict[str, descriptor_pb2.DescriptorProto] = {}
        self.enums: dict[str, descriptor_pb2.EnumDescriptorProto] = {}
        self.services: dict[str, descriptor_pb2.ServiceDescriptorProto] = {}
        self.comments: dict[str, str] = {}  # full name (fields: message.field) -> comment
        for file in fds.file:
            docs = {tuple(loc.path): loc.leading_comments.strip()
                    for loc in file.source_code_info.location if loc.leading_comments}
            pkg = f".{file.package}" if file.package else ""
            for i, msg in enumerate(file.message_type):
                self._message(f"{pkg}.{msg.name}", msg, (4, i), docs)
            for i, enum in enumerate(file.enum_type):
                self._enum(f"{pkg}.{enum.name}", enum, (5, i), docs)
            for i, svc in enumerate(file.service):
                name = f"{pkg}.{svc.name}"
                self.services[name[1:]] = svc
                self.comments[name] = docs.get((6, i), "")
                for j, method in enumerate(svc.method):
                    self.comments[f"{name}.{method.name}"] = docs.get((6, i, 2, j), "")

    def _message(self, name: str, msg: Any, path: tuple[int, ...], docs: dict) -> None:
        self.messages[name] = msg
        self.comments[name] = docs.get(path, "")
        for i, field in enumerate(msg.field):
            self.comments[f"{name}.{field.name}"] = docs.get((*path, 2, i), "")
        for i, nested in enumerate(msg.nested_type):
            self._message(f"{name}.{nested.name}", nested, (*path, 3, i), docs)
        for i, enum in enumerate(msg.enum_type):
            self._enum(f"{name}.{enum.name}", enum, (*path, 4, i), docs)

    def _enum(self, name: str, enum: Any, path: tuple[int, ...], docs: dict) -> None:
        self.enums[name] = enum
        self.comments[name] = docs.get(path, "")


class _Builder:
    def __init__(self, index: _Index) -> None:
        self.index = index
        self.schemas: dict[str, Schema] = {"Error": _ERROR}

    def ref(self, type_name: str) -> Schema:
        """A schema for a message or enum type name ('.pkg.Name'), adding components as needed."""
        if type_name[1:] in _WELL_KNOWN:
            return dict(_WELL_KNOWN[type_name[1:]])
        key = type_name[1:]
        if key not in self.schemas:
            self.schemas[key] = {}  # placeholder first: messages may refer to themselves
            self.schemas[key] = self._enum(type_name) if type_name in self.index.enums else \
                self.message(type_name)
        return {"$ref": f"#/components/schemas/{key}"}

    def _enum(self, type_name: str) -> Schema:
        values = [v.name for v in self.index.enums[type_name].value]
        return _described({"type": "string", "enum": values}, self.index.comments[type_name])

    def message(self, type_name: str, skip: frozenset[str] = frozenset()) -> Schema:
        msg = self.index.messages[type_name]
        props = {f.name: self.field(type_name, f) for f in msg.field if f.name not in skip}
        return _described({"type": "object", "properties": props}, self.index.comments[type_name])

    def field(self, owner: str, field: descriptor_pb2.FieldDescriptorProto) -> Schema:
        entry = self.index.messages.get(field.type_name)
        if entry is not None and entry.options.map_entry:
            schema: Schema = {"type": "object", "additionalProperties": self.field(
                field.type_name, entry.field[1])}
        else:
            schema = self.single(field)
            if field.label == FDP.LABEL_REPEATED:
                schema = {"type": "array", "items": schema}
        return _described(schema, self.index.comments.get(f"{owner}.{field.name}", ""))

    def single(self, field: descriptor_pb2.FieldDescriptorProto) -> Schema:
        if field.type in (FDP.TYPE_MESSAGE, FDP.TYPE_ENUM):
            return self.ref(field.type_name)
        return dict(_SCALARS[field.type])

    def query_params(self, type_name: str, skip: set[str], prefix: str = "",
                     depth: int = 0) -> list[Schema]:
        """Scalar fields outside path and body as query parameters, nested ones dotted."""
        params: list[Schema] = []
        for f in self.index.messages[type_name].field:
            name = prefix + f.name
            if name in skip:
                continue
            repeated = f.label == FDP.LABEL_REPEATED
            if f.type == FDP.TYPE_MESSAGE and f.type_name[1:] not in _WELL_KNOWN:
                if not repeated and depth < 4:  # repeated messages and maps: not in a query
                    params += self.query_params(f.type_name, skip, name + ".", depth + 1)
                continue
            schema = self.single(f)
            param = {"name": name, "in": "query",
                     "schema": {"type": "array", "items": schema} if repeated else schema}
            params.append(_described(param, self.index.comments.get(f"{type_name}.{f.name}", "")))
        return params

    def operation(self, svc: str, method: descriptor_pb2.MethodDescriptorProto,
                  rule: http_pb2.HttpRule, op_id: str) -> tuple[str, str, Schema]:
        verb = next((v for v in _METHODS if getattr(rule, v)), None)
        path = getattr(rule, verb) if verb else rule.custom.path
        verb = verb or rule.custom.kind.lower()
        path_fields = [m.group(1) for m in _TEMPLATE_VAR.finditer(path)]
        path = _TEMPLATE_VAR.sub(lambda m: "{" + m.group(1) + "}", path)
        comment = self.index.comments.get(f".{svc}.{method.name}", "")
        summary, _, more = comment.partition("\n")
        op: Schema = {"operationId": op_id, "tags": [svc.rsplit(".", 1)[-1]],
                      "summary": summary, "description": more.strip()}
        params = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                  for p in path_fields]
        skip = set(path_fields) | ({rule.body} if rule.body and rule.body != "*" else set())
        if rule.body != "*":
            params += self.query_params(method.input_type, skip)
        op["parameters"] = params
        if rule.body:
            op["requestBody"] = self.request_body(method, rule.body, frozenset(path_fields))
        if method.client_streaming:
            op["description"] += ("\n\nStreamed: the body goes to the service in chunks as it "
                                  "arrives, so the proxy puts no cap on its size.")
            op["x-grpc-client-streaming"] = True
        out = self.ref(method.output_type)
        if rule.response_body:
            resp = self.index.messages[method.output_type]
            out = self.field(method.output_type, next(f for f in resp.field
                                                      if f.name == rule.response_body))
        if method.server_streaming:
            out = {"type": "array", "items": out}
        content = {"*/*": {"schema": out}} if method.output_type[1:] == HTTP_BODY else \
            {"application/json": {"schema": out}}
        op["responses"] = {"200": {"description": "OK", "content": content},
                           "default": {"description": "Error", "content": {
                               "application/json": {"schema": self.ref(".Error")}}}}
        return path, verb, op

    def request_body(self, method: Any, body: str, path_fields: frozenset[str]) -> Schema:
        if body == "*":
            if method.input_type[1:] == HTTP_BODY:
                return _upload_body()
            return {"required": True, "content": {"application/json": {
                "schema": self.message(method.input_type, skip=path_fields)}}}
        field = next(f for f in self.index.messages[method.input_type].field if f.name == body)
        if field.type_name[1:] == HTTP_BODY:
            return _upload_body()
        return {"required": True,
                "content": {"application/json": {"schema": self.field(method.input_type, field)}}}


def _upload_body() -> Schema:
    binary = {"schema": {"type": "string", "format": "binary"}}
    content: Schema = {t: dict(binary) for t in _UPLOAD_TYPES}
    content["multipart/form-data"] = {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}}}}
    return {"required": True, "content": content,
            "description": "The file: raw bytes with their Content-Type, or a multipart form "
                           "with the file in field `file`."}


def _described(schema: Schema, comment: str) -> Schema:
    if comment and "$ref" not in schema:
        schema["description"] = comment
    elif comment:  # OpenAPI 3.0 ignores siblings of $ref; allOf keeps the description
        schema = {"allOf": [schema], "description": comment}
    return schema


def build_openapi(fds: descriptor_pb2.FileDescriptorSet,
                  services: tuple[str, ...] = DEFAULT_SERVICES,
                  title: str = "scenelens API", version: str = "v1") -> Schema:
    """The OpenAPI 3.0 document for the HTTP bindings of these services."""
    index = _Index(fds)
    builder, paths = _Builder(index), dict[str, Schema]()
    ops = []
    for svc_name in services:
        for method in index.services[svc_name].method:
            main = method.options.Extensions[annotations_pb2.http]
            rules = [main, *main.additional_bindings] if method.options.HasExtension(
                annotations_pb2.http) else []
            for n, rule in enumerate(rules):
                op_id = method.name if n == 0 else f"{method.name}{n + 1}"
                ops.append((n > 0, *builder.operation(svc_name, method, rule, op_id)))
    for _, path, verb, op in sorted(ops, key=lambda o: o[0]):  # main bindings before aliases
        paths.setdefault(path, {})[verb] = op
    descriptions = [index.comments.get(f".{s}", "") for s in services]
    return {"openapi": "3.0.3",
            "info": {"title": title, "version": version, "description": "\n\n".join(descriptions)},
            "servers": [{"url": "/"}], "paths": paths,
            # Every operation needs an API key: `Authorization: Bearer slk_...`.
            "security": [{"apiKey": []}],
            "components": {"schemas": dict(sorted(builder.schemas.items())),
                           "securitySchemes": {"apiKey": {
                               "type": "http", "scheme": "bearer", "bearerFormat": "slk_...",
                               "description": "A tenant's API key "
                                              "(python -m scenelens.admin create-tenant)."}}}}


def openapi_json(descriptor_path: str | pathlib.Path, **kwargs: Any) -> bytes:
    """The OpenAPI document as JSON bytes, from a descriptor set file."""
    doc = build_openapi(load_descriptor_set(descriptor_path), **kwargs)
    return json.dumps(doc, indent=2).encode()

"""Test helpers shared by the integration and e2e tiers: one API client, waits, store checks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import boto3
import grpc
import httpx
import psycopg
from botocore.config import Config

from scenelens.settings import Settings

T = TypeVar("T")
TERMINAL = ("TASK_STATUS_DONE", "TASK_STATUS_FAILED")


def wait_until(check: Callable[[], T | None], *, timeout: float, what: str,
               interval: float = 0.2) -> T:
    """Poll check() until it returns something truthy; fail with `what` after timeout."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def free_port_number() -> int:
    """A TCP port on which nothing listens (for unreachable-server cases)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# Every API key the test session issued, to prove afterwards that none is stored in plaintext.
ISSUED_KEYS: list[str] = []


@dataclass(frozen=True)
class ApiTenant:
    tenant_id: str
    tier: str
    api_key: str
    key_id: str
    key_prefix: str


def admin(env: Mapping[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `python -m scenelens.admin ARGS` against the stack, as an operator would."""
    result = subprocess.run(
        [sys.executable, "-m", "scenelens.admin", *args], env={**os.environ, **env},
        capture_output=True, text=True, timeout=120,
    )
    if check:
        assert result.returncode == 0, f"admin {args}: {result.stderr}"
    return result


def create_tenant(env: Mapping[str, str], name: str, tier: str) -> ApiTenant:
    out = json.loads(admin(env, "create-tenant", name, "--tier", tier).stdout)
    ISSUED_KEYS.append(out["api_key"])
    return ApiTenant(out["tenant_id"], out["tier"], out["api_key"], out["key_id"],
                      out["key_prefix"])


class _AuthInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.StreamUnaryClientInterceptor,
                       grpc.UnaryStreamClientInterceptor):
    """Adds `authorization: Bearer <key>` to every call on the channel."""

    def __init__(self, api_key: str) -> None:
        self._header = ("authorization", f"Bearer {api_key}")

    def _details(self, details: Any) -> Any:
        metadata = [*(details.metadata or ()), self._header]
        return details._replace(metadata=metadata)

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation: Any, details: Any, requests: Any) -> Any:
        return continuation(self._details(details), requests)

    def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)


def open_channel(target: str, api_key: str | None = None) -> grpc.Channel:
    """A plain-gRPC channel; with a key, every call carries it (the way clients should)."""
    channel = grpc.insecure_channel(target)
    if api_key is None:
        return channel
    return grpc.intercept_channel(channel, _AuthInterceptor(api_key))


class ApiClient:
    """REST through Envoy, as a user would call it, with the caller's API key."""

    def __init__(self, base_url: str, api_key: str | None = None) -> None:
        self.base_url = base_url
        self.api_key = api_key
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = httpx.Client(base_url=base_url, timeout=120, headers=headers)

    def upload(self, data: bytes, filename: str, *, multipart: bool = True,
               content_type: str = "application/octet-stream", path: str = "/v1/analysis",
               **params: Any) -> httpx.Response:
        if multipart:
            return self.http.post(path, files={"file": (filename, data, content_type)},
                                  params=params)
        return self.http.post(path, content=data, headers={"Content-Type": content_type},
                              params={"filename": filename, **params})

    def stream_upload(self, chunks: Iterator[bytes], filename: str,
                      content_type: str = "application/octet-stream", **params: Any
                      ) -> httpx.Response:
        return self.http.post("/v1/analysis:upload", content=chunks,
                              headers={"Content-Type": content_type},
                              params={"filename": filename, **params})

    def create(self, data: bytes, filename: str, **kwargs: Any) -> dict[str, Any]:
        resp = self.upload(data, filename, **kwargs)
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        return body

    def task(self, task_id: str) -> httpx.Response:
        return self.http.get(f"/v1/analysis/{task_id}")

    def segments(self, task_id: str, **params: Any) -> httpx.Response:
        return self.http.get(f"/v1/analysis/{task_id}/segments", params=params)

    def all_segments(self, task_id: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        token = ""
        while True:
            resp = self.segments(task_id, page_size=50, page_token=token)
            assert resp.status_code == 200, resp.text
            body = resp.json()
            out.extend(body["segments"])
            token = body.get("next_page_token", "")
            if not token:
                return out

    def segment(self, task_id: str, segment_id: str) -> httpx.Response:
        return self.http.get(f"/v1/analysis/{task_id}/segments/{segment_id}")

    def list(self, **params: Any) -> httpx.Response:
        return self.http.get("/v1/analysis", params=params)

    def delete(self, task_id: str) -> httpx.Response:
        return self.http.delete(f"/v1/analysis/{task_id}")

    def wait_terminal(self, task_id: str, timeout: float = 120,
                      interval: float = 0.2) -> dict[str, Any]:
        def check() -> dict[str, Any] | None:
            resp = self.task(task_id)
            if resp.status_code == 429:  # rate-limited (small tiers): ask again later
                return None
            assert resp.status_code == 200, resp.text
            body: dict[str, Any] = resp.json()
            return body if body["status"] in TERMINAL else None

        return wait_until(check, timeout=timeout, what=f"task {task_id} to finish",
                          interval=interval)


class Stores:
    """Direct looks into S3 and Postgres, to check what was (not) stored."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.s3 = boto3.client(
            "s3", endpoint_url=settings.s3_endpoint, aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=settings.s3_secret_key, region_name=settings.s3_region,
            config=Config(s3={"addressing_style": "path"}),
        )

    def keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.settings.s3_bucket, Prefix=prefix
        ):
            keys.extend(o["Key"] for o in page.get("Contents", []) or [])
        return keys

    def task_keys(self, task_id: str) -> list[str]:
        return [k for p in ("input-files", "scene-images", "recognition-results")
                for k in self.keys(f"{p}/{task_id}/")]

    def get(self, key: str) -> bytes:
        body: bytes = self.s3.get_object(Bucket=self.settings.s3_bucket, Key=key)["Body"].read()
        return body

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.settings.pg_conninfo, autocommit=True) as conn:
            return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]

    def events(self, task_id: str, kind: str | None = None) -> list[str]:
        rows = self.sql("SELECT topic FROM tasks_events WHERE originator_id = %s "
                        "ORDER BY originator_version", task_id)
        topics = [r[0].rsplit(".", 1)[-1] for r in rows]
        return [t for t in topics if kind is None or t == kind]

    def counts(self) -> dict[str, int]:
        """Totals that any accepted upload would change."""
        return {
            "input_files": len(self.keys("input-files/")),
            "created_events": self.sql(
                "SELECT count(*) FROM tasks_events WHERE topic LIKE %s", "%Task.Created")[0][0],
            "tasks": self.sql("SELECT count(*) FROM tasks")[0][0],
            "open_uploads": len(self.s3.list_multipart_uploads(
                Bucket=self.settings.s3_bucket).get("Uploads", []) or []),
            "webhooks": self.sql("SELECT count(*) FROM webhook_endpoints")[0][0],
        }


def rebuild_read_models(stack: Any) -> None:
    """`python -m projections rebuild` with the projection stopped, as an operator runs it."""
    stack.stop("projections")
    try:
        out = subprocess.run([sys.executable, "-m", "projections", "rebuild"],
                             env={**os.environ, **stack.env}, capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, out.stderr
    finally:
        stack.start("projections")

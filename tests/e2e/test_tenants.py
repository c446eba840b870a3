"""Tenants: keys, isolation on every endpoint, tiers' limits, listing (issue 7)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest

from scenelens.v1 import analysis_pb2, analysis_pb2_grpc
from tests.support import ISSUED_KEYS, ApiClient, Stores, admin, open_channel, wait_until

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


@pytest.fixture(scope="module")
def two_tenants(make_tenant: Any, base_url: str, bus_bytes: bytes,
                sample_video: Path) -> dict[str, Any]:
    """Tenants A and B, each with a finished photo task and a finished video task."""
    out: dict[str, Any] = {}
    for name in ("a", "b"):
        tenant = make_tenant(f"tenant-{name}", "pro")
        api = ApiClient(base_url, tenant.api_key)
        photo = api.create(bus_bytes, f"{name}.jpg")["task_id"]
        video = api.create(sample_video.read_bytes(), f"{name}.mp4")["task_id"]
        for tid in (photo, video):
            assert api.wait_terminal(tid, timeout=180)["status"] == "TASK_STATUS_DONE"
        out[name] = {"tenant": tenant, "api": api, "photo": photo, "video": video,
                     "segments": {tid: api.all_segments(tid) for tid in (photo, video)}}
    return out


def _snapshot(api: ApiClient, task_ids: list[str]) -> dict[str, Any]:
    """What a tenant sees of its tasks (status, segments, detections), for before/after checks."""
    view: dict[str, Any] = {}
    for tid in task_ids:
        task = api.task(tid).json()
        segs = api.all_segments(tid)
        details = [api.segment(tid, s["segment_id"]).json() for s in segs]
        for d in details:
            d.pop("result_image_url")  # presigned: differs on every read
        view[tid] = (task["status"], task["segments_done"], task["filename"], details)
    return view


def test_another_tenants_tasks_are_not_found_on_every_endpoint(
    two_tenants: dict[str, Any], grpc_targets: dict[str, str], stores: Stores
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    a_ids = [a["photo"], a["video"]]
    before = _snapshot(a["api"], a_ids)
    assert all(len(v[3]) >= 1 for v in before.values())
    assert any(d["detections"] for v in before.values() for d in v[3])
    keys_before = {tid: sorted(stores.task_keys(tid)) for tid in a_ids}

    for tid in a_ids:
        seg = a["segments"][tid][0]["segment_id"]
        for resp in (b["api"].task(tid), b["api"].segments(tid), b["api"].segment(tid, seg),
                     b["api"].delete(tid)):
            assert resp.status_code == 404, (resp.request.url, resp.text)
            assert resp.json()["message"] == f"task {tid} not found"
        listed = [t["task_id"] for t in b["api"].list(page_size=1000).json()["tasks"]]
        assert tid not in listed

        for via in ("envoy", "direct"):
            with open_channel(grpc_targets[via], b["tenant"].api_key) as channel:
                stub = analysis_pb2_grpc.AnalysisServiceStub(channel)
                calls = [
                    (stub.GetAnalysis, analysis_pb2.GetAnalysisRequest(task_id=tid)),
                    (stub.ListSegments, analysis_pb2.ListSegmentsRequest(task_id=tid)),
                    (stub.GetSegment, analysis_pb2.GetSegmentRequest(task_id=tid, segment_id=seg)),
                    (stub.DeleteAnalysis, analysis_pb2.DeleteAnalysisRequest(task_id=tid)),
                ]
                for method, request in calls:
                    with pytest.raises(grpc.RpcError) as err:
                        method(request)
                    assert err.value.code() == grpc.StatusCode.NOT_FOUND, via
                    assert err.value.details() == f"task {tid} not found"
                listed_pb = stub.ListAnalyses(analysis_pb2.ListAnalysesRequest(page_size=1000))
                assert tid not in {t.task_id for t in listed_pb.tasks}

    # B's own tasks are there for B, and A's data is untouched.
    own = {t["task_id"] for t in b["api"].list(page_size=1000).json()["tasks"]}
    assert {b["photo"], b["video"]} <= own
    assert _snapshot(a["api"], a_ids) == before
    assert {tid: sorted(stores.task_keys(tid)) for tid in a_ids} == keys_before
    assert all("Deleted" not in stores.events(tid) for tid in a_ids)
    owners = dict(stores.sql("SELECT task_id::text, tenant_id::text FROM tasks "
                             "WHERE task_id = ANY(%s::uuid[])", a_ids))
    assert owners == {tid: a["tenant"].tenant_id for tid in a_ids}


def test_listing_is_newest_first_paginated_and_filtered(
    make_tenant: Any, base_url: str, bus_bytes: bytes
) -> None:
    tenant = make_tenant("lister", "enterprise")
    api = ApiClient(base_url, tenant.api_key)
    created = [api.create(bus_bytes, f"l{i}.jpg")["task_id"] for i in range(5)]
    bad = api.create(b"\x00\x00\x00\x18ftypisom" + b"\0" * 64, "broken.mp4",
                     content_type="video/mp4")["task_id"]
    for tid in created:
        api.wait_terminal(tid)
    assert api.wait_terminal(bad)["status"] == "TASK_STATUS_FAILED"

    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        body = api.list(page_size=2, page_token=token).json()
        assert len(body["tasks"]) <= 2
        seen.extend(t["task_id"] for t in body["tasks"])
        pages += 1
        token = body["next_page_token"]
        if not token:
            break
    assert seen == [bad, *reversed(created)] and pages == 3
    done = api.list(status="TASK_STATUS_DONE").json()["tasks"]
    assert [t["task_id"] for t in done] == list(reversed(created))
    assert all(t["status"] == "TASK_STATUS_DONE" for t in done)
    failed = api.list(status="TASK_STATUS_FAILED").json()["tasks"]
    assert [t["task_id"] for t in failed] == [bad]

    tampered = api.list(page_token="dGFzazpub3QtYS1kYXRlfHh4")
    assert tampered.status_code == 400 and "page_token" in tampered.json()["message"]
    assert api.list(status="NOT_A_STATUS").status_code == 400


def _bad_credentials(revoked_key: str, good_key: str) -> list[tuple[str, dict[str, str], str]]:
    return [
        ("no header", {}, "missing API key"),
        ("wrong scheme", {"Authorization": f"Basic {good_key}"}, "scheme"),
        ("empty key", {"Authorization": "Bearer"}, "empty API key"),
        ("unknown key", {"Authorization": "Bearer slk_abcdefghij_" + "A" * 43}, "unknown API key"),
        ("revoked key", {"Authorization": f"Bearer {revoked_key}"}, "revoked"),
        ("other format", {"Authorization": "Bearer sk_live_51HxYzAbCdEf0123456789"}, "malformed"),
        ("trailing junk", {"Authorization": f"Bearer {good_key}x"}, "malformed"),
        ("key in wrong case", {"Authorization": f"Bearer {good_key.upper()}"}, "malformed"),
    ]


def test_bad_credentials_get_401_and_store_nothing(
    make_tenant: Any, stack: Any, base_url: str, stores: Stores, grpc_targets: dict[str, str],
    bus_bytes: bytes, api: ApiClient
) -> None:
    victim = make_tenant("revoked", "pro")
    assert json.loads(admin(stack.env, "revoke-key", victim.key_prefix).stdout)["revoked"] is True
    task_id = api.create(bus_bytes, "mine.jpg")["task_id"]
    before = stores.counts()
    anonymous = httpx.Client(base_url=base_url, timeout=60)
    for name, headers, message in _bad_credentials(victim.api_key, api.api_key or ""):
        for resp in (
            anonymous.post("/v1/analysis", files={"file": ("x.jpg", bus_bytes, "image/jpeg")},
                           headers=headers),
            anonymous.post("/v1/analysis:upload?filename=x.jpg", content=bus_bytes,
                           headers={**headers, "Content-Type": "image/jpeg"}),
            anonymous.get(f"/v1/analysis/{task_id}", headers=headers),
            anonymous.get("/v1/analysis", headers=headers),
            anonymous.delete(f"/v1/analysis/{task_id}", headers=headers),
        ):
            assert resp.status_code == 401, (name, resp.request.url, resp.text)
            assert message.lower() in resp.json()["message"].lower(), (name, resp.text)
            assert resp.headers["www-authenticate"].startswith("Bearer")
            # The presented key is never echoed back.
            assert victim.api_key not in resp.text and (api.api_key or "") not in resp.text
        value = headers.get("Authorization")
        for via in ("envoy", "direct"):
            with open_channel(grpc_targets[via]) as channel:
                stub = analysis_pb2_grpc.AnalysisServiceStub(channel)
                with pytest.raises(grpc.RpcError) as err:
                    stub.GetAnalysis(analysis_pb2.GetAnalysisRequest(task_id=task_id),
                                     metadata=[("authorization", value)] if value else None)
                assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED, (name, via)
                assert message.lower() in (err.value.details() or "").lower()
    assert stores.counts() == before
    assert api.task(task_id).status_code == 200  # the task is still there


def test_a_revoked_key_stops_working_within_a_second(make_tenant: Any, stack: Any,
                                                     base_url: str) -> None:
    tenant = make_tenant("rotating", "pro")
    second = json.loads(admin(stack.env, "issue-key", tenant.tenant_id).stdout)
    ISSUED_KEYS.append(second["api_key"])
    old, new = ApiClient(base_url, tenant.api_key), ApiClient(base_url, second["api_key"])
    assert old.list().status_code == 200 and new.list().status_code == 200
    admin(stack.env, "revoke-key", tenant.key_id)
    revoked_at = time.monotonic()
    while old.list().status_code == 200:
        assert time.monotonic() - revoked_at < 1.0, "revoked key still accepted after 1 s"
        time.sleep(0.02)
    assert old.list().json()["message"] == "this API key was revoked"
    assert new.list().status_code == 200  # the tenant's other key goes on working

    listed = json.loads(admin(stack.env, "list-tenants").stdout)
    mine = next(t for t in listed if t["tenant_id"] == tenant.tenant_id)
    assert {(k["key_prefix"], k["revoked"]) for k in mine["keys"]} == {
        (tenant.key_prefix, True), (second["key_prefix"], False)}
    assert tenant.api_key not in json.dumps(listed)


def test_admin_command_errors_are_one_line(stack: Any) -> None:
    for args, message in [
        (("create-tenant", "x", "--tier", "platinum"), "unknown tier 'platinum'"),
        (("issue-key", "not-a-uuid"), "tenant id must be a UUID"),
        (("issue-key", "0b5a4a55-5d4c-4b8e-9a7e-3f1f3f1f3f1f"), "not found"),
        (("revoke-key", "slk_zzzzzzzzzz"), "no key"),
        (("set-tier", "0b5a4a55-5d4c-4b8e-9a7e-3f1f3f1f3f1f", "pro"), "not found"),
    ]:
        result = admin(stack.env, *args, check=False)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_rate_limit_answers_429_with_retry_after(make_tenant: Any, base_url: str) -> None:
    tenant = make_tenant("chatty", "free")  # test profile: 2 requests/s, bursts of 6
    api = ApiClient(base_url, tenant.api_key)
    codes = [api.list() for _ in range(10)]
    assert [r.status_code for r in codes[:6]] == [200] * 6
    limited = [r for r in codes if r.status_code == 429]
    assert limited, [r.status_code for r in codes]
    assert int(limited[0].headers["retry-after"]) >= 1
    assert "rate limit of the free tier" in limited[0].json()["message"]
    time.sleep(int(limited[0].headers["retry-after"]))  # the advertised wait is enough
    assert api.list().status_code == 200


def test_tier_caps_unfinished_tasks_and_file_size(make_tenant: Any, base_url: str,
                                                  stores: Stores, sample_video: Path,
                                                  bus_bytes: bytes) -> None:
    tenant = make_tenant("small", "free")  # test profile: 1 MiB files, 2 unfinished tasks
    api = ApiClient(base_url, tenant.api_key)
    before = stores.counts()
    too_big = api.upload(JPEG_HEAD + b"\0" * (1024 * 1024), "big.jpg", content_type="image/jpeg")
    assert too_big.status_code == 413
    assert too_big.json()["message"] == "file larger than the free tier's limit of 1048576 bytes"
    assert stores.counts() == before

    video = sample_video.read_bytes()
    first = [api.create(video, f"v{i}.mp4")["task_id"] for i in range(2)]
    over = api.upload(bus_bytes, "third.jpg")
    statuses = [api.task(t).json()["status"] for t in first]
    assert "TASK_STATUS_DONE" not in statuses, "tasks finished too fast to test the cap"
    assert over.status_code == 429, over.text
    assert over.json()["message"] == (
        "the free tier allows 2 unfinished tasks at once; "
        "wait for some to finish (or delete them) and retry")
    assert stores.counts()["created_events"] == before["created_events"] + 2
    for tid in first:
        api.wait_terminal(tid, timeout=180, interval=0.7)  # within the free tier's 2 requests/s
    # With those finished the cap frees up (retrying while the per-key rate says 429).
    wait_until(lambda: _accepted(api.upload(bus_bytes, "later.jpg")), timeout=10,
               interval=0.6, what="an upload under the cap")


def _accepted(resp: httpx.Response) -> bool:
    assert resp.status_code in (200, 429), resp.text
    if resp.status_code == 429:
        assert resp.headers.get("retry-after"), "only the rate limit may refuse here"
    return resp.status_code == 200

"""Presigned links: LinkSigner writes exactly the URL botocore's generate_presigned_url writes."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest import mock

import botocore.auth
import botocore.session
import pytest
from botocore.config import Config

from scenelens.adapters.links import LinkSigner

AT = datetime(2026, 11, 29, 23, 59, 59)
KEYS = [
    "recognition-results/6f1c0e9e-0b8b-4f55-8d4e-5c1f9b9f2f10/seg_result.jpg",
    "recognition-results/t/runs/r/s_result.jpg",
    "a b+c~d/é€ 2024.jpg",
    "x?y#z&w=1%;,:@$!'()*",
    "//double//slash/",
    "UPPER/Ünï.JPG",
]
ENDPOINTS = [
    "http://127.0.0.1:8333",
    "http://localhost:9000/",
    "https://s3.example.com",
    "https://S3.Example.com:443",
    "http://minio:80",
    "http://[::1]:8333",
    "https://storage.example.com/prefix",
]


def botocore_url(endpoint: str, key: str, ttl: int, region: str = "us-east-1",
                 at: datetime = AT) -> str:
    client: Any = botocore.session.get_session().create_client(
        "s3", endpoint_url=endpoint, aws_access_key_id="scenelens",
        aws_secret_access_key="scenelens-secret", region_name=region,
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
    )
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: at):
        url: str = client.generate_presigned_url(
            "get_object", Params={"Bucket": "scenelens", "Key": key}, ExpiresIn=ttl)
    return url


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_same_links_as_botocore(endpoint: str) -> None:
    signer = LinkSigner(endpoint, "scenelens", "scenelens", "scenelens-secret", "us-east-1",
                        now=lambda: AT.replace(tzinfo=UTC))
    for key in KEYS:
        assert signer.url(key, 3600) == botocore_url(endpoint, key, 3600), (endpoint, key)


def test_other_region_ttl_and_the_next_day() -> None:
    now = [AT]
    signer = LinkSigner("http://127.0.0.1:8333", "scenelens", "scenelens", "scenelens-secret",
                        "eu-central-1", now=lambda: now[0].replace(tzinfo=UTC))
    assert signer.url(KEYS[0], 60) == botocore_url("http://127.0.0.1:8333", KEYS[0], 60,
                                                   "eu-central-1")
    before = signer.url(KEYS[0], 60)
    now[0] = AT.replace(day=30, hour=0, second=0)  # a new day: a new signing key
    after = signer.url(KEYS[0], 60)
    assert "X-Amz-Date=20261130T" in after and after.split("Signature=")[1] != (
        before.split("Signature=")[1])
    assert after == botocore_url("http://127.0.0.1:8333", KEYS[0], 60, "eu-central-1", now[0])

"""Webhook rules: event names, the retry schedule, and the SSRF guard (issue 10)."""
from __future__ import annotations

import asyncio

import pytest
from standardwebhooks import Webhook

from scenelens.domain import webhooks as rules
from scenelens.domain.errors import InvalidRequest
from webhooks.targets import check_target


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1",
                                     "169.254.169.254", "::1", "fe80::1", "fc00::1", "0.0.0.0",
                                     "100.64.0.1", "224.0.0.1"])
def test_non_public_addresses_are_refused_by_default(address: str) -> None:
    with pytest.raises(InvalidRequest, match="private, loopback or link-local"):
        rules.check_addresses("h", [address], [])


def test_a_setting_allows_named_networks_only() -> None:
    rules.check_addresses("h", ["127.0.0.1"], ["127.0.0.1/32"])
    rules.check_addresses("h", ["93.184.216.34"], [])  # public: always fine
    with pytest.raises(InvalidRequest):
        rules.check_addresses("h", ["127.0.0.1", "10.0.0.1"], ["127.0.0.1/32"])  # any one bad


@pytest.mark.parametrize("url, message", [
    ("ftp://example.com/x", "http:// or https://"), ("http:///nohost", "http:// or https://"),
    ("http://user:pw@example.com/", "credentials"), ("http://example.com:99999/", "port"),
    ("https://" + "a" * 2000 + ".com", "too long"),
])
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        rules.check_url(url)


def test_hostnames_are_resolved_before_they_are_trusted() -> None:
    with pytest.raises(InvalidRequest, match="resolves to 127.0.0.1"):
        asyncio.run(check_target("http://localhost:9/hook", []))
    asyncio.run(check_target("http://localhost:9/hook", ["127.0.0.0/8", "::1/128"]))


def test_event_types_and_schedule() -> None:
    assert rules.check_event_types(["task.failed", "task.done", "task.done"]) == [
        "task.done", "task.failed"]
    with pytest.raises(InvalidRequest, match="unknown event 'task.exploded'"):
        rules.check_event_types(["task.exploded"])
    with pytest.raises(InvalidRequest, match="at least one"):
        rules.check_event_types([])
    delays = [rules.next_delay_s(n, 1.0) for n in range(1, 9)]
    assert delays == [5, 300, 1800, 7200, 18000, 36000, 36000, None]
    assert rules.next_delay_s(1, 0.01) == pytest.approx(0.05)


def test_signatures_follow_standard_webhooks() -> None:
    from datetime import UTC, datetime

    secret = rules.new_secret()
    assert secret.startswith("whsec_")
    now = datetime.now(UTC)
    signature = Webhook(secret).sign("msg_1", now, '{"a":1}')
    assert signature.startswith("v1,")
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": signature}
    assert Webhook(secret).verify('{"a":1}', headers) == {"a": 1}

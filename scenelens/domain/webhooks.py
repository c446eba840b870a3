"""Webhook rules (pure): which events exist, the retry schedule, and which targets are allowed."""
from __future__ import annotations

import base64
import ipaddress
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from scenelens.domain.errors import InvalidRequest

# Event type -> the routing key of the event on the events exchange.
EVENT_TYPES = {
    "task.done": "task.completed",
    "task.failed": "task.failed",
    "segment.recognized": "task.frame_recognized",
}
ROUTING_TO_TYPE = {v: k for k, v in EVENT_TYPES.items()}

# The Standard Webhooks retry schedule, in seconds after the previous attempt:
# immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
RETRY_SCHEDULE_S = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def next_delay_s(attempts_made: int, scale: float) -> float | None:
    """Seconds until the next attempt after `attempts_made` failures; None when out of tries."""
    if attempts_made >= len(RETRY_SCHEDULE_S):
        return None
    return RETRY_SCHEDULE_S[attempts_made] * scale


def check_event_types(types: Iterable[str]) -> list[str]:
    wanted = sorted(set(types))
    if not wanted:
        raise InvalidRequest(f"events must name at least one of {', '.join(EVENT_TYPES)}")
    unknown = [t for t in wanted if t not in EVENT_TYPES]
    if unknown:
        raise InvalidRequest(f"unknown event {unknown[0]!r}; known: {', '.join(EVENT_TYPES)}")
    return wanted


def check_url(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL without credentials; InvalidRequest otherwise."""
    if len(url) > 2000:
        raise InvalidRequest("url is too long (at most 2000 characters)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequest("url must be an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise InvalidRequest("url must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidRequest("url has an invalid port") from None
    return parts.hostname, port


def check_addresses(host: str, addresses: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse private, loopback, link-local and other non-public targets (SSRF), unless their
    network is in `allowed` (CIDRs from settings)."""
    nets = [ipaddress.ip_network(n, strict=False) for n in allowed]
    found = False
    for raw in addresses:
        found = True
        ip = ipaddress.ip_address(raw)
        if ip.is_global and not ip.is_multicast:
            continue
        if any(ip in net for net in nets):
            continue
        raise InvalidRequest(
            f"url host {host!r} resolves to {ip}, a private, loopback or link-local address; "
            "webhooks go to public addresses only")
    if not found:
        raise InvalidRequest(f"url host {host!r} does not resolve")

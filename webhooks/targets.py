"""Where a webhook may go: http(s) URLs that resolve to public addresses (SSRF guard)."""
from __future__ import annotations

import asyncio
import socket

from scenelens.domain import webhooks as rules
from scenelens.domain.errors import InvalidRequest


async def check_target(url: str, allowed: list[str]) -> None:
    """InvalidRequest unless every address the URL's host resolves to is allowed."""
    host, port = rules.check_url(url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise InvalidRequest(f"url host {host!r} does not resolve") from None
    rules.check_addresses(host, [str(info[4][0]) for info in infos], allowed)

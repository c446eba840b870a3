"""Opaque page tokens: where a page ended, signed and bound to the listing that made them.

A token is `base64url(payload) "." base64url(HMAC-SHA256(key, scope + payload)[:12])`. The scope
names the listing and everything that shapes it (tenant, task, filters), so a token changed by
hand, made for another listing or tenant, or by a gateway with another key is refused with 400
instead of silently paging from somewhere else. The key is `Settings.page_token_secret`; when it is
empty each gateway process draws a random one (tokens then survive neither a restart nor a hop to
another gateway process: set the secret when running several).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime

from scenelens.domain.errors import InvalidRequest

_MAC_BYTES = 12
_MAX_TOKEN = 512  # ours are under 120 characters


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PageTokens:
    """Encodes and checks page tokens with one key (one per gateway, or shared by setting)."""

    def __init__(self, secret: str = "") -> None:
        self._key = secret.encode() if secret else secrets.token_bytes(32)

    def _mac(self, scope: str, payload: bytes) -> bytes:
        message = scope.encode() + b"\0" + payload
        return hmac.new(self._key, message, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, scope: str, *fields: str) -> str:
        payload = "|".join(fields).encode()
        return f"{_b64(payload)}.{_b64(self._mac(scope, payload))}"

    def decode(self, scope: str, token: str, count: int) -> list[str] | None:
        """The token's fields, None for "" (first page); InvalidRequest for anything else."""
        if not token:
            return None
        invalid = InvalidRequest(
            "page_token is not valid: pass next_page_token from the previous page unchanged, "
            "with the same filters"
        )
        if len(token) > _MAX_TOKEN or not token.isascii():
            raise invalid
        body, dot, mac = token.partition(".")
        try:
            payload, tag = _unb64(body), _unb64(mac)
        except (ValueError, binascii.Error):
            raise invalid from None
        if not dot or not hmac.compare_digest(tag, self._mac(scope, payload)):
            raise invalid
        fields = payload.decode().split("|")
        if len(fields) != count:
            raise invalid
        return fields

    # The listings.

    def time_cursor(self, scope: str, at: datetime, row_id: uuid.UUID) -> str:
        """A keyset cursor for listings ordered by (time, id) newest first: tasks, detections."""
        return self.encode(scope, at.isoformat(), str(row_id))

    def time_after(self, scope: str, token: str) -> tuple[datetime, uuid.UUID] | None:
        """The (time, id) a previous page ended at; None for the first page."""
        fields = self.decode(scope, token, 2)
        if fields is None:
            return None
        return datetime.fromisoformat(fields[0]), uuid.UUID(fields[1])

    def segment_cursor(self, task_id: uuid.UUID, index: int) -> str:
        return self.encode(f"segments/{task_id}", str(index))

    def segment_after(self, task_id: uuid.UUID, token: str) -> int:
        """The index a previous page of segments ended at; -1 for the first page."""
        fields = self.decode(f"segments/{task_id}", token, 1)
        return -1 if fields is None else int(fields[0])

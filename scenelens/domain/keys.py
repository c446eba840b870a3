"""API keys: a public lookup prefix and a high-entropy secret; only the SHA-256 is ever stored."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from scenelens.domain.errors import Unauthenticated

SCHEME = "slk"
# slk_<10 base32 chars: public prefix, the lookup id>_<43 url-safe chars: 256 random bits>
KEY_RE = re.compile(r"slk_([a-z2-7]{10})_([A-Za-z0-9_-]{43})")
PREFIX_RE = re.compile(r"(?:slk_)?([a-z2-7]{10})")


@dataclass(frozen=True)
class NewKey:
    """A freshly issued key: the secret is shown once, then only its hash exists."""

    prefix: str
    secret: str
    key_hash: str

    @property
    def display_prefix(self) -> str:
        return f"{SCHEME}_{self.prefix}"


def generate() -> NewKey:
    prefix = base64.b32encode(secrets.token_bytes(10)).decode().lower()[:10]
    secret = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    assert KEY_RE.fullmatch(secret), secret
    return NewKey(prefix=prefix, secret=secret, key_hash=hash_key(secret))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_bearer(header: str | None) -> tuple[str, str]:
    """The (prefix, key) in an `authorization` value; Unauthenticated when it is not one."""
    if not header:
        raise Unauthenticated("missing API key: send the header 'Authorization: Bearer slk_...'")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        raise Unauthenticated("unsupported authorization scheme: use 'Bearer slk_...'")
    value = value.strip(" ")
    if not value:
        raise Unauthenticated("empty API key")
    match = KEY_RE.fullmatch(value)
    if match is None:
        raise Unauthenticated("malformed API key: expected slk_<prefix>_<secret>")
    return match.group(1), value


def matches(key: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented key with a stored hash."""
    return hmac.compare_digest(hash_key(key).encode(), stored_hash.encode())


def parse_prefix(value: str) -> str | None:
    """A key prefix as an operator types it (`slk_abcdefghij` or `abcdefghij`), or None."""
    match = PREFIX_RE.fullmatch(value.strip())
    return match.group(1) if match else None

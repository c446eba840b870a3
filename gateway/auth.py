"""Who is calling: API-key authentication, per-key rate limits, and the caller of this request."""
from __future__ import annotations

import contextvars
import math
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
from grpc.aio import ServerInterceptor

from gateway.interceptors import Responder, Streamer, WrappedHandlers, wrap_handler
from scenelens.adapters.readmodels import KeyRow
from scenelens.domain import keys
from scenelens.domain.errors import RateLimited, Unauthenticated, Unavailable
from scenelens.domain.tiers import Tier
from scenelens.logs import bind
from scenelens.settings import Settings


@dataclass(frozen=True)
class Caller:
    """The authenticated tenant behind a request, and its tier's limits."""

    tenant_id: uuid.UUID
    key_id: uuid.UUID
    tier_name: str
    tier: Tier


_caller: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("caller", default=None)


def current_caller() -> Caller:
    """The caller of the RPC being served (set by the interceptor before the handler runs)."""
    caller = _caller.get()
    if caller is None:
        raise Unauthenticated("missing API key: send the header 'Authorization: Bearer slk_...'")
    return caller


def set_caller(caller: Caller) -> None:
    _caller.set(caller)


class KeyStore:
    """Looks keys up by their public prefix, trusting an answer for `ttl` seconds.

    The TTL bounds how long a revoked key or a tier change takes to reach this gateway. Unknown
    prefixes are remembered too, and the cache is bounded, so random keys cannot grow it.
    """

    MAX_ENTRIES = 10_000

    def __init__(
        self, settings: Settings, lookup: Callable[[str], Awaitable[KeyRow | None]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._lookup = lookup
        self._clock = clock
        self._ttl = settings.auth_cache_ttl_s
        self._cache: OrderedDict[str, tuple[float, KeyRow | None]] = OrderedDict()

    async def authenticate(self, authorization: str | None) -> Caller:
        prefix, key = keys.parse_bearer(authorization)
        row = await self._row(prefix)
        # Compare even when the prefix is unknown, so both paths cost the same.
        stored = row.key_hash if row is not None else "0" * 64
        if not keys.matches(key, stored) or row is None:
            raise Unauthenticated("unknown API key")
        if row.revoked:
            raise Unauthenticated("this API key was revoked")
        return Caller(tenant_id=row.tenant_id, key_id=row.key_id, tier_name=row.tier,
                      tier=self._settings.tier(row.tier))

    async def _row(self, prefix: str) -> KeyRow | None:
        now = self._clock()
        hit = self._cache.get(prefix)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        row = await self._lookup(prefix)
        self._cache[prefix] = (now, row)
        self._cache.move_to_end(prefix)
        while len(self._cache) > self.MAX_ENTRIES:
            self._cache.popitem(last=False)
        return row


class RateLimiter:
    """A token bucket per key: `burst` requests at once, refilled at the tier's rate."""

    MAX_KEYS = 100_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: OrderedDict[uuid.UUID, tuple[float, float]] = OrderedDict()

    def take(self, caller: Caller) -> None:
        now = self._clock()
        rate, burst = caller.tier.rate_per_s, float(caller.tier.burst)
        tokens, at = self._buckets.get(caller.key_id, (burst, now))
        tokens = min(burst, tokens + (now - at) * rate)
        if tokens < 1.0:
            self._buckets[caller.key_id] = (tokens, now)
            wait = math.ceil((1.0 - tokens) / rate)
            raise RateLimited(
                f"rate limit of the {caller.tier_name} tier exceeded "
                f"({caller.tier.rate_per_s:g} requests/s per key); retry after {wait} s",
                retry_after_s=wait,
            )
        self._buckets[caller.key_id] = (tokens - 1.0, now)
        self._buckets.move_to_end(caller.key_id)
        while len(self._buckets) > self.MAX_KEYS:
            self._buckets.popitem(last=False)


def _authorization(context: grpc.aio.ServicerContext) -> str | None:
    for key, value in context.invocation_metadata() or ():
        if key == "authorization":
            return value if isinstance(value, str) else value.decode("latin-1")
    return None


class AuthInterceptor(ServerInterceptor):
    """Every scenelens RPC needs a valid key; health and reflection stay open.

    Runs inside ErrorInterceptor, so Unauthenticated and RateLimited are mapped there.
    """

    def __init__(self, keystore: KeyStore, limiter: RateLimiter,
                 rebuilding: Callable[[], bool] = lambda: False) -> None:
        self._keystore = keystore
        self._limiter = limiter
        self._rebuilding = rebuilding
        self._wrapped = WrappedHandlers()

    async def _admit(self, context: grpc.aio.ServicerContext) -> None:
        if self._rebuilding():
            raise Unavailable("the read models are being rebuilt; retry shortly")
        caller = await self._keystore.authenticate(_authorization(context))
        set_caller(caller)
        bind(tenant_id=caller.tenant_id)
        self._limiter.take(caller)

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or not method.startswith("/scenelens."):
            return handler
        return self._wrapped.get(method, handler, lambda: self._wrap(method, handler))

    def _wrap(self, method: str, handler: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
        def around_response(inner: Responder) -> Responder:
            async def respond(request: Any, context: grpc.aio.ServicerContext) -> Any:
                await self._admit(context)
                return await inner(request, context)

            return respond

        def around_stream(inner: Streamer) -> Streamer:
            async def stream(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
                await self._admit(context)
                async for item in inner(request, context):
                    yield item

            return stream

        wrapped = wrap_handler(handler, around_response, around_stream)
        if wrapped is None:
            raise RuntimeError(f"no authentication for {method}")
        return wrapped

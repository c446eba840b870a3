"""The Tenant aggregate: a client of the service, its tier and its API keys (hashes only)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from eventsourcing.domain import Aggregate, event

from scenelens.domain.errors import InvalidRequest, TenantNotFound
from scenelens.domain.ids import NAMESPACE

# Tasks recorded before tenants existed belong to this tenant (see Task.Created.upcast_v1_v2).
DEFAULT_TENANT_ID = uuid.uuid5(NAMESPACE, "tenant/default")
DEFAULT_TENANT_NAME = "default"


def key_id(tenant_id: uuid.UUID, prefix: str) -> uuid.UUID:
    """A key's id: deterministic from its tenant and public prefix."""
    return uuid.uuid5(NAMESPACE, f"{tenant_id}/key/{prefix}")


@dataclass
class KeyState:
    prefix: str
    revoked: bool = False


class Tenant(Aggregate):
    """Owns tasks; authenticates with API keys whose SHA-256 alone is recorded."""

    @event("Created")
    def __init__(self, *, id: uuid.UUID, name: str, tier: str) -> None:  # noqa: A002
        self.name = name
        self.tier = tier
        self.keys: dict[str, KeyState] = {}

    def issue_key(self, *, prefix: str, key_hash: str) -> uuid.UUID:
        kid = key_id(self.id, prefix)
        if str(kid) in self.keys:
            raise InvalidRequest(f"key slk_{prefix} already exists")
        self._key_issued(key_id=str(kid), prefix=prefix, key_hash=key_hash)
        return kid

    def revoke_key(self, kid: uuid.UUID) -> bool:
        """Revoke a key; False when it was already revoked."""
        state = self.keys.get(str(kid))
        if state is None:
            raise TenantNotFound(f"key {kid} not found")
        if state.revoked:
            return False
        self._key_revoked(key_id=str(kid))
        return True

    def change_tier(self, tier: str) -> bool:
        if tier == self.tier:
            return False
        self._tier_changed(tier=tier)
        return True

    @event("KeyIssued")
    def _key_issued(self, *, key_id: str, prefix: str, key_hash: str) -> None:
        self.keys[key_id] = KeyState(prefix=prefix)

    @event("KeyRevoked")
    def _key_revoked(self, *, key_id: str) -> None:
        self.keys[key_id].revoked = True

    @event("TierChanged")
    def _tier_changed(self, *, tier: str) -> None:
        self.tier = tier

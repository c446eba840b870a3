"""Tenant commands (create, issue and revoke keys, change tier) on the shared event store."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from scenelens.domain import keys
from scenelens.domain.errors import InvalidRequest, TenantNotFound
from scenelens.domain.tenant import DEFAULT_TENANT_ID, DEFAULT_TENANT_NAME, Tenant


@dataclass(frozen=True)
class IssuedKey:
    """What the operator sees once: the key itself, and its id and public prefix."""

    tenant_id: uuid.UUID
    key_id: uuid.UUID
    prefix: str
    api_key: str
    position: int | None  # notification id, to wait for the read models


class Tenants:
    """Records what happens to tenants in the same event store as tasks (one notification log)."""

    def __init__(self, app: Application[uuid.UUID], tiers: set[str]) -> None:
        self._app = app
        self._tiers = tiers

    def create(self, name: str, tier: str, tenant_id: uuid.UUID | None = None) -> IssuedKey:
        """A new tenant with its first key."""
        name = name.strip()
        if not name or len(name) > 200:
            raise InvalidRequest("tenant name must be 1 to 200 characters")
        self._check_tier(tier)
        tenant = Tenant(id=tenant_id or uuid.uuid4(), name=name, tier=tier)
        new = keys.generate()
        kid = tenant.issue_key(prefix=new.prefix, key_hash=new.key_hash)
        position = self._save(tenant)
        return IssuedKey(tenant.id, kid, new.display_prefix, new.secret, position)

    def ensure_default(self, tier: str) -> bool:
        """Create the default tenant (owner of tasks from before tenants) if it is missing."""
        self._check_tier(tier)
        try:
            self._get(DEFAULT_TENANT_ID)
            return False
        except TenantNotFound:
            pass
        try:
            self._save(Tenant(id=DEFAULT_TENANT_ID, name=DEFAULT_TENANT_NAME, tier=tier))
        except InvalidRequest:
            return False  # created concurrently
        return True

    def issue_key(self, tenant_id: uuid.UUID) -> IssuedKey:
        tenant = self._get(tenant_id)
        new = keys.generate()
        kid = tenant.issue_key(prefix=new.prefix, key_hash=new.key_hash)
        position = self._save(tenant)
        return IssuedKey(tenant.id, kid, new.display_prefix, new.secret, position)

    def revoke_key(self, tenant_id: uuid.UUID, key_id: uuid.UUID) -> int | None:
        tenant = self._get(tenant_id)
        tenant.revoke_key(key_id)
        return self._save(tenant)

    def set_tier(self, tenant_id: uuid.UUID, tier: str) -> int | None:
        self._check_tier(tier)
        tenant = self._get(tenant_id)
        tenant.change_tier(tier)
        return self._save(tenant)

    def _check_tier(self, tier: str) -> None:
        if tier not in self._tiers:
            raise InvalidRequest(f"unknown tier {tier!r}; known: {', '.join(sorted(self._tiers))}")

    def _get(self, tenant_id: uuid.UUID) -> Tenant:
        try:
            tenant: Any = self._app.repository.get(tenant_id)
        except AggregateNotFoundError:
            raise TenantNotFound(f"tenant {tenant_id} not found") from None
        if not isinstance(tenant, Tenant):
            raise TenantNotFound(f"tenant {tenant_id} not found")
        return tenant

    def _save(self, tenant: Tenant) -> int | None:
        if not tenant.pending_events:
            return None
        try:
            recordings = self._app.save(tenant)
        except IntegrityError:
            raise InvalidRequest("the tenant changed concurrently; try again") from None
        return recordings[-1].notification.id if recordings else None

"""Administration: `python -m scenelens.admin COMMAND ...` manages tenants, keys and tiers.

Talks to the same Postgres as the services (settings from SCENELENS_* variables). Every command
prints one JSON document on stdout; an error prints one line on stderr and exits 2.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.rows import dict_row

from scenelens.adapters.readmodels import EVENT_STORE_NAME, PROJECTION_TRACKING_TABLE
from scenelens.application import TaskApplication
from scenelens.domain import keys
from scenelens.domain.errors import DomainError, InvalidRequest, TenantNotFound
from scenelens.domain.tenant import DEFAULT_TENANT_ID, DEFAULT_TENANT_NAME
from scenelens.settings import Settings
from scenelens.tenancy import IssuedKey, Tenants

# How long a command waits for the read models to show its change (the key then works).
WAIT_S = 30.0


class Admin:
    """The commands, over the event store (writes) and the read models (lookups)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._app = TaskApplication(env=settings.eventsourcing_env(EVENT_STORE_NAME))
        self._tenants = Tenants(self._app, set(settings.tiers))

    def close(self) -> None:
        self._app.close()

    def create_tenant(self, name: str, tier: str) -> dict[str, Any]:
        issued = self._tenants.create(name, tier)
        self._wait(issued.position)
        return {"tenant_id": str(issued.tenant_id), "name": name.strip(), "tier": tier,
                **_key(issued)}

    def issue_key(self, tenant: str) -> dict[str, Any]:
        tenant_id = self._tenant_id(tenant)
        issued = self._tenants.issue_key(tenant_id)
        self._wait(issued.position)
        return {"tenant_id": str(tenant_id), **_key(issued)}

    def revoke_key(self, key: str) -> dict[str, Any]:
        prefix = keys.parse_prefix(key)
        try:
            key_id = uuid.UUID(key.strip())
        except ValueError:
            key_id = None
        if prefix is None and key_id is None:
            raise InvalidRequest(f"{key[:40]!r} is neither a key prefix (slk_...) nor a key id")
        rows = self._query(
            "SELECT key_id, tenant_id, prefix FROM api_keys WHERE prefix = %s OR key_id = %s",
            prefix or "", key_id or uuid.UUID(int=0),
        )
        if not rows:
            raise TenantNotFound(f"no key {key.strip()[:40]!r}")
        row = rows[0]
        self._wait(self._tenants.revoke_key(row["tenant_id"], row["key_id"]))
        return {"key_id": str(row["key_id"]), "key_prefix": f"{keys.SCHEME}_{row['prefix']}",
                "tenant_id": str(row["tenant_id"]), "revoked": True}

    def set_tier(self, tenant: str, tier: str) -> dict[str, Any]:
        tenant_id = self._tenant_id(tenant)
        self._wait(self._tenants.set_tier(tenant_id, tier))
        return {"tenant_id": str(tenant_id), "tier": tier}

    def list_tenants(self) -> list[dict[str, Any]]:
        tenants = self._query(
            "SELECT tenant_id, name, tier, created_at FROM tenants ORDER BY created_at")
        key_rows = self._query(
            "SELECT key_id, tenant_id, prefix, created_at, revoked_at FROM api_keys "
            "ORDER BY created_at")
        unfinished = {r["tenant_id"]: r["n"] for r in self._query(
            "SELECT tenant_id, count(*) AS n FROM tasks "
            "WHERE status IN ('PENDING', 'PROCESSING') GROUP BY tenant_id")}
        out = []
        for t in tenants:
            out.append({
                "tenant_id": str(t["tenant_id"]), "name": t["name"], "tier": t["tier"],
                "created_at": t["created_at"].isoformat(),
                "unfinished_tasks": unfinished.get(t["tenant_id"], 0),
                "keys": [{"key_id": str(k["key_id"]), "key_prefix": f"{keys.SCHEME}_{k['prefix']}",
                          "created_at": k["created_at"].isoformat(),
                          "revoked": k["revoked_at"] is not None}
                         for k in key_rows if k["tenant_id"] == t["tenant_id"]],
            })
        return out

    def ensure_default(self) -> dict[str, Any]:
        created = self._tenants.ensure_default(self._settings.default_tenant_tier)
        self._wait(self._app.max_notification_id())
        return {"tenant_id": str(DEFAULT_TENANT_ID), "name": DEFAULT_TENANT_NAME,
                "created": created}

    # -- helpers ----------------------------------------------------------------------------

    def _tenant_id(self, value: str) -> uuid.UUID:
        """A tenant id as typed; 'default' names the default tenant (created on first use)."""
        if value.strip() in (DEFAULT_TENANT_NAME, str(DEFAULT_TENANT_ID)):
            self._tenants.ensure_default(self._settings.default_tenant_tier)
            return DEFAULT_TENANT_ID
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            raise InvalidRequest(f"tenant id must be a UUID (or 'default'), got {value[:40]!r}"
                                 ) from None

    def _query(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        with psycopg.connect(self._settings.pg_conninfo, autocommit=True,
                             row_factory=dict_row) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]

    def _wait(self, position: int | None) -> None:
        """Until the projection has applied this change, so that the key works at once."""
        if position is None:
            return
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                rows = self._query(
                    f"SELECT max(notification_id) AS n FROM {PROJECTION_TRACKING_TABLE} "
                    "WHERE application_name = %s", EVENT_STORE_NAME)
            except psycopg.errors.UndefinedTable:
                rows = []
            if rows and rows[0]["n"] is not None and rows[0]["n"] >= position:
                return
            time.sleep(0.05)
        print("warning: the read models have not caught up yet (is the projections service "
              "running?); the change takes effect when they do", file=sys.stderr)


def _key(issued: IssuedKey) -> dict[str, Any]:
    return {"api_key": issued.api_key, "key_id": str(issued.key_id),
            "key_prefix": issued.prefix}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scenelens.admin", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("create-tenant", help="create a tenant and its first API key")
    c.add_argument("name")
    c.add_argument("--tier", required=True)
    c = sub.add_parser("issue-key", help="issue another API key (TENANT_ID or 'default')")
    c.add_argument("tenant_id")
    c = sub.add_parser("revoke-key", help="revoke a key by its prefix (slk_...) or key id")
    c.add_argument("key")
    c = sub.add_parser("set-tier", help="move a tenant to another tier")
    c.add_argument("tenant_id")
    c.add_argument("tier")
    sub.add_parser("list-tenants", help="tenants, their tiers and keys (prefixes only)")
    sub.add_parser("ensure-default", help="create the default tenant if it is missing")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
        admin = Admin(settings)
    except Exception as e:  # noqa: BLE001 - one clear line, no traceback
        print(f"error: cannot open the event store: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    commands: dict[str, Callable[[], Any]] = {
        "create-tenant": lambda: admin.create_tenant(args.name, args.tier),
        "issue-key": lambda: admin.issue_key(args.tenant_id),
        "revoke-key": lambda: admin.revoke_key(args.key),
        "set-tier": lambda: admin.set_tier(args.tenant_id, args.tier),
        "list-tenants": admin.list_tenants,
        "ensure-default": admin.ensure_default,
    }
    try:
        result = commands[args.command]()
    except DomainError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except psycopg.Error as e:
        print(f"error: database: {str(e).strip().splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        admin.close()
    print(json.dumps(result, indent=None))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

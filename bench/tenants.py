"""API keys for the benchmarks: SCENELENS_API_KEY if set, else a new tenant of the wanted tier."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping


def _admin(*args: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """One admin command on the stack the environment (or `env`) points at; its JSON answer."""
    out = subprocess.run(
        [sys.executable, "-m", "scenelens.admin", *args],
        capture_output=True, text=True, check=False, env=dict(env) if env is not None else None,
    )
    if out.returncode != 0:
        raise SystemExit(f"cannot run admin {args[0]} for a bench: {out.stderr.strip()}")
    answer: dict[str, str] = json.loads(out.stdout)
    return answer


def create_tenant(name: str, tier: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A new tenant on the stack the SCENELENS_* environment points at (the admin command)."""
    return _admin("create-tenant", name, "--tier", tier, env=env)


def issue_key(tenant_id: str, env: Mapping[str, str] | None = None) -> str:
    """Another API key of the tenant (rate limits are per key)."""
    return _admin("issue-key", tenant_id, env=env)["api_key"]


def auth_headers(tier: str = "enterprise") -> dict[str, str]:
    """Authorization for a benchmark's client (enterprise: limits a benchmark does not reach)."""
    key = os.environ.get("SCENELENS_API_KEY") or create_tenant(f"bench-{tier}", tier)["api_key"]
    return {"Authorization": f"Bearer {key}"}
